"""Contract tests: every backend in BACKENDS must pass the same assertions (the sparql backend
against a real Oxigraph server and a real Virtuoso, started by tests/servers.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from diplokg.errors import QueryError, StoreError
from diplokg.rdf.iris import article_iri, entity_iri
from diplokg.rdf import vocab
from diplokg.rdf.vocab import DCTERMS, DIP, RDF, RDFS
from diplokg.stores import BACKENDS, ONTOLOGY_GRAPH, SparqlStore, get_backend, open_store
from diplokg.stores.sparql import guess_gsp_url
from diplokg.stores.terms import from_ox, to_ox
from servers import STORE_KINDS, ScriptedServer

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


@pytest.fixture(params=STORE_KINDS)
def store(request, open_backend):
    """An empty store of every kind: each backend, and the sparql backend on two real servers
    with both ways of writing (Graph Store PUT and SPARQL Update) and both auth set-ups."""
    return open_backend(request.param)


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


def test_context_manager_closes(store):
    with store as s:
        s.count()
    with pytest.raises(StoreError, match="closed"):
        store.count()
    with pytest.raises(StoreError, match="closed"):
        store.put_article(A1, Graph(), "x")


PERSISTENT = [k for k in STORE_KINDS if k == "oxigraph" or k.startswith("sparql-")]


@pytest.mark.parametrize("kind", PERSISTENT)
def test_persistence(kind, open_backend):
    g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
    with open_backend(kind) as s:
        s.put_article(A1, g1, h1)
    with open_backend(kind, fresh=False) as s:
        assert s.article_hash(A1) == h1
        assert isomorphic(s.graph_of(A1), g1)
        assert s.put_article(A1, g1, h1) == "unchanged"


def test_registry():
    assert set(BACKENDS) == {"oxigraph", "memory", "sparql", "oxigraph-memory"}
    assert all(BACKENDS[k].name == k for k in BACKENDS)


def test_open_store_locations(tmp_path, monkeypatch):
    with open_store("memory:") as s:
        assert s.name == "memory"
    with open_store(tmp_path / "db") as s:
        assert s.name == "oxigraph"
    monkeypatch.chdir(tmp_path)
    with open_store(None) as s:
        assert s.location.endswith(".diplokg/store")
    assert (tmp_path / ".diplokg" / "store").is_dir()
    with open_store("https://example.org/sparql") as s:
        assert s.name == "sparql" and s.location == "https://example.org/sparql"


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
    with pytest.raises(StoreError, match="no store named 'nope'; available: oxigraph, memory, sparql, oxigraph-memory$"):
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


# -- the same answers everywhere -----------------------------------------------------------


def _load_query_fixture(store):
    """The graph of test_query.py (two articles, the ontology) in `store`."""
    import test_query as tq

    store.load_ontology(tq.ontology())
    art3 = article_iri("art-3")  # reports the meeting of article one again, with two mentions
    third = Graph()
    third.add((art3, RDF.type, DIP.Article))
    third.add((tq.MEETING, RDF.type, DIP.Meeting))
    third.add((tq.MEETING, DIP.participant, tq.LANDAU))
    for i, text in enumerate(("Zela y Rubio se reunieron", "la reunión en Lima")):
        mention = URIRef(f"{tq.MENTION}-{i}")
        third.add((tq.MEETING, DIP.evidence, mention))
        third.add((mention, DIP.text, Literal(text)))
        third.add((mention, DIP.inArticle, art3))
    for art, g in ((tq.ART, tq.article_one()), (tq.ART2, tq.article_two()), (art3, third)):
        store.put_article(art, g, hashlib.sha256(str(art).encode()).hexdigest())


def _query_cases():
    """(label, name, params, limit, offset): every named query's default page, and pages and
    filters that exercise both forms of the windowed queries (with limit 1 the window of the
    newest dates holds the page, so the fast form answers)."""
    import test_query as tq
    from diplokg.query import named_queries

    cases = [(name, name, {}, None, 0) for name in named_queries()]
    cases += [(f"{name}[{offset}:+1]", name, {}, 1, offset)
              for name in named_queries() for offset in (0, 1, 2)]
    cases += [
        ("meetings?person", "meetings", {"person": str(tq.ZELA)}, None, 0),
        ("meetings?nobody", "meetings", {"person": str(tq.LANDAU) + "-nobody"}, None, 0),
        ("timeline?type", "timeline", {"type": "dip:Visit"}, None, 0),
        ("timeline?person", "timeline", {"person": str(tq.LANDAU)}, 1, 0),
        ("timeline?from&to", "timeline", {"from": "2026-03-10", "to": "2026-03"}, None, 0),
        ("timeline?from[0:+1]", "timeline", {"from": "2026-03"}, 1, 0),
        ("planned?type", "planned", {"type": "dip:Meeting"}, None, 0),
        ("network?person", "network", {"person": str(tq.LANDAU)}, None, 0),
        ("topics?topic[0:+1]", "topics", {"topic": "topic:trade"}, 1, 0),
        ("articles?from", "articles", {"from": "2026-03-11"}, None, 0),
        ("all timeline", "timeline", {}, 0, 0),
        ("all people", "people", {}, 0, 0),
    ]
    return cases


@pytest.fixture(scope="module")
def reference_answers():
    """Every case's answer on the embedded Oxigraph store (the default backend)."""
    from diplokg.query import run_named
    from diplokg.stores import OxigraphMemoryStore

    with OxigraphMemoryStore() as s:
        _load_query_fixture(s)
        return {label: run_named(s, name, params, limit=limit, offset=offset)
                for label, name, params, limit, offset in _query_cases()}


