"""One long article: time and peak RSS of `diplokg ingest` for a single article of 100 kB,
500 kB, 1 MB and 2 MB of ordinary prose (issue 15, defect 13). Rewrites the section
`long-article-LABEL` of bench/results.md.

    python bench/long_article.py                          # label "after", the 4 sizes, 1 run each
    python bench/long_article.py --sizes 100000,500000 --repeat 2
    python bench/long_article.py --src /tmp/old/src --label before --timeout 900

The article is varied synthetic diplomacy news: the paragraphs of bench/corpus.py's
articles (persons, posts, states, meetings, visits, dates, figures; no sentence repeated
on purpose), one after the other up to the size in UTF-8 bytes, with a publication date.
Each size is ingested by a fresh `diplokg ingest FILE --store DIR -q` into a fresh
embedded store, under /usr/bin/time (wall, user+sys CPU, peak RSS); the article size
limit ($DIPLOKG_MAX_ARTICLE_BYTES) is raised for the run so every size is measured,
whatever the shipped limit. `--src` measures another source tree (PYTHONPATH), such as
the code before a change.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from common import DIPLOKG, LAST_CPU, WORK, ChildTimeout, fresh_dir, md_table, stamp, timed_child, write_section

SIZES = (100_000, 500_000, 1_000_000, 2_000_000)
TARGET_S, TARGET_MIB = 60.0, 1024.0


def long_text(size: int, seed: int = 7) -> str:
    """Paragraphs of the synthetic corpus, joined by blank lines, up to `size` UTF-8 bytes."""
    import corpus

    parts, used = [], 0
    for article in corpus.generate(10**7, seed):
        for paragraph in article.text.split("\n\n"):
            paragraph = paragraph.strip()
            n = len(paragraph.encode("utf-8")) + 2
            if not paragraph:
                continue
            if used + n > size:
                return "\n\n".join(parts) + "\n"
            parts.append(paragraph)
            used += n
    return "\n\n".join(parts) + "\n"


def article_file(size: int) -> Path:
    path = WORK / f"long-{size}.jsonl"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        record = {"id": f"long-{size}", "title": "Crónica diplomática", "published": "2026-03-02",
                  "text": long_text(size)}
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def measure(size: int, src: Path | None, timeout: float) -> tuple[float, float, float] | None:
    """(wall s, CPU s, peak RSS MiB) of one ingest, or None when it ran past `timeout`."""
    path = article_file(size)
    store = fresh_dir(WORK / f"long-store-{size}")
    env = {"DIPLOKG_MAX_ARTICLE_BYTES": str(max(size * 2, 2_000_000))}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    try:
        wall, rss, _err = timed_child([*DIPLOKG, "ingest", str(path), "--store", str(store), "-q"], env=env,
                                      timeout=timeout)
    except ChildTimeout:
        return None
    return wall, LAST_CPU[0], rss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="article sizes in UTF-8 bytes")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--src", type=Path, help="the src/ folder to measure (default: this checkout's)")
    ap.add_argument("--label", default="after", help="names the results section (before, after, ...)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds before a run is given up")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    head = stamp(f"{args.label}, {args.repeat} run(s)")
    if args.src is not None:
        head = head.replace(". Machine:", f"; measured: `{args.src}` (not the src digest above). Machine:")
    rows = []
    for size in sizes:
        runs = []
        for _ in range(args.repeat):
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            result = measure(size, args.src, args.timeout)
            runs.append((result, load))
            print(size, result, f"load {load}", flush=True)
            if result is None:
                break
        done = [r for r, _ in runs if r is not None]
        if not done:
            rows.append([f"{size:,}", f"> {args.timeout:.0f}", "-", "-", runs[0][1], "killed"])
            continue
        wall = min(r[0] for r in done)
        cpu = min(r[1] for r in done)
        rss = max(r[2] for r in done)
        ok = wall < TARGET_S and rss < TARGET_MIB
        rows.append([f"{size:,}", f"{wall:.1f}", f"{cpu:.1f}", f"{rss:.0f}", " / ".join(load for _, load in runs),
                     "yes" if ok else "no"])
    body = "\n".join([
        f"### Long article: one article of N bytes ({args.label})",
        "",
        head,
        "",
        "`bench/long_article.py`: `diplokg ingest` of one JSONL article of varied synthetic prose (the paragraphs "
        "of bench/corpus.py) into a fresh embedded store, one process per run; best wall and CPU seconds, largest "
        f"peak RSS over {args.repeat} run(s). Target: under {TARGET_S:.0f} s and {TARGET_MIB:.0f} MiB. The machine's "
        "2 cores are shared, so the load average at each start is given: CPU seconds grow with it too.",
        "",
        md_table(["bytes", "wall s", "CPU s", "peak RSS MiB", "load at start", f"< {TARGET_S:.0f} s and < 1 GiB"], rows),
    ])
    write_section(f"long-article-{args.label}", body)
    print(body)


if __name__ == "__main__":
    main()
