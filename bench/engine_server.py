"""Weigh the engine's own server against `diplokg serve` (issue 14): the same checks on both.

- the 34 W3C SPARQL 1.1 Protocol tests (tests/data/w3c-protocol, the runner of
  tests/test_w3c_protocol.py; Oxigraph's server takes queries at /query and updates at
  /update, so the manifest's /sparql/ is mapped to the one each request needs);
- the default graph as a set: COUNT(*) over two graphs that share a triple;
- the time of a small SELECT (each query of diplokg serve runs in a forked child);
- SERVICE to a loopback listener (does the server fetch?);
- a runaway cross product past a 2 s timeout, then the server's CPU over the next 5 s;
- a 20,000-level nesting bomb, then whether a plain ASK is still answered.

`python bench/engine_server.py` prints a Markdown table and writes it into bench/results.md
(section serve-engines). Only loopback addresses; every wait is bounded.
"""

from __future__ import annotations

import http.client
import json
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import pyoxigraph as ox  # noqa: E402
from rdflib import Graph  # noqa: E402

from common import stamp, write_section  # noqa: E402
from servers import DiplokgServe, _Process, free_port, oxigraph_binary  # noqa: E402
from test_w3c_protocol import MANIFEST, TESTS, check_answer  # noqa: E402

TOKEN = "bench-engine-token"
SHARED = """<http://ex/g1> { <http://ex/a> a <http://ex/C> . <http://ex/a> <http://ex/n> 1 . }
<http://ex/g2> { <http://ex/a> a <http://ex/C> . <http://ex/b> <http://ex/n> 2 . }"""


class Served:
    """A running server: `query_path` / `update_path`, `port`, `pid`, `stop()`."""

    def __init__(self, engine: str, location: Path, timeout: int = 30) -> None:
        self.engine = engine
        if engine == "diplokg":
            self._served = DiplokgServe(location, token=TOKEN, args=("--timeout", str(timeout)))
            self.port, self.pid = self._served.port, self._served.proc.pid
            self.query_path = self.update_path = "/sparql"
        else:
            self.port = free_port()
            argv = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
                    "--union-default-graph", "--timeout-s", str(timeout)]
            self._served = _Process(argv, location.parent, "oxigraph")
            self._served.wait_http(f"http://127.0.0.1:{self.port}/query?query=ASK%7B%7D", timeout=20)
            self.pid = self._served.proc.pid
            self.query_path, self.update_path = "/query", "/update"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers.get("Content-Type", ""), response.read()
        finally:
            conn.close()

    def ask(self, text: str, timeout: float = 30) -> tuple[int, bytes]:
        status, _media, body = self.request("POST", self.query_path, text.encode(),
                                            {"Content-Type": "application/sparql-query",
                                             "Accept": "application/sparql-results+json"}, timeout)
        return status, body

    def alive(self) -> bool:
        try:
            return self.ask("ASK {}", timeout=5)[0] == 200
        except OSError:
            return False

    def stop(self) -> None:
        self._served.stop()


def store_at(workdir: Path, trig: str = "", graphs: tuple = ()) -> Path:
    location = workdir / f"store-{time.monotonic_ns()}"
    store = ox.Store(str(location))
    if trig:
        store.load(trig.encode(), format=ox.RdfFormat.TRIG)
    for iri, name in graphs:
        for t in Graph().parse(MANIFEST.parent / name, format="nt"):
            store.add(ox.Quad(*(_ox(x) for x in t), ox.NamedNode(iri)))
    store.flush()
    del store
    return location


def _ox(term):
    from diplokg.stores.terms import value_to_ox
    return value_to_ox(term)


def w3c(engine: str, workdir: Path) -> tuple[int, list[str]]:
    passed, failed = 0, []
    for test in TESTS:
        served = Served(engine, store_at(workdir, graphs=test.graphs))
        try:
            for request in test.requests:
                path = request.path.replace("/sparql/", served.update_path if request.is_update else served.query_path, 1)
                headers = dict(request.headers)
                if request.is_update:
                    headers["authorization"] = f"Bearer {TOKEN}"
                check_answer(request, *served.request(request.method, path, request.body, headers))
            passed += 1
        except (AssertionError, OSError) as e:
            failed.append(test.name)
            print(f"  {engine} {test.name}: {str(e)[:160]!r}", flush=True)
        finally:
            served.stop()
    return passed, failed


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 - stdlib name
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args) -> None:
        pass


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process and its reaped children (seconds)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / 100.0


def hostile(engine: str, workdir: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    served = Served(engine, store_at(workdir, SHARED), timeout=2)
    try:
        status, body = served.ask("SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://ex/C> }")
        value = json.loads(body)["results"]["bindings"][0]["n"]["value"] if status == 200 else status
        out["COUNT of a triple in 2 graphs (set: 1)"] = str(value)
        times = []
        for _ in range(30):
            started = time.perf_counter()
            served.ask("SELECT ?s ?n WHERE { ?s <http://ex/n> ?n }")
            times.append(time.perf_counter() - started)
        out["a small SELECT, median of 30 (ms)"] = f"{statistics.median(times) * 1000:.1f}"
        listener = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
        threading.Thread(target=listener.serve_forever, daemon=True).start()
        status, _ = served.ask(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.server_address[1]}/sparql> {{ ?s ?p ?o }} }}")
        out["SERVICE to a loopback listener"] = f"{status}, {_Counter.hits} request(s) made"
        listener.shutdown()
        big = " ".join(f"<http://ex/x{i}> <http://ex/p> {i} ." for i in range(300))
        served.request("POST", served.update_path, f"INSERT DATA {{ GRAPH <http://ex/big> {{ {big} }} }}".encode(),
                       {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        started = time.monotonic()
        try:
            status, _ = served.ask(runaway, timeout=60)
        except OSError as e:
            status = type(e).__name__
        waited = time.monotonic() - started
        before = cpu_seconds(served.pid)
        time.sleep(5)
        burnt = cpu_seconds(served.pid) - before
        out["runaway query, timeout 2 s"] = f"{status} after {waited:.1f} s; CPU in the next 5 s: {burnt:.1f} s"
        bomb = "ASK " + "{ " * 20000 + "?s ?p ?o" + " }" * 20000
        try:
            status, _ = served.ask(bomb, timeout=30)
        except OSError as e:
            status = type(e).__name__
        out["20,000-level nesting bomb"] = f"{status}; server {'still answers' if served.alive() else 'DOWN'}"
    finally:
        served.stop()
    return out


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="engines-"))
    rows = {}
    try:
        for engine in ("diplokg", "oxigraph"):
            passed, failed = w3c(engine, workdir)
            rows[engine] = {"W3C protocol tests passed (of 34)": f"{passed}" + (f" (failed: {', '.join(failed)})" if failed else "")}
            rows[engine].update(hostile(engine, workdir))
            print(engine, rows[engine], flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    checks = list(rows["diplokg"])
    table = ["| check | `diplokg serve` | `oxigraph serve --union-default-graph` (0.5) |", "|---|---|---|"]
    table += [f"| {c} | {rows['diplokg'].get(c, '-')} | {rows['oxigraph'].get(c, '-')} |" for c in checks]
    body = ["### Serving: `diplokg serve` vs the engine's own server", "", stamp("full"), "",
            "`bench/engine_server.py`: the same checks against both servers, each on a fresh store.", "", *table]
    write_section("serve-engines", "\n".join(body))
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
