"""`diplokg serve`: the real HTTP server (stdlib ThreadingHTTPServer) on a free loopback port,
queried through rdflib's SPARQLStore, curl and urllib, plus the real CLI in a subprocess.

The store holds two small hand-built article graphs (one named graph each), with a blank
node, language-tagged and typed literals and markup-like text to check escaping.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
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
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from diplokg.cli import main
from diplokg.rdf import vocab
from diplokg.rdf.iris import article_iri, entity_iri
from diplokg.rdf.vocab import DCTERMS, DIP, RDF, RDFS
from diplokg.serve import is_loopback, make_server, negotiate
from diplokg.stores import MemoryStore, OxigraphStore
from diplokg.stores.base import Store

CURL = shutil.which("curl") or "/usr/bin/curl"
SCRIPT = Path(sys.executable).with_name("diplokg")
TOKEN = "s3cret-token-for-tests"

A1 = article_iri("art-1")
A2 = article_iri("art-2")
PERU = entity_iri("country/peru")
ZELA = entity_iri("person/hugo-de-zela")
RUBIO = entity_iri("person/marco-rubio")
LIMA = entity_iri("place/lima")
EVENT = entity_iri("event/0000000000000001")
EVIL = "<script>alert(1)</script>"
PREFIXES = "PREFIX dip: <https://w3id.org/diplokg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def article_graph(iri: URIRef, title: str, issued: str, *, extra_label: str = "") -> tuple[Graph, str]:
    g = Graph()
    g.add((iri, RDF.type, DIP.Article))
    g.add((iri, DCTERMS.title, Literal(title, lang="es")))
    g.add((iri, DCTERMS.issued, Literal(issued, datatype=vocab.XSD.date)))
    g.add((iri, DIP.mentions, PERU))
    g.add((PERU, RDF.type, DIP.Country))
    g.add((PERU, RDFS.label, Literal("Perú", lang="es")))
    g.add((ZELA, RDF.type, DIP.Person))
    g.add((ZELA, RDFS.label, Literal("Hugo de Zela", lang="es")))
    g.add((RUBIO, RDF.type, DIP.Person))
    g.add((RUBIO, RDFS.label, Literal(extra_label or "Marco Rubio", lang="es")))
    g.add((LIMA, RDF.type, DIP.Place))
    g.add((LIMA, RDFS.label, Literal("Lima", lang="es")))
    g.add((EVENT, RDF.type, DIP.Meeting))
    g.add((EVENT, DIP.participant, ZELA))
    g.add((EVENT, DIP.participant, RUBIO))
    g.add((EVENT, DIP.location, LIMA))
    q = BNode()
    g.add((iri, DIP.quantity, q))
    g.add((q, DIP.value, Literal("4000", datatype=vocab.XSD.decimal)))
    g.add((q, DIP.unit, Literal('mesas "de"\tvotación\nnueva')))
    return g, hashlib.sha256(title.encode("utf-8")).hexdigest()


def fill(store: Store) -> Store:
    g1, h1 = article_graph(A1, "Reunión en Lima & <b>más</b>", "2026-03-12", extra_label=EVIL)
    g2, h2 = article_graph(A2, "Segunda nota", "2026-03-13")
    store.put_article(A1, g1, h1)
    store.put_article(A2, g2, h2)
    return store


class Running:
    """A server serving in a background thread; `url` ends in '/'."""

    def __init__(self, store: Store, **options) -> None:
        self.store = store
        self.server = make_server(store, "127.0.0.1", 0, quiet=True, **options)
        self.url = self.server.url
        self.endpoint = self.url + "sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def ro():
    store = fill(MemoryStore())
    running = Running(store)
    yield running
    running.stop()
    store.close()


@pytest.fixture
def rw(tmp_path):
    store = fill(OxigraphStore(tmp_path / "store"))
    running = Running(store, allow_update=True, token=TOKEN)
    yield running
    running.stop()
    store.close()


def http(method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get(url: str, **headers: str):
    return http("GET", url, headers=headers)


def q(query: str) -> str:
    return "?" + urllib.parse.urlencode({"query": query})


def curl(tmp_path: Path, *args: str) -> tuple[int, dict[str, str], bytes]:
    """Run curl; return status, response headers (lower-case names) and body."""
    head, body = tmp_path / "curl-headers", tmp_path / "curl-body"
    done = subprocess.run(
        [CURL, "-sS", "--max-time", "20", "-D", str(head), "-o", str(body), "-w", "%{http_code}", *args],
        capture_output=True, text=True, check=True,
    )
    headers = {}
    for line in head.read_text(encoding="latin-1").splitlines()[1:]:
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip().lower()] = value.strip()
    return int(done.stdout), headers, body.read_bytes()


SELECT_NAMES = PREFIXES + "SELECT DISTINCT ?person ?name WHERE { ?person a dip:Person ; rdfs:label ?name } ORDER BY ?name"
CONSTRUCT = PREFIXES + "CONSTRUCT { ?e dip:participant ?p . ?p rdfs:label ?l } WHERE { ?e dip:participant ?p . ?p rdfs:label ?l }"
needs_curl = pytest.mark.skipif(not Path(CURL).exists(), reason="curl is not installed")


# --------------------------------------------------------------------------- SPARQLStore


@pytest.mark.parametrize("fmt", ["xml", "json", "csv"])
def test_sparqlstore_select_over_the_union(ro, fmt):
    remote = SPARQLStore(ro.endpoint, returnFormat=fmt)
    rows = [(str(r.person), str(r.name)) for r in remote.query(SELECT_NAMES)]
    assert rows == [(str(RUBIO), EVIL), (str(ZELA), "Hugo de Zela"), (str(RUBIO), "Marco Rubio")]


def test_sparqlstore_graph_patterns(ro):
    remote = SPARQLStore(ro.endpoint)
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    counts = {str(r.g): int(r.n) for r in remote.query(query)}
    assert counts == {str(A1): len(ro.store.graph_of(A1)), str(A2): len(ro.store.graph_of(A2))}
    titles = {str(r.t) for r in remote.query(
        f"SELECT ?t WHERE {{ GRAPH <{A2}> {{ ?a <{DCTERMS.title}> ?t }} }}")}
    assert titles == {"Segunda nota"}
    assert remote.query(f"ASK {{ <{EVENT}> a <{DIP.Meeting}> }}").askAnswer is True


def test_sparqlstore_through_a_union_dataset(ro):
    from rdflib import Dataset

    ds = Dataset(store=SPARQLStore(ro.endpoint, returnFormat="json"), default_union=True)
    names = {str(r.name) for r in ds.query(SELECT_NAMES)}
    assert names == {"Hugo de Zela", "Marco Rubio", EVIL}


def test_sparqlstore_construct(ro):
    remote = SPARQLStore(ro.endpoint)
    graph = remote.query(CONSTRUCT).graph
    assert isomorphic(graph, ro.store.query(CONSTRUCT).graph)
    assert (EVENT, DIP.participant, ZELA) in graph


# --------------------------------------------------------------------------- content negotiation


@needs_curl
@pytest.mark.parametrize(
    "accept, ctype, fmt",
    [
        (None, "application/sparql-results+json", "json"),
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/*", "text/csv", "csv"),
    ],
)
def test_curl_select_formats(ro, tmp_path, accept, ctype, fmt):
    args = ["--get", "--data-urlencode", f"query={SELECT_NAMES}", ro.endpoint]
    if accept:
        args = ["-H", f"Accept: {accept}", *args]
    status, headers, body = curl(tmp_path, *args)
    assert status == 200, body
    assert headers["content-type"].split(";")[0] == ctype
    assert "access-control-allow-origin" not in headers  # CORS is off unless configured
    expected = [(RUBIO, Literal(EVIL, lang="es")), (ZELA, Literal("Hugo de Zela", lang="es")),
                (RUBIO, Literal("Marco Rubio", lang="es"))]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows == [["person", "name"]] + [[str(p), str(n)] for p, n in expected]
    else:
        result = Result.parse(io.BytesIO(body), format=fmt)
        assert [str(v) for v in result.vars] == ["person", "name"]
        assert [tuple(r) for r in result] == expected


@needs_curl
@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                                    "text/tab-separated-values"])
def test_curl_ask(ro, tmp_path, accept):
    status, headers, body = curl(tmp_path, "-H", f"Accept: {accept}", "--get", "--data-urlencode",
                                 f"query=ASK {{ <{EVENT}> a <{DIP.Meeting}> }}", ro.endpoint)
    assert status == 200 and headers["content-type"].split(";")[0] == accept
    if accept.endswith("json"):
        assert json.loads(body) == {"head": {}, "boolean": True}
    elif accept.endswith("xml"):
        assert Result.parse(io.BytesIO(body), format="xml").askAnswer is True
    else:
        assert body.decode().split()[-1] == "true"


@needs_curl
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")  # inside rdflib's JSON-LD parser
@pytest.mark.parametrize(
    "accept, ctype, fmt",
    [
        (None, "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_curl_construct_formats(ro, tmp_path, accept, ctype, fmt):
    args = ["-X", "POST", "-H", "Content-Type: application/sparql-query", "--data-binary", CONSTRUCT, ro.endpoint]
    if accept:
        args = ["-H", f"Accept: {accept}", *args]
    status, headers, body = curl(tmp_path, *args)
    assert status == 200, body
    assert headers["content-type"].split(";")[0] == ctype
    parsed = Graph().parse(data=body.decode("utf-8"), format=fmt)
    assert len(parsed) > 0
    assert isomorphic(parsed, ro.store.query(CONSTRUCT).graph)


@needs_curl
def test_curl_post_form_query(ro, tmp_path):
    status, headers, body = curl(tmp_path, "-H", "Accept: text/csv", "--data-urlencode", f"query={SELECT_NAMES}",
                                 ro.endpoint)
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.decode().splitlines()[0] == "person,name"


@needs_curl
def test_tsv_escapes_terms(ro, tmp_path):
    query = f"SELECT ?u WHERE {{ ?q <{DIP.unit}> ?u }} LIMIT 1"
    status, _, body = curl(tmp_path, "-H", "Accept: text/tab-separated-values", "--get", "--data-urlencode",
                           f"query={query}", ro.endpoint)
    assert status == 200
    lines = body.decode("utf-8").split("\n")
    assert lines[0] == "?u" and lines[1] == '"mesas \\"de\\"\\tvotación\\nnueva"'
    assert [str(r.u) for r in Result.parse(io.BytesIO(body), format="tsv")] == ['mesas "de"\tvotación\nnueva']


def test_not_acceptable(ro):
    status, headers, body = get(ro.endpoint + q(SELECT_NAMES), Accept="image/png")
    assert status == 406 and headers["Content-Type"].startswith("text/plain")
    assert "application/sparql-results+json" in body.decode()
    status, _, body = get(ro.endpoint + q(CONSTRUCT), Accept="application/sparql-results+json")
    assert status == 406 and "text/turtle" in body.decode()
    status, _, body = get(ro.endpoint + q(SELECT_NAMES), Accept="text/turtle")
    assert status == 406 and "SELECT" in body.decode()


def test_negotiate():
    offers = ["application/sparql-results+json", "text/csv"]
    assert negotiate(None, offers) == offers[0]
    assert negotiate("*/*", offers) == offers[0]
    assert negotiate("text/*;q=0.9, */*;q=0.1", offers) == "text/csv"
    assert negotiate("text/csv;q=0, */*", offers) == offers[0]
    assert negotiate("application/sparql-results+json;q=0, text/csv;q=0", offers) is None
    assert negotiate("image/png", offers) is None


# --------------------------------------------------------------------------- errors


def test_malformed_query_is_400_with_the_parser_message(ro):
    status, headers, body = get(ro.endpoint + q("SELEKT * WHERE { ?s ?p ?o }"))
    assert status == 400
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    text = body.decode()
    assert text.count("\n") == 1 and "SPARQL" in text, text
    assert re.search(r"\d", text), text  # the parser's position (line:column or char)


def test_malformed_post_query_is_400(ro):
    status, _, body = http("POST", ro.endpoint, data=b"SELECT * WHERE { ?s ", headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and "SPARQL" in body.decode()


def test_bad_requests(ro):
    status, _, body = get(ro.endpoint + "?foo=1")
    assert status == 400 and "no query" in body.decode()
    status, _, body = get(ro.endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}", "using-graph-uri": str(A1)}))
    assert status == 400 and "using-graph-uri is for updates" in body.decode()
    status, _, body = get(ro.endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": "a b"}))
    assert status == 400 and "not an absolute IRI" in body.decode()
    status, _, body = http("POST", ro.endpoint, data=b"query=ASK%20%7B%7D&update=CLEAR%20ALL",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and "not both" in body.decode()
    status, _, body = http("POST", ro.endpoint, data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, headers, _ = get(ro.endpoint + "?" + urllib.parse.urlencode({"update": "CLEAR ALL"}))
    assert status == 405 and headers["Allow"] == "POST"


def test_service_description(ro):
    status, headers, body = get(ro.endpoint)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    sd = Graph().parse(data=body.decode(), format="turtle")
    feature = URIRef("http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph")
    assert any(o == feature for o in sd.objects())


@pytest.mark.parametrize("method", ["DELETE", "PUT", "PATCH"])
def test_wrong_method_is_405_with_allow(ro, method):
    status, headers, _ = http(method, ro.endpoint, data=b"")
    assert status == 405
    assert set(headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
    status, headers, _ = http("POST", ro.url + "viewer", data=b"x", headers={"Content-Type": "text/plain"})
    assert status == 405 and "POST" not in headers["Allow"]


def test_head_and_keep_alive(ro):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", ro.server.port, timeout=10)
    try:
        conn.request("HEAD", "/")
        response = conn.getresponse()
        assert response.status == 200 and int(response.headers["Content-Length"]) > 0
        assert response.read() == b""
        for _ in range(2):  # several queries on one HTTP/1.1 connection
            conn.request("GET", "/sparql" + q("ASK { ?s ?p ?o }"))
            response = conn.getresponse()
            assert response.status == 200 and json.loads(response.read()) == {"head": {}, "boolean": True}
    finally:
        conn.close()


def test_unknown_path_is_404(ro):
    status, headers, body = get(ro.url + "nope")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert body.decode().count("\n") == 1


def test_cors_preflight():
    store = fill(MemoryStore())
    running = Running(store, cors="*")
    try:
        status, headers, _ = http("OPTIONS", running.endpoint, headers={"Origin": "https://example.org",
                                                                     "Access-Control-Request-Method": "POST"})
    finally:
        running.stop()
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "authorization" not in headers["Access-Control-Allow-Headers"].lower()


# --------------------------------------------------------------------------- updates

INSERT = f'INSERT DATA {{ GRAPH <{A1}> {{ <{ZELA}> <{RDFS.comment}> "nuevo" }} }}'
ASK_INSERTED = f'ASK {{ <{ZELA}> <{RDFS.comment}> "nuevo" }}'


def update(endpoint: str, text: str, token: str | None = None, *, form: bool = False):
    headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = urllib.parse.urlencode({"update": text}).encode() if form else text.encode()
    return http("POST", endpoint, data=data, headers=headers)


def asked(endpoint: str, query: str) -> bool:
    status, _, body = get(endpoint + q(query))
    assert status == 200, body
    return json.loads(body)["boolean"]


def test_update_refused_without_allow_update(ro):
    for form in (False, True):
        status, headers, body = update(ro.endpoint, INSERT, TOKEN, form=form)
        assert status == 403 and "--allow-update" in body.decode()
        assert "Access-Control-Allow-Origin" not in headers
    assert not asked(ro.endpoint, ASK_INSERTED)


def test_update_needs_the_token(rw):
    status, headers, body = update(rw.endpoint, INSERT)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    status, headers, body = update(rw.endpoint, INSERT, "wrong")
    assert status == 401 and TOKEN not in body.decode()
    status, _, _ = http("POST", rw.endpoint, data=INSERT.encode(),
                        headers={"Content-Type": "application/sparql-update", "Authorization": f"Basic {TOKEN}"})
    assert status == 401
    assert not asked(rw.endpoint, ASK_INSERTED)


@pytest.mark.parametrize("form", [False, True])
def test_update_with_the_token_is_applied(rw, form):
    status, _, body = update(rw.endpoint, INSERT, TOKEN, form=form)
    assert status == 204, body
    assert asked(rw.endpoint, ASK_INSERTED)
    assert (ZELA, RDFS.comment, Literal("nuevo")) in rw.store.graph_of(A1)


def test_malformed_update_is_400(rw):
    status, _, body = update(rw.endpoint, "INSERT DATTA { }", TOKEN)
    assert status == 400 and "invalid SPARQL update" in body.decode()


def test_make_server_refuses_updates_without_a_token():
    from diplokg.errors import DiplokgError

    with pytest.raises(DiplokgError, match="token"):
        make_server(MemoryStore(), "127.0.0.1", 0, allow_update=True)


# --------------------------------------------------------------------------- limits


def slow_store(inner: Store, delay: float) -> Store:
    """A store that sleeps `delay` s before a query containing '#slow' (every other method,
    including any the protocol gains, is delegated)."""

    def delegate(name):
        return lambda self, *a, **k: getattr(inner, name)(*a, **k)

    def query(self, sparql, bindings=None, **options):
        if "#slow" in sparql:
            time.sleep(delay)
        return inner.query(sparql, bindings, **options)

    methods = {name: delegate(name) for name in Store.__abstractmethods__}
    methods.update(query=query, name="slow", location=inner.location)
    return type("SlowStore", (Store,), methods)()


def test_timeout_is_503():
    inner = fill(MemoryStore())
    running = Running(slow_store(inner, 1.5), timeout=0.2)
    try:
        started = time.monotonic()
        status, headers, body = get(running.endpoint + q("ASK { ?s ?p ?o } #slow"))
        assert status == 503 and time.monotonic() - started < 1.4
        assert "timed out after 0.2 s" in body.decode() and "Retry-After" in headers
        assert get(running.endpoint + q("ASK { ?s ?p ?o }"))[0] == 200  # fast queries still answered
    finally:
        running.stop()
        inner.close()


def test_row_cap_is_413():
    store = fill(MemoryStore())
    running = Running(store, max_rows=3)
    try:
        status, headers, body = get(running.endpoint + q("SELECT * WHERE { ?s ?p ?o }"))
        assert status == 413 and headers["X-Diplokg-Max-Rows"] == "3"
        assert "more than 3 rows" in body.decode() and "LIMIT" in body.decode()
        status, _, body = get(running.endpoint + q("SELECT * WHERE { ?s ?p ?o } LIMIT 3"))
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
        status, _, body = get(running.endpoint + q("CONSTRUCT WHERE { ?s ?p ?o }"))
        assert status == 413 and "more than 3 triples" in body.decode()
    finally:
        running.stop()
        store.close()


# --------------------------------------------------------------------------- pages

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?https?:""", re.I)


