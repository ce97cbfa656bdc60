"""Benchmarks 3, 4, 5 and 7 (store side): import vs raw bulk_load, named queries vs pyoxigraph
direct, export, with peak memory. Rewrites the store sections of bench/results.md.

    python bench/bench_store.py             # 1M-quad import, 10k/50k-article stores, export of 10k
    python bench/bench_store.py --quick     # 100k quads, 1k/5k stores, export of 1k

The stores are built WITHOUT NLP: bench/corpus.py plans each article's Extraction, diplokg's own
mapping (diplokg.rdf.mapping.article_graph) turns it into the article's named graph, and the
N-Quads of all articles are bulk-loaded (then the ontology graph is added through diplokg). The
files and stores are cached under bench/.work/ (delete it to rebuild).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

from common import (BENCH, DIPLOKG, LAST_CPU, WORK, ChildTimeout, Runs, dir_size_mib, fresh_dir, md_table, percentile,
                    python_child, stamp, timed_child, verdict, write_section)

CHILD = str(BENCH / "_child.py")


# -- building graphs without NLP -------------------------------------------------------------


def _to_ox(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(term)


# Bump when article graphs change shape, so that cached files and stores are made again
# (2: meetings and calls link dip:AgentPair nodes).
GRAPH_VERSION = 2


def _write_part(args: tuple[int, int, int, str]) -> tuple[int, int]:
    """Articles [start, start+n) of the seed as N-Quads (one named graph per article)."""
    start, n, seed, path = args
    import pyoxigraph as ox

    import corpus
    from diplokg.rdf.mapping import article_graph

    quads = 0
    with open(path, "wb") as fh:
        batch = []
        for x in corpus.generate_extractions(n, seed, start=start):
            g = article_graph(x)
            name = ox.NamedNode(str(g.identifier))
            batch.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), name) for s, p, o in g)
            if len(batch) > 50_000:
                fh.write(ox.serialize(batch, format=ox.RdfFormat.N_QUADS))
                quads += len(batch)
                batch = []
        fh.write(ox.serialize(batch, format=ox.RdfFormat.N_QUADS) if batch else b"")
        quads += len(batch)
    return n, quads


def articles_nquads(n: int, seed: int, procs: int = 2) -> tuple[Path, int]:
    """N-Quads of the first n articles of the seed (cached); returns (path, quads)."""
    path = WORK / f"graph-{n}-s{seed}-v{GRAPH_VERSION}.nq"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())["quads"]
    print(f"  generating {n:,} article graphs (no NLP) ...", flush=True)
    t = time.perf_counter()
    step = -(-n // procs)
    parts = [(i, min(step, n - i), seed, str(path) + f".part{k}") for k, i in enumerate(range(0, n, step))]
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        done = pool.map(_write_part, parts)
    with open(path, "wb") as out:
        for *_x, part in parts:
            with open(part, "rb") as fh:
                while chunk := fh.read(1 << 22):
                    out.write(chunk)
            Path(part).unlink()
    quads = sum(q for _n, q in done)
    meta.write_text(json.dumps({"articles": n, "quads": quads, "seed": seed}))
    print(f"  {quads:,} quads in {time.perf_counter() - t:.0f} s", flush=True)
    return path, quads


def quads_file(target: int, seed: int) -> tuple[Path, int, int]:
    """An N-Quads file of about `target` quads (whole articles); (path, quads, articles)."""
    per_article = 240  # measured: ~236 quads per planned article
    n = max(1, round(target / per_article))
    path, quads = articles_nquads(n, seed)
    return path, quads, n


def query_store(n: int, seed: int, layout: str = "shipped") -> Path:
    """An on-disk diplokg store of n articles (cached): the article graphs through diplokg's bulk
    import (what `diplokg import` does), then the ontology graph (pipeline.ensure_ontology).
    layout "entities": raw bulk_load of the prototype layout of bench/prototypes.entities_layout
    (entity descriptions in one graph; it has no contact counts, so `network` is empty)."""
    from diplokg.pipeline import ensure_ontology
    from diplokg.stores import open_store

    store_dir = WORK / (f"qstore-{n}-s{seed}-v{GRAPH_VERSION}" if layout == "shipped" else f"qstore-{n}-s{seed}-{layout}")
    ready = store_dir / ".bench-ready"
    if ready.exists():
        return store_dir
    nq, _quads = articles_nquads(n, seed)
    fresh_dir(store_dir)
    if layout == "entities":
        import pyoxigraph as ox

        from prototypes import entities_layout

        nq2 = WORK / f"graph-{n}-s{seed}-entities.nq"
        with open(nq2, "wb") as fh:
            ox.serialize(entities_layout(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS)), fh,
                         format=ox.RdfFormat.N_QUADS)
        python_child(CHILD, "bulk-load", str(nq2), str(store_dir))
        nq2.unlink()
    store = open_store(store_dir)
    if layout != "entities":
        store.bulk_import(nq, "nquads")
    ensure_ontology(store)
    store.close()
    ready.write_text("ok")
    return store_dir


# -- 3. import ------------------------------------------------------------------------------


def bench_import(target: int, repeat: int, seed: int, mode: str) -> None:
    path, quads, n = quads_file(target, seed)
    print(f"import: {quads:,} quads ({n:,} articles), {repeat} runs", flush=True)
    size_in = path.stat().st_size / 2**20
    same = same_quads_file(path)
    variants = {
        "diplokg import": Runs("`diplokg import FILE.nq` (as shipped)"),
        "bulk_load": Runs("raw pyoxigraph `Store.bulk_load` of FILE.nq"),
        "bulk_load same": Runs("raw pyoxigraph `Store.bulk_load` of the quads the import stores (FILE.nq + the contact counts it derives)"),
        "load": Runs("raw pyoxigraph `Store.load` (transactional) of FILE.nq"),
    }
    sizes: dict[str, float] = {}
    reopened: dict[str, float] = {}
    for r in range(repeat):
        for key, runs in variants.items():
            store = fresh_dir(WORK / f"store-import-{key.replace(' ', '-')}")
            if key == "diplokg import":
                wall, rss, _ = timed_child([*DIPLOKG, "import", str(path), "--store", str(store)])
            else:
                source = same if key == "bulk_load same" else path
                wall, rss, _out = python_child(CHILD, "bulk-load", str(source), str(store), key.split()[0])
            runs.add(wall, rss, LAST_CPU[0])
            sizes[key] = dir_size_mib(store)
            _w, _r, out = python_child(CHILD, "reopen-size", str(store))
            reopened[key] = out["bytes"] / 2**20
            print(f"  [{r + 1}/{repeat}] {key}: {wall:.1f} s, {rss:.0f} MiB, db {sizes[key]:.0f} MiB "
                  f"({reopened[key]:.0f} after reopen)", flush=True)
    raw = variants["bulk_load"]
    rows = []
    for key, runs in variants.items():
        rows.append([runs.label, runs.mmm(), runs.cpu_mmm(), f"{quads / runs.best:,.0f}", f"{raw.best / runs.best:.2f}x",
                     runs.peak(), f"{sizes[key]:.1f}", f"{reopened[key]:.1f}"])
    ratio = raw.best / variants["diplokg import"].best
    size_ratio = reopened["diplokg import"] / reopened["bulk_load"]
    same_ratio = reopened["diplokg import"] / reopened["bulk_load same"]
    extra = count_quads(same) - quads
    body = ["### 3. Store load: `diplokg import` vs raw `bulk_load`", "", stamp(mode), "",
            f"{quads:,} quads in {n:,} article graphs (N-Quads, {size_in:.0f} MiB), {repeat} runs each, interleaved, "
            "each into a fresh on-disk store, each in a process of its own (wall time includes interpreter start "
            "and imports: ~0.3 s raw, ~1 s diplokg). The import also stores the contact counts it derives from "
            f"the file ({extra:,} quads more, {extra / quads:.1%}). DB size: the store directory right after the "
            "process ends, and after opening and closing it once more (RocksDB deletes the obsolete write-ahead "
            "log on open; transactional writes leave one as large as the data).", "",
            md_table(["run", "wall s (min/med/max)", "CPU s", "quads/s (best)", "throughput vs bulk_load",
                      "peak RSS MiB", "DB MiB at exit", "DB MiB after reopen"], rows), "",
            f"Target import >= 0.8x raw bulk_load throughput: {ratio:.2f}x ({verdict(ratio >= 0.8)}). "
            f"DB on disk no larger (after reopen): {same_ratio:.3f}x the raw bulk_load of the same quads "
            f"({verdict(same_ratio <= 1.02)}), {size_ratio:.3f}x the raw bulk_load of the file alone, "
            "which lacks the contact counts (2 % tolerance: the same data bulk-loaded twice differs by a few KiB).", "",
            "Point lookups or any write after a bulk load make RocksDB compact the loaded files into larger ones, for the "
            "raw store as for diplokg's: 4,167 point lookups (one per graph) grew the raw bulk_load store from "
            "200 to 336 MiB. So the import checks the file and counts contacts as it streams into the loader, and "
            "reads nothing back; the figures above are of never-compacted stores."]
    write_section("store-import", "\n".join(body))


def same_quads_file(path: Path) -> Path:
    """FILE + the CONTACTS_GRAPH quads `diplokg import FILE` derives (cached): what a raw
    bulk_load must load to hold what the import holds."""
    import pyoxigraph as ox

    from diplokg.stores import CONTACTS_GRAPH

    out = path.with_name(path.stem + "-with-contacts.nq")
    if out.exists() and out.stat().st_mtime > path.stat().st_mtime:
        return out
    store = fresh_dir(WORK / "store-import-contacts")
    timed_child([*DIPLOKG, "import", str(path), "--store", str(store)])
    contacts = ox.Store.read_only(str(store))
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        with open(path, "rb") as src:
            while chunk := src.read(1 << 20):
                fh.write(chunk)
        ox.serialize(contacts.quads_for_pattern(None, None, None, ox.NamedNode(CONTACTS_GRAPH)), fh,
                     format=ox.RdfFormat.N_QUADS)
    del contacts
    tmp.replace(out)
    return out


def count_quads(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


# -- 4. named queries -----------------------------------------------------------------------


def bench_queries(sizes: list[int], seed: int, budget: float, max_reps: int, timeout: float, mode: str,
                  layouts: list[str]) -> None:
    blocks = []
    worst: dict[tuple[int, str], tuple[float, float]] = {}
    over: dict[tuple[int, str], list[str]] = {}
    for n in sizes:
        for layout in layouts:
            store = query_store(n, seed, layout)
            _w, _r, out = python_child(CHILD, "query-labels", str(store))
            print(f"queries on {n:,} articles, {layout} layout", flush=True)
            rows, ratios, p95s, triples = [], [], [], None
            for label in out["labels"]:
                try:
                    wall, rss, q = python_child(CHILD, "query-one", str(store), label, str(budget), str(max_reps),
                                                timeout=timeout)
                except ChildTimeout:
                    rows.append([label, "-", "-", 0, f"> {timeout:.0f} s (killed)", "-", "-", "-", "-", "-"])
                    p95s.append(float("inf"))
                    print(f"  {label}: timed out after {timeout:.0f} s", flush=True)
                    continue
                except RuntimeError as exc:
                    reason = "out of memory (6 GiB cap)" if "memory" in str(exc).lower() else str(exc).splitlines()[-1][:80]
                    rows.append([label, "-", "-", 0, reason, "-", "-", "-", "-", "-"])
                    p95s.append(float("inf"))
                    print(f"  {label}: failed: {reason}", flush=True)
                    continue
                triples = q["triples"]
                d, o = q["diplokg"], q["direct"]
                d50, d95, o50, o95 = (percentile(d, 0.5), percentile(d, 0.95), percentile(o, 0.5), percentile(o, 0.95))
                ratios.append(d50 / o50)
                p95s.append(d95)
                rows.append([label, f"{q['rows']:,}", q.get("form", "-"), len(d), f"{d50 * 1000:,.1f}", f"{d95 * 1000:,.1f}",
                             f"{o50 * 1000:,.1f}", f"{o95 * 1000:,.1f}", f"{d50 / o50:.2f}x", f"{rss:,.0f}" +
                             ("" if q["rows"] == q["direct_rows"] else " (rows differ!)")])
                print(f"  {label}: {q['rows']} rows ({q.get('form')}), diplokg p50 {d50 * 1000:.1f} ms p95 {d95 * 1000:.1f} ms, "
                      f"direct p50 {o50 * 1000:.1f} ms, {rss:.0f} MiB", flush=True)
            worst[(n, layout)] = (max(ratios, default=float("nan")), max(p95s, default=float("nan")))
            over[(n, layout)] = [lab for lab, v in zip(out["labels"], p95s) if v >= 0.3]
            title = "as shipped" if layout == "shipped" else "prototype layout: entity descriptions in one graph"
            blocks.append("\n".join([f"#### {n:,} articles, {title}" + (f" ({triples:,} triples)" if triples else ""), "",
                                     md_table(["query", "rows", "form", "runs", "diplokg p50 ms", "diplokg p95 ms",
                                               "direct p50 ms", "direct p95 ms", "diplokg / direct (p50)", "peak RSS MiB"],
                                              rows)]))
    big = max(sizes)
    ratio, p95 = worst[(big, "shipped")]
    lines = [f"Targets at {big:,} articles, as shipped: diplokg <= 1.2x direct (worst p50 ratio {ratio:.2f}x over the "
             f"queries that finished, {verdict(ratio <= 1.2)}); p95 < 300 ms (worst p95 "
             f"{'%.0f ms' % (p95 * 1000) if p95 != float('inf') else 'not reached: a query was killed or failed'}, "
             f"{verdict(p95 < 0.3)}" + (f"; over 300 ms: {', '.join(over[(big, 'shipped')])}" if over[(big, "shipped")] else "")
             + ")."]
    if "network" in over[(big, "shipped")]:
        lines.append("`network` without parameters ranks every pair of agents that met or phoned, so it counts the pairs "
                     "of every meeting and call in the store (the order needs all the counts) and grows with it; with "
                     "`person` it answers one agent's contacts.")
    if (big, "entities") in worst:
        r2, p2 = worst[(big, "entities")]
        lines.append(f"With the prototype layout: worst ratio {r2:.2f}x, worst p95 "
                     f"{'%.0f ms' % (p2 * 1000) if p2 != float('inf') else 'not reached'} ({verdict(p2 < 0.3)}).")
    body = ["### 4. Named queries: diplokg vs pyoxigraph direct", "", stamp(mode), "",
            "Each named query answers one page (the first 100 rows unless the case says otherwise). Through diplokg: "
            "`diplokg.query.run_named` (renders the page's SPARQL, writes parameters into it as RDF terms, turns every "
            "row into rdflib terms). Direct: the same SPARQL texts (`diplokg.query.page_texts`) run straight on the "
            "store's pyoxigraph `Store` with `use_default_graph_as_union=True`, every solution's values read. "
            "Form: `window` = the fast form answered (the page was found among the events, or articles, of the newest "
            "dates; for people, among the posts of the most named people that hold the page); "
            "`window, then exact` = the window held too few rows and the exact form ran after it; `exact` = the query "
            "has no fast form or a parameter needs the exact one. One process per query and store "
            f"(peak RSS is that process's), one warm-up each way, then interleaved runs until {budget:.0f} s or "
            f"{max_reps} runs (a query slower than that is timed once); killed after {timeout:.0f} s; address space "
            "capped at 6 GiB. Stores are built without NLP (planned extractions through diplokg's mapping, "
            "bench/corpus.py), ~236 triples per article like the NLP's output.", "", "\n\n".join(blocks), "",
            " ".join(lines)]
    write_section("store-queries", "\n".join(body))


# -- 5. export ------------------------------------------------------------------------------


def bench_export(n: int, repeat: int, seed: int, mode: str, formats: list[str]) -> None:
    store = query_store(n, seed)
    print(f"export of {n:,} articles, formats {formats}", flush=True)
    rows = []
    for fmt in formats:
        ours, raw = Runs(f"diplokg export --format {fmt}"), Runs(f"raw pyoxigraph ({fmt})")
        size_ours = size_raw = 0.0
        for r in range(repeat):
            out = WORK / f"export.{fmt}"
            wall, rss, _ = timed_child([*DIPLOKG, "export", "--format", fmt, "-o", str(out), "--store", str(store)])
            ours.add(wall, rss, LAST_CPU[0])
            size_ours = out.stat().st_size / 2**20
            out.unlink()
            raw_out = WORK / f"export-raw.{fmt}"
            wall, rss, _o = python_child(CHILD, "raw-export", str(store), fmt, str(raw_out))
            raw.add(wall, rss, LAST_CPU[0])
            size_raw = raw_out.stat().st_size / 2**20
            raw_out.unlink()
            print(f"  [{r + 1}/{repeat}] {fmt}: diplokg {ours.seconds[-1]:.1f} s {ours.rss_mib[-1]:.0f} MiB; "
                  f"raw {raw.seconds[-1]:.1f} s", flush=True)
        rows.append([fmt, ours.mmm(), ours.peak(), f"{size_ours:.0f}", raw.mmm(), raw.peak(), f"{size_raw:.0f}",
                     f"{ours.best / raw.best:.2f}x"])
    body = ["### 5. Export of the whole store", "", stamp(mode), "",
            f"Store of {n:,} articles; `diplokg export --format F -o FILE` (process wall, peak RSS) against raw pyoxigraph "
            "in a process of its own: `Store.dump` for nq/trig (every graph, the ontology's too, unsorted) and one "
            "CONSTRUCT over all graphs serialized by pyoxigraph for ttl. diplokg writes trig/nq one article graph at a "
            "time, sorted, and ttl as the union with each triple once, grouped by subject, both with pyoxigraph's "
            f"serializers. {repeat} runs each.", "",
            md_table(["format", "diplokg s (min/med/max)", "peak RSS MiB", "file MiB", "raw s (min/med/max)",
                      "raw peak RSS MiB", "raw file MiB", "diplokg / raw (best)"], rows)]
    write_section("store-export", "\n".join(body))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--quads", type=int, help="size of the import file (default 1,000,000; quick 100,000)")
    ap.add_argument("--query-sizes", help="articles per query store (default 10000,50000; quick 1000,5000)")
    ap.add_argument("--export-size", type=int, help="articles in the exported store (default 10000; quick 1000)")
    ap.add_argument("--export-formats", default="ttl,trig,nq")
    ap.add_argument("--repeat", type=int, help="runs per measurement (default 3; quick 2)")
    ap.add_argument("--budget", type=float, help="seconds of repeated runs per named query and store (default 10; quick 1)")
    ap.add_argument("--max-reps", type=int, help="runs per query and side at most (default 30; quick 3)")
    ap.add_argument("--query-timeout", type=float, help="kill a query process after this many seconds (default 90; quick 8)")
    ap.add_argument("--layouts", default="shipped",
                    help="store layouts for the query benchmark: shipped and/or entities (bench/prototypes.entities_layout)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", help="comma-separated subset of: import,queries,export")
    args = ap.parse_args(argv)
    q = args.quick
    mode = "quick" if q else "full"
    repeat = args.repeat or (2 if q else 3)
    only = set((args.only or "import,queries,export").split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if "import" in only:
        bench_import(args.quads or (100_000 if q else 1_000_000), repeat, args.seed, mode)
    if "queries" in only:
        sizes = [int(x) for x in (args.query_sizes or ("1000,5000" if q else "10000,50000")).split(",")]
        bench_queries(sizes, args.seed, args.budget or (1 if q else 10), args.max_reps or (3 if q else 30),
                      args.query_timeout or (8 if q else 90), mode, args.layouts.split(","))
    if "export" in only:
        bench_export(args.export_size or (1000 if q else 10000), repeat, args.seed, mode, args.export_formats.split(","))
    print(f"bench_store done in {time.perf_counter() - t0:.0f} s; see {BENCH / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
