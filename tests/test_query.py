"""Named queries and result formatting, on a small hand-built graph in the contract terms."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from diplokg.errors import QueryError
from diplokg.query import format_result, named_queries, parse_value, run_named, run_query, shorten
from diplokg.rdf import vocab
from diplokg.rdf.iris import article_iri, entity_iri, iri
from diplokg.rdf.vocab import DCTERMS, DIP, RDF, RDFS, SKOS, TOPIC
from diplokg.stores import MemoryStore

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
ART = article_iri("art-1")
ART2 = article_iri("art-2")
ZELA = entity_iri("person/hugo-de-zela")
RUBIO = entity_iri("person/marco-rubio")
LANDAU = entity_iri("person/christopher-landau")
PERU = entity_iri("country/peru")
USA = entity_iri("country/estados-unidos")
LIMA = entity_iri("place/lima")
MEETING = iri("event/art-1/m1")
CALL = iri("event/art-2/c1")
VISIT = iri("event/art-1/v1")
POST = iri("position/p1")
MENTION = iri("mention/art-1/0-20")


def es(text: str) -> Literal:
    return Literal(text, lang="es")


def label(g: Graph, node: URIRef, kind: URIRef, name: str) -> None:
    g.add((node, RDF.type, kind))
    g.add((node, RDFS.label, es(name)))


def article_one() -> Graph:
    g = Graph()
    g.add((ART, RDF.type, DIP.Article))
    g.add((ART, DCTERMS.title, es("Canciller se reúne con el secretario de Estado")))
    g.add((ART, DCTERMS.issued, Literal("2026-03-10", datatype=vocab.XSD.date)))
    label(g, ZELA, DIP.Person, "Hugo de Zela")
    label(g, RUBIO, DIP.Person, "Marco Rubio")
    label(g, PERU, DIP.Country, "Perú")
    label(g, USA, DIP.Country, "Estados Unidos")
    label(g, LIMA, DIP.Place, "Lima")
    g.add((RUBIO, DIP.holdsPosition, POST))
    g.add((POST, RDF.type, DIP.Position))
    g.add((POST, DIP.title, es("secretario de estado")))
    g.add((POST, DIP.positionOf, USA))
    g.add((MEETING, RDF.type, DIP.Meeting))
    g.add((MEETING, DIP.participant, ZELA))
    g.add((MEETING, DIP.participant, RUBIO))
    g.add((MEETING, DIP.location, LIMA))
    g.add((MEETING, DIP.date, Literal("2026-03-09", datatype=vocab.XSD.date)))
    g.add((MEETING, DIP.status, DIP.Occurred))
    g.add((MEETING, DIP.topic, TOPIC.trade))
    g.add((TOPIC.trade, SKOS.prefLabel, es("comercio")))
    g.add((MEETING, DIP.evidence, MENTION))
    g.add((MENTION, DIP.inArticle, ART))
    g.add((MENTION, DIP.text, Literal("se reunió con Rubio")))
    g.add((VISIT, RDF.type, DIP.Visit))
    g.add((VISIT, DIP.actor, RUBIO))
    g.add((VISIT, DIP.participant, RUBIO))
    g.add((VISIT, DIP.destination, PERU))
    g.add((VISIT, DIP.status, DIP.Planned))
    g.add((VISIT, DIP.timeExpression, Literal("la próxima semana")))
    g.add((VISIT, DIP.date, Literal("2026-03", datatype=vocab.XSD.gYearMonth)))
    return g


def article_two() -> Graph:
    """Repeats labels already stated in article one (the union default graph is a bag)."""
    g = Graph()
    g.add((ART2, RDF.type, DIP.Article))
    g.add((ART2, DCTERMS.title, es("Llamada")))
    g.add((ART2, DCTERMS.issued, Literal("2026-03-11", datatype=vocab.XSD.date)))
    label(g, ZELA, DIP.Person, "Hugo de Zela")
    label(g, RUBIO, DIP.Person, "Marco Rubio")
    label(g, LANDAU, DIP.Person, "Christopher Landau")
    g.add((CALL, RDF.type, DIP.PhoneCall))
    g.add((CALL, DIP.actor, ZELA))
    g.add((CALL, DIP.counterpart, RUBIO))
    g.add((CALL, DIP.participant, ZELA))
    g.add((CALL, DIP.participant, RUBIO))
    g.add((CALL, DIP.participant, LANDAU))
    g.add((CALL, DIP.status, DIP.Occurred))
    g.add((CALL, DIP.date, Literal("2026-03-11", datatype=vocab.XSD.date)))
    return g


def ontology() -> Graph:
    """The project's ontology when it is there, else the few axioms the queries may touch."""
    g = Graph()
    files = [ONTOLOGY_DIR / "diplomacy.ttl", ONTOLOGY_DIR / "topics.ttl"]
    if all(f.exists() for f in files):
        for f in files:
            g.parse(f)
    else:
        for cls in ("Meeting", "PhoneCall", "Visit"):
            g.add((DIP[cls], RDFS.subClassOf, DIP.Event))
    return g


