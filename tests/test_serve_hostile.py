"""`diplokg serve` under hostile queries: a real server process (the CLI, on a free loopback
port, 1 s timeout) over a small on-disk store, and real sockets.

What one anonymous request must not do: crash the server (nesting bombs, engine crashes),
leave work running after its 503 (runaway cross products), take the server's memory
(memory bombs), or make the server fetch URLs (SERVICE, LOAD).
"""

from __future__ import annotations

import http.server
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import diplokg
from diplokg.rdf.iris import article_iri, entity_iri
from diplokg.rdf.vocab import DCTERMS, DIP, RDF, RDFS
from diplokg.stores import OxigraphStore

TOKEN = "hostile-test-token"
TIMEOUT = 1.0
SOURCES = str(Path(diplokg.__file__).resolve().parents[1])  # this checkout's code, not an installed copy
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
SIMPLE = "ASK { ?s a <https://w3id.org/diplokg/ontology#Article> }"


def nesting_bomb(levels: int = 20_000) -> str:
    return "ASK " + "{ " * levels + "?s ?p ?o" + " }" * levels


def memory_bomb(doublings: int = 28) -> str:
    """A string that doubles `doublings` times: 10 bytes become 2.5 GB, within a second."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(doublings))
    return f'SELECT (STRLEN(?s{doublings}) AS ?n) WHERE {{ BIND("0123456789" AS ?s0) {binds} }}'


def article(n: int) -> tuple[URIRef, Graph]:
    iri = article_iri(f"hostile-{n}")
    g = Graph()
    g.add((iri, RDF.type, DIP.Article))
    g.add((iri, DCTERMS.title, Literal(f"Nota {n}", lang="es")))
    for k in range(12):
        person = entity_iri(f"person/p{n}-{k}")
        g.add((iri, DIP.mentions, person))
        g.add((person, RDF.type, DIP.Person))
        g.add((person, RDFS.label, Literal(f"Persona {n}-{k}", lang="es")))
    return iri, g


@pytest.fixture(scope="module")
def location(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "store"
    with OxigraphStore(path) as store:
        for n in range(3):
            iri, graph = article(n)
            store.put_article(iri, graph, f"hash-{n}")
    return path


class Served:
    """`diplokg serve` in a subprocess (this checkout's sources first on the path)."""

    def __init__(self, store: str, *options: str) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [SOURCES, os.environ.get("PYTHONPATH")])),
                   HOSTILE_TOKEN=TOKEN)
        argv = [sys.executable, "-m", "diplokg.cli", "serve", "--store", store, "--port", "0", "--quiet",
                "--timeout", str(TIMEOUT), *options]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        first = self.proc.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/) ", first)
        if not match:
            raise AssertionError(f"the server did not start: {first!r} {self.stop()!r}")
        self.endpoint = match.group(1) + "sparql"

    def stop(self) -> str:
        """Stop the server; its stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            _out, err = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _out, err = self.proc.communicate(timeout=5)
        return err

    # -- what the server process uses, its children included (Linux /proc) ---------------

    def pids(self) -> list[int]:
        found = [self.proc.pid]
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                found += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                pass
        return found

    def cpu_seconds(self) -> float:
        """CPU time of the server, its reaped children and its live ones."""
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a child that just ended (then counted in the parent's cutime)
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
        return total / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total / 1024


@pytest.fixture(scope="module")
def server(location):
    served = Served(str(location), "--allow-update", "--token-env", "HOSTILE_TOKEN")
    yield served
    served.stop()


def sparql(endpoint: str, text: str, *, update: bool = False, token: str | None = None, timeout: float = 30):
    """(status, body text) of a POSTed query or update."""
    kind = "update" if update else "query"
    headers = {"Content-Type": f"application/sparql-{kind}", "Accept": "application/sparql-results+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(endpoint, data=text.encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class Listener:
    """A loopback HTTP server that counts the requests it gets (and answers empty results)."""

    def __init__(self) -> None:
        self.count = 0
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                listener.count += 1
                body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


def wait_until_idle(server: Served, limit: float) -> float:
    """Seconds until the server's CPU use over a 0.5 s window falls under 10%; fails past `limit`."""
    started = time.monotonic()
    before = server.cpu_seconds()
    while time.monotonic() - started < limit:
        time.sleep(0.5)
        now = server.cpu_seconds()
        if now - before < 0.05:
            return time.monotonic() - started
        before = now
    raise AssertionError(f"the server still burns CPU {limit:g} s after the last timeout")


# --------------------------------------------------------------------------- tests


