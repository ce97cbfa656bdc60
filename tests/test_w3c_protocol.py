"""The W3C SPARQL 1.1 Protocol tests (tests/data/w3c-protocol/manifest.ttl, 34 tests) against a
real `diplokg serve` subprocess.

The manifest is read with rdflib. Each test's requests (method, path with `/sparql/` mapped to
the server's `/sparql`, headers, body) are sent in order, and each answer is checked for its
status class, its format (boolean / tabular / RDF: by Content-Type and by parsing the body)
and its boolean. A server is started per dataset (the test's ut:graphData: data1-3.nt loaded
into the named graphs given by their labels, in a fresh on-disk store), with --allow-update
and a token, and shared by the tests over that dataset.

Every test runs with the token. The tests that send an update run twice more: without the
token (the update is 401 and changes nothing) and against a server started without
--allow-update (403 and nothing changed); each of those modes has a server of its own, so no
update that went through can make a later check pass.
"""

from __future__ import annotations

import http.client
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS
from rdflib.query import Result

from diplokg.stores import OxigraphStore
from servers import DiplokgServe

HERE = Path(__file__).parent
MANIFEST = HERE / "data" / "w3c-protocol" / "manifest.ttl"
TOKEN = "w3c-protocol-test-token"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

TABLE_FORMATS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[int]  # expected status classes: 2 for 2xx, ...
    format: str | None  # "boolean", "tabular", "RDF"
    boolean: bool | None

    @property
    def is_update(self) -> bool:
        media = dict(self.headers).get("content-type", "")
        return (media.startswith("application/sparql-update") or b"update=" in (self.body or b"")
                or "?update=" in self.path)


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    graphs: tuple[tuple[str, str], ...]  # (graph IRI, data file name), sorted
    requests: tuple[Request, ...]

    @property
    def sends_updates(self) -> bool:
        """The manifest's update tests, by their names (bad_update_wrong_media_type's body is an
        update sent as text/plain, which no request-level check can tell from a query)."""
        return "update" in self.name