@pytest.fixture(scope="module")
def store():
    s = MemoryStore()
    s.load_ontology(ontology())
    for art, g in ((ART, article_one()), (ART2, article_two())):
        s.put_article(art, g, hashlib.sha256(str(art).encode()).hexdigest())
    yield s
    s.close()


def test_named_queries_load_with_descriptions():
    queries = named_queries()
    assert {"meetings", "people", "timeline", "planned", "topics", "network", "articles"} <= set(queries)
    for q in queries.values():
        assert q.description, q.name
        assert q.path.stem == q.name
    assert [(p.name, p.optional) for p in queries["meetings"].params] == [("person", True)]


def test_every_named_query_runs(store):
    for name in named_queries():
        assert run_named(store, name).kind == "select", name


def test_meetings(store):
    res = run_named(store, "meetings")
    assert res.vars[:4] == ["event", "date", "location", "participants"]
    assert len(res.rows) == 1
    event, date, location, participants, _ = res.rows[0]
    assert (event, str(date), str(location)) == (MEETING, "2026-03-09", "Lima")
    assert sorted(str(participants).split(", ")) == ["Hugo de Zela", "Marco Rubio"]
    assert len(run_named(store, "meetings", {"person": str(ZELA)}).rows) == 1
    assert run_named(store, "meetings", {"person": f"<{LANDAU}>"}).rows == []


def test_network_edges(store):
    res = run_named(store, "network")
    edges = {(str(r[1]), str(r[3])): int(r[4]) for r in res.rows}
    assert edges[("Hugo de Zela", "Marco Rubio")] == 2  # the meeting and the call, counted once each
    assert edges[("Christopher Landau", "Hugo de Zela")] == 1
    assert len(edges) == 3


def test_people(store):
    rows = {(str(r[1]), None if r[2] is None else str(r[2]), None if r[3] is None else str(r[3])) for r in run_named(store, "people").rows}
    assert ("Marco Rubio", "secretario de estado", "Estados Unidos") in rows
    assert ("Hugo de Zela", None, None) in rows
    assert len(rows) == 3


def test_timeline_planned_topics_articles(store):
    timeline = run_named(store, "timeline")
    assert [r[1] for r in timeline.rows] == [DIP.Visit, DIP.Meeting, DIP.PhoneCall]  # "2026-03" sorts first
    meeting = next(r for r in timeline.rows if r[1] == DIP.Meeting)
    assert str(meeting[4]) == "se reunió con Rubio" and meeting[5] == ART

    planned = run_named(store, "planned")
    assert [(r[0], r[1], str(r[3]), str(r[4])) for r in planned.rows] == [(VISIT, DIP.Visit, "la próxima semana", "Perú")]

    topics = run_named(store, "topics")
    assert [(r[0], str(r[3])) for r in topics.rows] == [(MEETING, "comercio")]

    articles = run_named(store, "articles")
    assert [r[0] for r in articles.rows] == [ART, ART2]
    assert int(articles.rows[0][3]) == len(article_one()) + 1  # + dip:contentHash