def test_reference_answers_page_through(reference_answers):
    """Pages of one row, one after another, are the first rows of the whole answer."""
    for label, answer in reference_answers.items():
        if "[" in label and "?" not in label:
            name, offset = label.split("[")[0], int(label.split("[")[1].split(":")[0])
            whole = reference_answers[name].rows
            assert answer.rows == whole[offset:offset + 1], label
            assert answer.more == (len(whole) > offset + 1), label


@pytest.mark.parametrize("kind", [k for k in STORE_KINDS if k != "oxigraph-memory"])
def test_named_queries_answer_the_same_on_every_backend(kind, open_backend, reference_answers):
    from diplokg.query import run_named

    store = open_backend(kind)
    _load_query_fixture(store)
    for label, name, params, limit, offset in _query_cases():
        expected = reference_answers[label]
        got = run_named(store, name, params, limit=limit, offset=offset)
        assert got.vars == expected.vars, label
        assert got.rows == expected.rows, f"{label} on {kind}:\n{got.rows}\n!=\n{expected.rows}"
        assert got.more == expected.more, label


def _load_event_fixture(store):
    """Three articles reporting eighteen events of four types: dates shared (ties), month-only
    and missing, planned and occurred, places and topics; every graph labels what it names.
    A fourth reports four of them again, with two other places each."""
    from diplokg.rdf import vocab
    from diplokg.rdf.iris import iri
    from diplokg.rdf.mapping import add_contact_pairs
    from diplokg.rdf.vocab import TOPIC

    store.load_ontology(__import__("test_query").ontology())
    people = [entity_iri(f"person/p{i}") for i in range(5)]
    places = [entity_iri(f"place/c{i}") for i in range(3)]
    types = [DIP.Meeting, DIP.PhoneCall, DIP.Visit, DIP.Invitation]
    dates = ["2026-03-09", "2026-03-09", "2026-03-10", "2026-03", "2026-02-28", None, "2026-04-01", "2026-03-10", "2026"]
    for a in range(3):
        art = article_iri(f"ev-{a}")
        g = Graph()
        g.add((art, RDF.type, DIP.Article))
        g.add((art, DCTERMS.issued, Literal(f"2026-03-1{a}", datatype=vocab.XSD.date)))
        for i in range(6):
            n = a * 6 + i
            event = iri(f"event/ev/{n:02d}")
            g.add((event, RDF.type, types[n % 4]))
            g.add((event, DIP.status, DIP.Planned if n % 3 == 0 else DIP.Occurred))
            date = dates[n % len(dates)]
            if date:
                kind = {10: vocab.XSD.date, 7: vocab.XSD.gYearMonth, 4: vocab.XSD.gYear}[len(date)]
                g.add((event, DIP.date, Literal(date, datatype=kind)))
            for who in (people[n % 5], people[(n + 2) % 5]):
                g.add((event, DIP.participant, who))
                g.add((who, RDF.type, DIP.Person))
                g.add((who, RDFS.label, Literal(f"Persona {str(who)[-1]}", lang="es")))
            if n % 2:
                g.add((event, DIP.location, places[n % 3]))
                g.add((places[n % 3], RDFS.label, Literal(f"Ciudad {n % 3}", lang="es")))
            if n % 4 != 3:
                g.add((event, DIP.topic, TOPIC.trade if n % 2 else TOPIC.security))
            mention = iri(f"mention/ev-{a}/{i}")
            g.add((event, DIP.evidence, mention))
            g.add((mention, DIP.text, Literal(f"texto {n}")))
            g.add((mention, DIP.inArticle, art))
        add_contact_pairs(g)
        store.put_article(art, g, hashlib.sha256(str(art).encode()).hexdigest())
    # a fourth article reports four of them again, in two other places: events with more
    # than one row (two articles, two places)
    art = article_iri("ev-3")
    g = Graph()
    g.add((art, RDF.type, DIP.Article))
    for n in (0, 1, 6, 7):
        event = iri(f"event/ev/{n:02d}")
        g.add((event, RDF.type, types[n % 4]))
        for k in ((n + 1) % 3, (n + 2) % 3):
            g.add((event, DIP.location, places[k]))
            g.add((places[k], RDFS.label, Literal(f"Ciudad {k}", lang="es")))
        mention = iri(f"mention/ev-3/{n}")
        g.add((event, DIP.evidence, mention))
        g.add((mention, DIP.text, Literal(f"otra vez {n}")))
        g.add((mention, DIP.inArticle, art))
    store.put_article(art, g, hashlib.sha256(str(art).encode()).hexdigest())


