"""Every export format parses back with rdflib and is isomorphic to what was stored."""

from __future__ import annotations

import io

import pytest
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.compare import isomorphic

from diplokg.errors import DiplokgError
from diplokg.export import FORMATS, export
from diplokg.rdf import vocab
from diplokg.rdf.iris import article_iri, entity_iri
from diplokg.rdf.vocab import DCTERMS, DIP, RDF, RDFS
from servers import STORE_KINDS

PERU = entity_iri("country/peru")
RDFLIB_FORMAT = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "nt": "nt", "jsonld": "json-ld"}


def article(slug: str, title: str) -> Graph:
    iri = article_iri(slug)
    g = Graph()
    g.add((iri, RDF.type, DIP.Article))
    g.add((iri, DCTERMS.title, Literal(title, lang="es")))
    g.add((iri, DCTERMS.issued, Literal("2026-03-12", datatype=vocab.XSD.date)))
    g.add((iri, DIP.contentHash, Literal(f"hash-{slug}")))
    g.add((iri, DIP.mentions, PERU))
    g.add((PERU, RDFS.label, Literal("Perú", lang="es")))  # shared by both articles
    q = BNode()
    g.add((iri, DIP.quantity, q))
    g.add((q, DIP.value, Literal("4000", datatype=vocab.XSD.decimal)))
    g.add((q, DIP.unit, Literal('mesas "de" votación\ny más')))
    # numbers whose Turtle shorthand would change the lexical form must survive as stored
    g.add((q, RDF.value, Literal("1.5", datatype=vocab.XSD.double)))
    g.add((q, RDFS.comment, Literal("1", datatype=vocab.XSD.boolean)))
    g.add((iri, DIP.start, Literal(12)))
    return g


GRAPHS = {article_iri("a1"): article("a1", "Uno"), article_iri("a2"): article("a2", "Dos")}


@pytest.fixture(params=STORE_KINDS)
def store(request, open_backend):
    s = open_backend(request.param)  # every backend; the sparql one on real servers (tests/servers.py)
    ontology = Graph()
    ontology.add((DIP.Meeting, RDFS.subClassOf, DIP.Event))
    s.load_ontology(ontology)  # must not be exported
    for iri, g in GRAPHS.items():
        s.put_article(iri, g, f"hash-{str(iri).rsplit('/', 1)[1]}")
    yield s
    s.close()


def union() -> Graph:
    g = Graph()
    for part in GRAPHS.values():
        for t in part:
            g.add(t)
    return g


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(store, fmt, tmp_path):
    text = export(store, fmt)
    if fmt in ("trig", "nq", "jsonld"):
        ds = Dataset()
        ds.parse(data=text, format=RDFLIB_FORMAT[fmt])
        names = {g.identifier for g in ds.graphs() if len(g)}
        assert names == set(GRAPHS)
        for iri, g in GRAPHS.items():
            assert isomorphic(ds.graph(iri), g), fmt
    else:
        parsed = Graph().parse(data=text, format=RDFLIB_FORMAT[fmt])
        assert len(parsed) == len(union())  # the shared label appears once
        assert isomorphic(parsed, union())
    assert str(DIP.Event) not in text and "dip:Event" not in text


def test_outputs(store, tmp_path):
    path = tmp_path / "out.trig"
    assert export(store, "trig", path) is None
    text = path.read_text(encoding="utf-8")
    assert "@prefix dip:" in text or "PREFIX dip:" in text
    sink = io.StringIO()
    export(store, "nq", sink)
    binary = io.BytesIO()
    export(store, "nq", binary)
    assert sink.getvalue().encode("utf-8") == binary.getvalue()


def test_unknown_format(store):
    with pytest.raises(DiplokgError, match="available: ttl, trig, nq, nt, jsonld"):
        export(store, "rdfxml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_rdflib_path_round_trips_too(store, fmt):
    """The path non-Oxigraph backends take (everything through store.dataset())."""
    from diplokg.export import _with_rdflib

    text = _with_rdflib(store, fmt).decode("utf-8")
    if fmt in ("trig", "nq", "jsonld"):
        ds = Dataset()
        ds.parse(data=text, format=RDFLIB_FORMAT[fmt])
        for iri, g in GRAPHS.items():
            assert isomorphic(ds.graph(iri), g), fmt
    else:
        assert isomorphic(Graph().parse(data=text, format=RDFLIB_FORMAT[fmt]), union())
