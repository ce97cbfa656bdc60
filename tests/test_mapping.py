"""diplokg.rdf.mapping with hand-built model objects: the contract terms, datatypes and
language tags; mentions that quote the text exactly; stable IRIs across articles;
determinism; and SHACL conformance of the article graph. No spaCy here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import rdflib.namespace
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from diplokg.model import Article, Entity, Event, Extraction, Mention, Position, Quantity, TimeExpr
from diplokg.rdf import iris, mapping
from diplokg.rdf.mapping import article_graph, map_time
from diplokg.rdf.vocab import DEFAULT_BASE, DIP, TOPIC, WD
from diplokg.validate import validate

# rdflib's XSD namespace is kept out of the module globals: pytest's collection probes every
# global and XSD warns about the unknown attribute it asks for.
_xsd = rdflib.namespace.XSD
XSD_DATE, XSD_GYEARMONTH, XSD_GYEAR = _xsd.date, _xsd.gYearMonth, _xsd.gYear
XSD_INTEGER, XSD_DECIMAL = _xsd.integer, _xsd.decimal
del _xsd

TEXT = (
    "El canciller Hugo de Zela se reunió el martes en Lima con Marco Rubio. "
    "Rubio visitará el Perú en junio. "
    "Ambos acordaron cooperar en seguridad durante 2027. "
    "Se instalarán más de 4.000 mesas de votación."
)


def span(text: str, occurrence: int = 0) -> Mention:
    """The Mention of the `occurrence`-th appearance of `text` in TEXT."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return Mention(start, start + len(text), text)


def time(text: str, value: str | None, precision: str | None) -> TimeExpr:
    m = span(text)
    return TimeExpr(text=text, start=m.start, end=m.end, value=value, precision=precision)


ZELA = Entity(
    key="person/hugo-de-zela", type="Person", label="Hugo de Zela", aliases=("De Zela",),
    mentions=(span("Hugo de Zela"),),
)
RUBIO = Entity(
    key="person/marco-rubio", type="Person", label="Marco Rubio", aliases=("Rubio",),
    mentions=(span("Marco Rubio"), span("Rubio", 1)),
)
PERU = Entity(
    key="country/peru", type="Country", label="Perú", aliases=("peruano",),
    labels=(("en", "Peru"),), wikidata="Q419", mentions=(span("Perú"),),
)
LIMA = Entity(
    key="place/lima", type="Place", label="Lima", labels=(("en", "Lima"),), wikidata="Q2868",
    mentions=(span("Lima"),),
)

POSITION = Position(holder=ZELA.key, title="canciller", of=PERU.key, evidence=span("canciller Hugo de Zela"))

MEETING = Event(
    type="Meeting",
    participants=(ZELA.key, RUBIO.key),
    status="occurred",
    evidence=span("Hugo de Zela se reunió el martes en Lima con Marco Rubio"),
    actors=(ZELA.key,),
    counterparts=(RUBIO.key,),
    location=LIMA.key,
    time=time("el martes", "2026-05-12", "day"),
    topics=("security",),
)
VISIT = Event(
    type="Visit",
    participants=(RUBIO.key,),
    status="planned",
    evidence=span("Rubio visitará el Perú en junio"),
    actors=(RUBIO.key,),
    destination=PERU.key,
    time=time("en junio", "2026-06", "month"),
)
AGREEMENT = Event(
    type="Agreement",
    participants=(ZELA.key, RUBIO.key),
    status="occurred",
    evidence=span("Ambos acordaron cooperar en seguridad"),
    time=time("durante 2027", "2027", "year"),
    topics=("security", "organized-crime"),
)
QUANTITY = Quantity(
    value=Decimal("4000"), unit="mesas de votación", qualifier="more-than",
    mention=span("más de 4.000 mesas de votación"),
)

ARTICLE = Article(
    id="prueba-1",
    text=TEXT,
    title="De Zela y Rubio en Lima",
    published=date(2026, 5, 14),
    url="https://example.org/noticias/prueba-1",
)
EXTRACTION = Extraction(
    article=ARTICLE,
    entities=(ZELA, RUBIO, PERU, LIMA),
    positions=(POSITION,),
    events=(MEETING, VISIT, AGREEMENT),
    quantities=(QUANTITY,),
)

A = iris.article_iri(ARTICLE.id)


def E(key: str) -> URIRef:
    return iris.entity_iri(key)


def event_node(event: Event) -> URIRef:
    return mapping.event_iri(event)


def mention_node(m: Mention) -> URIRef:
    return iris.mention_iri(ARTICLE.id, m.start, m.end)


@pytest.fixture(scope="module")
def g() -> Graph:
    return article_graph(EXTRACTION)


def test_hand_built_mentions_are_consistent():
    """The fixture itself: every span quotes TEXT exactly (else the tests below prove nothing)."""
    for m in [POSITION.evidence, QUANTITY.mention, *(e.evidence for e in EXTRACTION.events),
              *(m for e in EXTRACTION.entities for m in e.mentions)]:
        assert TEXT[m.start : m.end] == m.text


# --------------------------------------------------------------------------- article