def _request(g: Graph, node) -> Request:
    headers = []
    if (listed := g.value(node, HT.headers)) is not None:
        for header in Collection(g, listed):
            headers.append((str(g.value(header, HT.fieldName)).lower(), str(g.value(header, HT.fieldValue))))
    body = None
    if (content := g.value(node, HT.body)) is not None:
        body = str(g.value(content, CNT.chars)).encode(str(g.value(content, CNT.characterEncoding)))
    response = g.value(node, HT.resp)
    statuses = frozenset(int(re.search(r"StatusCode(\d)xx$", str(s)).group(1))
                         for s in g.objects(response, MF.expectedStatus))
    fmt = g.value(response, MF.expectedFormat)
    boolean = g.value(response, MF.expectedBoolean)
    path = str(g.value(node, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    return Request(method=str(g.value(node, HT.methodName)), path="/sparql" + path[len("/sparql/"):],
                   headers=tuple(headers), body=body, statuses=statuses,
                   format=None if fmt is None else str(fmt), boolean=None if boolean is None else boolean.toPython())


def read_manifest(path: Path = MANIFEST) -> list[ProtocolTest]:
    """The manifest's tests, in its order."""
    g = Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = URIRef(path.as_uri())
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        graphs = sorted((str(g.value(d, RDFS.label)), Path(str(g.value(d, UT.graph))).name)
                        for d in g.objects(entry, UT.graphData))
        action = g.value(entry, MF.action)
        requests = tuple(_request(g, r) for r in Collection(g, g.value(action, HT.requests)))
        tests.append(ProtocolTest(name=str(entry).rsplit("#", 1)[-1], graphs=tuple(graphs), requests=requests))
    return tests


TESTS = read_manifest()
UPDATE_TESTS = [t for t in TESTS if t.sends_updates]


def start_server(workdir: Path, graphs: tuple[tuple[str, str], ...], *, allow_update: bool) -> DiplokgServe:
    """`diplokg serve` over a fresh on-disk store holding `graphs` (the data files loaded into
    the named graphs their labels give)."""
    location = workdir / "store"
    with OxigraphStore(location) as store:
        for iri, name in graphs:
            store.put_graph(iri, Graph().parse(MANIFEST.parent / name, format="nt"))
    return DiplokgServe(location, token=TOKEN if allow_update else None)


def send(server: DiplokgServe, request: Request, token: str | None) -> tuple[int, str, bytes]:
    """Send the request as the manifest gives it (the bearer token added to updates); (status,
    Content-Type, body)."""
    headers = dict(request.headers)
    if token is not None and request.is_update:
        headers["authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(request.method, request.path, body=request.body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers.get("Content-Type", ""), response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """`servers(graphs, allow_update, mode)`: the module's server for that dataset and mode,
    started on first use."""
    started: dict[tuple, DiplokgServe] = {}

    def get(graphs: tuple[tuple[str, str], ...], allow_update: bool = True, mode: str = "token") -> DiplokgServe:
        key = (graphs, allow_update, mode)
        if key not in started:
            started[key] = start_server(tmp_path_factory.mktemp("w3c"), graphs, allow_update=allow_update)
        return started[key]

    yield get
    for served in started.values():
        served.stop()


def check_answer(request: Request, status: int, media: str, body: bytes, *, boolean: bool | None = None) -> None:
    """The answer has the expected status class, format and boolean (`boolean` overrides the
    manifest's)."""
    where = f"{request.method} {request.path[:120]}: {status} {body[:300]!r}"
    assert status // 100 in request.statuses, where
    media = media.split(";")[0].strip().lower()
    expected = request.boolean if boolean is None else boolean
    if request.format in ("boolean", "tabular"):
        assert media in TABLE_FORMATS, where
        result = Result.parse(io.BytesIO(body), format=TABLE_FORMATS[media])
        if request.format == "boolean":
            assert result.type == "ASK", where
            assert expected is None or result.askAnswer is expected, where
        else:
            assert result.type == "SELECT" and result.vars, where
    elif request.format == "RDF":
        assert media in RDF_FORMATS, where
        Graph().parse(data=body.decode("utf-8"), format=RDF_FORMATS[media])


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_with_the_token(servers, test):
    served = servers(test.graphs)
    for request in test.requests:
        check_answer(request, *send(served, request, TOKEN))


@pytest.mark.parametrize("mode", ["no-token", "updates-off"])
@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t.name for t in UPDATE_TESTS])
def test_w3c_updates_are_refused_without_the_right(servers, test, mode):
    """An update without the token is 401, on a server without --allow-update 403; a test
    expecting an error still gets one (4xx), and the checks that follow see no change."""
    served = servers(test.graphs, allow_update=mode == "no-token", mode=mode)
    refusal = 401 if mode == "no-token" else 403
    for request in test.requests:
        status, media, body = send(served, request, None)
        if request.is_update:
            if 2 in request.statuses:
                assert status == refusal, (request.path, status, body)
            else:
                assert status // 100 == 4, (request.path, status, body)
        else:
            check_answer(request, status, media, body, boolean=False if request.boolean else request.boolean)


def test_the_manifest_is_read_whole():
    assert len(TESTS) == 34
    assert len({t.name for t in TESTS}) == 34
    assert len(UPDATE_TESTS) == 14
    by_name = {t.name: t for t in TESTS}
    assert [len(by_name[n].requests) for n in ("update_base_uri", "query_get", "update_dataset_full")] == [2, 1, 2]
    assert by_name["query_dataset_full"].graphs == tuple(
        (f"http://kasei.us/2009/09/sparql/data/data{i}.rdf", f"data{i}.nt") for i in (1, 2, 3))
    assert by_name["bad_query_non_utf8"].requests[0].body == "ASK {}".encode("utf-16")
    assert json.dumps(sorted(by_name["query_post_form"].requests[0].statuses)) == "[2, 3]"
