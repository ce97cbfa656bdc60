"""Benchmark of the viewer on synthetic graphs of 1,000, 5,000 and 20,000 nodes.

For each size, a synthetic store is made once (bench/synthetic_graph.py, not timed), then three
runs each time:

* network: `viz.network_from_store(store)` (SPARQL SELECT + networkx graph + entity network);
* html: `viz.render_html(net)` (for graphs above `viz.PHYSICS_MAX_NODES` nodes this includes
  the layout computed in Python) and writing the file; the layout alone is timed once more
  after it (`diplokg.layout` on the same nodes and links), to show its share;
* first render: a fresh headless Chromium (selenium + Debian's chromedriver) opens the file;
  the time is the page's own `performance.now()` when it sets ``<body data-state="ready">``,
  i.e. from the start of navigation until vis-network has drawn the network (after
  stabilization when physics lays it out in the browser, after the first frame otherwise).

The figures (min / median / max over the runs) go into bench/results.md under "## Viewer"
(that section is replaced, the rest of the file kept), with the machine they ran on.

    .venv/bin/python bench/viewer_bench.py            # 1k, 5k, 20k nodes, 3 runs
    .venv/bin/python bench/viewer_bench.py --sizes 1000 --runs 1 --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic_graph import synthetic_store  # noqa: E402

from diplokg import viz  # noqa: E402

CHROMEDRIVER = "/usr/bin/chromedriver"
TARGET_NODES, HTML_TARGET_S, RENDER_TARGET_S = 20_000, 2.0, 15.0  # issue 6
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,900",
)


def browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def first_render(path: Path, timeout: float = 600.0) -> tuple[float, float]:
    """(ms from navigation start to data-state="ready" as the page measured it, wall seconds)."""
    with tempfile.TemporaryDirectory(prefix="diplokg-bench-profile-") as profile:
        driver = browser(Path(profile))
        try:
            driver.set_page_load_timeout(timeout)
            driver.set_script_timeout(timeout)
            start = time.perf_counter()
            driver.get(path.as_uri())
            deadline = start + timeout
            while driver.execute_script("return document.body.getAttribute('data-state')") != "ready":
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{path.name}: not ready after {timeout} s")
                time.sleep(0.05)
            wall = time.perf_counter() - start
            ready_at = float(driver.execute_script("return document.body.getAttribute('data-ready-at')"))
            errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            if errors:
                raise RuntimeError(f"console errors: {errors[:3]}")
            return ready_at, wall
        finally:
            driver.quit()


def run_size(n: int, runs: int, workdir: Path) -> dict:
    store = synthetic_store(n, workdir / f"store-{n}")
    out = {"size": n, "network": [], "html": [], "layout_s": [], "render": [], "wall": []}
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            net = viz.network_from_store(store)
            t1 = time.perf_counter()
            page = viz.write_html(net, workdir / f"viewer-{n}.html", title=f"diplokg · sintético {n}")
            t2 = time.perf_counter()
            ready_ms, wall = first_render(page)
            python_layout = net.number_of_nodes() > viz.PHYSICS_MAX_NODES
            if python_layout:
                t3 = time.perf_counter()
                viz._positions(net, net.graph["entity_edges"])
                out["layout_s"].append(time.perf_counter() - t3)
            out["network"].append(t1 - t0)
            out["html"].append(t2 - t1)
            out["render"].append(ready_ms / 1000)
            out["wall"].append(wall)
            out["nodes"], out["edges"] = net.number_of_nodes(), net.number_of_edges()
            out["entity_edges"] = len(net.graph.get("entity_edges") or [])
            out["bytes"] = page.stat().st_size
            out["layout"] = "python" if python_layout else "physics"
            print(f"{n:>6} nodes: network {t1 - t0:6.2f} s  html {t2 - t1:6.2f} s  "
                  f"first render {ready_ms / 1000:6.2f} s  (wall {wall:6.2f} s)", flush=True)
    finally:
        store.close()
    return out


LOAD_AT_START = os.getloadavg() if hasattr(os, "getloadavg") else None


def machine() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = "?"
    import networkx
    import pyvis

    version, _js, _css = viz._vis_assets()
    def load(values) -> str:
        return " ".join(f"{x:.2f}" for x in values) if values else "?"

    now = os.getloadavg() if hasattr(os, "getloadavg") else None
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores; RAM: {mem}; load average {load(LOAD_AT_START)} at the "
        f"start, {load(now)} at the end (other work on the machine slows the figures)",
        f"- OS: {platform.platform()}; Python {platform.python_version()}",
        f"- {chromium} (headless, driven by selenium + chromedriver); vis-network {version} "
        f"(from pyvis {pyvis.__version__}); networkx {networkx.__version__}",
    ]


def fmt(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def report(results: list[dict], runs: int) -> str:
    lines = [
        "## Viewer",
        "",
        f"`bench/viewer_bench.py`, {time.strftime('%Y-%m-%d')}: synthetic graphs "
        "(`bench/synthetic_graph.py`: 36 % agents, 4 % places, 60 % events, Zipf-weighted "
        "participants in regions), seconds as min / median / max over "
        f"{runs} run{'s' if runs != 1 else ''}.",
        "",
        *machine(),
        "",
        "| nodes | edges (event graph) | links (entity network) | HTML | layout | network from store (s) | "
        "HTML generation (s) | of which layout (s) | first render in Chromium (s) |",
        "| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        layout = "Python (physics off)" if r["layout"] == "python" else "vis-network physics"
        lines.append(
            f"| {r['nodes']:,} | {r['edges']:,} | {r['entity_edges']:,} | {r['bytes'] / 1e6:.1f} MB | {layout} | "
            f"{fmt(r['network'])} | {fmt(r['html'])} | {fmt(r['layout_s']) if r['layout_s'] else '-'} | "
            f"{fmt(r['render'])} |"
        )
    for r in results:
        if r["size"] != TARGET_NODES:
            continue
        html_ok = max(r["html"]) < HTML_TARGET_S
        render_ok = max(r["render"]) < RENDER_TARGET_S
        lines += [
            "",
            f"Targets at {TARGET_NODES:,} nodes (slowest run): HTML generation < {HTML_TARGET_S:g} s: "
            f"{max(r['html']):.2f} s (**{'met' if html_ok else 'missed'}**); first render < {RENDER_TARGET_S:g} s: "
            f"{max(r['render']):.2f} s (**{'met' if render_ok else 'missed'}**).",
        ]
    lines += [
        "",
        "*network from store*: `network_from_store` (one SPARQL SELECT on the embedded Oxigraph "
        "store, the networkx graph, the entity network). *HTML generation*: `render_html` + writing "
        f"the file; above {viz.PHYSICS_MAX_NODES:,} nodes it includes the layout computed in Python "
        "(`diplokg.layout`: numpy ForceAtlas2-style forces with grid repulsion, multilevel over Louvain "
        "communities); *of which layout* times that step alone. *First render*: "
        "a fresh headless Chromium opens the file; the page's `performance.now()` when it sets "
        "`data-state=\"ready\"` (navigation start to the network drawn: after stabilization with "
        "physics, after the first frame otherwise).",
        "",
    ]
    return "\n".join(lines)


START, END = "<!-- section:viewer -->", "<!-- /section:viewer -->"


def write_section(path: Path, section: str) -> None:
    """Replace this script's section of results.md (between its markers), keep the rest."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# diplokg benchmarks\n"
    block = f"{START}\n{section.rstrip()}\n{END}"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        # an unmarked "## Viewer" section left by an earlier version goes too
        text = re.sub(r"^## Viewer\n.*?(?=^## |^<!-- section:|\Z)", "", text, flags=re.S | re.M)
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--results", type=Path, default=HERE / "results.md")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="diplokg-viewer-bench-") as tmp:
        results = [run_size(n, args.runs, Path(tmp)) for n in args.sizes]
    section = report(results, args.runs)
    if args.no_write:
        print(section)
    else:
        write_section(args.results, section)
        print(f"wrote the Viewer section of {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