def test_graph_is_named_by_the_article_iri(g):
    assert g.identifier == A == URIRef(DEFAULT_BASE + "article/prueba-1")


def test_article_metadata(g):
    assert (A, RDF.type, DIP.Article) in g
    assert set(g.objects(A, DIP.contentHash)) == {Literal(ARTICLE.content_hash)}  # text + metadata
    assert set(g.objects(A, DCTERMS.issued)) == {Literal("2026-05-14", datatype=XSD_DATE)}
    assert set(g.objects(A, DCTERMS.source)) == {URIRef("https://example.org/noticias/prueba-1")}
    assert set(g.objects(A, DCTERMS.title)) == {Literal("De Zela y Rubio en Lima", lang="es")}
    assert set(g.objects(A, DCTERMS.language)) == {Literal("es")}
    assert set(g.objects(A, DIP.mentions)) == {E(ZELA.key), E(RUBIO.key), E(PERU.key), E(LIMA.key)}


def test_article_without_optional_metadata():
    bare = article_graph(Extraction(Article(id="bare", text="Texto.")))
    a = iris.article_iri("bare")
    assert (a, RDF.type, DIP.Article) in bare
    for prop in (DCTERMS.issued, DCTERMS.source, DCTERMS.title):
        assert list(bare.objects(a, prop)) == []


@pytest.mark.parametrize("precision, value, datatype", [("month", "2020-10", XSD.gYearMonth), ("year", "2020", XSD.gYear)])
def test_partial_publication_date(precision, value, datatype):
    """A publication date known only to the month or the year is issued at that precision,
    and the graph still satisfies the shapes."""
    art = Article(id="parcial", text="Texto.", published=date(2020, 10, 1), published_precision=precision)
    graph = article_graph(Extraction(art))
    assert set(graph.objects(iris.article_iri("parcial"), DCTERMS.issued)) == {Literal(value, datatype=datatype)}
    assert validate(graph).conforms


# --------------------------------------------------------------------------- entities


def test_entities(g):
    zela, peru = E(ZELA.key), E(PERU.key)
    assert zela == URIRef(DEFAULT_BASE + "person/hugo-de-zela")
    assert set(g.objects(zela, RDF.type)) == {DIP.Person}
    assert set(g.objects(zela, RDFS.label)) == {Literal("Hugo de Zela", lang="es")}
    assert set(g.objects(zela, SKOS.altLabel)) == {Literal("De Zela", lang="es")}
    assert list(g.objects(zela, OWL.sameAs)) == []

    assert set(g.objects(peru, RDF.type)) == {DIP.Country}
    assert set(g.objects(peru, RDFS.label)) == {Literal("Perú", lang="es"), Literal("Peru", lang="en")}
    assert set(g.objects(peru, SKOS.altLabel)) == {Literal("peruano", lang="es")}
    assert set(g.objects(peru, OWL.sameAs)) == {WD.Q419} == {URIRef("http://www.wikidata.org/entity/Q419")}
    assert set(g.objects(E(LIMA.key), RDF.type)) == {DIP.Place}


def test_position(g):
    p = iris.position_iri(ZELA.key, "canciller", PERU.key)
    assert (E(ZELA.key), DIP.holdsPosition, p) in g
    assert (p, RDF.type, DIP.Position) in g
    assert set(g.objects(p, DIP.title)) == {Literal("canciller", lang="es")}
    assert set(g.objects(p, DIP.positionOf)) == {E(PERU.key)}
    assert set(g.objects(p, DIP.evidence)) == {mention_node(POSITION.evidence)}


# --------------------------------------------------------------------------- events


def test_meeting(g):
    ev = event_node(MEETING)
    assert set(g.objects(ev, RDF.type)) == {DIP.Meeting}
    assert set(g.objects(ev, DIP.status)) == {DIP.Occurred}
    assert set(g.objects(ev, DIP.participant)) == {E(ZELA.key), E(RUBIO.key)}
    assert set(g.objects(ev, DIP.actor)) == {E(ZELA.key)}
    assert set(g.objects(ev, DIP.counterpart)) == {E(RUBIO.key)}
    assert set(g.objects(ev, DIP.location)) == {E(LIMA.key)}
    assert list(g.objects(ev, DIP.destination)) == []
    assert set(g.objects(ev, DIP.topic)) == {TOPIC.security}
    assert set(g.objects(ev, DIP.evidence)) == {mention_node(MEETING.evidence)}


def test_visit(g):
    ev = event_node(VISIT)
    assert set(g.objects(ev, RDF.type)) == {DIP.Visit}
    assert set(g.objects(ev, DIP.status)) == {DIP.Planned}
    assert set(g.objects(ev, DIP.actor)) == {E(RUBIO.key)}
    assert set(g.objects(ev, DIP.destination)) == {E(PERU.key)}
    assert list(g.objects(ev, DIP.location)) == []
    assert list(g.objects(ev, DIP.topic)) == []


def test_topics_are_scheme_concepts(g):
    ev = event_node(AGREEMENT)
    assert set(g.objects(ev, DIP.topic)) == {
        URIRef("https://w3id.org/diplokg/topic/security"),
        URIRef("https://w3id.org/diplokg/topic/organized-crime"),
    }


