"""The library's main jobs, used by the CLI: ingest articles, build the outputs.

Each article goes into the store whole or not at all (one named graph, written in one
transaction); an article whose text and metadata have not changed (same content hash) is
skipped before any NLP runs, so ingesting the same input twice changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import ExtractionError
from .interrupts import deferred
from .model import Article, Event, Extraction
from .rdf import iris
from .rdf.mapping import article_graph, event_iri
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

    def counts(self) -> str:
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return f"{len(self.added)} added, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged{failed}"

    def summary(self) -> str:
        return f"{self.total} article(s): {self.counts()}"


def ensure_ontology(store: Store) -> None:
    """The ontology and topic scheme live in their own named graph of every store."""
    from .resources import load_ontology

    store.load_ontology(load_ontology())


def ingest(articles: Iterable[Article], store: Store, *, base: str = iris.DEFAULT_BASE,
           on_article: Callable[[Article, str], None] | None = None, jobs: int = 1,
           report: IngestReport | None = None,
           on_error: Callable[[ExtractionError], None] | None = None) -> IngestReport:
    """Extract and store each article; returns what happened to each (in `report`, when
    given, which then also says it when a signal stops the ingest: see interrupts.py).

    With `on_error`, an article the extraction fails on is handed to it (one line naming
    the article) and counted as failed, and the run goes on; without, the error ends it.

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

    labels: dict[str, str] = {}  # entity IRI -> the label it has (the writer may hold it back)
    with _fewer_collections(), _writing(store) as writer:
        for extraction in extractions:
            extraction = same_labels(extraction, store, labels, base)
            # events are looked up through the writer, which sees the articles it holds back
            extraction, event_iris = same_events(extraction, writer, base)
            graph = article_graph(extraction, base, event_iris)
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


def _extract_batch(articles: list[Article], isolate: bool) -> list[Extraction | ExtractionError]:
    from .extract import extract_many

    out: list[Extraction | ExtractionError] = []
    for extraction in extract_many(articles, on_error=out.append if isolate else None):
        out.append(extraction)
    return out


def _worker_signals() -> None:
    """A worker leaves Ctrl-C and SIGTERM to the parent, which stops the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
    with context.Pool(jobs, initializer=_worker_signals) as pool:

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


def same_labels(extraction: Extraction, store: Store, written: dict[str, str],
                base: str = iris.DEFAULT_BASE) -> Extraction:
    """The extraction with each entity's Spanish label as the store (or this run, `written`:
    entity IRI -> label, updated here) already has it, and its own as an alias.
    names.person_name makes one label of most variants of a name, but no rule can tell
    "Benitez" from "Benítez" (one key), and an entity has one rdfs:label per language. The
    article's own stored graph does not count: a corrected name replaces it. (Labels in
    other languages come from the gazetteer alone.)"""
    this = str(iris.article_iri(extraction.article.id, base))
    keys = {e.key: str(iris.entity_iri(e.key, base)) for e in extraction.entities}
    written.update(store.labels_of(sorted({i for i in keys.values() if i not in written}), this))
    entities = []
    for entity in extraction.entities:
        label = written.setdefault(keys[entity.key], entity.label)
        if label != entity.label:
            aliases = (a for a in dict.fromkeys((*entity.aliases, entity.label)) if a != label)
            entity = replace(entity, label=label, aliases=tuple(aliases))
        entities.append(entity)
    return replace(extraction, entities=tuple(entities))


def same_events(extraction: Extraction, store: Store | ArticleWriter,
                base: str = iris.DEFAULT_BASE) -> tuple[Extraction, dict[int, URIRef]]:
    """Events another article already reported: same type, status and participants, and a
    time and place that agree (see `_agrees`). Returns, per event index, the IRI to reuse,
    so the graph holds one event with evidence from both; and the extraction to map, where
    an event joined to one that has other words for the same date keeps the date but not
    its words (an event has at most one dip:timeExpression); an undated event that is
    none of them, but would get the IRI of one, gets an IRI of its own words. `store` is a
    store, or the writer ingest writes with (which sees what it holds back)."""
    found: dict[int, URIRef] = {}
    events = list(extraction.events)
    joined: dict[URIRef, tuple[set, set, set]] = {}  # what this article adds to the events it joins
    this_graph = iris.article_iri(extraction.article.id, base)
    for i, event in enumerate(events):
        if not event.participants:
            continue
        place = event.destination if event.type == "Visit" else event.location
        place_prop = DIP.destination if event.type == "Visit" else DIP.location
        key = iris.event_identity_key(event.type, event.status, event.participants)
        # Looked up by its identity key (type, status and the exact participants): the cost
        # does not grow with how many events the participants have in the store.
        known: dict[URIRef, tuple[set, set, set]] = {}
        for e_iri, *values in store.events_by_identity_key(key, str(this_graph), str(place_prop)):
            facts = known.setdefault(URIRef(str(e_iri)), joined.get(URIRef(str(e_iri)), (set(), set(), set())))
            for held, value in zip(facts, values):
                if value is not None:
                    held.add(str(value))
        date, text = _time_facts(event)
        place_iri = str(iris.entity_iri(place, base)) if place else None
        for e_iri, (dates, places, words) in known.items():
            if not _agrees(date, text, place_iri, dates, words, places):
                continue
            found[i] = e_iri
            if text and words and text not in words:
                events[i] = replace(event, time=replace(event.time, inherited=True))  # the date, not the words
            elif text:
                words.add(text)
            dates.update([date] if date else [])
            places.update([place_iri] if place_iri else [])
            joined[e_iri] = (dates, places, words)
            break
        else:
            if event_iri(event, base) in known:  # "el viernes" where "el jueves" has the IRI
                found[i] = event_iri(event, base, by_words=True)
    return replace(extraction, events=tuple(events)), found


def _time_facts(event: Event) -> tuple[str | None, str | None]:
    """The event's date and its own words for it (none for a date inherited from a neighbour)."""
    t = event.time
    return (t.value if t else None), (t.text if t and not t.inherited else None)


def _agrees(date: str | None, text: str | None, place: str | None,
            dates: set[str], words: set[str], places: set[str]) -> bool:
    """Whether a report (its date, its time words, its place) can be the known event (the
    dates, words and places reported of it so far). Two days are never one event, and
    neither are two places; an undated report with words of its own ("el jueves", no
    publication date to resolve it) is only an undated event said with the same words, and
    a known event with such words only takes reports with no time at all."""
    if date and dates - {date} or place and places - {place}:
        return False
    if text and not date:
        return not dates and words <= {text}
    if date and not dates and words:
        return False
    return True


# File systems allow 255 bytes per name (some encrypted ones 143): a longer article name is
# cut and given a digest of the whole, so every article of any id gets its own file.
MAX_NAME_BYTES = 140


def article_turtle_name(article_iri: str) -> str:
    """The Turtle file name of an article: its IRI's last segment + `.ttl`, or when that is
    too long, its first 100 bytes, `-` and a digest of the whole segment."""
    name = article_iri.rstrip("/").rsplit("/", 1)[-1]
    if len(name.encode("utf-8")) + 4 > MAX_NAME_BYTES:
        head = name.encode("utf-8")[:100].decode("utf-8", "ignore")  # never half a character
        head = re.sub(r"%[0-9A-Fa-f]?$", "", head)  # nor half a %-escape
        name = f"{head}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:16]}"
    return name + ".ttl"


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
