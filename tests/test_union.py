"""The default graph is the set union of the graphs: each distinct triple once.

The dev corpus and the seed article are ingested into an embedded Oxigraph store, where
entities named in several articles are stated in each article's graph (a person's type and
label, a country's name ...). Twenty-odd varied queries (aggregates, OPTIONAL, sub-queries,
property paths, GRAPH, FROM, FROM NAMED, MINUS, EXISTS, blank nodes, SELECT *) must answer
row for row what rdflib answers over the same quads, on the store and through `diplokg serve`;
the same queries run as written on Oxigraph's own union give other answers, so the tests can
fail. Updates read and write the union the same way.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from diplokg.pipeline import ingest
from diplokg.read import read_articles
from diplokg.serve import make_server
from diplokg.stores import MemoryStore, OxigraphStore
from diplokg.stores.terms import from_ox
from diplokg.stores.union import DEFAULT_WRITES_GRAPH, declares_dataset, rewrite_query, rewrite_update

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own SPARQL code

ROOT = Path(__file__).resolve().parents[1]
P = """PREFIX dip: <https://w3id.org/diplokg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

QUERIES = {
    "count all": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "count per type": "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
    "people and names": "SELECT ?p ?name WHERE { ?p a dip:Person ; rdfs:label ?name }",
    "optional aliases": "SELECT ?p ?alias WHERE { ?p a dip:Person OPTIONAL { ?p skos:altLabel ?alias } }",
    "sub-query having": """SELECT ?t ?n WHERE { { SELECT ?t (COUNT(*) AS ?n) WHERE { ?e a ?t } GROUP BY ?t }
                           FILTER(?n > 2) }""",
    "sequence path": "SELECT ?e ?name WHERE { ?e dip:participant/rdfs:label ?name }",
    "one or more": "SELECT ?c ?super WHERE { ?c rdfs:subClassOf+ ?super }",
    "zero or more count": "SELECT (COUNT(*) AS ?n) WHERE { ?c rdfs:subClassOf* dip:Event }",
    "alternative path": "SELECT ?s ?name WHERE { ?s rdfs:label|skos:altLabel ?name }",
    "inverse path": "SELECT ?class ?thing WHERE { ?class ^rdf:type ?thing }",
    "negated set": "SELECT (COUNT(*) AS ?n) WHERE { ?s !(rdf:type|dip:text) ?o }",
    "per graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "graph and union": """SELECT ?g ?name WHERE { GRAPH ?g { ?e a dip:Meeting ; dip:participant ?p }
                          ?p rdfs:label ?name }""",
    "minus": "SELECT ?p WHERE { ?p a dip:Person MINUS { ?p dip:holdsPosition ?x } }",
    "not exists": "SELECT ?e WHERE { ?e a ?t ; dip:status ?s FILTER NOT EXISTS { ?e dip:location ?l } }",
    "values and bind": """SELECT ?t ?label WHERE { VALUES ?t { dip:Meeting dip:Visit } ?e a ?t
                          BIND(STR(?t) AS ?label) }""",
    "distinct star with blank node": "SELECT DISTINCT * WHERE { ?e dip:evidence [] }",
    "star join": "SELECT * WHERE { ?e a dip:Visit ; dip:destination ?d . ?d rdfs:label ?name }",
    "blank node object": "SELECT ?e ?text WHERE { ?e dip:evidence [ dip:text ?text ] }",
    "sum of counts": "SELECT (SUM(?n) AS ?total) (COUNT(?pair) AS ?pairs) WHERE { ?pair dip:contactCount ?n }",
    "group concat": """SELECT ?p (COUNT(DISTINCT ?name) AS ?names) (COUNT(?name) AS ?rows)
                       WHERE { ?p a dip:Person ; rdfs:label|skos:altLabel ?name } GROUP BY ?p""",
    "ask": "ASK { ?p a dip:Person ; dip:holdsPosition ?x }",
}


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """The dev corpus and the seed article, ingested as a user would."""
    store = OxigraphStore(tmp_path_factory.mktemp("union") / "store")
    inputs = sorted((ROOT / "tests" / "data" / "dev").glob("*.txt")) + sorted((ROOT / "seeds").glob("*"))
    ingest(read_articles(inputs), store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def reference(corpus_store):
    """rdflib over the same quads: its default graph is the set union."""
    ds = rdflib.Dataset(default_union=True)
    for q in corpus_store.native.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.NamedNode):
            ds.graph(rdflib.URIRef(q.graph_name.value)).add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return ds


def rows_by_name(vars_: list[str], rows) -> Counter:
    """A result as a multiset of {variable: term} rows, blank nodes all alike."""
    def cell(t):
        return "_:b" if isinstance(t, rdflib.BNode) else t
    return Counter(tuple(sorted((v, cell(r[i])) for i, v in enumerate(vars_) if r[i] is not None)) for r in rows)


def rdflib_answer(ds: rdflib.Dataset, text: str):
    result = ds.query(text)
    if result.type == "ASK":
        return bool(result.askAnswer)
    names = [str(v) for v in result.vars]
    return rows_by_name(names, [tuple(row[v] for v in names) for row in result])


def store_answer(store, text: str, **dataset):
    result = store.query(text, **dataset)
    if result.kind == "ask":
        return result.boolean
    return rows_by_name(result.vars, result.rows)


@pytest.mark.parametrize("name", list(QUERIES))
def test_queries_answer_as_rdflib_over_the_same_quads(name, corpus_store, reference):
    text = P + QUERIES[name]
    assert store_answer(corpus_store, text) == rdflib_answer(reference, text), name


def test_the_bag_union_would_answer_otherwise(corpus_store, reference):
    """The fixture has triples in several graphs: Oxigraph's own union counts them again."""
    text = P + QUERIES["count all"]
    bag = int(next(iter(corpus_store.native.query(text, use_default_graph_as_union=True)))["n"].value)
    set_count = int(corpus_store.query(text).rows[0][0])
    assert set_count == len(set(reference.triples((None, None, None))))
    assert bag > set_count
    differing = []
    for name, query in QUERIES.items():
        raw = corpus_store.native.query(P + query, use_default_graph_as_union=True)
        if isinstance(raw, ox.QuerySolutions):
            names = [v.value for v in raw.variables]
            answer = rows_by_name(names, [tuple(from_ox(s[v]) if s[v] is not None else None for v in names) for s in raw])
            if answer != rdflib_answer(reference, P + query):
                differing.append(name)
    assert len(differing) >= 8, differing


def test_named_queries_keep_their_answers(corpus_store):
    """The named queries are written with DISTINCT: the set union changes none of them."""
    from diplokg.query import named_queries, page_texts

    for name, query in named_queries().items():
        text, _ = page_texts(query, {}, 1000, 0)
        bag = corpus_store.native.query(text, use_default_graph_as_union=True)
        ours = corpus_store.query(text)
        assert [v.value for v in bag.variables] == ours.vars, name
        assert [tuple(from_ox(s[v]) if s[v] is not None else None for v in bag.variables) for s in bag] == ours.rows, name


def article_graphs(store) -> list[str]:
    return [a.iri for a in store.articles()]


def subset_dataset(ds: rdflib.Dataset, default: list[str], named: list[str]) -> rdflib.Dataset:
    """What rdflib answers for FROM default FROM NAMED named: a dataset of just those graphs."""
    out = rdflib.Dataset(default_union=False)
    for g in default:
        for t in ds.graph(rdflib.URIRef(g)):
            out.default_graph.add(t)
    for g in named:
        target = out.graph(rdflib.URIRef(g))
        for t in ds.graph(rdflib.URIRef(g)):
            target.add(t)
    return out


def test_from_merges_the_named_graphs_as_a_set(corpus_store, reference):
    first, second = article_graphs(corpus_store)[:2]
    text = P + f"SELECT ?type (COUNT(*) AS ?n) FROM <{first}> FROM <{second}> WHERE {{ ?s a ?type }} GROUP BY ?type"
    expected = rdflib_answer(subset_dataset(reference, [first, second], []), P + QUERIES["count per type"].replace("?s)", "*)"))
    assert store_answer(corpus_store, text) == expected
    # the protocol's parameters say the same and win over FROM
    plain = P + "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type"
    assert store_answer(corpus_store, plain, default_graphs=[first, second], named_graphs=[]) == expected
    assert store_answer(corpus_store, text.replace(f"<{second}>", f"<{first}>"), default_graphs=[first, second],
                        named_graphs=[]) == expected


def test_from_named_alone_leaves_an_empty_default_graph(corpus_store, reference):
    first = article_graphs(corpus_store)[0]
    assert store_answer(corpus_store, f"ASK FROM NAMED <{first}> {{ ?s ?p ?o }}") is False
    text = f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{first}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    answer = corpus_store.query(text)
    assert [str(r[0]) for r in answer.rows] == [first]
    assert int(answer.rows[0][1]) == len(reference.graph(rdflib.URIRef(first)))
    other = article_graphs(corpus_store)[1]
    assert corpus_store.query(f"ASK FROM NAMED <{first}> {{ GRAPH <{other}> {{ ?s ?p ?o }} }}").boolean is False


def test_the_server_answers_the_same(corpus_store, reference):
    server = make_server(corpus_store, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for name in ("count all", "count per type", "sub-query having", "sequence path", "star join", "ask"):
            text = P + QUERIES[name]
            body = urllib.parse.urlencode({"query": text}).encode()
            request = urllib.request.Request(server.url + "sparql", data=body,
                                             headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                data = json.load(response)
            if "boolean" in data:
                assert data["boolean"] == rdflib_answer(reference, text), name
                continue
            names = data["head"]["vars"]
            got = Counter(tuple(sorted((v, _json_term(b[v])) for v in names if v in b)) for b in data["results"]["bindings"])
            assert got == rdflib_answer(reference, text), name
    finally:
        server.shutdown()
        server.server_close()


def _json_term(value: dict):
    if value["type"] == "uri":
        return rdflib.URIRef(value["value"])
    if value["type"] == "bnode":
        return "_:b"
    return rdflib.Literal(value["value"], lang=value.get("xml:lang"),
                          datatype=rdflib.URIRef(value["datatype"]) if "datatype" in value else None)


# --------------------------------------------------------------------------- updates


@pytest.fixture(params=["oxigraph", "memory"])
def small_store(request, tmp_path):
    store = OxigraphStore(tmp_path / "s") if request.param == "oxigraph" else MemoryStore()
    store.update("""INSERT DATA {
      GRAPH <http://example.org/g1> { <http://example.org/a> a <http://example.org/C> ; <http://example.org/n> 1 }
      GRAPH <http://example.org/g2> { <http://example.org/a> a <http://example.org/C> ; <http://example.org/n> 1 }
      GRAPH <http://example.org/g3> { <http://example.org/b> a <http://example.org/C> ; <http://example.org/n> 2 }
    }""")
    yield store
    store.close()


def count(store, pattern: str) -> int:
    return int(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").rows[0][0])


def test_sum_over_the_union_counts_shared_triples_once(small_store):
    assert int(small_store.query("SELECT (SUM(?v) AS ?t) WHERE { ?s <http://example.org/n> ?v }").rows[0][0]) == 3


def test_delete_where_removes_the_triples_from_every_graph(small_store):
    small_store.update("DELETE WHERE { ?s a <http://example.org/C> }")
    assert count(small_store, "GRAPH ?g { ?s a ?c }") == 0
    assert count(small_store, "GRAPH ?g { ?s <http://example.org/n> ?v }") == 3


def test_delete_data_and_insert_data_without_graph(small_store):
    small_store.update("DELETE DATA { <http://example.org/a> <http://example.org/n> 1 }")
    assert count(small_store, "GRAPH ?g { <http://example.org/a> <http://example.org/n> ?v }") == 0
    small_store.update("INSERT DATA { <http://example.org/z> <http://example.org/n> 7 }")
    assert small_store.query("ASK { <http://example.org/z> <http://example.org/n> 7 }").boolean
    assert count(small_store, f"GRAPH <{DEFAULT_WRITES_GRAPH}> {{ ?s ?p ?o }}") == 1


def test_update_where_reads_the_union_as_a_set(small_store):
    small_store.update("""INSERT { GRAPH <http://example.org/report> { <http://example.org/r> <http://example.org/total> ?t } }
                          WHERE { SELECT (SUM(?v) AS ?t) WHERE { ?s <http://example.org/n> ?v } }""")
    rows = small_store.query("SELECT ?t WHERE { GRAPH <http://example.org/report> { ?r ?p ?t } }").rows
    assert [int(r[0]) for r in rows] == [3]


def test_using_and_its_protocol_parameter(small_store):
    small_store.update("INSERT { GRAPH <http://example.org/out> { ?s a <http://example.org/Seen> } } "
                       "USING <http://example.org/g3> WHERE { ?s a <http://example.org/C> }")
    assert [str(r[0]) for r in small_store.query("SELECT ?s WHERE { ?s a <http://example.org/Seen> }").rows] == ["http://example.org/b"]
    small_store.update("INSERT { GRAPH <http://example.org/out2> { ?s a <http://example.org/Seen> } } WHERE { ?s a <http://example.org/C> }",
                       using_graphs=["http://example.org/g1"], using_named_graphs=[])
    assert count(small_store, "GRAPH <http://example.org/out2> { ?s ?p ?o }") == 1


def test_base_iri_resolves_relative_iris(small_store):
    result = small_store.query("CONSTRUCT { <s> <p> 1 } WHERE {}", base_iri="http://example.org/sparql")
    assert {str(s) for s in result.graph.subjects()} == {"http://example.org/s"}


# --------------------------------------------------------------------------- the rewriter itself


def test_text_without_default_graph_patterns_runs_as_written():
    text = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert rewrite_query(text).text == text
    assert not rewrite_query(text).changed


def test_spacing_and_comments_are_kept_where_the_text_is_copied():
    text = "SELECT ?k # the key\nWHERE { GRAPH ?g { ?s ?p ?o } BIND(COALESCE(STR(?o), \"\") AS ?k) ?s a ?t }"
    out = rewrite_query(text).text
    assert "COALESCE(STR(?o), \"\")" in out and "# the key\n" in out


def test_dataset_clauses_are_found_outside_strings_and_iris():
    assert declares_dataset("SELECT * FROM <http://x/g> { ?s ?p ?o }")
    assert declares_dataset("DELETE { ?s ?p ?o } USING <http://x/g> WHERE { ?s ?p ?o }")
    assert not declares_dataset('SELECT * { ?s ?p "FROM here" } # WITH nothing')


def test_insert_data_blank_nodes_stay_blank_nodes():
    text = rewrite_update("INSERT DATA { [] <http://x/p> _:b . _:b <http://x/q> 1 }").text
    assert "?" not in text and DEFAULT_WRITES_GRAPH in text


def test_from_and_from_named_on_every_embedded_backend(small_store):
    g1, g2, g3 = (f"http://example.org/g{i}" for i in (1, 2, 3))
    assert int(small_store.query(f"SELECT (COUNT(*) AS ?n) FROM <{g1}> FROM <{g2}> WHERE {{ ?s ?p ?o }}").rows[0][0]) == 2
    assert small_store.query(f"ASK FROM NAMED <{g3}> {{ ?s ?p ?o }}").boolean is False
    rows = small_store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", default_graphs=[], named_graphs=[g3]).rows
    assert {str(r[0]) for r in rows} == {g3}


def test_using_named_alone_reads_an_empty_default_graph(small_store):
    small_store.update("INSERT { GRAPH <http://example.org/out> { ?s a <http://example.org/Seen> } } "
                       "USING NAMED <http://example.org/g1> WHERE { ?s a <http://example.org/C> }")
    assert count(small_store, "GRAPH <http://example.org/out> { ?s ?p ?o }") == 0
    small_store.update("INSERT { GRAPH <http://example.org/out> { ?s a <http://example.org/Seen> } } "
                       "USING NAMED <http://example.org/g1> WHERE { GRAPH <http://example.org/g3> { ?s a ?c } }")
    assert count(small_store, "GRAPH <http://example.org/out> { ?s ?p ?o }") == 0
    small_store.update("INSERT { GRAPH <http://example.org/out> { ?s a <http://example.org/Seen> } } "
                       "USING NAMED <http://example.org/g1> WHERE { GRAPH ?g { ?s a ?c } }")
    assert count(small_store, "GRAPH <http://example.org/out> { ?s ?p ?o }") == 1


def test_a_nesting_bomb_is_an_error_on_the_embedded_store(small_store):
    """Oxigraph's recursive parser would overflow the stack and kill the process."""
    from diplokg.errors import QueryError

    with pytest.raises(QueryError, match="nest"):
        small_store.query("ASK " + "{ " * 20000 + "?s ?p ?o" + " }" * 20000)


@pytest.mark.parametrize("text", [
    "ASK { ?s a ?t ; ?p ?o }",
    "SELECT DISTINCT ?s WHERE { ?s a ?t OPTIONAL { ?s ?p ?o } } ORDER BY ?s LIMIT 5",
    "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }",
])
def test_queries_that_duplicates_cannot_change_run_as_written(text):
    assert rewrite_query(text).text == text


@pytest.mark.parametrize("text", [
    "SELECT DISTINCT (COUNT(*) AS ?n) WHERE { ?s a ?t }",
    "SELECT DISTINCT ?s WHERE { { SELECT ?s WHERE { ?s a ?t } } }",
    "SELECT ?s WHERE { ?s a ?t }",
    "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t } } FILTER(?n = 2) }",
])
def test_queries_that_count_are_rewritten(text):
    assert "SELECT DISTINCT ?s ?t WHERE" in rewrite_query(text).text


def test_an_update_through_the_server_deletes_from_the_union(small_store):
    server = make_server(small_store, "127.0.0.1", 0, quiet=True, allow_update=True, token="union-token")
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def post(kind: str, text: str, **headers: str):
        request = urllib.request.Request(server.url + "sparql", data=text.encode(), method="POST",
                                         headers={"Content-Type": f"application/sparql-{kind}", **headers})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()

    try:
        count_c = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://example.org/C> }"
        assert json.loads(post("query", count_c, Accept="application/sparql-results+json")[1])[
            "results"]["bindings"][0]["n"]["value"] == "2"
        assert post("update", "DELETE WHERE { ?s a <http://example.org/C> }", Authorization="Bearer union-token")[0] == 204
        assert json.loads(post("query", count_c, Accept="application/sparql-results+json")[1])[
            "results"]["bindings"][0]["n"]["value"] == "0"
    finally:
        server.shutdown()
        server.server_close()