def test_unknown_query_and_param(store):
    with pytest.raises(QueryError, match="no query named 'nope'; available: articles, meetings"):
        run_named(store, "nope")
    with pytest.raises(QueryError, match="has no parameter 'country'; parameters: person"):
        run_named(store, "meetings", {"country": "x"})
    with pytest.raises(QueryError, match="takes no parameters"):
        run_named(store, "people", {"x": "1"})


def test_invalid_sparql_is_one_line(store):
    with pytest.raises(QueryError) as info:
        run_query(store, "SELECT ?x WHERE { ?x ?p }")
    assert "\n" not in str(info.value)


def test_parse_value():
    assert parse_value("https://w3id.org/diplokg/id/person/x") == URIRef("https://w3id.org/diplokg/id/person/x")
    assert parse_value("<urn:x>") == URIRef("urn:x")
    assert parse_value("id:person/x") == URIRef("https://w3id.org/diplokg/id/person/x")
    assert parse_value("dip:Meeting") == DIP.Meeting
    assert parse_value("Perú") == Literal("Perú")
    assert parse_value("nota: algo") == Literal("nota: algo")


def test_format_table(store):
    text = format_result(run_named(store, "meetings"), "table")
    header, rule, row, count = text.splitlines()
    assert count == "(1 row)" and text.endswith("\n")
    assert header.split() == ["event", "date", "location", "participants", "person"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert row.startswith("id:event/art-1/m1")
    assert header.index("date") == row.index("2026-03-09")
    assert shorten(str(DIP.Meeting)) == "dip:Meeting"


def test_format_csv(store):
    text = format_result(run_named(store, "meetings"), "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["event", "date", "location", "participants", "person"]
    assert rows[1][:3] == [str(MEETING), "2026-03-09", "Lima"]
    assert text.endswith("\r\n")


def test_format_json(store):
    doc = json.loads(format_result(run_named(store, "meetings"), "json"))
    assert doc["head"]["vars"] == ["event", "date", "location", "participants", "person"]
    (binding,) = doc["results"]["bindings"]
    assert binding["event"] == {"type": "uri", "value": str(MEETING)}
    assert binding["date"] == {"type": "literal", "value": "2026-03-09", "datatype": str(vocab.XSD.date)}
    assert binding["location"] == {"type": "literal", "value": "Lima", "xml:lang": "es"}
    assert "person" not in binding  # unbound cells are left out
    ask = json.loads(format_result(run_query(store, "ASK { ?s ?p ?o }"), "json"))
    assert ask == {"head": {}, "boolean": True}


def test_format_graph_and_unknown(store):
    res = run_query(store, f"CONSTRUCT {{ ?e a <{DIP.Meeting}> }} WHERE {{ ?e a <{DIP.Meeting}> }}")
    assert "dip:Meeting" in format_result(res, "table")
    with pytest.raises(QueryError, match="available: table, csv, json"):
        format_result(res, "xml")


def test_named_queries_follow_the_ontology_subclasses():
    """A class the ontology adds under dip:Event is found by the event queries."""
    from diplokg.query import ontology_subclasses, with_subclasses

    assert set(ontology_subclasses("Event")) >= {"Meeting", "PhoneCall", "Visit", "RelationsDowngrade"}
    text = "SELECT * WHERE { VALUES ?type { dip:Meeting }  # subclasses of dip:Event\n ?e a ?type }"
    refilled = with_subclasses(text)
    assert "dip:Sanction" in refilled and "dip:Event " not in refilled.split("#")[0]
    for name in ("timeline", "planned", "topics"):
        assert "dip:RelationsDowngrade" in named_queries()[name].sparql
