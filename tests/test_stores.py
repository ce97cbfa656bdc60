"""Contract tests: every backend in BACKENDS must pass the same assertions."""

from __future__ import annotations

import hashlib
from datetime import date

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from diplokg.errors import QueryError, StoreError
from diplokg.rdf.iris import article_iri, entity_iri
from diplokg.rdf import vocab
from diplokg.rdf.vocab import DCTERMS, DIP, RDF, RDFS
from diplokg.stores import BACKENDS, ONTOLOGY_GRAPH, get_backend, open_store
from diplokg.stores.terms import from_ox, to_ox

A1 = article_iri("art-1")
A2 = article_iri("art-2")
PERU = entity_iri("country/peru")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_graph(iri: URIRef, text: str, title: str, issued: str, extra: int = 0) -> tuple[Graph, str]:
    """A small article graph carrying its own content hash, as mapping will produce it."""
    g = Graph()
    h = sha(text)
    g.add((iri, RDF.type, DIP.Article))
    g.add((iri, DCTERMS.title, Literal(title, lang="es")))
    g.add((iri, DCTERMS.issued, Literal(issued, datatype=vocab.XSD.date)))
    g.add((iri, DIP.contentHash, Literal(h)))
    g.add((iri, DIP.mentions, PERU))
    g.add((PERU, RDF.type, DIP.Country))
    g.add((PERU, RDFS.label, Literal("Perú", lang="es")))
    q = BNode()
    g.add((iri, DIP.quantity, q))
    g.add((q, DIP.value, Literal("4000", datatype=vocab.XSD.decimal)))
    g.add((q, DIP.unit, Literal('mesas "de" votación')))
    for i in range(extra):
        g.add((iri, DIP.mentions, entity_iri(f"person/p{i}")))
    return g, h


def make(name, tmp_path):
    cls = BACKENDS[name]
    return cls(tmp_path / "store") if cls.persistent else cls()


@pytest.fixture(params=sorted(BACKENDS))
def store(request, tmp_path):
    s = make(request.param, tmp_path)
    yield s
    s.close()


def test_put_unchanged_replaced(store):
    g1, h1 = article_graph(A1, "texto uno", "Uno", "2026-03-12")
    assert store.put_article(A1, g1, h1) == "added"
    assert store.has_article(A1)
    assert store.article_hash(A1) == h1
    n = store.count()
    assert n == len(g1)

    assert store.put_article(A1, g1, h1) == "unchanged"
    assert store.count() == n

    g2, h2 = article_graph(A1, "texto uno, editado", "Uno bis", "2026-03-13", extra=2)
    assert store.put_article(A1, g2, h2) == "replaced"
    assert store.article_hash(A1) == h2
    assert store.count() == len(g2)
    titles = {str(t) for t in store.graph_of(A1).objects(A1, DCTERMS.title)}
    assert titles == {"Uno bis"}


def test_put_records_the_given_hash(store):
    g, _ = article_graph(A1, "t", "T", "2026-01-01")
    g.remove((A1, DIP.contentHash, None))
    store.put_article(A1, g, "abc")
    assert store.article_hash(A1) == "abc"
    assert len(list(store.graph_of(A1).objects(A1, DIP.contentHash))) == 1


def test_failed_replace_keeps_old_graph(store):
    g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
    store.put_article(A1, g1, h1)
    bad, _ = article_graph(A1, "dos", "Dos", "2026-03-13")
    bad.add((A1, DIP.mentions, URIRef("not an iri")))
    with pytest.raises(StoreError):
        store.put_article(A1, bad, sha("dos"))
    assert store.article_hash(A1) == h1
    assert isomorphic(store.graph_of(A1), g1)


def test_oxigraph_update_request_is_one_transaction():
    """put_article's replace relies on this: a failing update request writes nothing."""
    native = ox.Store()
    g = ox.NamedNode("urn:g")
    native.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("old"), g))
    with pytest.raises(RuntimeError):
        native.update('DROP SILENT GRAPH <urn:g> ; INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> "new" } } ; DROP GRAPH <urn:missing>')
    assert [q.object.value for q in native.quads_for_pattern(None, None, None, g)] == ["old"]


def test_remove_and_has(store):
    g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
    store.put_article(A1, g1, h1)
    assert store.remove_article(A1) is True
    assert not store.has_article(A1)
    assert store.article_hash(A1) is None
    assert store.remove_article(A1) is False
    assert store.count() == 0


def test_articles_info(store):
    g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
    g2, h2 = article_graph(A2, "dos", "Dos", "2026-01-05", extra=3)
    store.put_article(A1, g1, h1)
    store.put_article(A2, g2, h2)
    infos = store.articles()
    assert [i.iri for i in infos] == [str(A2), str(A1)]  # by issued date
    second = infos[0]
    assert (second.id, second.title, second.issued, second.triples) == ("art-2", "Dos", "2026-01-05", len(g2))
    assert store.count() == len(g1) + len(g2)


