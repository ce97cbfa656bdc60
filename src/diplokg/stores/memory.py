"""In-memory store on an rdflib Dataset: nothing written anywhere, no engine but rdflib's.
For tests, notebooks, one-off runs and `--store memory:`.

Same contract as the other backends: one named graph per article, the ontology in its own
graph, and queries over the union of all named graphs as the default graph
(`Dataset(default_union=True)`). Two things differ from Oxigraph and SPARQL servers, neither
visible to queries that use DISTINCT (as the named queries do): rdflib's union default graph
is a *set* (a triple stated in two articles matches once), and rdflib's SPARQL engine is much
slower on large graphs (the `oxigraph-memory` backend is the fast in-memory alternative).

Terms go in through the same rdflib -> pyoxigraph -> rdflib mapping as the Oxigraph backends
(`terms.py`), so an invalid IRI is refused before anything is written, `xsd:string` literals
are stored as plain literals, and each article gets fresh blank nodes. A write builds and
checks the whole new graph first, then swaps it in: an article is stored whole or not at all.
Bindings are injected as a VALUES block (`sparqltext.py`), with Oxigraph's semantics.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import rdflib
from pyparsing import ParseBaseException
from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..rdf.vocab import DCTERMS, DIP
from .base import (
    CONTACTS_GRAPH,
    ONTOLOGY_GRAPH,
    ArticleInfo,
    PutOutcome,
    QueryResult,
    Store,
    article_infos,
    capped,
    graph_pairs,
    refresh_contacts,
)
from .oxigraph import _bind_prefixes, _graphs, _one_line
from .sparqltext import inject_values
from .terms import from_ox, to_ox
from .guard import check_text
from .union import FRESH, declares_dataset, rewrite_query, rewrite_update


def plain(term: Node | None) -> Node | None:
    """xsd:string literals as plain literals (the same literal in RDF 1.1), like terms.from_ox."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


