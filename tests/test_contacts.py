"""The contact counts the stores keep (CONTACTS_GRAPH), against the join they replace, on
every backend: writes, shared events, replacement, removal, bulk ingest, export and import."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import servers
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from diplokg.lifecycle import import_file
from diplokg.pipeline import ensure_ontology, ingest
from diplokg.query import run_named
from diplokg.rdf.iris import article_iri, entity_iri, iri
from diplokg.rdf.mapping import add_contact_pairs
from diplokg.rdf.vocab import DIP
from diplokg.read import read_articles
from diplokg.stores import CONTACTS_GRAPH

DEV = Path(__file__).parent / "data" / "dev"
X, Y, Z = (entity_iri(f"person/{n}") for n in ("xavier", "yolanda", "zoe"))
M1, M2, C1 = iri("event/m1"), iri("event/m2"), iri("event/c1")

# What the counts replace: every meeting or call joined with its agents, at query time.
EXACT = """PREFIX dip: <https://w3id.org/diplokg/ontology#>
SELECT ?a ?b (COUNT(DISTINCT ?event) AS ?count) WHERE {
  VALUES ?class { dip:Meeting dip:PhoneCall }
  ?event a ?class ; dip:participant|dip:actor|dip:counterpart ?a , ?b .
  FILTER(STR(?a) < STR(?b))
} GROUP BY ?a ?b"""
KEPT = f"""PREFIX dip: <https://w3id.org/diplokg/ontology#>
SELECT ?a ?b ?count WHERE {{ GRAPH <{CONTACTS_GRAPH}> {{
  ?pair dip:contactCount ?count ; dip:firstMember ?a ; dip:secondMember ?b }} }}"""


def counts(store, sparql: str) -> dict[tuple[str, str], int]:
    return {(str(a), str(b)): int(n) for a, b, n in store.query(sparql).rows}


def kept(store) -> dict[tuple[str, str], int]:
    """The kept counts, checked against the join first."""
    found = counts(store, KEPT)
    assert found == counts(store, EXACT)
    return found


def article(name: str, events: dict) -> tuple[str, Graph, str]:
    a = article_iri(name)
    g = Graph()
    g.add((a, RDF.type, DIP.Article))
    for e, (cls, agents) in events.items():
        g.add((e, RDF.type, cls))
        for role, agent in agents:
            g.add((e, role, agent))
    add_contact_pairs(g)
    digest = hashlib.sha256(g.serialize(format="nt").encode()).hexdigest()
    return str(a), g, digest


P, ACT, CP = DIP.participant, DIP.actor, DIP.counterpart
A = article("a", {M1: (DIP.Meeting, [(P, X), (P, Y)]), C1: (DIP.PhoneCall, [(ACT, X), (CP, Y), (P, Z)])})
B = article("b", {M1: (DIP.Meeting, [(P, X), (P, Y)]), M2: (DIP.Meeting, [(P, Y), (P, Z)])})
B2 = article("b", {M2: (DIP.Meeting, [(P, Y), (P, Z)])})


@pytest.mark.parametrize("kind", servers.STORE_KINDS)
def test_counts_follow_every_write(open_backend, kind):
    store = open_backend(kind)
    for name, graph, digest in (A, B):
        store.put_article(name, graph, digest)
    xy, xz, yz = (str(X), str(Y)), (str(X), str(Z)), (str(Y), str(Z))
    assert kept(store) == {xy: 2, xz: 1, yz: 2}  # M1 is in both articles: counted once
    assert store.put_article(*B2) == "replaced"
    assert kept(store) == {xy: 2, xz: 1, yz: 2}  # M1 is still reported by A
    assert store.remove_article(A[0])
    assert kept(store) == {yz: 1}
    assert store.remove_article(B2[0])
    assert kept(store) == {}


def test_network_reads_the_counts(open_backend):
    store = open_backend("oxigraph-memory")
    for name, graph, digest in (A, B):
        store.put_article(name, graph, digest)
    rows = run_named(store, "network").rows
    assert [(str(r[0]), str(r[2]), int(r[4])) for r in rows] == [(str(X), str(Y), 2), (str(Y), str(Z), 2), (str(X), str(Z), 1)]
    rows = run_named(store, "network", {"person": str(Z)}).rows
    assert [(str(r[0]), str(r[2]), int(r[4])) for r in rows] == [(str(Y), str(Z), 2), (str(X), str(Z), 1)]


def test_bulk_ingest_export_and_import(open_backend, tmp_path):
    """Dev articles through ingest (the bulk writer), then export and import into a new store."""
    from diplokg.export import export

    store = open_backend("oxigraph")
    ingest(read_articles(sorted(DEV.glob("dev*.txt"))), store)
    before = kept(store)
    assert sum(before.values()) >= 5
    dump = tmp_path / "all.trig"
    export(store, "trig", dump)
    assert CONTACTS_GRAPH not in dump.read_text(encoding="utf-8")  # derived: rebuilt on import, not exported
    for kind, sub in (("oxigraph", "copy"), ("memory", "")):
        copy = open_backend(kind, sub=sub or "store")
        ensure_ontology(copy)
        import_file(copy, dump)
        assert kept(copy) == before, kind


def test_import_counts_the_file_not_its_contacts_graph(open_backend, tmp_path):
    """The bulk import counts pairs as the file streams through: events shared by two graphs
    count once, and a contacts graph in the file (stale or forged) is not taken."""
    from rdflib import Dataset, URIRef

    ds = Dataset()
    for name, graph, digest in (A, B):
        g = ds.graph(URIRef(name))
        for t in graph:
            g.add(t)
        g.add((URIRef(name), DIP.contentHash, Literal(digest)))
    stale = ds.graph(URIRef(CONTACTS_GRAPH))
    stale.add((URIRef(str(X) + "-pair"), DIP.contactCount, Literal(99)))
    dump = tmp_path / "two.trig"
    ds.serialize(dump, format="trig")
    store = open_backend("oxigraph")
    assert import_file(store, dump) == 2
    assert kept(store) == {(str(X), str(Y)): 2, (str(X), str(Z)): 1, (str(Y), str(Z)): 2}


def test_network_pages_are_a_total_order(open_backend):
    """Many pairs tie on their count: every page, at every offset, is the slice of the full
    answer (counts first, then the agents' IRIs), including the pairs tied at a page's edge."""
    store = open_backend("oxigraph-memory")
    people = [entity_iri(f"person/p{i}") for i in range(6)]
    for n in range(8):  # meetings of p0 with p1..p(n % 5 + 1): p0-p1 8 times ... p0-p5 once or twice
        agents = [(P, people[0])] + [(P, people[k]) for k in range(1, n % 5 + 2)]
        store.put_article(*article(f"t{n}", {iri(f"event/t{n}"): (DIP.Meeting, agents)}))
    whole = [tuple(map(str, r)) for r in run_named(store, "network", limit=0).rows]
    assert len(whole) == 15 and len({r[4] for r in whole}) > 2
    for limit in (1, 2, 4, 7):
        for offset in range(0, 16, 3):
            page = [tuple(map(str, r)) for r in run_named(store, "network", limit=limit, offset=offset).rows]
            assert page == whole[offset:offset + limit], (limit, offset)
