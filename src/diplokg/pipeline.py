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

from .errors import ExtractionError
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
    failed: list[str] = field(default_factory=list)  # the extraction failed: not stored

    @property
    def total(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.unchanged) + len(self.failed)

    def summary(self) -> str:
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return (f"{self.total} article(s): {len(self.added)} added, {len(self.replaced)} replaced, "
                f"{len(self.unchanged)} unchanged{failed}")


def ensure_ontology(store: Store) -> None:
    """The ontology and topic scheme live in their own named graph of every store."""
    from .resources import load_ontology

    store.load_ontology(load_ontology())


def ingest(articles: Iterable[Article], store: Store, *, base: str = iris.DEFAULT_BASE,
           on_article: Callable[[Article, str], None] | None = None, jobs: int = 1,
           on_error: Callable[[ExtractionError], None] | None = None) -> IngestReport:
    """Extract and store each article; returns what happened to each.

    With `on_error`, an article the extraction fails on is handed to it (one line naming
    the article) and counted as failed, and the run goes on; without, the error ends it.

    With `jobs` > 1, worker processes run the NLP (the costly part) on batches while this
    process alone maps and writes, in input order. The store's `article_writer` decides
    how: a transaction per article, or (embedded Oxigraph) new articles in bulk batches."""
    from .extract import extract_many

    report = IngestReport()
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

    def failed(err: ExtractionError) -> None:
        report.failed.append(err.article_id)
        on_error(err)

    isolate = failed if on_error else None
    if jobs > 1:
        extractions = _extract_parallel(pending(), jobs, isolate)
    else:  # `on_error` only when asked for: tests and benchmarks stand in their own extract_many
        extractions = extract_many(pending(), on_error=isolate) if isolate else extract_many(pending())
    def stored(article: Article) -> Callable[[str], None]:
        def done(outcome: str) -> None:
            getattr(report, outcome).append(article.id)
            if on_article:
                on_article(article, outcome)

        return done

    with _fewer_collections(), store.article_writer() as writer:
        for extraction in extractions:
            # events are looked up through the writer, which sees the articles it holds back
            graph = article_graph(extraction, base, same_events(extraction, writer, base))
            writer.put(str(graph.identifier), graph, extraction.article.content_hash, stored(extraction.article))
    return report


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


def _extract_batch(articles: list[Article], isolate: bool) -> list[Extraction | ExtractionError]:
    from .extract import extract_many

    out: list[Extraction | ExtractionError] = []
    for extraction in extract_many(articles, on_error=out.append if isolate else None):
        out.append(extraction)
    return out


def _extract_parallel(articles: Iterable[Article], jobs: int, on_error: Callable[[ExtractionError], None] | None = None,
                      batch: int = 8, ahead: int = 2) -> Iterator[Extraction]:
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
    with context.Pool(jobs) as pool:

        def submit() -> bool:
            chunk = list(itertools.islice(iterator, batch))
            if chunk:
                in_flight.append(pool.apply_async(_extract_batch, (chunk, on_error is not None)))
            return bool(chunk)

        for _ in range(jobs * ahead):
            if not submit():
                break
        while in_flight:
            done = in_flight.popleft().get()
            submit()
            for item in done:
                if isinstance(item, ExtractionError):
                    on_error(item)
                else:
                    yield item


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