def _event_cases():
    from diplokg.query import named_queries

    pages = ((1, 0), (1, 1), (2, 0), (2, 3), (3, 5))
    cases = [(name, (), limit, offset) for name, q in named_queries().items() if q.windowed for limit, offset in pages]
    filters = [("timeline", (("type", "dip:Meeting"),)), ("timeline", (("to", "2026-03-09"),)),
               ("timeline", (("from", "2026-03"), ("to", "2026-03-10"))), ("planned", (("type", "dip:Visit"),)),
               ("meetings", (("to", "2026-03"),)), ("articles", (("to", "2026-03-11"),)),
               ("topics", (("topic", "topic:security"),))]
    cases += [(name, params, limit, offset) for name, params in filters for limit, offset in pages[:3]]
    return cases


@pytest.fixture(scope="module")
def event_answers():
    from diplokg.query import named_queries, named_values, page_texts, run_named
    from diplokg.stores import OxigraphMemoryStore

    with OxigraphMemoryStore() as s:
        _load_event_fixture(s)
        answers = {case: run_named(s, case[0], dict(case[1]), limit=case[2], offset=case[3]) for case in _event_cases()}
        windowed = 0
        for name, params, limit, offset in _event_cases():
            query = named_queries()[name]
            first, exact = page_texts(query, named_values(query, dict(params)), limit, offset)
            windowed += exact is not None and len(s.query(first).rows) == limit + 1
        assert windowed >= len(_event_cases()) // 2  # the fixture does exercise the fast form
        return answers


