"""Child processes of the benchmarks (run by bench_*.py, each in a fresh interpreter so that its
peak RSS and load time are its own). Usage: python bench/_child.py MODE ARGS...; prints one
JSON object on its last stdout line.

Modes (NLP):
  raw-model CORPUS [n_process]   nlp.pipe over every paragraph of every article, model pipes +
                                 our entity ruler only (what extract.components.parse runs first)
  raw-full CORPUS                nlp.pipe over whole texts, the full pipeline (model, ruler and
                                 diplokg's components) in one pass
  extract CORPUS                 diplokg.extract.extract_many (parse per article + dataclasses)
  breakdown CORPUS STORE         diplokg's ingest loop, each stage timed separately
Modes (no NLP):
  synthetic-ingest N STORE [seed] pipeline.ingest into an on-disk store, extraction replaced by the
                                 corpus generator's planned extractions
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))


def articles(corpus: str):
    from diplokg.read import read_articles

    return list(read_articles([corpus]))


def load():
    t = time.perf_counter()
    from diplokg.nlp import load_nlp

    nlp = load_nlp()
    return nlp, time.perf_counter() - t


def raw_model(corpus: str, n_process: str = "1") -> dict:
    from diplokg.extract.components import STAGES, paragraphs

    arts = articles(corpus)
    nlp, load_s = load()
    model = [n for n in nlp.pipe_names if n not in STAGES]
    paras = [p for a in arts for p in paragraphs(a.text)]
    t = time.perf_counter()
    tokens = 0
    with nlp.select_pipes(enable=model):
        for doc in nlp.pipe(paras, n_process=int(n_process)):
            tokens += len(doc)
    loop = time.perf_counter() - t
    return {"load_s": load_s, "loop_s": loop, "tokens": tokens, "articles": len(arts), "paragraphs": len(paras),
            "pipes": model}


def raw_full(corpus: str) -> dict:
    arts = articles(corpus)
    nlp, load_s = load()
    t = time.perf_counter()
    tokens = 0
    for doc in nlp.pipe((a.text for a in arts)):
        tokens += len(doc)
    loop = time.perf_counter() - t
    return {"load_s": load_s, "loop_s": loop, "tokens": tokens, "articles": len(arts), "pipes": nlp.pipe_names}


def extract(corpus: str) -> dict:
    from diplokg.extract import extract_many

    arts = articles(corpus)
    nlp, load_s = load()
    t = time.perf_counter()
    n = sum(len(x.events) for x in extract_many(arts, nlp))
    return {"load_s": load_s, "loop_s": time.perf_counter() - t, "events": n, "articles": len(arts)}


def breakdown(corpus: str, store_dir: str) -> dict:
    """`pipeline.ingest` as shipped, on an on-disk store, with a timer around each of
    diplokg's stages (our spaCy components, same_events, article_graph, the writer); what
    is left of the loop is the model's nlp.pipe and the glue between stages."""
    from diplokg import pipeline
    from diplokg.extract.components import STAGES
    from diplokg.stores import open_store
    from diplokg.stores import oxigraph

    arts = articles(corpus)
    nlp, load_s = load()
    timers: dict[str, float] = {}
    running: list[str] = []  # the timed stages the current call is inside

    def timed(name, fn):
        """`fn` with its time added to `name`, and taken off the stage that called it (the
        writer's _send calls _wait, for one), so that no time counts twice."""
        timers[name] = 0.0

        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            running.append(name)
            try:
                return fn(*args, **kwargs)
            finally:
                running.pop()
                spent = time.perf_counter() - t
                timers[name] += spent
                if running:
                    timers[running[-1]] -= spent

        return wrapper

    for i, (name, component) in enumerate(nlp._components):
        if name in STAGES:
            nlp._components[i] = (name, timed(name, component))
    pipeline.same_events = timed("same_events", pipeline.same_events)
    pipeline.article_graph = timed("article_graph", pipeline.article_graph)
    to_quads = oxigraph.graph_to_quads
    oxigraph.graph_to_quads = timed("writer: to pyoxigraph quads", lambda *a: iter(list(to_quads(*a))))
    oxigraph.BulkArticleWriter._send = timed("writer: batch to N-Quads, handed over", oxigraph.BulkArticleWriter._send)
    oxigraph.BulkArticleWriter._wait = timed("writer: waiting for its thread", oxigraph.BulkArticleWriter._wait)
    store = open_store(store_dir)
    t = time.perf_counter()
    pipeline.ingest(arts, store)
    total = time.perf_counter() - t
    store.close()
    timers["model (nlp.pipe) and glue"] = total - sum(timers.values())
    return {"load_s": load_s, "loop_s": total, "timers": timers, "articles": len(arts)}


