"""What every store backend offers, so ingest, query, export and the tests never care which
backend holds the graph.

Layout of a store: one named graph per article, named by the article IRI, whose article node
carries `dip:contentHash` (that triple is what marks a named graph as an article graph); the
ontology in the named graph `ONTOLOGY_GRAPH`; optional extra graphs (such as inferences) put
with `put_graph`, which are queryable but neither articles nor counted. Queries see the union
of all graphs as their default graph, and it is a *set* (an RDF merge: a triple stated in
four article graphs matches once) on the embedded stores, where `stores.union` rewrites each
query for it; a remote SPARQL endpoint answers with its own union (a bag on most quad stores),
so the named queries use DISTINCT wherever it matters.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from typing import TypeVar
from urllib.parse import unquote

import rdflib
from rdflib.term import Node

from ..errors import ResultTooLargeError
from ..rdf.vocab import DCTERMS, DIP

ONTOLOGY_GRAPH = "https://w3id.org/diplokg/ontology"
# Derived from the article graphs (never exported, rebuilt on import): for every dip:AgentPair
# that some stored meeting or call links, its dip:contactCount and its two members in the
# order of their IRIs (dip:firstMember, dip:secondMember: what the `network` query sorts by).
CONTACTS_GRAPH = "https://w3id.org/diplokg/contacts"

PutOutcome = TypingLiteral["added", "unchanged", "replaced"]


@dataclass(frozen=True)
class ArticleInfo:
    """One stored article as listed by `Store.articles()`."""

    iri: str
    id: str | None  # the id as given (`a/b`, not `a%2Fb`): the part after `.../article/`, decoded
    title: str | None
    issued: str | None  # lexical form of dcterms:issued (ISO date)
    triples: int


@dataclass
class QueryResult:
    """A SPARQL result in rdflib terms; `kind` says which fields are meaningful.

    select: `vars` and `rows` (None for an unbound cell); ask: `boolean`;
    graph (CONSTRUCT / DESCRIBE): `graph`.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None


_ROW_LIMIT: ContextVar[int | None] = ContextVar("diplokg_row_limit", default=None)
_Row = TypeVar("_Row")


@contextmanager
def row_limit(limit: int | None) -> Iterator[None]:
    """Within this block, a store that converts a result stops with ResultTooLargeError at
    row (or triple) `limit` + 1 instead of materialising the rest: the SPARQL server's cap,
    applied where the rows are made. None: no limit."""
    token = _ROW_LIMIT.set(limit)
    try:
        yield
    finally:
        _ROW_LIMIT.reset(token)


def capped(rows: Iterable[_Row], unit: str = "rows") -> Iterator[_Row]:
    """`rows`, raising ResultTooLargeError past the row limit in force (see `row_limit`)."""
    limit = _ROW_LIMIT.get()
    if limit is None:
        yield from rows
        return
    for n, row in enumerate(rows):
        if n >= limit:
            raise ResultTooLargeError(limit, unit)
        yield row


def article_infos(rows: Iterable[tuple[Node | None, ...]]) -> list[ArticleInfo]:
    """ArticleInfo from (graph, triples, title, issued) rows, one per article (the first title
    in lexical order when an article has several), ordered by issued date (undated first, as
    SPARQL orders unbound values) then IRI: the same order on every backend."""
    seen: dict[str, ArticleInfo] = {}
    for g, n, title, issued in rows:
        iri = str(g)
        known = seen.get(iri)
        if known is not None and (title is None or (known.title is not None and known.title <= str(title))):
            continue
        slug = unquote(iri.split("/article/", 1)[1]) if "/article/" in iri else None  # the id as given
        seen[iri] = ArticleInfo(
            iri=iri,
            id=slug,
            title=None if title is None else str(title),
            issued=None if issued is None else str(issued),
            triples=int(n),  # type: ignore[arg-type]
        )
    return sorted(seen.values(), key=lambda a: (a.issued is not None, a.issued or "", a.iri))