def test_pages_are_slices_of_the_whole_answer():
    """Every named query, paged two rows at a time, gives its whole answer in order: the
    queries cut the page before looking up what they show, with rows that share an event."""
    from diplokg.query import named_queries, run_named
    from diplokg.stores import OxigraphMemoryStore

    with OxigraphMemoryStore() as s:
        _load_event_fixture(s)
        for name in named_queries():
            whole = run_named(s, name, limit=0).rows
            assert len(whole) >= 3, name
            rows, offset = [], 0
            while True:
                page = run_named(s, name, limit=2, offset=offset)
                rows += page.rows
                offset += 2
                if not page.more:
                    break
            assert rows == whole, name
            if name in ("timeline", "meetings", "planned"):
                assert len({r[-1] if name == "timeline" else r[0] for r in whole}) < len(whole), name  # shared events


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_both_forms_of_a_windowed_query_agree_on_every_backend(kind, open_backend, event_answers):
    """The fast (windowed) form and the exact form give the same rows when the window holds the
    page, on every engine; and the pages are the same on every engine."""
    from diplokg.query import named_queries, named_values, page_texts, run_named

    store = open_backend(kind)
    _load_event_fixture(store)
    for case in _event_cases():
        name, params, limit, offset = case
        query = named_queries()[name]
        first, exact = page_texts(query, named_values(query, dict(params)), limit, offset)
        label = f"{name}{dict(params)} [{offset}:+{limit}] on {kind}"
        if exact is not None:
            window_rows, exact_rows = store.query(first).rows, store.query(exact).rows
            if len(window_rows) == limit + 1:  # the window held the page (and one row more)
                assert window_rows == exact_rows, label
        got = run_named(store, name, dict(params), limit=limit, offset=offset)
        assert got.rows == event_answers[case].rows, label


# -- more of the protocol, on every backend --------------------------------------------------


def test_put_graph_is_queryable_but_not_an_article(store):
    g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
    store.put_article(A1, g1, h1)
    extra = Graph()
    extra.add((PERU, RDF.type, DIP.Agent))
    store.put_graph("https://w3id.org/diplokg/inferred", extra)
    store.put_graph("https://w3id.org/diplokg/inferred", extra)  # replaced, not added to
    assert store.query(f"ASK {{ <{PERU}> a <{DIP.Agent}> }}").boolean is True
    assert store.count() == len(g1)
    assert [a.iri for a in store.articles()] == [str(A1)]
    assert {c.identifier for c in store.dataset().graphs() if len(c)} == {A1}
    with pytest.raises(StoreError):
        store.put_graph("not an iri", extra)


def test_update(store):
    store.update('INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> "c" } }')
    assert store.query('ASK { <urn:x:a> <urn:x:b> "c" }').boolean is True
    assert store.count() == 0  # not an article graph
    with pytest.raises(QueryError, match="invalid SPARQL update"):
        store.update("INSERT DATTA { }")


# -- the sparql backend: HTTP behaviour ------------------------------------------------------

ASK_TRUE = ("application/sparql-results+json", json.dumps({"head": {}, "boolean": True}).encode())
NO_ROWS = ("application/sparql-results+json", json.dumps({"head": {"vars": ["h"]}, "results": {"bindings": []}}).encode())
SECRET = "s3cret-pw"


def _scripted(*answers):
    """A route giving `answers` in turn (the last one again and again)."""
    queue = list(answers)

    def route(method, path, body):
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return route


def test_retries_on_5xx_then_succeeds():
    with ScriptedServer(_scripted((503, "text/plain", b"busy"), (503, "text/plain", b"busy"), (200, *ASK_TRUE))) as srv:
        with SparqlStore(srv.base + "/sparql", backoff=0.01) as s:
            assert s.query("ASK { ?s ?p ?o }").boolean is True
        assert len(srv.requests) == 3


def test_gives_up_after_retries_naming_the_endpoint_not_the_password():
    with ScriptedServer(_scripted((500, "text/plain", b"Internal trouble\nsecond line"))) as srv:
        url = srv.base.replace("http://", f"http://bob:{SECRET}@") + "/sparql"
        with SparqlStore(url, retries=2, backoff=0.01) as s:
            assert SECRET not in repr(s) and SECRET not in s.location
            with pytest.raises(StoreError) as info:
                s.query("ASK { ?s ?p ?o }")
        message = str(info.value)
        assert srv.base + "/sparql" in message and "500" in message and "after 3 tries" in message
        assert "Internal trouble" in message and "\n" not in message and SECRET not in message
        assert len(srv.requests) == 3
        assert srv.requests[0][2]["Authorization"].startswith("Basic ")  # query URL == update URL


