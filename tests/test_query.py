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
from diplokg.query import (DEFAULT_LIMIT, NamedQuery, format_result, named_queries, page_texts, parse_named_query,
                           parse_value, run_named, run_query, shorten)
from diplokg.rdf import vocab
from diplokg.rdf.iris import article_iri, entity_iri, iri
from diplokg.rdf.vocab import DCTERMS, DIP, RDF, RDFS, SKOS, TOPIC
from diplokg.rdf.mapping import add_contact_pairs
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
    return add_contact_pairs(g)


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
    return add_contact_pairs(g)


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
    assert [(p.name, p.optional) for p in queries["meetings"].params] == [("person", True), ("from", True), ("to", True)]


def test_every_named_query_runs(store):
    for name in named_queries():
        assert run_named(store, name).kind == "select", name


def test_meetings(store):
    res = run_named(store, "meetings")
    assert res.vars == ["event", "date", "location", "participants"]
    assert len(res.rows) == 1
    event, date, location, participants = res.rows[0]
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
    res = run_named(store, "people")
    assert res.vars == ["person", "name", "title", "of_label", "articles"]
    rows = [(str(r[1]), None if r[2] is None else str(r[2]), None if r[3] is None else str(r[3]), int(r[4])) for r in res.rows]
    # the most often named first (Zela and Rubio are named by both articles), then by name
    assert rows == [("Hugo de Zela", None, None, 2), ("Marco Rubio", "secretario de estado", "Estados Unidos", 2),
                    ("Christopher Landau", None, None, 1)]


def test_timeline_planned_topics_articles(store):
    timeline = run_named(store, "timeline")
    assert [r[1] for r in timeline.rows] == [DIP.PhoneCall, DIP.Meeting, DIP.Visit]  # newest first; "2026-03" last
    meeting = next(r for r in timeline.rows if r[1] == DIP.Meeting)
    assert str(meeting[4]) == "se reunió con Rubio" and meeting[5] == ART
    call = timeline.rows[0]
    assert str(call[3]) == "Christopher Landau, Hugo de Zela, Marco Rubio"

    planned = run_named(store, "planned")
    assert [(r[0], r[1], str(r[3]), str(r[4])) for r in planned.rows] == [(VISIT, DIP.Visit, "la próxima semana", "Perú")]

    topics = run_named(store, "topics")
    assert [(r[0], str(r[3])) for r in topics.rows] == [(MEETING, "comercio")]

    articles = run_named(store, "articles")
    assert [r[0] for r in articles.rows] == [ART2, ART]  # newest first
    assert int(articles.rows[1][3]) == len(article_one()) + 1  # + dip:contentHash