def synthetic_ingest(n: str, store_dir: str, seed: str = "0") -> dict:
    """pipeline.ingest (hash check, same_events, mapping, the article writer) without running
    the NLP: the extraction step returns what the generator planted. The spaCy pipeline is
    loaded all the same, as in a real ingest process, so the peak memory is that process's
    minus the one Doc being parsed. For peak memory and the store-side cost of ingest at
    sizes the NLP cannot reach here."""
    import corpus

    from diplokg.nlp import load_nlp

    load_nlp()

    import diplokg.extract as extract_mod
    from diplokg.pipeline import ingest
    from diplokg.stores import open_store

    count = int(n)
    planned = {}

    def fake_extract_many(arts, nlp=None):
        for a in arts:
            yield planned.pop(a.id)

    extract_mod.extract_many = fake_extract_many

    def stream():
        for i in range(count):
            a, x = corpus.make_article(i, int(seed))
            planned[a.id] = x
            yield a

    gen_t = 0.0
    marks = {}
    t0 = time.perf_counter()
    store = open_store(store_dir)
    done = [0]

    def on_article(article, outcome):
        done[0] += 1
        if done[0] in (1000, 5000, 10000, 20000, 50000, count):
            marks[done[0]] = time.perf_counter() - t0

    report = ingest(stream(), store, on_article=on_article)
    total = time.perf_counter() - t0
    triples = store.count()
    store.close()
    import resource

    return {"loop_s": total, "gen_s": gen_t, "added": len(report.added), "triples": triples, "marks": marks,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def synthetic_breakdown(n: str, store_dir: str, seed: str = "1", window: str = "5000") -> dict:
    """The store side of pipeline.ingest as in src (hash check, same_events, article_graph,
    the store's article writer) over planned extractions, timed per window of articles, with
    RSS: how the per-article cost and the memory grow with the store."""
    import corpus
    import psutil

    from diplokg.pipeline import ensure_ontology, same_events
    from diplokg.rdf import iris
    from diplokg.rdf.mapping import article_graph
    from diplokg.stores import open_store

    proc = psutil.Process()
    store = open_store(store_dir)
    ensure_ontology(store)
    w = int(window)
    rows = []
    acc = {"hash_check": 0.0, "same_events": 0.0, "article_graph": 0.0, "put_article": 0.0}
    pc = time.perf_counter
    writer = store.article_writer()
    for i, x in enumerate(corpus.generate_extractions(int(n), int(seed))):
        t = pc()
        store.article_hash(str(iris.article_iri(x.article.id)))
        acc["hash_check"] += pc() - t
        t = pc()
        same = same_events(x, writer)
        acc["same_events"] += pc() - t
        t = pc()
        g = article_graph(x, iris.DEFAULT_BASE, same)
        acc["article_graph"] += pc() - t
        t = pc()
        writer.put(str(g.identifier), g, x.article.content_hash, lambda outcome: None)
        acc["put_article"] += pc() - t
        if (i + 1) % w == 0:
            rows.append({"articles": i + 1, **{k: v / w * 1000 for k, v in acc.items()},
                         "rss_mib": proc.memory_info().rss / 2**20})
            print(rows[-1], file=sys.stderr, flush=True)
            acc = dict.fromkeys(acc, 0.0)
    writer.flush()
    store.close()
    return {"loop_s": 0.0, "rows": rows}


def raw_extend_rss(nq: str, store_dir: str, window: str = "5000") -> dict:
    """Raw pyoxigraph: one `extend` (transaction) per article graph of an N-Quads file, RSS
    every `window` articles: the engine's own memory growth, without diplokg."""
    import psutil
    import pyoxigraph as ox

    proc = psutil.Process()
    store = ox.Store(store_dir)
    rows, batch, current, count = [], [], None, 0
    t0 = time.perf_counter()
    for q in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS):
        if q.graph_name != current and batch:
            store.extend(batch)
            batch = []
            count += 1
            if count % int(window) == 0:
                rows.append({"articles": count, "rss_mib": proc.memory_info().rss / 2**20, "s": time.perf_counter() - t0})
                print(rows[-1], file=sys.stderr, flush=True)
        current = q.graph_name
        batch.append(q)
    if batch:
        store.extend(batch)
    store.flush()
    return {"loop_s": time.perf_counter() - t0, "rows": rows}


# -- store side --------------------------------------------------------------------------