def test_4xx_is_not_retried_and_a_bad_query_is_a_query_error():
    with ScriptedServer(_scripted((400, "text/plain", b"error at 1:1: expected SELECT"))) as srv:
        with SparqlStore(srv.base + "/query", backoff=0.01) as s:
            with pytest.raises(QueryError, match="invalid SPARQL .*expected SELECT"):
                s.query("SELEC ?x")
        assert len(srv.requests) == 1


def test_auth_failure_message():
    with ScriptedServer(_scripted((401, "text/plain", b"no"))) as srv:
        with SparqlStore(srv.base + "/query", update_url=srv.base + "/update", user="bob", password=SECRET) as s:
            with pytest.raises(StoreError) as info:
                s.update("DROP SILENT GRAPH <urn:x>")
        assert "refused the credentials of user 'bob'" in str(info.value)
        assert srv.base + "/update" in str(info.value) and SECRET not in str(info.value)
        with SparqlStore(srv.base + "/query", update_url=srv.base + "/update") as s:
            with pytest.raises(StoreError, match="requires authentication .*DIPLOKG_SPARQL_PASSWORD"):
                s.update("DROP SILENT GRAPH <urn:x>")


def test_virtuoso_digest_auth_failure(virtuoso_server):
    with virtuoso_server.store(mode="digest") as good:
        good.update("DROP SILENT GRAPH <urn:x:nothing>")
    with SparqlStore(
        virtuoso_server.query_url, update_url=virtuoso_server.auth_url, user=virtuoso_server.user,
        password=SECRET, auth="digest",
    ) as bad:
        with pytest.raises(StoreError, match="refused the credentials of user 'diplokg'") as info:
            bad.put_article(A1, article_graph(A1, "uno", "Uno", "2026-03-12")[0], "h")
        assert SECRET not in str(info.value) and virtuoso_server.password not in str(info.value)


def test_credentials_go_with_updates_only():
    def route(method, path, body):
        return (204, "text/plain", b"") if path.startswith("/update") else (200, *ASK_TRUE)

    with ScriptedServer(route) as srv:
        with SparqlStore(srv.base + "/query", update_url=srv.base + "/update", gsp_url="", user="bob", password=SECRET) as s:
            s.query("ASK { ?s ?p ?o }")
            s.update("DROP SILENT GRAPH <urn:x>")
        (q_method, _, q_headers, q_body), (u_method, _, u_headers, u_body) = srv.requests
        assert "Authorization" not in q_headers and q_body.startswith(b"query=")
        assert q_headers["Accept"] == "application/sparql-results+json"
        assert u_headers["Authorization"].startswith("Basic ")
        assert u_headers["Content-Type"].startswith("application/sparql-update")
        assert u_body == b"DROP SILENT GRAPH <urn:x>"


def test_unreachable_endpoint():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once the socket is closed
    with SparqlStore(f"http://127.0.0.1:{port}/sparql", retries=1, backoff=0.01) as s:
        with pytest.raises(StoreError, match=f"cannot reach SPARQL endpoint http://127.0.0.1:{port}/sparql .*after 2 tries"):
            s.count()


def test_timeout():
    with ScriptedServer(lambda m, p, b: (200, *ASK_TRUE, {"delay": 1.0})) as srv:
        with SparqlStore(srv.base + "/sparql", timeout=0.2) as s:
            with pytest.raises(StoreError, match="did not answer within 0.2 s"):
                s.query("ASK { ?s ?p ?o }")


def test_truncated_results_are_an_error():
    """Virtuoso cuts results at ResultSetMaxRows and says so only in a header."""
    with ScriptedServer(lambda m, p, b: (200, *NO_ROWS, {"headers": {"X-SPARQL-MaxRows": "2"}})) as srv:
        with SparqlStore(srv.base + "/sparql") as s:
            with pytest.raises(StoreError, match="cut the result at 2 rows"):
                s.query("SELECT ?h WHERE { ?h ?p ?o }")


