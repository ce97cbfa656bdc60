"""`diplokg serve` as its users' clients meet it: SPARQLWrapper and rdflib's SPARQLStore / Dataset
against a real `diplokg serve` subprocess, including the protocol's dataset parameters
(default-graph-uri / named-graph-uri, using-graph-uri for updates), which both clients send for
per-graph access.

The store holds three small named graphs (ONE: two people, five triples; TWO: one person, two
triples; THREE: one triple, nobody typed); each test asserts the actual answers.
"""

from __future__ import annotations

import csv
import io
import os

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import FOAF, RDF, RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from diplokg.stores import OxigraphStore
from servers import DiplokgServe

try:
    import SPARQLWrapper
except ImportError:  # in the test extra; CI (CI=true) installs it, so there it must be present
    if os.environ.get("CI"):
        raise
    SPARQLWrapper = None
needs_sparqlwrapper = pytest.mark.skipif(SPARQLWrapper is None,
                                         reason="sparqlwrapper is not installed (pip install -e '.[test]')")
# SPARQLWrapper's names for its return formats and request methods
JSON, XML, CSV, TSV, TURTLE = "json", "xml", "csv", "tsv", "turtle"
POST, POSTDIRECTLY, URLENCODED = "POST", "postdirectly", "urlencoded"

EX = Namespace("http://example.org/")
ONE, TWO, THREE, COPIES = (URIRef(f"http://example.org/graph/{n}") for n in ("one", "two", "three", "copies"))
TOKEN = "interop-test-token"
PEOPLE = ("PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
          "SELECT ?name WHERE { ?p a foaf:Person ; rdfs:label ?name } ORDER BY ?name")
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def graphs() -> dict[URIRef, Graph]:
    one, two, three = Graph(), Graph(), Graph()
    one.add((EX.alice, RDF.type, FOAF.Person))
    one.add((EX.alice, RDFS.label, Literal("Alice", lang="en")))
    one.add((EX.alice, EX.age, Literal(30)))
    one.add((EX.bob, RDF.type, FOAF.Person))
    one.add((EX.bob, RDFS.label, Literal("Bob")))
    two.add((EX.carol, RDF.type, FOAF.Person))
    two.add((EX.carol, RDFS.label, Literal("Carol", lang="es")))
    three.add((EX.alice, FOAF.knows, EX.carol))
    return {ONE: one, TWO: two, THREE: three}


def serve(tmp_path_factory, token: str | None = None) -> DiplokgServe:
    location = tmp_path_factory.mktemp("interop") / "store"
    with OxigraphStore(location) as store:
        for iri, graph in graphs().items():
            store.put_graph(str(iri), graph)
    return DiplokgServe(location, token=token)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = serve(tmp_path_factory)
    yield running
    running.stop()


# --------------------------------------------------------------------------- SPARQLWrapper


def wrapper(server, query: str, fmt: str, method: str, *, default=(), named=()):
    client = SPARQLWrapper.SPARQLWrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    elif method == POST:
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
    for iri in default:
        client.addDefaultGraph(str(iri))
    for iri in named:
        client.addNamedGraph(str(iri))
    return client.queryAndConvert()


def names_in(result, fmt: str) -> list[str]:
    """The ?name column of a SELECT answer as SPARQLWrapper converts it."""
    if fmt == JSON:
        return [b["name"]["value"] for b in result["results"]["bindings"]]
    if fmt == XML:  # a minidom document
        return [node.firstChild.data for node in result.getElementsByTagName("literal")]
    text = result.decode("utf-8")
    if fmt == CSV:
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["name"]
        return [r[0] for r in rows[1:]]
    lines = text.splitlines()
    assert lines[0] == "?name"
    return [line.split('"')[1] for line in lines[1:]]  # TSV cells are terms: "Alice"@en


METHODS = ["GET", POST, POSTDIRECTLY]


@needs_sparqlwrapper
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_default_graphs(server, fmt, method):
    assert names_in(wrapper(server, PEOPLE, fmt, method), fmt) == ["Alice", "Bob", "Carol"]  # the union
    assert names_in(wrapper(server, PEOPLE, fmt, method, default=[ONE]), fmt) == ["Alice", "Bob"]
    assert names_in(wrapper(server, PEOPLE, fmt, method, default=[TWO]), fmt) == ["Carol"]
    assert names_in(wrapper(server, PEOPLE, fmt, method, default=[TWO, ONE]), fmt) == ["Alice", "Bob", "Carol"]
    assert names_in(wrapper(server, PEOPLE, fmt, method, default=[THREE]), fmt) == []


