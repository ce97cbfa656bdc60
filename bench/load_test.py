"""Load test of `diplokg serve` against the real running server, from other processes, on
loopback: concurrent clients run the named queries over HTTP while an ingest writes into the
same store.

The embedded store (a directory) can be opened by one process only, so the server and an
ingest cannot share one. The store here is therefore an Oxigraph *server*
(`oxigraph serve --union-default-graph`, the `oxigraph` package in .venv, as tests/servers.py
starts it), which both processes reach over SPARQL:

    oxigraph serve  <-- diplokg ingest --store .../query --update-url .../update   (process 2)
          ^
          +-------- diplokg serve --store .../query --port 0 (read-only)            (process 3)
                          ^
                          +-- N client threads (this process): GET /sparql?query=<named query>,
                              GET /articles, until the ingest ends or the bounds are hit

Bounded in count and time (`--max-requests`, `--duration`). Afterwards every ingested
article must be in the store exactly once, with its content hash. Prints the figures and,
with `--results FILE`, writes them as the `## Load` section of that Markdown file (the other
sections are kept).

    .venv/bin/python bench/load_test.py --articles 200 --clients 8 --duration 30 \\
        --max-requests 2000 --results bench/results.md

tests/test_concurrency.py imports `run_load` for a bounded version (5 s, 4 clients).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent

_COUNTRIES = ["Chile", "Perú", "Argentina", "Bolivia", "Colombia", "Ecuador", "Uruguay", "Paraguay", "Brasil", "México"]
_CITIES = ["Lima", "Santiago", "Buenos Aires", "La Paz", "Bogotá", "Quito", "Montevideo", "Asunción"]
_FIRST = ["Ana", "Luis", "Carlos", "María", "Jorge", "Lucía", "Pedro", "Elena", "Raúl", "Sofía", "Diego", "Marta"]
_LAST = ["García", "Rojas", "Pérez", "Soto", "Vargas", "Castro", "Muñoz", "Flores", "Reyes", "Torres", "Navarro", "Ortega"]


def write_articles(path: Path, n: int, prefix: str = "load") -> list[str]:
    """`n` short Spanish articles (three sentences) as .jsonl; returns their ids."""
    ids = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            a, b = _COUNTRIES[i % 10], _COUNTRIES[(i * 3 + 1) % 10]
            if a == b:
                b = _COUNTRIES[(i + 5) % 10]
            person = f"{_FIRST[i % 12]} {_LAST[(i // 12) % 12]}"
            text = (f"El canciller de {a}, {person}, se reunió con su homólogo de {b} en {_CITIES[i % 8]} "
                    f"el {1 + i % 28} de marzo de 2025. Ambos ministros firmaron un acuerdo de cooperación "
                    f"número {i} sobre comercio y migración. La reunión duró {2 + i % 5} horas, según "
                    "informó la cancillería.")
            article_id = f"{prefix}-{i:04d}"
            ids.append(article_id)
            f.write(json.dumps({"id": article_id, "title": f"Reunión {i}", "text": text, "language": "es"},
                               ensure_ascii=False) + "\n")
    return ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_binary() -> str | None:
    beside = BIN / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _wait_http(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} at start-up")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s")


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@dataclass
class LoadResult:
    articles: int
    clients: int
    requests: int
    seconds: float
    latencies_ms: list[float] = field(repr=False, default_factory=list)
    statuses: Counter = field(default_factory=Counter)  # HTTP status (or "connection error") -> count
    per_query: Counter = field(default_factory=Counter)
    ingest_seconds: float = 0.0
    ingest_returncode: int | None = None
    stored: int = 0  # articles found in the store afterwards
    missing: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    ingest_overlap: float = 0.0  # share of the requests sent while the ingest was running

    @property
    def server_errors(self) -> int:
        return sum(n for k, n in self.statuses.items() if not isinstance(k, int) or k >= 500)

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]

    def lines(self) -> list[str]:
        rate = self.requests / self.seconds if self.seconds else 0.0
        statuses = ", ".join(f"{k}: {n}" for k, n in sorted(self.statuses.items(), key=lambda kv: str(kv[0])))
        return [
            f"- requests: {self.requests} in {self.seconds:.1f} s ({rate:.0f} req/s), "
            f"{self.ingest_overlap:.0%} of them while the ingest was running",
            f"- concurrency: {self.clients} client threads (keep-alive off, one request at a time each)",
            f"- latency: p50 {self.percentile(50):.1f} ms, p95 {self.percentile(95):.1f} ms, "
            f"max {max(self.latencies_ms, default=float('nan')):.1f} ms",
            f"- responses by status: {statuses}; 5xx and connection errors: {self.server_errors}",
            f"- ingest (second process): {self.articles} articles in {self.ingest_seconds:.1f} s, exit code "
            f"{self.ingest_returncode}; afterwards {self.stored} stored, {len(self.missing)} missing, "
            f"{len(self.duplicates)} duplicated",
            "- requests per query: " + ", ".join(f"{k} {n}" for k, n in sorted(self.per_query.items())),
        ]


def _requests() -> list[tuple[str, str]]:
    """(label, path) of what a client asks: each named query (parameters left unbound) and
    the article list."""
    from diplokg.query import named_queries

    out = [(name, "sparql?" + urllib.parse.urlencode({"query": q.sparql}))
           for name, q in named_queries().items() if not any(not p.optional for p in q.params)]
    out.append(("/articles", "articles"))
    return out


def run_load(workdir: Path, *, articles: int = 200, clients: int = 8, duration: float = 30.0,
             max_requests: int = 2000, request_timeout: float = 30.0) -> LoadResult:
    """Run the whole load test in `workdir` (servers stopped at the end); see the docstring."""
    from diplokg.stores import SparqlStore

    binary = _oxigraph_binary()
    if binary is None:
        raise RuntimeError("the Oxigraph server is not installed (pip install oxigraph)")
    corpus = workdir / "articles.jsonl"
    ids = write_articles(corpus, articles)
    port = _free_port()
    query_url, update_url = f"http://127.0.0.1:{port}/query", f"http://127.0.0.1:{port}/update"
    oxlog = open(workdir / "oxigraph.log", "wb")
    oxigraph = serve = ingest = None
    try:
        oxigraph = subprocess.Popen([binary, "serve", "--location", str(workdir / "data"), "--bind",
                                     f"127.0.0.1:{port}", "--union-default-graph"],
                                    stdout=oxlog, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _wait_http(query_url + "?query=ASK%7B%7D", oxigraph, 20)
        serve = subprocess.Popen([str(BIN / "diplokg"), "serve", "--store", query_url, "--port", "0", "--quiet"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        first = serve.stdout.readline()
        match = re.search(r" at (http://127\.0\.0\.1:\d+/) ", first)
        if not match:
            raise RuntimeError(f"diplokg serve did not start: {first!r} {serve.stderr.read() if serve.poll() is not None else ''}")
        base = match.group(1)
        targets = _requests()

        result = LoadResult(articles=articles, clients=clients, requests=0, seconds=0.0)
        lock = threading.Lock()
        stop = threading.Event()
        ingest_running = threading.Event()
        overlap = [0]

        def client(k: int) -> None:
            i = k
            while not stop.is_set():
                with lock:
                    if result.requests >= max_requests:
                        stop.set()
                        return
                    result.requests += 1
                label, path = targets[i % len(targets)]
                i += 1
                during = ingest_running.is_set()
                request = urllib.request.Request(base + path, headers={"Accept": "application/sparql-results+json"})
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=request_timeout) as response:
                        response.read()
                        status: int | str = response.status
                except urllib.error.HTTPError as e:
                    e.read()
                    status = e.code
                except OSError as e:
                    status = f"connection error ({type(e).__name__})"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    result.latencies_ms.append(elapsed)
                    result.statuses[status] += 1
                    result.per_query[label] += 1
                    overlap[0] += during

        ingest_started = time.monotonic()
        ingest = subprocess.Popen([str(BIN / "diplokg"), "ingest", str(corpus), "--store", query_url,
                                   "--update-url", update_url, "--quiet"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        ingest_running.set()
        # the clients start once the first article is stored, so they overlap the writes
        # (not just the ingest's start-up, which loads the NLP pipeline)
        first_article = urllib.parse.urlencode({"query": "ASK { GRAPH ?g { ?g <https://w3id.org/diplokg/ontology#contentHash> ?h } }"})
        wait_until = time.monotonic() + 120
        while time.monotonic() < wait_until and ingest.poll() is None:
            with urllib.request.urlopen(f"{query_url}?{first_article}", timeout=10) as r:
                if json.loads(r.read())["boolean"]:
                    break
            time.sleep(0.05)
        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        deadline = started + duration
        while time.monotonic() < deadline and not stop.is_set():
            if ingest.poll() is not None and ingest_running.is_set():
                ingest_running.clear()
                result.ingest_seconds = time.monotonic() - ingest_started
                stop.set()  # the ingest is over: the load ran alongside all of it
                break
            time.sleep(0.02)
        stop.set()
        for t in threads:
            t.join(request_timeout + 5)
        result.seconds = time.monotonic() - started
        # the ingest always runs to the end, so "no lost articles" can be checked
        _, err = ingest.communicate(timeout=max(120.0, articles * 1.0))
        if ingest_running.is_set():
            result.ingest_seconds = time.monotonic() - ingest_started
        result.ingest_returncode = ingest.returncode
        if ingest.returncode != 0:
            sys.stderr.write(err[-2000:])
        result.ingest_overlap = overlap[0] / result.requests if result.requests else 0.0

        with SparqlStore(query_url, update_url=update_url) as store:
            graphs = [info.id for info in store.articles()]
            hashes = Counter(str(g) for g, _h in store.query(
                "SELECT ?g ?h WHERE { GRAPH ?g { ?g <https://w3id.org/diplokg/ontology#contentHash> ?h } }").rows)
        counted = Counter(graphs)
        result.stored = len(counted)
        result.missing = [i for i in ids if i not in counted]
        result.duplicates = sorted({i for i, n in counted.items() if n > 1} | {g for g, n in hashes.items() if n > 1})
        return result
    finally:
        _stop(ingest)
        _stop(serve)
        _stop(oxigraph)
        oxlog.close()


def write_section(results: Path, result: LoadResult, command: str) -> None:
    """Replace (or append) the `## Load` section of `results`, keeping every other section."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    section = "\n".join([
        "## Load",
        "",
        "`diplokg serve` (read-only, the real server in its own process) over an Oxigraph server store, "
        "while a second process runs `diplokg ingest` into that same store; client threads in a third "
        "process run every named query without required parameters, and `/articles`, over loopback "
        f"(`{command}`; {time.strftime('%Y-%m-%d')}, "
        f"Python {sys.version.split()[0]}, {__import__('os').cpu_count()} CPUs).",
        "",
        *result.lines(),
        "",
    ])
    pattern = re.compile(r"^## Load\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    results.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds at most")
    parser.add_argument("--max-requests", type=int, default=2000)
    parser.add_argument("--results", type=Path, help="write the figures as the '## Load' section of this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="diplokg-load-") as tmp:
        result = run_load(Path(tmp), articles=args.articles, clients=args.clients, duration=args.duration,
                          max_requests=args.max_requests)
    print("\n".join(result.lines()))
    if args.results:
        command = (f"python bench/load_test.py --articles {args.articles} --clients {args.clients} "
                   f"--duration {args.duration:g} --max-requests {args.max_requests}")
        write_section(args.results, result, command)
    ok = result.server_errors == 0 and not result.missing and not result.duplicates and result.ingest_returncode == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