def test_graph_store_unsupported_falls_back_to_update():
    def route(method, path, body):
        if method == "PUT":
            return (405, "text/plain", b"Method Not Allowed")
        if path.startswith("/update"):
            return (204, "text/plain", b"")
        if b"ASK" in body:
            return (200, "application/sparql-results+json", b'{"head": {}, "boolean": false}')
        return (200, *NO_ROWS)

    with ScriptedServer(route) as srv:
        with SparqlStore(srv.base + "/query", update_url=srv.base + "/update") as s:
            assert s.gsp_url == srv.base + "/store"  # the Oxigraph server layout
            g, h = article_graph(A1, "uno", "Uno", "2026-03-12")
            assert s.put_article(A1, g, h) == "added"
            assert s.gsp_url == ""
        methods = [(m, p.split("?")[0]) for m, p, _h, _b in srv.requests]
        assert ("PUT", "/store") in methods and methods[-1] == ("POST", "/update")
        update = srv.requests[-1][3].decode("utf-8")
        assert update.startswith(f"DROP SILENT GRAPH <{A1}> ;\nINSERT DATA {{ GRAPH <{A1}>")
        assert "_:" not in update and "/.well-known/genid/" in update  # blank nodes skolemized
        assert '"mesas \\"de\\" votación"' in update


def test_guess_graph_store_url():
    assert guess_gsp_url("http://h:7878/query", "http://h:7878/update") == "http://h:7878/store"
    assert guess_gsp_url("http://h/x/query", "http://h/x/update") == "http://h/x/store"
    assert guess_gsp_url("http://h:8890/sparql", "http://h:8890/sparql") == "http://h:8890/sparql-graph-crud"
    assert guess_gsp_url("http://h:8890/sparql", "http://h:8890/sparql-auth") == "http://h:8890/sparql-graph-crud-auth"
    assert guess_gsp_url("http://h/ds/sparql-query", "http://h/ds/update-here") == ""


def test_open_store_sparql_urls_and_environment(monkeypatch):
    for name in ("DIPLOKG_UPDATE_URL", "DIPLOKG_GSP_URL", "DIPLOKG_SPARQL_USER", "DIPLOKG_SPARQL_PASSWORD", "DIPLOKG_SPARQL_AUTH"):
        monkeypatch.delenv(name, raising=False)
    with open_store("http://127.0.0.1:7878/query") as s:
        assert (s.name, s.update_url, s.user, s.gsp_url) == ("sparql", "http://127.0.0.1:7878/query", None, "")
    monkeypatch.setenv("DIPLOKG_UPDATE_URL", "http://127.0.0.1:7878/update")
    monkeypatch.setenv("DIPLOKG_SPARQL_USER", "alice")
    monkeypatch.setenv("DIPLOKG_SPARQL_PASSWORD", SECRET)
    monkeypatch.setenv("DIPLOKG_SPARQL_AUTH", "digest")
    with open_store("http://127.0.0.1:7878/query") as s:
        assert (s.update_url, s.user, s.auth_mode, s.gsp_url) == (
            "http://127.0.0.1:7878/update", "alice", "digest", "http://127.0.0.1:7878/store")
        assert SECRET not in repr(s) and SECRET not in s.location
    with open_store("https://h/sparql", update_url="https://h/sparql-auth", user="bob", auth="basic") as s:
        assert (s.update_url, s.user, s.auth_mode, s.gsp_url) == (
            "https://h/sparql-auth", "bob", "basic", "https://h/sparql-graph-crud-auth")
    monkeypatch.delenv("DIPLOKG_SPARQL_USER")
    with open_store(f"http://carol:{SECRET}@h:8890/sparql") as s:
        assert (s.location, s.user) == ("http://h:8890/sparql", "carol")
    with pytest.raises(StoreError, match="no HTTP auth named 'kerberos'; available: basic, digest"):
        open_store("http://h/sparql", auth="kerberos")
    with pytest.raises(StoreError, match="only applies to a SPARQL endpoint"):
        open_store("memory:", update_url="http://h/update")
    with pytest.raises(StoreError, match="must be an http"):
        open_store("http://h/sparql", update_url="ftp://h/update")


