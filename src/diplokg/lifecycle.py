"""Article lifecycle beyond ingest: remove, stats, import, and the optional inferred graph.

All of it goes through the Store protocol (SPARQL and named graphs), so it works the same
on the embedded store and on a remote SPARQL endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib

from .errors import InputError, StoreError
from .rdf import iris
from .rdf.vocab import DIP, PREFIXES
from .stores import CONTACTS_GRAPH, ONTOLOGY_GRAPH, Store

INFERRED_GRAPH = "https://w3id.org/diplokg/inferred"
_PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


_NOT_ARTICLES = {
    ONTOLOGY_GRAPH: "the ontology graph",
    CONTACTS_GRAPH: "the contacts graph (the network's counts, kept by the store)",
    INFERRED_GRAPH: "the inferred graph (ingest --reason)",
}


def remove(store: Store, names: list[str], base: str = iris.DEFAULT_BASE) -> list[str]:
    """Remove the articles these names stand for: ids as `articles` prints them (as given,
    "2024-01/nota" or a URL too) or article IRIs. Returns one line for each name that removed
    nothing: not stored, or not an article (the contacts graph, say, whose loss would lose
    the network's counts for good)."""
    problems = []
    for name in names:
        found, problem = _article_named(store, name, base)
        if found is None or not store.remove_article(found):
            problems.append(problem or f"no article {name!r} in the store")
    return problems


def _article_named(store: Store, name: str, base: str) -> tuple[str | None, str | None]:
    """(the article IRI `name` stands for, None) or (None, why it stands for none). An id
    comes first: a URL id is also an IRI, and ids are what `articles` prints."""
    candidates = [str(iris.article_iri(name, base))]
    if name.startswith(("http://", "https://")):
        candidates.append(name)
    for candidate in candidates:
        if candidate in _NOT_ARTICLES:
            return None, f"{name} is {_NOT_ARTICLES[candidate]}, not an article; nothing removed"
        try:
            if store.article_hash(candidate) is not None:
                return candidate, None
            if store.has_article(candidate):  # a named graph without the hash that makes it an article
                if candidate.startswith(f"{base}article/"):
                    return candidate, None  # left by a write cut short: removable
                return None, f"{name} is a named graph but not an article (no dip:contentHash); nothing removed"
        except StoreError:  # not an IRI the store takes: not an article either
            continue
    return None, None


def refresh_inferred(store: Store) -> int | None:
    """After articles left the store, recompute the --reason closure (materialize) so that
    it holds nothing only they implied; None when the store holds no inferred graph."""
    ask = f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}"
    if not store.query(ask, set_union=False).boolean:
        return None
    return materialize(store)


@dataclass(frozen=True)
class Stats:
    triples: int
    articles: int
    entities: dict[str, int]
    events: dict[str, int]

    def lines(self) -> list[str]:
        out = [f"triples   {self.triples}", f"articles  {self.articles}", "entities"]
        out += [f"  {t:26} {n}" for t, n in self.entities.items()]
        out.append("events")
        out += [f"  {t:26} {n}" for t, n in self.events.items()]
        return out


def stats(store: Store) -> Stats:
    """Triples, articles, entities per type and events per type (each counted once)."""
    entity_types = ("Person", "Country", "InternationalOrganization", "GovernmentBody", "Organization", "Delegation", "Place")
    per_type = _counts(store, f"?x a ?t . ?t rdfs:subClassOf* dip:Agent", entity_types, "Agent")
    per_type.update(_counts(store, "?x a ?t", ("Place",), None))
    per_event = _counts(store, "?x a ?t . ?t rdfs:subClassOf+ dip:Event", None, None)
    return Stats(
        triples=store.count(),
        articles=len(store.articles()),
        entities={t: per_type.get(t, 0) for t in entity_types},
        events=dict(sorted(per_event.items())),
    )


def _counts(store: Store, pattern: str, keep, drop) -> dict[str, int]:
    q = _PREFIX + f"SELECT ?t (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }} GROUP BY ?t"
    out = {}
    for t, n in store.query(q, set_union=False).rows:  # COUNT(DISTINCT)
        name = str(t).rsplit("#", 1)[-1]
        if (keep is None or name in keep) and name != drop:
            out[name] = int(n)
    return out


def import_file(store: Store, path: Path) -> int:
    """Load a TriG or N-Quads export back: each named graph is one article, stored whole."""
    formats = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads"}
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: import needs TriG (.trig) or N-Quads (.nq), which keep one named graph per article")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    bulk = getattr(store, "bulk_import", None)
    if bulk is not None and not store.articles():
        # An embedded store with no article yet: the engine's bulk loader, several times
        # faster than a transaction per article (it checks the graphs itself)
        return bulk(path, fmt, keep=frozenset({INFERRED_GRAPH}))  # CONTACTS_GRAPH is recounted
    ds = rdflib.Dataset()
    try:
        ds.parse(path, format=fmt)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except Exception as exc:  # rdflib raises many parser exception types
        raise InputError(f"{path}: cannot parse as {fmt} ({str(exc).splitlines()[0][:200]})") from None
    articles = []
    for graph in ds.graphs():
        name = str(graph.identifier)
        if len(graph) == 0 or name in (ONTOLOGY_GRAPH, INFERRED_GRAPH, CONTACTS_GRAPH) or name.startswith("urn:x-rdflib:"):
            continue
        article = rdflib.URIRef(name)
        content_hash = graph.value(article, DIP.contentHash)
        if content_hash is None:
            raise InputError(f"{path}: graph <{name}> is not an article graph (no dip:contentHash on <{name}>); "
                             "nothing was imported")
        articles.append((name, graph, str(content_hash)))
    put_all = getattr(store, "put_articles", None)
    if put_all is not None:  # one transaction: all or nothing, hashes included
        try:
            put_all(articles)
        except StoreError as exc:
            raise StoreError(f"{exc}; nothing was imported") from None
        return len(articles)
    applied: list[str] = []
    for name, graph, content_hash in articles:  # a transaction per article (a remote endpoint)
        try:
            store.put_article(name, graph, content_hash)
        except (InputError, StoreError) as exc:
            done = f"{len(applied)} graph(s) were imported before: {' '.join(f'<{a}>' for a in applied)}" if applied else "nothing was imported"
            raise type(exc)(f"{exc}; {done}") from None
        applied.append(name)
    return len(applied)


def materialize(store: Store) -> int:
    """RDFS closure of the articles and the ontology (owlrl), kept apart in its own named
    graph so that removing an article never leaves stale inferences mixed into its data."""
    import owlrl

    from .resources import load_ontology

    union = rdflib.Graph()
    for s, p, o, _g in store.dataset().quads((None, None, None, None)):
        union.add((s, p, o))
    base = set(union)
    ontology = load_ontology()
    for triple in ontology:
        union.add(triple)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(union)
    inferred = rdflib.Graph(identifier=rdflib.URIRef(INFERRED_GRAPH))
    for triple in union:
        if triple not in base and triple not in ontology and not isinstance(triple[0], rdflib.Literal):
            inferred.add(triple)
    try:
        store.put_graph(INFERRED_GRAPH, inferred)
    except AttributeError:
        raise StoreError(f"{store!r}: this store cannot hold extra named graphs") from None
    return len(inferred)