def test_ontology_is_queryable_but_not_counted(store):
    onto = Graph()
    onto.add((DIP.Meeting, RDFS.subClassOf, DIP.Event))
    store.load_ontology(onto)
    store.load_ontology(onto)  # replacing is idempotent
    assert store.count() == 0
    assert store.articles() == []
    assert store.query("ASK { <%s> <%s> <%s> }" % (DIP.Meeting, RDFS.subClassOf, DIP.Event)).boolean is True
    with pytest.raises(StoreError):
        store.put_article(ONTOLOGY_GRAPH, Graph(), "x")


def test_query_select_ask_construct(store):
    g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
    store.put_article(A1, g1, h1)
    res = store.query(f"SELECT ?t ?missing WHERE {{ <{A1}> <{DCTERMS.title}> ?t OPTIONAL {{ ?t <urn:x> ?missing }} }}")
    assert res.kind == "select"
    assert res.vars == ["t", "missing"]
    assert res.rows == [(Literal("Uno", lang="es"), None)]
    assert store.query(f"ASK {{ <{PERU}> a <{DIP.Country}> }}").boolean is True
    assert store.query(f"ASK {{ <{PERU}> a <{DIP.Person}> }}").boolean is False
    res = store.query(f"CONSTRUCT {{ ?s a ?t }} WHERE {{ ?s a ?t }}")
    assert res.kind == "graph"
    assert set(res.graph) == {(A1, RDF.type, DIP.Article), (PERU, RDF.type, DIP.Country)}


def test_query_errors(store):
    with pytest.raises(QueryError, match="invalid SPARQL"):
        store.query("SELEC ?x WHERE { ?x ?p ?o }")


def test_bindings_are_data_not_code(store):
    g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
    store.put_article(A1, g1, h1)
    n = store.count()
    q = "SELECT ?s ?title WHERE { ?s <%s> ?title }" % DCTERMS.title
    assert store.query(q, {"title": 'x" } ; DROP ALL ; #'}).rows == []
    assert store.query(q, {"?title": Literal("Uno", lang="es")}).rows == [(A1, Literal("Uno", lang="es"))]
    assert store.query("SELECT ?s ?d WHERE { ?s <%s> ?d }" % DCTERMS.issued, {"d": date(2026, 3, 12)}).rows
    q2 = "SELECT ?s ?who WHERE { ?s <%s> ?who }" % DIP.mentions
    assert store.query(q2, {"who": PERU}).rows == [(A1, PERU)]
    assert store.count() == n


def test_dataset_round_trip(store):
    graphs = {A1: article_graph(A1, "uno", "Uno", "2026-03-12"), A2: article_graph(A2, "dos", "Dos", "2026-01-05", 2)}
    for iri, (g, h) in graphs.items():
        store.put_article(iri, g, h)
    ds = store.dataset()
    names = {c.identifier for c in ds.graphs() if len(c)}
    assert names == set(graphs)
    for iri, (g, _) in graphs.items():
        assert isomorphic(ds.graph(iri), g)
        assert isomorphic(store.graph_of(iri), g)


def test_context_manager_closes(tmp_path):
    for name in BACKENDS:
        with make(name, tmp_path / name) as s:
            s.count()
        with pytest.raises(StoreError, match="closed"):
            s.count()


def test_persistence(tmp_path):
    for name, cls in BACKENDS.items():
        if not cls.persistent:
            continue
        g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
        with cls(tmp_path / name) as s:
            s.put_article(A1, g1, h1)
        with cls(tmp_path / name) as s:
            assert s.article_hash(A1) == h1
            assert isomorphic(s.graph_of(A1), g1)


def test_open_store_locations(tmp_path, monkeypatch):
    with open_store("memory:") as s:
        assert s.name == "memory"
    with open_store(tmp_path / "db") as s:
        assert s.name == "oxigraph"
    monkeypatch.chdir(tmp_path)
    with open_store(None) as s:
        assert s.location.endswith(".diplokg/store")
    assert (tmp_path / ".diplokg" / "store").is_dir()
    with pytest.raises(StoreError, match="sparql"):
        open_store("https://example.org/sparql")


def test_open_store_on_a_file(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("x")
    with pytest.raises(StoreError, match="notes.txt"):
        open_store(f)


def test_open_store_locked(tmp_path):
    with open_store(tmp_path / "db"):
        with pytest.raises(StoreError, match="locked") as info:
            open_store(tmp_path / "db")
        assert "\n" not in str(info.value)
        assert str(tmp_path / "db") in str(info.value)


def test_unknown_backend():
    assert get_backend("memory") is BACKENDS["memory"]
    with pytest.raises(StoreError, match="no store named 'nope'; available: oxigraph, memory"):
        get_backend("nope")


@pytest.mark.parametrize(
    "term",
    [
        URIRef("https://w3id.org/diplokg/id/person/x"),
        Literal("Perú", lang="es"),
        Literal("plain"),
        Literal("2026-03-12", datatype=vocab.XSD.date),
        Literal("01", datatype=vocab.XSD.integer),
        Literal('a "quoted"\nline'),
    ],
)
def test_term_round_trip(term):
    assert from_ox(to_ox(term)) == term


def test_blank_nodes_are_fresh_per_mapping():
    b = BNode("N1")
    fresh: dict = {}
    assert to_ox(b, fresh) is to_ox(b, fresh)
    assert to_ox(b, fresh) != to_ox(b, {})
    assert isinstance(to_ox(b), ox.BlankNode) and from_ox(to_ox(b)) == b
