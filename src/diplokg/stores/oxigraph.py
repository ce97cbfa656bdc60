"""Oxigraph backends: the engine that answers SPARQL fast on large graphs.

`PyoxigraphStore` holds the whole implementation over a `pyoxigraph.Store`; `OxigraphStore`
opens one on disk (the default), `OxigraphMemoryStore` one in memory, so both have exactly the
same query semantics. (The `memory` backend, memory.py, is rdflib's in-memory Dataset.)

Atomicity: pyoxigraph 0.5 exposes no explicit transaction object, but `Store.extend` and
`Store.update` each run in one transaction (all or nothing). Every write of articles is a
single SPARQL UPDATE request (atomic.insert_text): `DROP SILENT GRAPH <g> ; INSERT DATA {
GRAPH <g> { ... } }` with the content hash inside the graph and the recount of the contact
pairs appended, which Oxigraph evaluates in one transaction, so a failure or a kill leaves the
old graph intact and never a graph without its hash. The INSERT DATA body is produced by
pyoxigraph's own N-Triples serializer (properly escaped terms, never hand-formatted text).
"""

from __future__ import annotations

import ctypes
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from ..errors import ForbiddenQueryError, InputError, QueryError, StoreError
from ..rdf.vocab import DEFAULT_BASE, DIP, PREFIXES
from .base import (
    CONTACTS_GRAPH,
    COUNT_ARTICLE_TRIPLES,
    LIST_ARTICLES,
    ONTOLOGY_GRAPH,
    ArticleInfo,
    ArticleWriter,
    PutOutcome,
    QueryResult,
    Store,
    article_infos,
    capped,
    graph_pairs,
    refresh_contacts,
)
from .terms import from_ox, graph_to_quads, named_node, quad_triple, value_to_ox
from .atomic import batch_size, committed, insert_text, repair, unhashed_report
from .guard import check_text
from .rocksdb import PID_FILE, check_exists, shared_lock
from .rocksdb import open_rocksdb as _open_rocksdb
from .rocksdb import remove_pid as _remove_pid
from .rocksdb import write_pid as _write_pid
from .union import FRESH, as_written, rewrite_query, rewrite_update

DEFAULT_LOCATION = Path(".diplokg") / "store"  # under the current directory; git ignores .diplokg/

_CONTENT_HASH = ox.NamedNode(str(DIP.contentHash))
_IDENTITY_KEY = ox.NamedNode(str(DIP.identityKey))
_TIME_EXPRESSION = ox.NamedNode(str(DIP.timeExpression))
_DATE = ox.NamedNode(str(DIP.date))
_LABEL = ox.NamedNode(str(rdflib.RDFS.label))
_PAIR = ox.NamedNode(str(DIP.pair))
_CONTACTS = ox.NamedNode(CONTACTS_GRAPH)
_CONTACT_COUNT, _FIRST_MEMBER, _SECOND_MEMBER = (ox.NamedNode(str(t)) for t in (DIP.contactCount, DIP.firstMember, DIP.secondMember))
_MEMBER = ox.NamedNode(str(DIP.member))
_ONTOLOGY = ox.NamedNode(ONTOLOGY_GRAPH)

_COUNT, _ARTICLES = COUNT_ARTICLE_TRIPLES, LIST_ARTICLES

# RocksDB keeps every write in in-memory tables (one per index, each up to 64 MB) until it
# flushes them: without a flush, a long ingest grows by ~220 MB per 1,000 articles before it
# levels off. Flushing after this many quads keeps memory flat and costs no throughput.
FLUSH_EVERY_QUADS = 50_000
# New articles are written this many at a time, one transaction a batch (see BulkArticleWriter).
BULK_BATCH = 64
# A long ingest empties RocksDB's caches (OxigraphStore.release_caches) whenever the process
# has grown by this much since they were last emptied. How fast they fill depends on the
# store: ~35 MB per 2,000 articles into a store of 5,000, ~140 MB into one of 50,000.
RELEASE_CACHES_GROWTH = 32 * 2**20


def _one_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _bind_prefixes(graph: rdflib.Graph) -> rdflib.Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("id", DEFAULT_BASE)
    return graph