@needs_sparqlwrapper
@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_named_graphs(server, method):
    def counts(**dataset):
        result = wrapper(server, PER_GRAPH, JSON, method, **dataset)
        return {b["g"]["value"]: int(b["n"]["value"]) for b in result["results"]["bindings"]}

    assert counts() == {str(ONE): 5, str(TWO): 2, str(THREE): 1}
    assert counts(named=[TWO, THREE]) == {str(TWO): 2, str(THREE): 1}
    assert counts(default=[ONE], named=[THREE]) == {str(THREE): 1}
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    # named graphs only: the default graph is empty (as with FROM NAMED and no FROM)
    assert wrapper(server, everything, JSON, method, named=[ONE])["results"]["bindings"][0]["n"]["value"] == "0"
    # the protocol's dataset overrides the query's FROM
    from_one = "SELECT (COUNT(*) AS ?n) FROM <http://example.org/graph/one> WHERE { ?s ?p ?o }"
    assert wrapper(server, from_one, JSON, method)["results"]["bindings"][0]["n"]["value"] == "5"
    assert wrapper(server, from_one, JSON, method, default=[TWO])["results"]["bindings"][0]["n"]["value"] == "2"


@needs_sparqlwrapper
@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_ask(server, method):
    ask = "ASK { ?p a <http://xmlns.com/foaf/0.1/Person> }"
    assert wrapper(server, ask, JSON, method)["boolean"] is True
    assert wrapper(server, ask, JSON, method, default=[THREE])["boolean"] is False
    assert wrapper(server, ask, XML, method, default=[TWO]).getElementsByTagName("boolean")[0].firstChild.data == "true"


@needs_sparqlwrapper
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")  # inside SPARQLWrapper's RDF/XML conversion
def test_sparqlwrapper_construct(server, method):
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    turtle = wrapper(server, construct, TURTLE, method, default=[TWO])
    assert isinstance(turtle, bytes)
    assert isomorphic(Graph().parse(data=turtle.decode("utf-8"), format="turtle"), graphs()[TWO])
    as_xml = wrapper(server, construct, XML, method, default=[ONE])  # RDF/XML, parsed by SPARQLWrapper
    assert isomorphic(as_xml, graphs()[ONE])
    union = Graph().parse(data=wrapper(server, construct, TURTLE, method).decode("utf-8"), format="turtle")
    assert len(union) == 8


@needs_sparqlwrapper
def test_sparqlwrapper_update_with_using_graph_uri(tmp_path_factory):
    running = serve(tmp_path_factory, token=TOKEN)
    try:
        client = SPARQLWrapper.SPARQLWrapper(running.endpoint)
        client.setMethod(POST)
        client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
        client.setQuery(f"INSERT {{ GRAPH <{COPIES}> {{ ?p a <{EX.Copied}> }} }} "
                        "WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }")
        client.addParameter("using-graph-uri", str(TWO))
        assert client.query().response.status == 204
        copied = SPARQLStore(running.endpoint, returnFormat="json")
        assert set(Graph(copied, identifier=COPIES)) == {(EX.carol, RDF.type, EX.Copied)}
    finally:
        running.stop()


# --------------------------------------------------------------------------- rdflib


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_rdflib_graph_over_the_endpoint(server, fmt, method):
    store = SPARQLStore(server.endpoint, returnFormat=fmt, method=method)
    expected = graphs()
    for iri, graph in expected.items():
        remote = Graph(store, identifier=iri)
        assert len(remote) == len(graph)
        assert set(remote) == set(graph)
    one = Graph(store, identifier=ONE)
    assert set(one.subjects(RDF.type, FOAF.Person)) == {EX.alice, EX.bob}
    assert one.value(EX.alice, RDFS.label) == Literal("Alice", lang="en")
    assert one.value(EX.alice, EX.age) == Literal(30)  # xsd:integer
    assert [str(r.name) for r in one.query(PEOPLE)] == ["Alice", "Bob"]
    assert Graph(store, identifier=THREE).query("ASK { ?p a <http://xmlns.com/foaf/0.1/Person> }").askAnswer is False


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated")  # inside rdflib's Dataset.query
def test_rdflib_dataset_over_the_endpoint(server):
    """rdflib's Dataset over the endpoint: the union, one graph's triples and queries through
    get_context(). (Dataset.graphs() and contexts() end by adding the default graph to the
    store, which a read-only SPARQLStore refuses; the store lists the named graphs itself.)"""
    store = SPARQLStore(server.endpoint, returnFormat="json")
    ds = Dataset(store=store)
    assert set(store.contexts()) == {ONE, TWO, THREE}
    assert set(store.contexts((EX.alice, None, None))) == {ONE, THREE}
    assert len(ds.get_context(TWO)) == 2
    assert set(ds.get_context(THREE)) == {(EX.alice, FOAF.knows, EX.carol)}
    # a Dataset asks for its own default graph (default-graph-uri=urn:x-rdflib:default: empty
    # here); with default_union=True it sends no dataset and gets the server's union
    assert [str(r.name) for r in ds.query(PEOPLE)] == []
    union = Dataset(store=store, default_union=True)
    assert [str(r.name) for r in union.query(PEOPLE)] == ["Alice", "Bob", "Carol"]
    assert [str(r.name) for r in ds.get_context(TWO).query(PEOPLE)] == ["Carol"]
    assert {(str(r.g), int(r.n)) for r in union.query(PER_GRAPH)} == {(str(ONE), 5), (str(TWO), 2), (str(THREE), 1)}