@pytest.mark.parametrize("kind", [k for k in STORE_KINDS if k.startswith("sparql-")])
def test_write_refused_by_the_server_keeps_the_old_graph(kind, open_backend, monkeypatch):
    """The server, not the client, refuses the new graph (a body it cannot parse): StoreError,
    and the stored article is still the old one (Graph Store PUT and UPDATE alike)."""
    import pyoxigraph

    store = open_backend(kind)
    g1, h1 = article_graph(A1, "uno", "Uno", "2026-03-12")
    store.put_article(A1, g1, h1)
    monkeypatch.setattr(pyoxigraph, "serialize", lambda *a, **k: b'<urn:x:a> <urn:x:b> "c" .\n<urn:x:a> <urn:x:b> "unterminated .\n')
    g2, h2 = article_graph(A1, "dos", "Dos", "2026-03-13")
    with pytest.raises(StoreError) as info:
        store.put_article(A1, g2, h2)
    assert "\n" not in str(info.value) and "<html" not in str(info.value).lower()
    monkeypatch.undo()
    assert store.article_hash(A1) == h1
    assert isomorphic(store.graph_of(A1), g1)


@pytest.fixture(scope="module")
def seed_reference(nlp, seed_article):
    """The seed article ingested into the embedded Oxigraph engine: its graph and answers."""
    from diplokg.pipeline import ingest
    from diplokg.query import named_queries, run_named
    from diplokg.stores import OxigraphMemoryStore

    with OxigraphMemoryStore() as s:
        ingest([seed_article], s)
        (info,) = s.articles()
        return info, s.graph_of(info.iri), {n: run_named(s, n) for n in named_queries()}


@pytest.mark.parametrize("kind", [k for k in STORE_KINDS if k != "oxigraph-memory"])
def test_ingest_the_seed_article_everywhere(kind, open_backend, seed_article, seed_reference):
    """The pipeline through each backend stores the same graph and answers the same."""
    from diplokg.pipeline import ingest
    from diplokg.query import run_named

    info, graph, answers = seed_reference
    store = open_backend(kind)
    assert ingest([seed_article], store).added == [seed_article.id]
    assert store.articles() == [info]
    assert isomorphic(store.graph_of(info.iri), graph)
    for name, expected in answers.items():
        got = run_named(store, name)
        assert (got.vars, got.rows) == (expected.vars, expected.rows), f"{name} on {kind}"
    assert ingest([seed_article], store).unchanged == [seed_article.id]


@pytest.fixture(scope="module")
def dev_corpus_graphs(nlp):
    """The twelve dev articles extracted once; their article graphs and content hashes."""
    from pathlib import Path

    from diplokg.extract import extract
    from diplokg.rdf.mapping import article_graph as map_article
    from diplokg.read import read_articles

    dev = Path(__file__).resolve().parent / "data" / "dev"
    out = []
    for article in read_articles(sorted(dev.glob("dev*.txt"))):
        graph = map_article(extract(article, nlp))
        out.append((str(graph.identifier), graph, article.content_hash))
    return out


@pytest.fixture(scope="module")
def dev_reference(dev_corpus_graphs):
    from diplokg.query import named_queries, run_named
    from diplokg.stores import OxigraphMemoryStore

    with OxigraphMemoryStore() as s:
        for iri, graph, digest in dev_corpus_graphs:
            s.put_article(iri, graph, digest)
        return s.count(), {n: run_named(s, n) for n in named_queries()}


@pytest.mark.parametrize("kind", [k for k in STORE_KINDS if k != "oxigraph-memory"])
def test_dev_corpus_same_triples_and_answers_on_every_backend(kind, open_backend, dev_corpus_graphs, dev_reference):
    from diplokg.query import run_named

    count, answers = dev_reference
    store = open_backend(kind)
    for iri, graph, digest in dev_corpus_graphs:
        assert store.put_article(iri, graph, digest) == "added"
    assert len(store.articles()) == 12
    assert store.count() == count
    for name, expected in answers.items():
        got = run_named(store, name)
        assert got.vars == expected.vars, f"{name} on {kind}"
        if kind.startswith("sparql-virtuoso"):
            # Virtuoso 7.2 orders some computed string keys (COALESCE of a label and an IRI)
            # its own way: the same rows, compared as a multiset.
            assert sorted(map(repr, got.rows)) == sorted(map(repr, expected.rows)), f"{name} on {kind}"
        else:
            assert got.rows == expected.rows, f"{name} on {kind}"