def _identity_rows(native: ox.Store, key: str, other_than: str, place_property: str,
                   unwritten: frozenset[str] = frozenset(), pending: dict | None = None) -> list:
    """Store.events_by_identity_key on pyoxigraph's indexes. The graphs named in `unwritten`
    (being written, maybe in part) are not read: what they and the graphs held back say of
    the events with this key comes from `pending` instead, as event IRI -> [(graph IRI,
    dates, places and time expressions by property)] in rdflib terms."""
    skip = {ox.NamedNode(g) for g in unwritten}
    other = ox.NamedNode(other_than)
    events = {q.subject.value for q in native.quads_for_pattern(None, _IDENTITY_KEY, ox.Literal(key), None)
              if q.graph_name != other and q.graph_name not in skip and isinstance(q.subject, ox.NamedNode)}
    pending = pending or {}
    events |= {e for e, facts in pending.items() if any(g != other_than for g, _d, _p in facts)}
    place_node = named_node(place_property)
    rows = []
    for event in sorted(events):
        node = ox.NamedNode(event)
        dates = {from_ox(q.object) for q in native.quads_for_pattern(node, _DATE, None, None) if q.graph_name not in skip}
        places = {from_ox(q.object) for q in native.quads_for_pattern(node, place_node, None, None) if q.graph_name not in skip}
        words = {from_ox(q.object) for q in native.quads_for_pattern(node, _TIME_EXPRESSION, None, None) if q.graph_name not in skip}
        for _g, more_dates, more_places in pending.get(event, ()):
            dates |= more_dates
            places |= more_places.get(place_property, set())
            words |= more_places.get(str(DIP.timeExpression), set())
        rows += [(URIRef(event), d, p, w) for d in (dates or {None}) for p in (places or {None}) for w in (words or {None})]
    return rows


class _ImportStream:
    """The quads of an export file on their way into the bulk loader: checked and counted as
    they pass, so that nothing reads the store after the load.

    Reads right after a bulk load make RocksDB compact the loaded files into ones half as
    large again (measured: 200 → 336 MiB after a lookup per article graph), and so does any
    write. So the checks an import needs, and the contact counts, are taken here: every
    named graph but those in `keep` must be an article graph (its node has a
    dip:contentHash), nothing may sit in the default graph, and CONTACTS_GRAPH is not taken
    from the file but counted from it and written at its end, in the same bulk pass (what
    stores.base.refresh_contacts writes for a store that holds just these quads)."""

    def __init__(self, quads: Iterable[ox.Quad], keep: frozenset[str], source: str) -> None:
        self.quads, self.keep, self.source = quads, keep, source
        self.articles: dict[str, bool] = {}  # article graph -> has its dip:contentHash

    def __iter__(self) -> Iterator[ox.Quad]:
        events: dict[ox.NamedNode, set] = {}
        members: dict[ox.NamedNode, set] = {}
        articles = self.articles
        last, skip, name = None, False, None
        for q in self.quads:
            g = q.graph_name
            if g != last:  # the graph changes rarely: one block per article
                last = g
                if isinstance(g, ox.DefaultGraph):
                    raise InputError(f"{self.source}: a triple outside any named graph; import needs one named graph per article")
                skip = g == _CONTACTS
                name = None if g.value in self.keep else g.value
                if name is not None:
                    articles.setdefault(name, False)
            if skip:
                continue
            p = q.predicate
            if p == _PAIR:
                events.setdefault(q.object, set()).add(q.subject)
            elif p == _MEMBER:
                members.setdefault(q.subject, set()).add(q.object)
            elif p == _CONTENT_HASH and name is not None and q.subject == g:
                articles[name] = True
            yield q
        for name, hashed in articles.items():
            if not hashed:
                raise InputError(f"{self.source}: graph <{name}> is not an article graph (no dip:contentHash on <{name}>)")
        for pair, linked in events.items():
            ordered = sorted(members.get(pair, ()), key=lambda m: m.value)
            count = ox.Literal(len(linked))
            for i, first in enumerate(ordered):
                for second in ordered[i + 1:]:
                    yield ox.Quad(pair, _CONTACT_COUNT, count, _CONTACTS)
                    yield ox.Quad(pair, _FIRST_MEMBER, first, _CONTACTS)
                    yield ox.Quad(pair, _SECOND_MEMBER, second, _CONTACTS)


