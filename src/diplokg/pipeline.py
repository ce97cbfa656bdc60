"""The library's main jobs, used by the CLI: ingest articles, build the outputs.

Each article goes into the store whole or not at all (one named graph, written in one
transaction); an article whose text has not changed (same content hash) is skipped
before any NLP runs, so ingesting the same input twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .interrupts import deferred
from .model import Article, Extraction
from .rdf import iris
from .rdf.mapping import article_graph
from .rdf.vocab import DIP, STATUS
from .stores import Store
from .stores.base import ArticleWriter


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.unchanged)

    def summary(self) -> str:
        return f"{self.total} article(s): {len(self.added)} added, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged"


def ensure_ontology(store: Store) -> None:
    """The ontology and topic scheme live in their own named graph of every store."""
    from .resources import load_ontology

    store.load_ontology(load_ontology())


def ingest(articles: Iterable[Article], store: Store, *, base: str = iris.DEFAULT_BASE,
           on_article: Callable[[Article, str], None] | None = None, jobs: int = 1,
           report: IngestReport | None = None) -> IngestReport:
    """Extract and store each article; returns what happened to each (in `report`, when
    given, which then also says it when a signal stops the ingest: see interrupts.py).

    With `jobs` > 1, worker processes run the NLP (the costly part) on batches while this
    process alone maps and writes, in input order. The store's `article_writer` decides
    how: a transaction per article, or (embedded Oxigraph) new articles in bulk batches."""
    from .extract import extract_many

    report = IngestReport() if report is None else report
    ensure_ontology(store)

    def pending() -> Iterable[Article]:
        for article in articles:
            a_iri = str(iris.article_iri(article.id, base))
            if store.article_hash(a_iri) == article.content_hash:
                report.unchanged.append(article.id)
                if on_article:
                    on_article(article, "unchanged")
                continue
            yield article

    extractions = extract_many(pending()) if jobs <= 1 else _extract_parallel(pending(), jobs)
    def stored(article: Article) -> Callable[[str], None]:
        def done(outcome: str) -> None:
            getattr(report, outcome).append(article.id)
            if on_article:
                on_article(article, outcome)

        return done

    with _fewer_collections(), _writing(store) as writer:
        for extraction in extractions:
            # events are looked up through the writer, which sees the articles it holds back
            graph = article_graph(extraction, base, same_events(extraction, writer, base))
            with deferred():
                writer.put(str(graph.identifier), graph, extraction.article.content_hash, stored(extraction.article))
    return report


@contextmanager
def _writing(store: Store) -> Iterator[ArticleWriter]:
    """The store's article writer. What it holds back is written and reported when the
    ingest ends, also when a signal stops it (held until then: see interrupts.py)."""
    writer = store.article_writer()
    try:
        yield writer
    finally:
        with deferred():
            writer.__exit__(None, None, None)


@contextmanager
def _fewer_collections():
    """Ingest makes many short-lived objects per article (spaCy tokens, rdflib terms), and
    Python's cyclic collector rescans every long-lived one, the loaded model's included, at
    each full collection: about 2 ms an article at 1,000 articles. The model's objects are
    set aside (gc.freeze, which also keeps forked workers' pages shared) and young
    collections made rarer, until the ingest ends."""
    import gc

    from .nlp import load_nlp

    load_nlp()
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _extract_batch(articles: list[Article]) -> list[Extraction]:
    from .extract import extract_many

    return list(extract_many(articles))


def _worker_signals() -> None:
    """A worker leaves Ctrl-C and SIGTERM to the parent, which stops the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _extract_parallel(articles: Iterable[Article], jobs: int, batch: int = 8, ahead: int = 2) -> Iterator[Extraction]:
    """Extractions in input order from `jobs` forked worker processes.

    A sliding window of `ahead` batches per worker is in flight: while this process maps
    and writes one batch, the workers parse the next ones (a plain `pool.map` per round
    left them idle during the writes), and memory holds the window, not the corpus."""
    import itertools
    import multiprocessing
    from collections import deque

    from .nlp import load_nlp

    load_nlp()  # loaded once here; forked workers share it instead of loading their own
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    iterator = iter(articles)
    in_flight: deque = deque()
    with context.Pool(jobs, initializer=_worker_signals) as pool:

        def submit() -> bool:
            chunk = list(itertools.islice(iterator, batch))
            if chunk:
                in_flight.append(pool.apply_async(_extract_batch, (chunk,)))
            return bool(chunk)

        for _ in range(jobs * ahead):
            if not submit():
                break
        while in_flight:
            done = in_flight.popleft().get()
            submit()
            yield from done


def same_events(extraction: Extraction, store: Store | ArticleWriter, base: str = iris.DEFAULT_BASE) -> dict[int, URIRef]:
    """Events another article already reported: same type, status and participants, and a
    date and place that agree (equal, or stated by only one of them). Returns, per event
    index, the IRI to reuse, so the graph holds one event with evidence from both. `store`
    is a store, or the writer ingest writes with (which sees what it holds back)."""
    found: dict[int, URIRef] = {}
    this_graph = iris.article_iri(extraction.article.id, base)
    for i, event in enumerate(extraction.events):
        if not event.participants:
            continue
        date = event.time.value if event.time else None
        place = event.destination if event.type == "Visit" else event.location
        place_prop = DIP.destination if event.type == "Visit" else DIP.location
        key = iris.event_identity_key(event.type, event.status, event.participants)
        # Looked up by its identity key (type, status and the exact participants): the cost
        # does not grow with how many events the participants have in the store.
        rows = store.events_by_identity_key(key, str(this_graph), str(place_prop))
        for e_iri, other_date, other_place in rows:
            if date and other_date is not None and str(other_date) != date:
                continue
            if place and other_place is not None and other_place != iris.entity_iri(place, base):
                continue
            found[i] = URIRef(str(e_iri))
            break
    return found


def article_turtle_name(article_iri: str) -> str:
    return article_iri.rstrip("/").rsplit("/", 1)[-1] + ".ttl"


def write_outputs(store: Store, out_dir: Path, *, title: str = "diplokg") -> list[Path]:
    """One Turtle file per article, the dataset as TriG, and the HTML viewer."""
    from .export import export
    from .viz import network_from_graph, write_html

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for info in store.articles():
        path = out_dir / article_turtle_name(info.iri)
        export_graph(store.graph_of(info.iri), path)
        written.append(path)
    trig = out_dir / "diplokg.trig"
    export(store, "trig", trig)
    written.append(trig)
    union = Graph()
    for path in written[:-1]:
        union.parse(path, format="turtle")
    html = out_dir / "diplokg.html"
    write_html(network_from_graph(union), html, title=title)
    written.append(html)
    return written


def export_graph(graph: Graph, path: Path) -> None:
    from .export import serialize_graph

    path.write_bytes(serialize_graph(graph, "ttl"))