def test_runaway_queries_and_nesting_bombs_leave_the_server_as_it_was(server):
    assert sparql(server.endpoint, SIMPLE)[0] == 200  # warm up before measuring
    memory_before = server.rss_mb()
    statuses: list[int] = []

    def runaways() -> None:
        for _ in range(5):
            statuses.append(sparql(server.endpoint, CROSS_PRODUCT)[0])

    threads = [threading.Thread(target=runaways) for _ in range(4)]
    for thread in threads:
        thread.start()
    bombs = [sparql(server.endpoint, nesting_bomb()) for _ in range(5)]
    for thread in threads:
        thread.join(60)
    assert statuses == [503] * 20
    assert all(status == 400 and "levels deep" in body and body.count("\n") == 1 for status, body in bombs), bombs

    wait_until_idle(server, limit=5)
    started = time.monotonic()
    status, body = sparql(server.endpoint, SIMPLE)
    assert status == 200 and '"boolean": true' in body and time.monotonic() - started < 1
    assert server.pids() == [server.proc.pid]  # no child left, not even a zombie
    assert server.rss_mb() < memory_before * 1.2, (memory_before, server.rss_mb())


def test_memory_hungry_query_gets_one_line_and_the_server_goes_on(tmp_path):
    copy = tmp_path / "store"  # the module's server holds the other store's lock
    with OxigraphStore(copy) as store:
        store.put_article(*article(0), "hash-0")
    served = Served(str(copy), "--max-query-memory", "64", "--timeout", "20")  # memory runs out first
    try:
        started = time.monotonic()
        status, body = sparql(served.endpoint, memory_bomb())
        assert status == 413 and body == "query needed more than 64 MB; narrow it (LIMIT, more specific patterns, fewer joins)\n"
        assert time.monotonic() - started < 10
        assert sparql(served.endpoint, SIMPLE)[0] == 200
        assert served.rss_mb() < 200
    finally:
        served.stop()


def test_a_query_that_crashes_the_engine_is_a_500_and_the_server_goes_on(server):
    chain = "ASK { FILTER(" + "!" * 20_000 + "true) }"  # overflows Oxigraph's stack without nesting brackets
    status, body = sparql(server.endpoint, chain)
    assert status == 500 and "crashed" in body and body.count("\n") == 1, body
    assert sparql(server.endpoint, SIMPLE)[0] == 200


def test_row_cap_stops_a_huge_result_in_the_query_process(server):
    started = time.monotonic()
    status, body = sparql(server.endpoint, "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")  # 10^6 rows
    assert status == 413 and "more than 10000 rows" in body and time.monotonic() - started < TIMEOUT, body


def test_service_is_refused_and_fetches_nothing(server, listener):
    for text in (f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}",
                 f"PREFIX : <{listener.url}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ ?s ?p ?o FILTER(?s<?p)#> \"\"\"\n SERVICE <{listener.url}> {{ ?a ?b ?c }}\n#\"\"\"\n }}"):
        status, body = sparql(server.endpoint, text)
        assert status == 403 and body.startswith("SERVICE is off on this server") and "--allow-service" in body, text
    status, _ = sparql(server.endpoint, f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                       update=True, token=TOKEN)
    assert status == 403
    assert listener.count == 0


def test_load_is_refused_and_fetches_nothing(server, listener):
    for target in (listener.url, "file:///etc/passwd"):
        status, body = sparql(server.endpoint, f"LOAD <{target}>", update=True, token=TOKEN)
        assert status == 403 and body.startswith("LOAD is off on this server"), body
    assert sparql(server.endpoint, f"LOAD <{listener.url}>", update=True)[0] == 401  # no token: not even that far
    assert listener.count == 0
    assert sparql(server.endpoint, "ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'root:')) }")[1].count("false") == 1


def test_allow_service_does_fetch(listener, tmp_path):
    copy = tmp_path / "store"
    with OxigraphStore(copy) as store:  # the module's server holds the other store's lock
        store.put_article(*article(0), "hash-0")
    served = Served(str(copy), "--allow-service")
    try:
        status, body = sparql(served.endpoint, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        assert status == 200, body
        assert listener.count > 0
    finally:
        served.stop()


def test_queries_right_after_updates_answer(tmp_path):
    """A forked query child can inherit RocksDB's mutex held by a background thread of the
    server (a flush or compaction after a write; before the fix one query in three hung until
    its timeout on a fresh store): its probe catches that, the store settles, the query is
    forked again. Each query must answer its right value within a few seconds."""
    path = tmp_path / "store"
    OxigraphStore(path).close()
    served = Served(str(path), "--allow-update", "--token-env", "HOSTILE_TOKEN", "--timeout", "20")
    try:
        for n in range(12):
            status, _ = sparql(served.endpoint, f"CLEAR ALL ; INSERT DATA {{ GRAPH <http://example.org/g{n}> "
                               f"{{ <http://example.org/a> <http://example.org/n> {n} }} }}", update=True, token=TOKEN)
            assert status == 204
            started = time.monotonic()
            status, body = sparql(served.endpoint, "SELECT ?n WHERE { ?a <http://example.org/n> ?n }", timeout=10)
            assert status == 200 and f'"value": "{n}"' in body.replace('"value":"', '"value": "'), body
            assert time.monotonic() - started < 5
    finally:
        served.stop()