class PyoxigraphStore(Store):
    """The store protocol over one pyoxigraph.Store (see the module docstring on atomicity)."""

    name = "pyoxigraph"
    read_only = False  # opened for reading only (OxigraphStore): every write is refused

    def __init__(self, native: ox.Store, location: str) -> None:
        self._native: ox.Store | None = native
        self.location = location
        self._unflushed = 0

    @property
    def native(self) -> ox.Store:
        """The underlying pyoxigraph.Store (export uses its fast serializers)."""
        if self._native is None:
            raise StoreError(f"store {self.location} is closed")
        return self._native

    # -- writing -------------------------------------------------------------------------

    def _article_node(self, article_iri: str) -> ox.NamedNode:
        if str(article_iri) == ONTOLOGY_GRAPH:
            raise StoreError(f"{ONTOLOGY_GRAPH} is the ontology graph, not an article")
        try:
            return ox.NamedNode(str(article_iri))
        except ValueError as e:
            raise StoreError(f"invalid article IRI {article_iri!r}: {_one_line(e)}") from None

    def _replace(self, node: ox.NamedNode, quads: list[ox.Quad], then: str = "") -> None:
        """Drop graph `node` and insert `quads` into it, and run the update operations `then`,
        in one SPARQL UPDATE (one transaction)."""
        text = insert_text([(node, quads)], then, drop=True)
        self._write(lambda: self.native.update(text), "replace")

    def pairs_of(self, article_iri: str) -> set[str]:
        node = self._article_node(article_iri)
        return {q.object.value for q in self._read(lambda: list(self.native.quads_for_pattern(None, _PAIR, None, node)))}

    def _write(self, operation, what: str | None = "write") -> None:
        """Run a write (`what` names it for the test hook; None: a flush, not a commit)."""
        self._writable()
        try:
            operation()
        except (OSError, RuntimeError, SyntaxError, ValueError) as e:
            raise StoreError(f"cannot write to store {self.location}: {_one_line(e)}") from None
        if what is not None:
            committed(what)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.location} is open for reading only")

    def put_article(self, article_iri: str, graph: rdflib.Graph, content_hash: str) -> PutOutcome:
        node = self._article_node(article_iri)
        existed = self.has_article(article_iri)
        if existed and self.article_hash(article_iri) == content_hash:
            return "unchanged"
        quads = _graph_quads(node, graph)
        pairs = graph_pairs(graph) | (self.pairs_of(article_iri) if existed else set())
        self._replace(node, quads + [_hash_quad(node, content_hash)], refresh_contacts(pairs))
        outcome: PutOutcome = "replaced" if existed else "added"
        self._written(len(quads))
        return outcome

    def _written(self, quads: int) -> None:
        """Flush RocksDB's write buffers every FLUSH_EVERY_QUADS quads written."""
        self._unflushed += quads
        if self._unflushed >= FLUSH_EVERY_QUADS:
            self._write(self.native.flush, None)
            self._unflushed = 0

    def put_articles(self, articles: Sequence[tuple[str, rdflib.Graph, str]]) -> list[PutOutcome]:
        """put_article for each (article IRI, graph, content hash), all in one transaction:
        every article is stored, or (on an error or a kill) none is."""
        nodes = [self._article_node(iri) for iri, _g, _h in articles]
        outcomes: list[PutOutcome] = []
        writes, pairs = [], set()
        for node, (iri, graph, content_hash) in zip(nodes, articles):
            stored = self.article_hash(iri)
            if stored == content_hash:
                outcomes.append("unchanged")
                continue
            outcomes.append("added" if stored is None and not self.has_article(iri) else "replaced")
            pairs |= graph_pairs(graph) | (self.pairs_of(iri) if outcomes[-1] == "replaced" else set())
            writes.append((node, _graph_quads(node, graph) + [_hash_quad(node, content_hash)]))
        if writes:
            text = insert_text(writes, refresh_contacts(pairs), drop=True)
            self._write(lambda: self.native.update(text), "import")
        return outcomes

    def repair(self) -> int:
        """Remove the article graphs an interrupted write of an older version left without
        their content hash (see atomic.repair); the write commands call it first."""
        try:
            return repair(self.native, self.location)
        except (OSError, RuntimeError) as e:
            raise StoreError(f"cannot write to store {self.location}: {_one_line(e)}") from None

    def unhashed_report(self) -> str | None:
        """What `validate` reports of such graphs (see atomic.unhashed_report)."""
        return self._read(lambda: unhashed_report(self.native))

    def article_writer(self) -> ArticleWriter:
        return BulkArticleWriter(self, batch_size(BULK_BATCH))

    def events_by_identity_key(self, key: str, other_than: str, place_property: str) -> list:
        """As Store.events_by_identity_key, by index lookups instead of a SPARQL query
        (parsing and planning one per event was most of its cost)."""
        return _identity_rows(self.native, key, other_than, place_property)

    def labels_of(self, entities: Sequence[str], other_than: str, lang: str = "es") -> dict[str, str]:
        """As Store.labels_of, by index lookups that stop at the first label: a country named
        in every article has its label in every graph, and they agree (should they not, the
        index gives the same one first each time)."""
        other, out = ox.NamedNode(other_than), {}
        for entity in entities:
            for q in self.native.quads_for_pattern(ox.NamedNode(entity), _LABEL, None, None):
                if q.graph_name != other and isinstance(q.object, ox.Literal) and q.object.language == lang:
                    out[entity] = q.object.value
                    break
        return out

    def remove_article(self, article_iri: str) -> bool:
        node = self._article_node(article_iri)
        if not self.has_article(article_iri):
            return False
        pairs = self.pairs_of(article_iri)
        if pairs:
            self._write(lambda: self.native.update(f"DROP SILENT GRAPH {node} ;\n{refresh_contacts(pairs)}"), "remove")
        else:
            self._write(lambda: self.native.remove_graph(node), "remove")
        return True

    def load_ontology(self, graph: rdflib.Graph) -> None:
        try:
            quads = list(graph_to_quads(graph, _ONTOLOGY))
        except (TypeError, ValueError) as e:
            raise StoreError(f"cannot store the ontology: {_one_line(e)}") from None
        self._replace(_ONTOLOGY, quads)

    def put_graph(self, graph_iri: str, graph: rdflib.Graph) -> None:
        try:
            node = ox.NamedNode(str(graph_iri))
            quads = list(graph_to_quads(graph, node))
        except (TypeError, ValueError) as e:
            raise StoreError(f"cannot store graph <{graph_iri}>: {_one_line(e)}") from None
        self._replace(node, quads)

    def bulk_import(self, path, fmt: str, keep: frozenset[str] = frozenset()) -> int:
        """Load a whole export file with pyoxigraph's bulk loader, into a store that holds
        no article yet; returns the number of article graphs.

        The file is checked and its contact counts are taken as it streams through the
        loader (see _ImportStream). The loader writes without a transaction: on a parse
        error or a failed check, everything it wrote is removed again and the store is as
        it was."""
        formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
        keep = keep | {ONTOLOGY_GRAPH, CONTACTS_GRAPH}
        before = {g.value for g in self._read(lambda: list(self.native.named_graphs()))}
        stream = _ImportStream(ox.parse(path=str(path), format=formats[fmt]), keep, str(path))
        try:
            self.native.bulk_extend(stream)
        except (SyntaxError, ValueError) as e:
            self._discard_import(before)
            raise InputError(f"{path}: cannot parse as {fmt} ({_one_line(e)[:200]}); nothing was imported") from None
        except InputError as e:
            self._discard_import(before)
            raise InputError(f"{e}; nothing was imported") from None
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM (see interrupts.py): rolled back
            self._discard_import(before)
            raise
        except OSError as e:
            try:
                self._discard_import(before)
                done = "nothing was imported"
            except OSError:
                done = "some graphs of the file may be in the store"
            raise StoreError(f"cannot write to store {self.location}: {_one_line(e)}; {done}") from None
        committed("import")
        return len(stream.articles)

    def _discard_import(self, before: set[str]) -> None:
        for g in list(self.native.named_graphs()):
            if g.value not in before:
                self.native.remove_graph(g)
        self.native.clear_graph(ox.DefaultGraph())

    def update(self, sparql: str, *, using_graphs: Sequence[str] | None = None,
               using_named_graphs: Sequence[str] | None = None, base_iri: str | None = None) -> None:
        self._writable()
        check_text(sparql, allow_service=True, update=True)
        rewritten = rewrite_update(sparql, _graphs(using_graphs), _graphs(using_named_graphs), base_iri)
        try:
            self.native.update(rewritten.text, base_iri=base_iri)
        except SyntaxError as e:
            raise QueryError(f"invalid SPARQL update: {_one_line(e)}") from None
        except (RuntimeError, ValueError, TypeError) as e:
            raise QueryError(f"update failed: {_one_line(e)}") from None
        except OSError as e:
            raise StoreError(f"cannot write to store {self.location}: {_one_line(e)}") from None

    # -- reading -------------------------------------------------------------------------

    def _read(self, operation):
        try:
            return operation()
        except OSError as e:
            raise StoreError(f"cannot read store {self.location}: {_one_line(e)}") from None

    def has_article(self, article_iri: str) -> bool:
        node = self._article_node(article_iri)
        return self._read(lambda: next(iter(self.native.quads_for_pattern(None, None, None, node)), None)) is not None

    def article_hash(self, article_iri: str) -> str | None:
        node = self._article_node(article_iri)
        quad = self._read(lambda: next(iter(self.native.quads_for_pattern(node, _CONTENT_HASH, None, node)), None))
        return None if quad is None else quad.object.value

    def articles(self) -> list[ArticleInfo]:
        return article_infos(self.query(_ARTICLES).rows)  # type: ignore[arg-type]

    def count(self) -> int:
        return int(self.query(_COUNT).rows[0][0])  # type: ignore[arg-type]

    def query(self, sparql: str, bindings: dict[str, object] | None = None, *,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              base_iri: str | None = None, set_union: bool = True) -> QueryResult:
        if set_union:  # a user's text: a nesting bomb would overflow the engine's parser (the process dies)
            check_text(sparql, allow_service=True)
            rewritten = rewrite_query(sparql, _graphs(default_graphs), _graphs(named_graphs), base_iri)
        else:
            rewritten = as_written(sparql, _graphs(default_graphs), _graphs(named_graphs))
        options: dict[str, object] = {"base_iri": base_iri}
        if rewritten.default_graphs is None:
            options["use_default_graph_as_union"] = True
        else:
            options["default_graph"] = [ox.NamedNode(g) for g in rewritten.default_graphs]
        if rewritten.named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in rewritten.named_graphs]
        if bindings:
            options["substitutions"] = self._substitutions(bindings)
        try:
            return self._answer(rewritten.text, options, sparql)
        except BaseException as error:
            _release_frames(error)
            raise

    def _answer(self, text: str, options: dict[str, object], sparql: str) -> QueryResult:
        try:
            raw = self.native.query(text, **options)
            return self._result(raw)
        except SyntaxError as e:
            raise QueryError(f"invalid SPARQL: {_one_line(e)}") from None
        except (RuntimeError, ValueError, TypeError) as e:
            raise QueryError(f"query failed: {_one_line(e)}") from None
        except OSError as e:
            if _uses_service(sparql):  # the engine's HTTP client failed, not the store
                raise QueryError(f"query failed: a SERVICE request failed ({_one_line(e)})") from None
            raise StoreError(f"cannot read store {self.location}: {_one_line(e)}") from None

    @staticmethod
    def _substitutions(bindings: dict[str, object]) -> dict[ox.Variable, object]:
        """Bindings become pyoxigraph substitutions (SEP-0007): terms, not text.

        Oxigraph requires each bound variable to appear in the SELECT clause.
        """
        out: dict[ox.Variable, object] = {}
        for name, value in bindings.items():
            try:
                out[ox.Variable(name.lstrip("?$"))] = value_to_ox(value)
            except (TypeError, ValueError) as e:
                raise QueryError(f"cannot bind ?{name.lstrip('?$')}: {_one_line(e)}") from None
        return out

    @staticmethod
    def _result(raw) -> QueryResult:
        if isinstance(raw, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(raw))
        if isinstance(raw, ox.QuerySolutions):
            variables = raw.variables
            # a result repeats its terms (the same node on many rows): each is converted
            # once, and the rows share the rdflib objects
            converted: dict = {None: None}

            def term(value):
                found = converted.get(value, converted)
                if found is converted:
                    found = converted[value] = from_ox(value)
                return found

            variables = [v for v in variables if not v.value.startswith(FRESH)]  # the rewrite's own
            rows = [tuple(term(solution[v]) for v in variables) for solution in capped(raw)]
            return QueryResult(kind="select", vars=[v.value for v in variables], rows=rows)
        graph = _bind_prefixes(rdflib.Graph())
        for triple in capped(raw, "triples"):
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return QueryResult(kind="graph", graph=graph)

    def _article_graphs(self) -> list[ox.NamedNode]:
        """The article graphs (named graphs whose article node carries dip:contentHash), sorted."""
        names = {
            q.graph_name.value
            for q in self.native.quads_for_pattern(None, _CONTENT_HASH, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.subject == q.graph_name
        }
        return [ox.NamedNode(n) for n in sorted(names)]

    def _article_quads(self):
        for name in self._article_graphs():
            yield from self.native.quads_for_pattern(None, None, None, name)

    def dataset(self) -> rdflib.Dataset:
        ds = _bind_prefixes(rdflib.Dataset())
        graphs: dict[str, rdflib.Graph] = {}

        def fill() -> None:
            for quad in self._article_quads():
                name = quad.graph_name.value
                if name not in graphs:
                    graphs[name] = ds.graph(URIRef(name))
                graphs[name].add(quad_triple(quad))

        self._read(fill)
        return ds

    def graph_of(self, article_iri: str) -> rdflib.Graph:
        node = self._article_node(article_iri)
        graph = _bind_prefixes(rdflib.Graph(identifier=URIRef(node.value)))
        for quad in self._read(lambda: list(self.native.quads_for_pattern(None, None, None, node))):
            graph.add(quad_triple(quad))
        return graph

    def close(self) -> None:
        if self._native is not None:
            try:
                if not self.read_only:
                    self._native.flush()
            except OSError:
                pass
            self._native = None  # dropping the last reference releases the on-disk lock

    def release_caches(self) -> None:
        """Give back memory that caches hold (see OxigraphStore); nothing to do in memory."""


def _release_frames(error: BaseException | None) -> None:
    """Let go of what the frames of `error`'s tracebacks hold. pyoxigraph's query results may
    only be dropped by the thread that made them (pyo3 "unsendable"), and an exception raised
    while one was read (a row cap, an engine error) kept it alive in its frames: a thread that
    handed the exception on (serve's worker threads, a future) then dropped it elsewhere, and
    pyo3 logged "PyQuerySolutions is unsendable, but is being dropped on another thread"."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)  # line numbers stay for a printed traceback
        error = error.__cause__ or error.__context__


def _uses_service(sparql: str) -> bool:
    try:
        check_text(sparql, allow_service=False)
    except ForbiddenQueryError:
        return True
    except QueryError:
        pass
    return False


def _graphs(iris: Sequence[str] | None) -> tuple[str, ...] | None:
    """A dataset parameter as the rewriter's cache key (None: not given)."""
    return None if iris is None else tuple(str(i) for i in iris)


def _graph_quads(node: ox.NamedNode, graph: rdflib.Graph) -> list[ox.Quad]:
    """An article graph's triples as quads in its named graph, its content hash left out
    (the store writes the hash itself, see _hash_quad)."""
    article = URIRef(node.value)
    triples = ((s, p, o) for s, p, o in graph if not (p == DIP.contentHash and s == article))
    try:
        return list(graph_to_quads(triples, node))
    except (TypeError, ValueError) as e:
        raise StoreError(f"cannot store article {node.value}: {_one_line(e)}") from None


def _hash_quad(node: ox.NamedNode, content_hash: str) -> ox.Quad:
    return ox.Quad(node, _CONTENT_HASH, ox.Literal(content_hash), node)


class BulkArticleWriter(ArticleWriter):
    """New articles gathered and written `batch` at a time: less time than a transaction per
    article (2.4 ms an article, flushes included).

    A batch is written by a thread of its own while ingest goes on with the next articles:
    the update reads the batch as text and releases the GIL while it parses and writes, so
    that work runs on another core beside the model (`extend`, which reads Python objects,
    holds the GIL throughout). One batch is in flight at a time.
    Looking up events by identity key (pipeline.same_events) reads the store without the
    graphs in flight, and takes what those and the held graphs say from the writer's own
    index, so an article that reports a held event does not wait for a write.

    A batch is one transaction (atomic.insert_text): the graphs, their content hashes (what
    marks a graph as a stored article) and the recount of the agent pairs they link, so a
    kill leaves the whole batch stored or none of it. (It was written with pyoxigraph's bulk
    loader, which has no transaction, and the hashes afterwards: a kill between the two left
    graphs without a hash. Measured on batches of 64 short articles, the transaction costs
    about the same, 3-4 ms an article, well under the NLP's 50 ms.) Articles already stored
    are replaced one transaction each, as `put_article` does."""

    def __init__(self, store: PyoxigraphStore, batch: int = BULK_BATCH) -> None:
        super().__init__(store)
        self.store: PyoxigraphStore = store
        self.batch = batch
        # article IRI -> (content hash, quads, callback)
        self._held: dict[str, tuple[str, list[ox.Quad], Callable[[PutOutcome], None]]] = {}
        self._pairs: set[str] = set()  # the agent pairs of the held graphs, recounted with their hashes
        self._baseline = _resident_bytes()  # the process's size when the caches were last emptied
        self._writing: Future | None = None  # the batch in flight
        self._writing_articles: frozenset[str] = frozenset()
        self._writing_done: list[Callable[[PutOutcome], None]] = []
        _fewer_malloc_arenas()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="diplokg-writer")
        # the events of the graphs held or in flight: identity key -> event IRIs, and event IRI
        # -> [(graph IRI, dates, places and time expressions by property)]
        self._keyed: dict[str, set[str]] = {}
        self._facts: dict[str, list[tuple[str, set, dict[str, set]]]] = {}

    def put(self, article_iri: str, graph: rdflib.Graph, content_hash: str, done: Callable[[PutOutcome], None]) -> None:
        if article_iri in self._writing_articles:
            self._wait()
        held = self._held.get(article_iri)
        if held is not None and held[0] == content_hash:
            self.flush()  # reported once it is stored
            done("unchanged")
            return
        if held is not None or self.store.has_article(article_iri):
            self.flush()
            done(self.store.put_article(article_iri, graph, content_hash))
            self._mind_caches()
            return
        node = self.store._article_node(article_iri)
        self._held[article_iri] = (content_hash, _graph_quads(node, graph), done)
        self._pairs |= graph_pairs(graph)
        self._remember(article_iri, graph)
        if len(self._held) >= self.batch:
            self._send()

    def events_by_identity_key(self, key: str, other_than: str, place_property: str) -> list:
        events = self._keyed.get(key)
        if not events:  # no graph held or in flight has it: the store alone answers
            return self.store.events_by_identity_key(key, other_than, place_property)
        return _identity_rows(self.store.native, key, other_than, place_property, self._writing_articles,
                              {e: self._facts[e] for e in events})

    def flush(self) -> None:
        self._send()
        self._wait()

    def __exit__(self, *exc: object) -> None:
        try:
            self.flush()
        finally:
            self._thread.shutdown(wait=True)

    def _remember(self, article_iri: str, graph: rdflib.Graph) -> None:
        for event, key in graph.subject_objects(DIP.identityKey):
            event_iri = str(event)
            self._keyed.setdefault(str(key), set()).add(event_iri)
            places = {str(p): set(graph.objects(event, p)) for p in (DIP.location, DIP.destination, DIP.timeExpression)}
            self._facts.setdefault(event_iri, []).append((article_iri, set(graph.objects(event, DIP.date)), places))

    def _forget(self, articles: frozenset[str]) -> None:
        """Drop the written articles' events from the index."""
        for event_iri in [e for e, facts in self._facts.items() if any(g in articles for g, _d, _p in facts)]:
            kept = [f for f in self._facts[event_iri] if f[0] not in articles]
            if kept:
                self._facts[event_iri] = kept
            else:
                del self._facts[event_iri]
        for key in list(self._keyed):
            self._keyed[key] &= self._facts.keys()
            if not self._keyed[key]:
                del self._keyed[key]

    def _send(self) -> None:
        """Hand the held articles to the writer thread (after the batch before them)."""
        if not self._held:
            return
        self._wait()
        store = self.store
        text = insert_text([(node, quads + [_hash_quad(node, h)])
                            for node, (h, quads, _done) in ((ox.NamedNode(iri), held) for iri, held in self._held.items())],
                           refresh_contacts(self._pairs))
        size = sum(len(quads) for _h, quads, _d in self._held.values())
        self._pairs = set()
        self._writing_articles = frozenset(self._held)
        self._writing_done = [done for _hash, _quads, done in self._held.values()]
        self._held = {}

        def write() -> None:
            store._write(lambda: store.native.update(text), "batch")
            store._written(size)

        self._writing = self._thread.submit(write)

    def _wait(self) -> None:
        """Wait for the batch in flight, report its articles, and raise what stopped it."""
        writing, self._writing = self._writing, None
        if writing is None:
            return
        done, self._writing_done = self._writing_done, []
        articles, self._writing_articles = self._writing_articles, frozenset()
        try:
            writing.result()
        finally:
            self._forget(articles)
        for report in done:
            report("added")
        self._mind_caches()

    def _mind_caches(self) -> None:
        resident = _resident_bytes()
        if resident is not None and self._baseline is not None and resident - self._baseline > RELEASE_CACHES_GROWTH:
            self.store.release_caches()
            self._baseline = _resident_bytes()