def test_index_page(ro):
    from diplokg.query import named_queries

    status, headers, body = get(ro.url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    assert not EXTERNAL.search(page)
    assert "<textarea" in page and 'fetch("sparql"' in page
    for name in named_queries():
        assert f'data-query="{name}"' in page
    data = re.search(r'<script type="application/json" id="named-queries">(.*?)</script>', page, re.S).group(1)
    assert json.loads(data) == {n: nq.sparql for n, nq in named_queries().items()}
    assert "script-src 'sha256-" in headers["Content-Security-Policy"]


def test_viewer_page(ro):
    status, headers, body = get(ro.url + "viewer")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    assert not EXTERNAL.search(page)
    assert EVIL not in page  # an article label travels as escaped JSON, never as markup
    assert "Hugo de Zela" in page


def test_articles_list(ro):
    status, headers, body = get(ro.url + "articles")
    assert status == 200 and headers["Content-Type"] == "application/json"
    listed = json.loads(body)
    assert [a["id"] for a in listed] == ["art-1", "art-2"]
    assert listed[0]["title"] == "Reunión en Lima & <b>más</b>" and listed[0]["issued"] == "2026-03-12"
    assert listed[0]["iri"] == str(A1) and listed[0]["triples"] == len(ro.store.graph_of(A1))


def test_article_graph_as_turtle(ro):
    status, headers, body = get(ro.url + "articles/art-1")
    assert status == 200 and headers["Content-Type"] == "text/turtle; charset=utf-8"
    parsed = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert isomorphic(parsed, ro.store.graph_of(A1))
    status, headers, body = get(ro.url + "articles/art-2", Accept="application/n-triples")
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="nt"), ro.store.graph_of(A2))