class Store(abc.ABC):
    """The store protocol. Backends subclass it; `persistent` says whether it takes a location."""

    name: str = "?"
    persistent: bool = False
    location: str = ""

    @abc.abstractmethod
    def put_article(self, article_iri: str, graph: rdflib.Graph, content_hash: str) -> PutOutcome:
        """Store `graph` as the article's named graph, whole or not at all.

        "unchanged" when the stored graph already has this content hash (nothing written),
        "added" for a new article, "replaced" when the old graph was swapped for the new one
        in one transaction. The stored graph always carries `<article> dip:contentHash hash`.
        """

    @abc.abstractmethod
    def remove_article(self, article_iri: str) -> bool:
        """Drop the article's graph; False when there was none."""

    @abc.abstractmethod
    def has_article(self, article_iri: str) -> bool: ...

    @abc.abstractmethod
    def article_hash(self, article_iri: str) -> str | None:
        """The stored dip:contentHash of the article, None when it is not stored."""

    @abc.abstractmethod
    def articles(self) -> list[ArticleInfo]:
        """Every stored article, ordered by issued date then IRI."""

    @abc.abstractmethod
    def query(self, sparql: str, bindings: dict[str, object] | None = None, *,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              base_iri: str | None = None, set_union: bool = True) -> QueryResult:
        """Run a SPARQL query over the union of all graphs (each distinct triple once).

        `bindings` maps variable names (with or without `?`) to rdflib terms or Python values;
        they are bound as terms, never pasted into the query text. `default_graphs` and
        `named_graphs` (graph IRIs; the SPARQL Protocol's dataset parameters) give the dataset
        instead of the query's FROM / FROM NAMED; None leaves it to the query. `base_iri`
        resolves relative IRIs. `set_union=False` runs the text as written on the engine's
        union: only for queries written so that duplicates cannot change their answers
        (DISTINCT, COUNT(DISTINCT ...)), as the named queries are; they keep their speed
        (the rewrite for a set costs the engine's joins with values bound from outside a
        triples block: 5-12x on the named queries at 10,000 articles).
        """

    @abc.abstractmethod
    def count(self) -> int:
        """Number of triples in the article graphs (the ontology not included)."""

    @abc.abstractmethod
    def dataset(self) -> rdflib.Dataset:
        """All article graphs as named graphs of an rdflib Dataset (for export)."""

    @abc.abstractmethod
    def graph_of(self, article_iri: str) -> rdflib.Graph:
        """The article's named graph (empty when it is not stored)."""

    @abc.abstractmethod
    def load_ontology(self, graph: rdflib.Graph) -> None:
        """Replace the ontology graph, in one transaction."""

    @abc.abstractmethod
    def put_graph(self, graph_iri: str, graph: rdflib.Graph) -> None:
        """Replace the named graph `graph_iri` (not an article: e.g. inferences) whole, in one
        transaction. It is part of the default-graph union but not of count/articles/dataset."""

    @abc.abstractmethod
    def update(self, sparql: str, *, using_graphs: Sequence[str] | None = None,
               using_named_graphs: Sequence[str] | None = None, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update request (QueryError when it is invalid). Its WHERE clauses
        read the union as a set (or `using_graphs` / `using_named_graphs`, the protocol's
        parameters), triples it inserts outside GRAPH go to `union.DEFAULT_WRITES_GRAPH`, and
        triples it deletes outside GRAPH leave every graph that holds them."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store (and its lock on disk); later calls raise StoreError."""

    def events_by_identity_key(self, key: str, other_than: str, place_property: str) -> list[tuple[Node, Node | None, Node | None, Node | None]]:
        """(event, date, place, time expression) rows of the events whose dip:identityKey is
        `key` in a graph other than `other_than`, ordered by event IRI (one row per
        combination of their values; None where the event has none): what
        pipeline.same_events compares."""
        literal = rdflib.Literal(key)
        query = f"""
            SELECT DISTINCT ?e ?date ?place ?words WHERE {{
              GRAPH ?g {{ ?e {DIP.identityKey.n3()} {literal.n3()} }}
              FILTER(?g != <{other_than}>)
              OPTIONAL {{ ?e {DIP.date.n3()} ?date }}
              OPTIONAL {{ ?e <{place_property}> ?place }}
              OPTIONAL {{ ?e {DIP.timeExpression.n3()} ?words }}
            }} ORDER BY ?e"""
        return self.query(query, set_union=False).rows  # DISTINCT, and run once per event ingested

    def labels_of(self, entities: Sequence[str], other_than: str, lang: str = "es") -> dict[str, str]:
        """The rdfs:label in `lang` that a graph other than `other_than` gives each of
        `entities` (IRIs; those with none are left out; the least, should graphs disagree):
        what pipeline.same_labels reads."""
        if not entities:
            return {}
        values = " ".join(rdflib.URIRef(e).n3() for e in entities)
        query = f"""
            SELECT ?e (MIN(STR(?label)) AS ?least) WHERE {{
              VALUES ?e {{ {values} }}
              GRAPH ?g {{ ?e {rdflib.RDFS.label.n3()} ?label }}
              FILTER(?g != <{other_than}> && LANG(?label) = {rdflib.Literal(lang).n3()})
            }} GROUP BY ?e"""
        return {str(e): str(label) for e, label in self.query(query, set_union=False).rows if label is not None}

    def pairs_of(self, article_iri: str) -> set[str]:
        """The dip:AgentPair IRIs that the article's stored graph links (what replacing or
        removing it must recount)."""
        graph = rdflib.URIRef(article_iri).n3()
        return {str(row[0]) for row in self.query(f"SELECT DISTINCT ?pair WHERE {{ GRAPH {graph} {{ ?e <{DIP.pair}> ?pair }} }}").rows}

    def probe(self) -> None:
        """Touch the store as a read would begin (a forked child calls it first: see settle)."""

    def settle(self) -> None:
        """Let background work of the backend end, so that a process forked next does not
        inherit one of its locks held (the SPARQL server calls it when a child got stuck)."""

    def article_writer(self) -> ArticleWriter:
        """How ingest writes many articles: by default one transaction each (`put_article`);
        a backend with a faster way for new articles returns its own writer."""
        return ArticleWriter(self)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"


class ArticleWriter:
    """Writes a stream of articles into a store (used as a context manager, so whatever it
    still holds is written when the stream ends or fails).

    `put` calls `done(outcome)` once the article is durably stored, which with a writer that
    holds articles back is later than the call. Events are looked up through the writer
    (`events_by_identity_key`, see pipeline.same_events), which sees what it holds back as
    if it were stored."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def put(self, article_iri: str, graph: rdflib.Graph, content_hash: str, done: Callable[[PutOutcome], None]) -> None:
        done(self.store.put_article(article_iri, graph, content_hash))

    def events_by_identity_key(self, key: str, other_than: str, place_property: str) -> list[tuple[Node, Node | None, Node | None, Node | None]]:
        """Store.events_by_identity_key, over the store and what this writer holds back."""
        return self.store.events_by_identity_key(key, other_than, place_property)

    def flush(self) -> None:
        """Write what is held back."""

    def __enter__(self) -> ArticleWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


# -- the contact counts ------------------------------------------------------------------------
# Ranking who met whom most (the `network` query) used to join every meeting's participants
# at query time: 12.7 s at 50,000 articles. Each write now recounts the pairs it touched, in
# the same SPARQL Update request as the write where the backend allows, so the query reads
# counts. A pair's count is the number of distinct events that link it, over all graphs, so
# it stays right when articles share an event, and when one is replaced or removed.

_CONTACTS_DROP = "DELETE {{ GRAPH <{g}> {{ ?pair ?p ?o }} }} WHERE {{ {values} GRAPH <{g}> {{ ?pair ?p ?o }} }}"
_CONTACTS_ROWS = """{{
  {{ SELECT ?pair (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {values} GRAPH ?eg {{ ?e <{pair}> ?pair }} }} GROUP BY ?pair }}
  {{ SELECT DISTINCT ?pair ?a ?b WHERE {{ {values} GRAPH ?mg {{ ?pair <{member}> ?a , ?b }}
     FILTER(?mg != <{g}> && STR(?a) < STR(?b)) }} }}
}}"""
_CONTACTS_COUNT = "INSERT {{ GRAPH <{g}> {{ ?pair <{count}> ?n ; <{first}> ?a ; <{second}> ?b }} }} WHERE " + _CONTACTS_ROWS


def refresh_contacts(pairs: Iterable[str]) -> str:
    """The SPARQL Update operations that recount `pairs` (dip:AgentPair IRIs) into
    CONTACTS_GRAPH, to append to the request that writes the graphs they come from;
    "" when there are none."""
    iris = sorted({str(p) for p in pairs})
    if not iris:
        return ""
    terms = _contact_terms("VALUES ?pair { " + " ".join(f"<{p}>" for p in iris) + " }")
    return _CONTACTS_DROP.format(**terms) + " ;\n" + _CONTACTS_COUNT.format(**terms)


def _contact_terms(values: str) -> dict[str, object]:
    return {"g": CONTACTS_GRAPH, "values": values, "count": DIP.contactCount, "member": DIP.member, "pair": DIP.pair,
            "first": DIP.firstMember, "second": DIP.secondMember}


def graph_pairs(graph: rdflib.Graph) -> set[str]:
    """The dip:AgentPair IRIs that `graph`'s events link."""
    return {str(p) for p in graph.objects(None, DIP.pair)}


# Article graphs are the named graphs whose article node carries dip:contentHash; every
# backend that speaks SPARQL counts and lists them with these two queries.
COUNT_ARTICLE_TRIPLES = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{DIP.contentHash}> ?h . ?s ?p ?o }} }}"
LIST_ARTICLES = f"""
SELECT ?g ?n ?title ?issued WHERE {{
  {{ SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g }}
  GRAPH ?g {{ ?g <{DIP.contentHash}> ?hash }}
  OPTIONAL {{ GRAPH ?g {{ ?g <{DCTERMS.title}> ?title }} }}
  OPTIONAL {{ GRAPH ?g {{ ?g <{DCTERMS.issued}> ?issued }} }}
}}
"""