class OxigraphStore(PyoxigraphStore):
    """Oxigraph embedded on disk (RocksDB). Default location `.diplokg/store` under the
    current directory, which the project's .gitignore excludes."""

    name = "oxigraph"
    persistent = True

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, create: bool = True) -> None:
        """`read_only`: for commands that only read; writes nothing to the folder (see
        rocksdb.py) and shares the store with other readers. A store that is not there is
        created only when `create` and not `read_only` (else "no store at PATH")."""
        path = Path(DEFAULT_LOCATION if path is None else path)
        if path.exists() and not path.is_dir():
            raise StoreError(f"cannot open store {path}: it is a file, not a store directory")
        if read_only or not create:
            check_exists(path)
        self._lock_fd = shared_lock(path) if read_only else None
        try:
            super().__init__(_open_rocksdb(path, read_only=read_only), str(path))
        except BaseException:
            self._unlock()
            raise
        self.read_only = read_only
        self._path = path
        self._pid_file = path / PID_FILE
        if not read_only:
            _write_pid(self._pid_file)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def release_caches(self) -> None:
        """Close and reopen the database, which empties RocksDB's block caches.

        Every read fills them (a string cache of up to 128 MB and 32 MB for the indexes),
        and pyoxigraph has no option to size them: during a long ingest they were most of
        the growth of memory (+150 MB between 2,000 and 10,000 articles, then flat).
        Reopening takes about 0.1 s."""
        self._reopen(free_memory=True)

    def probe(self) -> None:
        """Take a snapshot: what blocks forever in a forked child whose RocksDB mutex came over
        held by a background thread of the parent (a flush or compaction after a write)."""
        self._read(lambda: next(iter(self.native.quads_for_pattern(None, None, None, None)), None))

    def settle(self) -> None:
        """Close and reopen the database: closing waits for RocksDB's background jobs."""
        self._reopen()

    def _reopen(self, free_memory: bool = False) -> None:
        """Close the database and open it again; skipped while anything else holds the
        pyoxigraph store, which would keep the database open."""
        native = self._native
        if native is None or sys.getrefcount(native) > 3:  # self._native, `native`, the argument
            return
        if not self.read_only:
            self._write(native.flush, None)
        self._native = native = None
        if free_memory:
            _return_freed_memory()
        self._native = _open_rocksdb(self._path, wait=5.0, read_only=self.read_only)

    def close(self) -> None:
        was_open = self._native is not None
        super().close()
        if was_open and not self.read_only:
            _remove_pid(self._pid_file)
        self._unlock()


def _resident_bytes() -> int | None:
    """The process's resident memory (Linux /proc), None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _fewer_malloc_arenas() -> None:
    """Let glibc keep at most four malloc arenas (a no-op elsewhere). Each thread that
    allocates otherwise gets an arena of its own, up to eight per core, and the bulk
    loader's threads leave freed memory scattered over them, where it stays: ingesting
    50,000 articles peaked at 469 MiB with the default, 352 MiB with four (two saved a
    little more, but slowed the model, whose thread then shared an arena with them)."""
    try:
        ctypes.CDLL(None).mallopt(-8, 4)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def _return_freed_memory() -> None:
    """Ask glibc to give freed heap pages back to the system (a no-op elsewhere), so that
    the memory of RocksDB's emptied caches leaves the process instead of lingering."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


class OxigraphMemoryStore(PyoxigraphStore):
    """The Oxigraph engine in memory: nothing written anywhere, Oxigraph's speed and semantics."""

    name = "oxigraph-memory"
    persistent = False

    def __init__(self) -> None:
        super().__init__(ox.Store(), "oxigraph-memory:")