def test_unknown_article_is_404(ro):
    status, headers, body = get(ro.url + "articles/no-such-article")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    text = body.decode()
    assert text.count("\n") == 1 and "no-such-article" in text


CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def chromium_dom(url: str, tmp_path: Path) -> tuple[str, list[str]]:
    """The DOM after scripts ran, and the console lines (errors, CSP violations)."""
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
        "--virtual-time-budget=5000", "--dump-dom", url,
    ]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, [line for line in run.stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_pages_work_in_a_real_browser(ro, tmp_path):
    query = PREFIXES + "SELECT ?l WHERE { ?s a dip:Person ; rdfs:label ?l } ORDER BY ?l"
    dom, console = chromium_dom(ro.url + "?" + urllib.parse.urlencode({"query": query}), tmp_path)
    assert console == [], console  # no script error, nothing blocked by the page's CSP
    out = dom[dom.index('<div id="out">'):dom.index("<h2>")]
    assert "<td>Hugo de Zela @es</td>" in out
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt; @es</td>" in out  # text, never markup
    dom, console = chromium_dom(ro.url + "?name=articles", tmp_path)
    assert console == [] and "<td>Segunda nota @es</td>" in dom
    dom, console = chromium_dom(ro.url + "viewer", tmp_path)
    assert console == [], console
    assert "<canvas" in dom and 'data-state="ready"' in dom


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.1.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")


# --------------------------------------------------------------------------- the CLI


def test_cli_allow_update_without_token_fails(capsys, monkeypatch):
    monkeypatch.delenv("DIPLOKG_TEST_NO_SUCH_TOKEN", raising=False)
    code = main(["serve", "--store", "memory:", "--port", "0", "--allow-update", "--token-env", "DIPLOKG_TEST_NO_SUCH_TOKEN"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("diplokg: ") and "DIPLOKG_TEST_NO_SUCH_TOKEN" in err


def test_cli_warns_about_non_loopback_hosts(capsys, monkeypatch):
    import diplokg.serve
    from diplokg.errors import DiplokgError

    seen = {}

    def fake_make_server(store, host, port, **options):
        seen.update(host=host, port=port, **options)
        raise DiplokgError("not binding in a test")

    monkeypatch.setattr(diplokg.serve, "make_server", fake_make_server)
    code = main(["serve", "--store", "memory:", "--host", "0.0.0.0", "--port", "9", "--timeout", "2", "--max-rows", "5"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1 and err[0].startswith("diplokg: warning: serving on 0.0.0.0")
    assert err[1] == "diplokg: not binding in a test"
    assert seen == {"host": "0.0.0.0", "port": 9, "allow_update": False, "token": None, "timeout": 2.0,
                    "max_rows": 5, "quiet": False, "cors": None, "allow_service": False, "max_query_memory": 1024}
    main(["serve", "--store", "memory:", "--port", "9"])
    assert seen["host"] == "127.0.0.1" and "warning" not in capsys.readouterr().err


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_cli_serve_subprocess(tmp_path):
    location = tmp_path / "store"
    with OxigraphStore(location) as store:
        fill(store)
        expected = store.graph_of(A2)
    env = dict(os.environ, MY_SERVE_TOKEN=TOKEN)
    proc = subprocess.Popen(
        [str(SCRIPT), "serve", "--store", str(location), "--port", "0", "--allow-update", "--token-env", "MY_SERVE_TOKEN"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        # as at a terminal: a test run started in the background (a shell without job control)
        # passes on an ignored SIGINT, and Ctrl-C would then not reach the server at all
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        first = proc.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/) ", first)
        assert match, (first, proc.poll())
        url = match.group(1)
        names = {str(r.name) for r in SPARQLStore(url + "sparql").query(SELECT_NAMES)}
        assert names == {"Hugo de Zela", "Marco Rubio", EVIL}
        status, _, body = get(url + "articles/art-2")
        assert status == 200 and isomorphic(Graph().parse(data=body.decode(), format="turtle"), expected)
        assert update(url + "sparql", INSERT, "wrong")[0] == 401
        assert update(url + "sparql", INSERT, TOKEN)[0] == 204
        assert asked(url + "sparql", ASK_INSERTED)
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "stopped" in out
        assert TOKEN not in first + out + err  # never printed nor logged
        assert "POST /sparql" in err  # requests are logged (without --quiet)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    with OxigraphStore(location) as store:  # the lock is released and the update persisted
        assert (ZELA, RDFS.comment, Literal("nuevo")) in store.graph_of(A1)


# --------------------------------------------------------------------------- hardening


def test_cors_is_off_by_default(ro):
    for method, url in (("GET", ro.endpoint + q(SELECT_NAMES)), ("GET", ro.url + "articles"), ("GET", ro.url),
                        ("OPTIONS", ro.endpoint)):
        status, headers, _ = http(method, url, headers={"Origin": "https://evil.example",
                                                        "Access-Control-Request-Method": "POST"})
        assert status in (200, 204), (method, url, status)
        assert not [k for k in headers if k.lower().startswith("access-control-")], (method, url, dict(headers))
    status, headers, _ = http("POST", ro.endpoint, data=SELECT_NAMES.encode(),
                              headers={"Content-Type": "application/sparql-query", "Origin": "https://evil.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_cors_with_a_configured_origin():
    store = fill(MemoryStore())
    running = Running(store, cors="https://app.example", allow_update=True, token=TOKEN)
    try:
        status, headers, _ = get(running.endpoint + q(SELECT_NAMES), Origin="https://app.example")
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://app.example"
        assert "Origin" in ",".join(headers.get_all("Vary") or [])
        status, headers, _ = http("OPTIONS", running.endpoint, headers={"Origin": "https://app.example",
                                                                     "Access-Control-Request-Method": "POST"})
        assert status == 204 and headers["Access-Control-Allow-Origin"] == "https://app.example"
        assert "authorization" not in headers["Access-Control-Allow-Headers"].lower()
        status, headers, _ = update(running.endpoint, INSERT, TOKEN)
        assert status == 204 and "Access-Control-Allow-Origin" not in headers  # updates: never CORS
    finally:
        running.stop()


def test_cli_cors_option(monkeypatch):
    import diplokg.serve
    from diplokg.errors import DiplokgError

    seen = {}

    def fake_make_server(store, host, port, **options):
        seen.update(options)
        raise DiplokgError("not binding in a test")

    monkeypatch.setattr(diplokg.serve, "make_server", fake_make_server)
    main(["serve", "--store", "memory:", "--port", "9", "--cors", "https://app.example"])
    assert seen["cors"] == "https://app.example"


def test_request_body_limit_is_413(ro):
    from diplokg.serve import MAX_BODY

    assert MAX_BODY == 16 * 1024 * 1024
    with socket_to(ro) as sock:  # announce a body over the limit, send none: refused before reading it
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: " + str(MAX_BODY + 1).encode() + b"\r\n\r\n")
        head = b""
        while chunk := sock.recv(4096):
            head += chunk
        head = head.decode("latin-1")
    assert head.startswith("HTTP/1.1 413 "), head
    assert "over the limit" in head and "Connection: close" in head
    assert get(ro.endpoint + q("ASK {}"))[0] == 200  # the server is fine afterwards


def socket_to(running):
    import socket

    host, port = running.server.server_address[:2]
    return socket.create_connection((host, port), timeout=10)


TRAVERSALS = [
    "/articles/../../etc/passwd",
    "/articles/..%2F..%2Fetc%2Fpasswd",
    "/articles/%2e%2e/%2e%2e/etc/passwd",
    "/articles/%252e%252e%252fetc%252fpasswd",
    "/articles/..%5C..%5Cetc%5Cpasswd",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/viewer/../../etc/passwd",
    "/articles/%00",
    "//etc/passwd",
    "/articles/" + "%2e%2e%2f" * 20 + "etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_directory_traversal(ro, path):
    with socket_to(ro) as sock:  # raw request: the client must not normalise the path first
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    assert status in (400, 404), (path, head)
    assert b"root:" not in body and b"/bin/" not in body


INJECTIONS = ['"} ; DROP ALL ; {"', '"} } ; DROP ALL ; { {"', "'} ; DROP ALL ; {'", '> } ; DROP ALL ; { <',
              '" . } DELETE WHERE { ?s ?p ?o } #']


def _snapshot(store):
    return store.count(), sorted(info.iri for info in store.articles())


@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
@pytest.mark.parametrize("evil", INJECTIONS)
def test_named_query_parameters_are_terms_not_text(kind, evil, tmp_path):
    from diplokg.query import run_named

    store = fill(OxigraphStore(tmp_path / "store") if kind == "oxigraph" else MemoryStore())
    try:
        before = _snapshot(store)
        result = run_named(store, "meetings", {"person": evil})
        assert result.kind == "select" and result.rows == []  # a literal that matches no one
        assert _snapshot(store) == before
    finally:
        store.close()


@pytest.mark.parametrize("evil", INJECTIONS[:2])
def test_injection_through_the_http_api_is_data(ro, evil):
    """The server runs no named query with parameters itself: /?name=...&person=... only opens
    the page; whatever a client sends as a query cannot update (403/400), and the store is
    unchanged."""
    before = _snapshot(ro.store)
    status, _, body = get(ro.url + "?" + urllib.parse.urlencode({"name": "meetings", "person": evil}))
    assert status == 200 and evil.encode() not in body
    status, _, _ = get(ro.endpoint + q(f'SELECT * WHERE {{ ?s ?p "{evil}" }}'))
    assert status == 400  # the text breaks the query: a parse error, never an update
    status, _, _ = http("POST", ro.endpoint, data=urllib.parse.urlencode({"query": "ASK { ?s ?p ?o } ; DROP ALL"}).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    status, _, _ = update(ro.endpoint, "DROP ALL", TOKEN)
    assert status == 403
    assert _snapshot(ro.store) == before


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_cli_named_query_parameter_injection(tmp_path):
    location = tmp_path / "store"
    with OxigraphStore(location) as store:
        fill(store)
        before = _snapshot(store)
    for evil in INJECTIONS[:2]:
        run = subprocess.run([str(SCRIPT), "query", "--name", "meetings", "--param", f"person={evil}",
                              "--format", "json", "--store", str(location)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["results"]["bindings"] == []
    with OxigraphStore(location) as store:
        assert _snapshot(store) == before


def test_status_codes_and_defaults(ro):
    from diplokg.serve import DEFAULT_HOST

    assert DEFAULT_HOST == "127.0.0.1" and ro.server.allow_update is False
    assert ro.server.query_timeout == 30.0 and ro.server.max_rows == 10_000
    assert get(ro.url + "nope")[0] == 404
    assert http("DELETE", ro.endpoint)[0] == 405
    assert http("POST", ro.endpoint, data=b"x", headers={"Content-Type": "text/plain"})[0] == 415
    assert get(ro.endpoint + q("SELEC nothing"))[0] == 400
    assert get(ro.endpoint + q(SELECT_NAMES), Accept="image/png")[0] == 406
    assert update(ro.endpoint, INSERT, TOKEN)[0] == 403


# --------------------------------------------------------------------------- protocol details


def raw_exchange(running, request: bytes) -> str:
    """Send raw bytes on one connection and read every answer until the server closes it."""
    with socket_to(running) as sock:
        sock.sendall(request)
        answer = b""
        for _ in range(10_000):  # bounded; each recv waits at most the socket timeout
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.decode("utf-8", "replace")


def one_line_error(status: int, body: bytes) -> str:
    text = body.decode("utf-8")
    assert text.count("\n") == 1, text
    return text


def test_query_relative_iris_resolve_against_the_endpoint(ro):
    for endpoint in (ro.endpoint, ro.endpoint + "/"):
        status, headers, body = http("POST", endpoint, data=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
                                     headers={"Content-Type": "application/sparql-query", "Accept": "text/turtle"})
        assert status == 200, body
        graph = Graph().parse(data=body.decode(), format="turtle")
        assert set(graph) == {(URIRef(urllib.parse.urljoin(endpoint, "s")), URIRef(urllib.parse.urljoin(endpoint, "p")),
                               Literal(1))}
    status, _, body = get(ro.endpoint + q("SELECT ?x WHERE { BIND(<rel> AS ?x) }"), Host="example.org:8080")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "http://example.org:8080/rel"


def test_non_utf8_bodies_are_refused(ro):
    body = "ASK {}".encode("utf-16")
    status, _, answer = http("POST", ro.endpoint, data=body,
                             headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert status == 415 and "UTF-8" in one_line_error(status, answer)
    status, _, answer = http("POST", ro.endpoint, data=body, headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and "not valid UTF-8" in one_line_error(status, answer)
    status, _, answer = http("POST", ro.endpoint, data="ASK {}".encode("latin-1"),
                             headers={"Content-Type": "application/sparql-query; charset=ISO-8859-1"})
    assert status == 415
    status, _, answer = http("POST", ro.endpoint, data=b"ASK {}",
                             headers={"Content-Type": 'application/sparql-query; charset="utf-8"'})
    assert status == 200, answer


def test_percent_escapes_that_are_not_utf8_are_400(ro):
    status, _, body = get(ro.endpoint + "?query=ASK%20%7B%7D%FF")
    assert status == 400 and "not UTF-8" in one_line_error(status, body)
    status, _, body = http("POST", ro.endpoint, data=b"query=ASK%20%7B%7D%C3",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and "not UTF-8" in one_line_error(status, body)
    answer = raw_exchange(ro, b"GET /sparql?query=ASK%20%7B%7D\xff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.startswith("HTTP/1.1 400 ") and "not valid UTF-8" in answer
    status, _, body = get(ro.endpoint + q('SELECT ?x WHERE { BIND("café €" AS ?x) }'))  # real UTF-8 still works
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "café €"


CONTROL_CHAR_QUERY = 'SELECT ?x WHERE { BIND("bell\\u0007 here" AS ?x) }'


def test_xml_results_refuse_characters_xml_cannot_carry(ro):
    status, _, body = get(ro.endpoint + q(CONTROL_CHAR_QUERY), Accept="application/sparql-results+xml")
    assert status == 406
    assert "U+0007" in one_line_error(status, body) and "application/sparql-results+json" in body.decode()
    status, headers, body = get(ro.endpoint + q(CONTROL_CHAR_QUERY),
                                Accept="application/sparql-results+xml, application/sparql-results+json;q=0.5")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"  # the next acceptable type
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == "bell\u0007 here"
    construct = 'CONSTRUCT { <http://example.org/s> <http://example.org/p> "x\\u0001" } WHERE {}'
    status, _, body = get(ro.endpoint + q(construct), Accept="application/rdf+xml")
    assert status == 406 and "U+0001" in one_line_error(status, body) and "text/turtle" in body.decode()
    # what XML does carry stays well-formed: tab, newline, carriage return, markup characters
    status, _, body = get(ro.endpoint + q('SELECT ?x WHERE { BIND("a\\tb\\r\\nc <&> \\uFFFD" AS ?x) }'),
                          Accept="application/sparql-results+xml")
    assert status == 200
    assert [str(r.x) for r in Result.parse(io.BytesIO(body), format="xml")] == ["a\tb\r\nc <&> \ufffd"]


@pytest.mark.parametrize("predicate", ["http://example.org/p/", "http://example.org/1", "http://example.org/p#"])
def test_rdf_xml_that_cannot_be_written_is_406(ro, predicate):
    query = f"CONSTRUCT {{ <http://example.org/s> <{predicate}> 1 }} WHERE {{}}"
    status, _, body = get(ro.endpoint + q(query), Accept="application/rdf+xml")
    assert status == 406
    text = one_line_error(status, body)
    assert text.startswith("this graph cannot be written as RDF/XML: ") and text.rstrip().endswith("ask for text/turtle")
    status, headers, body = get(ro.endpoint + q(query), Accept="application/rdf+xml, text/turtle;q=0.1")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=body.decode(), format="turtle")) == 1


@pytest.mark.parametrize("host", ["a b", "[::1", "x/y", "ex<ample>", "h:p0rt", "a@b"])
def test_malformed_host_is_400(ro, host):
    for target in ("/sparql", "/sparql?query=ASK%20%7B%7D"):
        answer = raw_exchange(ro, f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert answer.startswith("HTTP/1.1 400 ") and "bad Host header" in answer, answer[:300]


def test_service_description_names_the_endpoint_from_host(ro):
    status, _, body = get(ro.endpoint, Host="[::1]:9")
    assert status == 200
    sd = Graph().parse(data=body.decode(), format="turtle")
    endpoint = URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")
    assert list(sd.objects(None, endpoint)) == [URIRef("http://[::1]:9/sparql")]
    answer = raw_exchange(ro, b"GET /sparql HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")
    assert answer.startswith("HTTP/1.1 400 ") and "more than one Host" in answer


def test_a_get_body_is_not_read_as_the_next_request(ro):
    smuggled = b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
    first = (b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nContent-Length: "
             + str(len(smuggled)).encode() + b"\r\n\r\n" + smuggled)
    second = b"HEAD /articles HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
    last = b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = raw_exchange(ro, first + second + last)
    assert re.findall(r"HTTP/1\.1 (\d{3})", answer) == ["200", "200", "200"], answer
    assert "404" not in answer


def test_an_oversized_or_chunked_get_body_closes_the_connection(ro):
    from diplokg.serve import MAX_BODY

    for extra in (f"Content-Length: {MAX_BODY + 1}", "Content-Length: nine", "Transfer-Encoding: chunked"):
        request = f"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\n{extra}\r\n\r\n".encode()
        answer = raw_exchange(ro, request + b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
        assert re.findall(r"HTTP/1\.1 (\d{3})", answer) == ["200"], (extra, answer)
        assert "Connection: close" in answer


def count_with(endpoint: str, query: str, pairs: list[tuple[str, str]]) -> dict[str, int]:
    """{?g or '': ?n} of a counting query sent with the dataset parameters `pairs`."""
    status, _, body = get(endpoint + "?" + urllib.parse.urlencode([("query", query), *pairs]))
    assert status == 200, body
    rows = json.loads(body)["results"]["bindings"]
    return {row.get("g", {}).get("value", ""): int(row["n"]["value"]) for row in rows}


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_dataset_parameters_choose_the_graphs(kind, request):
    running = request.getfixturevalue("ro" if kind == "memory" else "rw")
    size = {str(a): len(running.store.graph_of(a)) for a in (A1, A2)}
    triples = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert count_with(running.endpoint, triples, [("default-graph-uri", str(A2))]) == {"": size[str(A2)]}
    assert count_with(running.endpoint, per_graph, [("named-graph-uri", str(A1))]) == {str(A1): size[str(A1)]}
    assert count_with(running.endpoint, per_graph, [("named-graph-uri", str(A1)), ("named-graph-uri", str(A2))]) == size
    from_a1 = f"SELECT (COUNT(*) AS ?n) FROM <{A1}> WHERE {{ ?s ?p ?o }}"
    assert count_with(running.endpoint, from_a1, []) == {"": size[str(A1)]}
    assert count_with(running.endpoint, from_a1, [("default-graph-uri", str(A2))]) == {"": size[str(A2)]}  # overrides
    assert count_with(running.endpoint, from_a1, [("default-graph-uri", "")]) == {"": size[str(A1)]}  # empty: not given


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_named_graphs_alone_leave_the_default_graph_empty(kind, request):
    running = request.getfixturevalue("ro" if kind == "memory" else "rw")
    triples = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert count_with(running.endpoint, triples, [("named-graph-uri", str(A1))]) == {"": 0}


def test_update_dataset_parameters(rw):
    copies = "http://example.org/copies"
    insert = f"INSERT {{ GRAPH <{copies}> {{ ?p a <{DIP.Copied}> }} }} WHERE {{ ?p a <{DIP.Person}> }}"
    url = rw.endpoint + "?" + urllib.parse.urlencode([("using-graph-uri", str(A2))])
    status, _, body = update(url, f"WITH <{A1}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", TOKEN)
    assert status == 400 and "USING, USING NAMED or WITH" in one_line_error(status, body)
    assert len(rw.store.graph_of(A1)) > 0
    status, _, body = update(url, insert, TOKEN)
    assert status == 204, body
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert count_with(rw.endpoint, per_graph, [("named-graph-uri", copies)]) == {copies: 2}  # Zela, Rubio
    status, _, body = update(rw.endpoint + "?" + urllib.parse.urlencode([("default-graph-uri", str(A2))]), insert, TOKEN)
    assert status == 400 and "default-graph-uri is for queries" in body.decode()
    status, _, body = update(rw.endpoint, 'INSERT DATA { GRAPH <http://example.org/b> { <s> <p> "o" } }', TOKEN)
    assert status == 204, body
    base = "SELECT ?s WHERE { GRAPH <http://example.org/b> { ?s ?p ?o } }"
    assert json.loads(get(rw.endpoint + q(base))[2])["results"]["bindings"][0]["s"]["value"] == urllib.parse.urljoin(
        rw.endpoint, "s")