def bulk_load(path: str, store_dir: str, how: str = "bulk_load") -> dict:
    """Raw pyoxigraph: load the file into a fresh on-disk store (bulk_load, or load = transactional)."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_QUADS if path.endswith((".nq", ".nquads")) else ox.RdfFormat.TRIG
    t = time.perf_counter()
    store = ox.Store(store_dir)
    getattr(store, how)(path=path, format=fmt)
    store.flush()
    n = len(store)
    del store
    return {"loop_s": time.perf_counter() - t, "quads": n}


def db_size_after_reopen(store_dir: str) -> dict:
    """Open and close the store (RocksDB drops its obsolete write-ahead log on open)."""
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    store.flush()
    del store
    size = sum(p.stat().st_size for p in Path(store_dir).rglob("*") if p.is_file())
    return {"loop_s": 0.0, "bytes": size}


def raw_export(store_dir: str, fmt: str, out: str) -> dict:
    """Raw pyoxigraph: dump the whole store (every named graph, ontology included) as N-Quads
    or TriG; for Turtle, the union of the graphs (one CONSTRUCT), which is what ttl export means."""
    import pyoxigraph as ox

    t = time.perf_counter()
    store = ox.Store.read_only(store_dir)
    if fmt == "ttl":
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        with open(out, "wb") as fh:
            ox.serialize(triples, fh, format=ox.RdfFormat.TURTLE)
    else:
        store.dump(out, format={"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt])
    return {"loop_s": time.perf_counter() - t}


def query_cases(native) -> list[tuple[str, str, dict, int | None, int]]:
    """(label, named query, params, limit, offset): every named query's default page (the
    first 100 rows), and pages that a user asks for with parameters or an offset."""
    from diplokg.query import named_queries

    busiest = next(iter(native.query(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/diplokg/ontology#Meeting> ; "
        "<https://w3id.org/diplokg/ontology#participant> ?p . ?p a <https://w3id.org/diplokg/ontology#Person> } "
        "GROUP BY ?p ORDER BY DESC(?n) LIMIT 1", use_default_graph_as_union=True)))["p"].value
    return [(name, name, {}, None, 0) for name in sorted(named_queries())] + [
        ("meetings(person=busiest)", "meetings", {"person": f"<{busiest}>"}, None, 0),
        ("network(person=busiest)", "network", {"person": f"<{busiest}>"}, None, 0),
        ("timeline(type=dip:Visit)", "timeline", {"type": "dip:Visit"}, None, 0),
        ("timeline(from=2026-06,to=2026-06)", "timeline", {"from": "2026-06", "to": "2026-06"}, None, 0),
        ("timeline(offset=900)", "timeline", {}, None, 900),
    ]


def query_labels(store_dir: str) -> dict:
    import pyoxigraph as ox

    native = ox.Store.read_only(store_dir)
    return {"loop_s": 0.0, "labels": [c[0] for c in query_cases(native)]}


def query_one(store_dir: str, label: str, budget: str = "20", max_reps: str = "30", mem_gib: str = "6") -> dict:
    """One named query through diplokg (query.run_named: the page's SPARQL rendered, parameters
    written as terms, every row turned into rdflib terms) and the same SPARQL texts straight on
    the store's pyoxigraph Store (query.page_texts: the windowed text, then the exact one when
    the window held too few rows, as run_named does; every solution's values read),
    interleaved, after one warm-up each; until `budget` seconds or `max_reps` runs. The address
    space is capped at `mem_gib` GiB (the machine is shared)."""
    import resource

    limit_as = int(float(mem_gib) * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))
    from diplokg.query import DEFAULT_LIMIT, named_queries, named_values, page_texts, run_named
    from diplokg.stores import open_store

    store = open_store(store_dir)
    native = getattr(store, "native", None)
    if native is None:
        raise SystemExit("this store backend exposes no pyoxigraph Store (.native)")
    _label, name, params, limit, offset = next(c for c in query_cases(native) if c[0] == label)
    limit = DEFAULT_LIMIT if limit is None else limit
    query = named_queries()[name]
    first, exact = page_texts(query, named_values(query, params), limit, offset)
    pc = time.perf_counter
    forms = []

    def via_diplokg():
        return len(run_named(store, name, params, limit=limit, offset=offset).rows)

    def read(text):
        res = native.query(text, use_default_graph_as_union=True)
        variables = res.variables
        return [[sol[v] for v in variables] for sol in res]

    def direct():
        rows = read(first)
        form = "exact" if exact is None else "window"
        if exact is not None and len(rows) <= limit:
            rows, form = read(exact), "window, then exact"
        forms.append(form)
        return min(len(rows), limit) if limit else len(rows)

    t = pc()
    direct_rows = direct()
    first_direct = pc() - t
    t = pc()
    rows = via_diplokg()
    first_diplokg = pc() - t
    d_times, o_times = [], []
    t_start = pc()
    if first_direct + first_diplokg > float(budget):  # too slow to repeat: the first runs are the sample
        d_times, o_times = [first_diplokg], [first_direct]
    while len(d_times) < int(max_reps) and (pc() - t_start < float(budget) or len(d_times) < 2):
        t = pc()
        via_diplokg()
        d_times.append(pc() - t)
        t = pc()
        direct()
        o_times.append(pc() - t)
    triples = store.count()
    store.close()
    return {"loop_s": pc() - t_start, "rows": rows, "direct_rows": direct_rows, "diplokg": d_times, "direct": o_times,
            "first": [first_direct, first_diplokg], "triples": triples, "form": forms[0]}


MODES = {"raw-model": raw_model, "raw-full": raw_full, "extract": extract, "breakdown": breakdown,
         "synthetic-ingest": synthetic_ingest,
         "synthetic-breakdown": synthetic_breakdown, "raw-extend-rss": raw_extend_rss,
         "bulk-load": bulk_load, "reopen-size": db_size_after_reopen, "raw-export": raw_export,
         "query-labels": query_labels, "query-one": query_one}

if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    result = MODES[mode](*args)
    print(json.dumps(result))