@pytest.mark.parametrize(
    "event, lexical, datatype",
    [
        (MEETING, "2026-05-12", XSD_DATE),
        (VISIT, "2026-06", XSD_GYEARMONTH),
        (AGREEMENT, "2027", XSD_GYEAR),
    ],
    ids=["day", "month", "year"],
)
def test_event_date_per_precision(g, event, lexical, datatype):
    ev = event_node(event)
    dates = list(g.objects(ev, DIP.date))
    assert len(dates) == 1
    assert dates[0].datatype == datatype
    assert str(dates[0]) == lexical
    assert set(g.objects(ev, DIP.timeExpression)) == {Literal(event.time.text, lang="es")}


def test_unresolved_time_keeps_only_the_expression():
    g = Graph()
    node = URIRef("urn:x:event")
    map_time(g, node, TimeExpr(text="la próxima semana", start=0, end=17))
    assert set(g.objects(node, DIP.timeExpression)) == {Literal("la próxima semana", lang="es")}
    assert list(g.objects(node, DIP.date)) == []


def test_every_event_has_one_type_status_and_evidence(g):
    for event in EXTRACTION.events:
        ev = event_node(event)
        assert len(list(g.objects(ev, RDF.type))) == 1
        assert len(list(g.objects(ev, DIP.status))) == 1
        assert len(list(g.objects(ev, DIP.evidence))) == 1


# --------------------------------------------------------------------------- quantities and mentions


def test_quantity(g):
    q = iris.quantity_iri(ARTICLE.id, QUANTITY.mention.start, QUANTITY.mention.end)
    assert (A, DIP.quantity, q) in g
    assert (q, RDF.type, DIP.Quantity) in g
    values = list(g.objects(q, DIP.value))
    assert values == [Literal("4000", datatype=XSD_DECIMAL)]
    assert values[0].datatype == XSD_DECIMAL and values[0].toPython() == Decimal(4000)
    assert set(g.objects(q, DIP.unit)) == {Literal("mesas de votación", lang="es")}
    assert set(g.objects(q, DIP.qualifier)) == {Literal("more-than")}
    assert set(g.objects(q, DIP.evidence)) == {mention_node(QUANTITY.mention)}


def test_mentions_quote_the_article_text_exactly(g):
    mentions = set(g.subjects(RDF.type, DIP.Mention))
    expected = {POSITION.evidence, QUANTITY.mention, *(e.evidence for e in EXTRACTION.events)}
    assert mentions == {mention_node(m) for m in expected}
    for m in mentions:
        (start,) = g.objects(m, DIP.start)
        (end,) = g.objects(m, DIP.end)
        (text,) = g.objects(m, DIP.text)
        assert start.datatype == XSD_INTEGER and end.datatype == XSD_INTEGER
        assert text.datatype is None and text.language is None  # a plain string
        assert str(text) == TEXT[int(start) : int(end)]
        assert set(g.objects(m, DIP.inArticle)) == {A}


# --------------------------------------------------------------------------- stability


def test_same_entity_same_iri_in_two_articles():
    other_text = "Hugo de Zela viajó a Lima."
    other = Extraction(
        Article(id="prueba-2", text=other_text),
        entities=(
            Entity(key=ZELA.key, type="Person", label="Hugo de Zela", mentions=(Mention(0, 12, "Hugo de Zela"),)),
            Entity(key=LIMA.key, type="Place", label="Lima", mentions=(Mention(21, 25, "Lima"),)),
        ),
        events=(
            Event(type="Visit", participants=(ZELA.key,), status="occurred",
                  evidence=Mention(0, 25, other_text[:25]), actors=(ZELA.key,), destination=LIMA.key),
        ),
    )
    g1, g2 = article_graph(EXTRACTION), article_graph(other)
    assert g1.identifier != g2.identifier
    for key in (ZELA.key, LIMA.key):
        node = E(key)
        assert (g1.identifier, DIP.mentions, node) in g1
        assert (g2.identifier, DIP.mentions, node) in g2
    # article-bound nodes differ even at the same offsets
    events1 = set(g1.subjects(RDF.type, DIP.Visit))
    events2 = set(g2.subjects(RDF.type, DIP.Visit))
    assert events1 and events2 and not events1 & events2


def test_mapping_is_deterministic():
    first, second = article_graph(EXTRACTION), article_graph(EXTRACTION)
    assert first is not second
    assert isomorphic(first, second)
    assert set(first) == set(second)  # no blank nodes: even the triples are equal


def test_custom_base():
    base = "https://example.org/kg/"
    g = article_graph(EXTRACTION, base)
    assert g.identifier == URIRef(base + "article/prueba-1")
    assert (URIRef(base + "person/hugo-de-zela"), RDF.type, DIP.Person) in g
    assert not any(str(t).startswith(DEFAULT_BASE) for triple in g for t in triple)


# --------------------------------------------------------------------------- SHACL


def test_article_graph_conforms_to_the_shapes(g):
    report = validate(g)
    assert report.conforms, "\n".join(report.messages())
    assert report.violations == 0