class MemoryStore(Store):
    name = "memory"
    persistent = False

    def __init__(self) -> None:
        self._ds: rdflib.Dataset | None = rdflib.Dataset(default_union=True)
        self.location = "memory:"

    @property
    def ds(self) -> rdflib.Dataset:
        if self._ds is None:
            raise StoreError(f"store {self.location} is closed")
        return self._ds

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _iri(iri: str, what: str = "graph") -> URIRef:
        try:
            return from_ox(to_ox(URIRef(str(iri))))  # type: ignore[return-value]
        except (TypeError, ValueError) as e:
            raise StoreError(f"invalid {what} IRI {iri!r}: {_one_line(e)}") from None

    def _article(self, article_iri: str) -> URIRef:
        if str(article_iri) == ONTOLOGY_GRAPH:
            raise StoreError(f"{ONTOLOGY_GRAPH} is the ontology graph, not an article")
        return self._iri(article_iri, "article")

    @staticmethod
    def _checked(triples: Iterable[tuple[Node, Node, Node]], what: str) -> list[tuple[Node, Node, Node]]:
        """The triples through the pyoxigraph term mapping: validated, normalized, fresh bnodes."""
        bnodes: dict[BNode, object] = {}
        try:
            return [tuple(from_ox(to_ox(t, bnodes)) for t in triple) for triple in triples]  # type: ignore[misc]
        except (TypeError, ValueError) as e:
            raise StoreError(f"cannot store {what}: {_one_line(e)}") from None

    def _view(self, name: URIRef) -> rdflib.Graph:
        """The named graph `name` as a view on the dataset's store (creates nothing)."""
        return rdflib.Graph(store=self.ds.store, identifier=name)

    def _graph(self, name: URIRef) -> rdflib.Graph | None:
        graph = self._view(name)
        return graph if len(graph) else None

    def _replace(self, name: URIRef, triples: list[tuple[Node, Node, Node]]) -> None:
        """Swap in the (already checked) triples as graph `name`: nothing here can fail halfway."""
        ds = self.ds
        ds.store.remove_graph(self._view(name))
        target = ds.graph(name)
        ds.addN((s, p, o, target) for s, p, o in triples)

    def _article_graphs(self) -> list[rdflib.Graph]:
        out = []
        for graph in self.ds.store.contexts():
            name = graph.identifier
            if name in (DATASET_DEFAULT_GRAPH_ID, URIRef(ONTOLOGY_GRAPH), URIRef(CONTACTS_GRAPH)) or not isinstance(name, URIRef):
                continue
            view = self._view(name)
            if (name, DIP.contentHash, None) in view:
                out.append(view)
        return sorted(out, key=lambda g: str(g.identifier))

    # -- writing --------------------------------------------------------------------------

    def put_article(self, article_iri: str, graph: rdflib.Graph, content_hash: str) -> PutOutcome:
        name = self._article(article_iri)
        old = self._graph(name)
        if old is not None and self.article_hash(article_iri) == content_hash:
            return "unchanged"
        triples = ((s, p, o) for s, p, o in graph if not (s == name and p == DIP.contentHash))
        checked = self._checked(triples, f"article {name}")
        checked.append((name, DIP.contentHash, Literal(str(content_hash))))
        pairs = graph_pairs(graph) | (graph_pairs(old) if old is not None else set())
        self._replace(name, checked)
        self._recount(pairs)
        return "added" if old is None else "replaced"

    def remove_article(self, article_iri: str) -> bool:
        name = self._article(article_iri)
        old = self._graph(name)
        if old is None:
            return False
        pairs = graph_pairs(old)
        self.ds.store.remove_graph(self._view(name))
        self._recount(pairs)
        return True

    def _recount(self, pairs: set[str]) -> None:
        if pairs:
            self._update(refresh_contacts(pairs))

    def load_ontology(self, graph: rdflib.Graph) -> None:
        self._replace(URIRef(ONTOLOGY_GRAPH), self._checked(graph, "the ontology"))

    def put_graph(self, graph_iri: str, graph: rdflib.Graph) -> None:
        name = self._iri(graph_iri)
        self._replace(name, self._checked(graph, f"graph <{name}>"))

    def update(self, sparql: str, *, using_graphs: Sequence[str] | None = None,
               using_named_graphs: Sequence[str] | None = None, base_iri: str | None = None) -> None:
        check_text(sparql, allow_service=True, update=True)
        text = rewrite_update(sparql, _graphs(using_graphs), _graphs(using_named_graphs), base_iri).text
        self._update(f"BASE <{base_iri}>\n{text}" if base_iri else text)

    def _update(self, sparql: str) -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self.ds.update(sparql)
        except ParseBaseException as e:
            raise QueryError(f"invalid SPARQL update: {_one_line(e)}") from None
        except StoreError:
            raise
        except Exception as e:  # rdflib's update evaluator raises many exception types
            raise QueryError(f"update failed: {_one_line(e)}") from None

    # -- reading --------------------------------------------------------------------------

    def has_article(self, article_iri: str) -> bool:
        return self._graph(self._article(article_iri)) is not None

    def article_hash(self, article_iri: str) -> str | None:
        name = self._article(article_iri)
        graph = self._graph(name)
        if graph is None:
            return None
        value = graph.value(name, DIP.contentHash)
        return None if value is None else str(value)

    def articles(self) -> list[ArticleInfo]:
        rows = []
        for graph in self._article_graphs():
            name = graph.identifier
            titles = sorted(str(t) for t in graph.objects(name, DCTERMS.title))
            issued = sorted(str(d) for d in graph.objects(name, DCTERMS.issued))
            rows.append((name, len(graph), titles[0] if titles else None, issued[0] if issued else None))
        return article_infos(rows)

    def count(self) -> int:
        return sum(len(g) for g in self._article_graphs())

    def query(self, sparql: str, bindings: dict[str, object] | None = None, *,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              base_iri: str | None = None, set_union: bool = True) -> QueryResult:
        # rdflib's union is already a set; a dataset (FROM, or the protocol's) is applied here
        # as a view of those graphs (rdflib itself would fetch FROM graphs from the web)
        check_text(sparql, allow_service=True)  # rdflib's parser recurses too
        target = self.ds
        if default_graphs is not None or named_graphs is not None or declares_dataset(sparql):
            rewritten = rewrite_query(sparql, _graphs(default_graphs), _graphs(named_graphs), base_iri)
            sparql = rewritten.text
            if rewritten.default_graphs is not None or rewritten.named_graphs is not None:
                target = self._dataset_view(rewritten.default_graphs or (), rewritten.named_graphs or ())
        text = inject_values(sparql, bindings)
        try:
            with warnings.catch_warnings():  # rdflib's own union code uses its deprecated names
                warnings.simplefilter("ignore", DeprecationWarning)
                return self._result(target.query(text, base=base_iri))  # evaluated lazily: convert in here
        except ParseBaseException as e:
            raise QueryError(f"invalid SPARQL: {_one_line(e)}") from None
        except (StoreError, QueryError):
            raise
        except Exception as e:  # rdflib's evaluator raises many exception types
            raise QueryError(f"query failed: {_one_line(e)}") from None

    def _dataset_view(self, default: tuple[str, ...], named: tuple[str, ...]) -> rdflib.Dataset:
        """A dataset of copies: the merge of `default` as its default graph, `named` as named graphs."""
        view = rdflib.Dataset()
        for g in default:
            for triple in self.ds.graph(URIRef(g)):
                view.default_graph.add(triple)
        for g in named:
            target = view.graph(URIRef(g))
            for triple in self.ds.graph(URIRef(g)):
                target.add(triple)
        return view

    @staticmethod
    def _result(result) -> QueryResult:
        if result.type == "ASK":
            return QueryResult(kind="ask", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            keep = [i for i, v in enumerate(result.vars or []) if not str(v).startswith(FRESH)]  # the rewrite's own
            variables = [str(result.vars[i]) for i in keep]
            rows = [tuple(plain(row[i]) for i in keep) for row in capped(result)]
            return QueryResult(kind="select", vars=variables, rows=rows)
        graph = _bind_prefixes(rdflib.Graph())
        for s, p, o in capped(result.graph or (), "triples"):
            graph.add((s, p, plain(o)))
        return QueryResult(kind="graph", graph=graph)

    def dataset(self) -> rdflib.Dataset:
        out = _bind_prefixes(rdflib.Dataset())
        for graph in self._article_graphs():
            target = out.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
        return out

    def graph_of(self, article_iri: str) -> rdflib.Graph:
        name = self._article(article_iri)
        out = _bind_prefixes(rdflib.Graph(identifier=name))
        graph = self._graph(name)
        for triple in graph if graph is not None else ():
            out.add(triple)
        return out

    def close(self) -> None:
        self._ds = None