def test_unknown_query_and_param(store):
    with pytest.raises(QueryError, match="no query named 'nope'; available: articles, meetings"):
        run_named(store, "nope")
    with pytest.raises(QueryError, match="has no parameter 'country'; parameters: person, from, to"):
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
    assert header.split() == ["event", "date", "location", "participants"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert row.startswith("id:event/art-1/m1")
    assert header.index("date") == row.index("2026-03-09")
    assert shorten(str(DIP.Meeting)) == "dip:Meeting"


def test_format_csv(store):
    text = format_result(run_named(store, "meetings"), "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["event", "date", "location", "participants"]
    assert rows[1][:3] == [str(MEETING), "2026-03-09", "Lima"]
    assert text.endswith("\r\n")


def test_format_json(store):
    doc = json.loads(format_result(run_named(store, "meetings"), "json"))
    assert doc["head"]["vars"] == ["event", "date", "location", "participants"]
    (binding,) = doc["results"]["bindings"]
    assert binding["event"] == {"type": "uri", "value": str(MEETING)}
    assert binding["date"] == {"type": "literal", "value": "2026-03-09", "datatype": str(vocab.XSD.date)}
    assert binding["location"] == {"type": "literal", "value": "Lima", "xml:lang": "es"}
    planned = json.loads(format_result(run_named(store, "planned"), "json"))["results"]["bindings"][0]
    assert "date" in planned and "location" in planned
    undated = json.loads(format_result(run_named(store, "timeline", {"type": "dip:Visit"}), "json"))
    assert all("evidence" not in b for b in undated["results"]["bindings"])  # unbound cells are left out
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


# -- pages, parameters and the template markers ------------------------------------------


def test_pages(store):
    whole = run_named(store, "timeline", limit=0)
    assert len(whole.rows) == 3 and not whole.more
    pages = [run_named(store, "timeline", limit=1, offset=k) for k in range(4)]
    assert [row for page in pages for row in page.rows] == whole.rows
    assert [page.more for page in pages] == [True, True, False, False]
    assert run_named(store, "timeline").limit == DEFAULT_LIMIT
    with pytest.raises(QueryError, match="0 or more"):
        run_named(store, "timeline", limit=-1)


def test_filters(store):
    assert [r[1] for r in run_named(store, "timeline", {"type": "dip:Visit"}).rows] == [DIP.Visit]
    assert [r[1] for r in run_named(store, "timeline", {"from": "2026-03-10"}).rows] == [DIP.PhoneCall]
    # a date cut to the bound's length: "2026-03" is within "until 2026-03-09", "2026-03-11" is not
    assert [r[1] for r in run_named(store, "timeline", {"to": "2026-03-09"}).rows] == [DIP.Meeting, DIP.Visit]
    assert [r[1] for r in run_named(store, "timeline", {"person": str(LANDAU)}).rows] == [DIP.PhoneCall]
    pairs = {(str(r[1]), str(r[3])): int(r[4]) for r in run_named(store, "network", {"person": str(ZELA)}).rows}
    assert pairs == {("Hugo de Zela", "Marco Rubio"): 2, ("Christopher Landau", "Hugo de Zela"): 1}
    assert [r[0] for r in run_named(store, "topics", {"topic": "topic:trade"}).rows] == [MEETING]
    assert run_named(store, "topics", {"topic": "topic:health"}).rows == []
    assert [r[0] for r in run_named(store, "planned", {"person": str(RUBIO)}).rows] == [VISIT]
    assert [r[0] for r in run_named(store, "articles", {"from": "2026-03-11"}).rows] == [ART2]


def _template(body: str, params: tuple[str, ...] = ("who",)) -> NamedQuery:
    header = "# description: a test\n" + "".join(f"# param: {p} (optional) x\n" for p in params)
    return parse_named_query(header + body, Path("t.rq"))


def test_template_markers():
    q = _template(
        "SELECT ?x WHERE {\n"
        "#[window\n"
        "  ?x ?p ?o .\n"
        "#]\n"
        "#[!window\n"
        "#[who\n"
        "  VALUES ?who { UNDEF }\n"
        "  ?x ?p ?who .\n"
        "#]\n"
        "#]\n"
        "}\n"
        "LIMIT 100  # page: 2 * (offset + limit)\n"
        "OFFSET 0  # page: offset\n"
    )
    assert q.windowed and q.sparql == q.render()
    text = q.render({"who": URIRef("urn:a")}, limit=10, offset=5)
    assert "VALUES ?who { <urn:a> }" in text and "LIMIT 30" in text and "OFFSET 5" in text
    assert "?x ?p ?o" not in text
    text = q.render(limit=0, window=True)
    assert "LIMIT" not in text and "?x ?p ?o" in text and "?who" not in text


def test_template_errors():
    with pytest.raises(QueryError, match=r"no 'VALUES \?who \{ UNDEF \}' slot"):
        _template("SELECT * WHERE { }\n")
    with pytest.raises(QueryError, match="not closed"):
        _template("#[who\nSELECT * WHERE { VALUES ?who { UNDEF } }\n")
    with pytest.raises(QueryError, match="closes no block"):
        _template("SELECT * WHERE { VALUES ?who { UNDEF } }\n#]\n")
    with pytest.raises(QueryError, match="conditions among: window, all, who"):
        _template("#[nope\nSELECT * WHERE { VALUES ?who { UNDEF } }\n#]\n")
    with pytest.raises(QueryError, match="bad page marker"):
        _template("SELECT * WHERE { VALUES ?who { UNDEF } } LIMIT 10  # page: __import__('os')\n")


def test_parameter_values_are_written_as_terms():
    evil = '"} ; DROP ALL ; {"'
    text = named_queries()["meetings"].render({"person": parse_value(evil)})
    assert 'VALUES ?person { "\\"} ; DROP ALL ; {\\"" }' in text


def test_the_window_is_used_only_when_it_honours_every_value():
    meetings = named_queries()["meetings"]
    first, exact = page_texts(meetings, {}, 10, 0)
    assert exact is not None and "?later" in first and "LIMIT 11" in first  # one row more tells of more
    first, exact = page_texts(meetings, {"from": Literal("2026")}, 10, 0)
    assert exact is not None and 'VALUES ?from { "2026" }' in first
    first, exact = page_texts(meetings, {"person": ZELA}, 10, 0)
    assert exact is None and "?later" not in first
    first, exact = page_texts(meetings, {}, 0, 0)  # every row: the exact form only
    assert exact is None and "?later" not in first
    first, exact = page_texts(named_queries()["network"], {}, 10, 0)
    assert "FILTER(?floor > 1)" in first and "?floor > 1" not in exact
