"""Quality floors on the development corpus (tests/data/dev, a copy of ../shared/corpus/dev).

One extraction pass over the twelve articles is shared by every test here: `evaluate`
runs it through a recording extractor, and the ingest into a MemoryStore is served the
same extractions (so the cross-article IRI test costs no second NLP pass).
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import pytest

import diplokg.extract
from diplokg.evaluate import evaluate, format_report, gold_pairs, load_gold
from diplokg.extract import extract
from diplokg.pipeline import ingest
from diplokg.read import read_articles
from diplokg.stores import ONTOLOGY_GRAPH, MemoryStore

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "dev"
SHARED_DEV = ROOT.parent / "shared" / "corpus" / "dev"

# The floors on the development corpus (issue 13 raised them: the rules for real prose
# must not cost the synthetic articles).
ENTITIES_F1 = 0.95
POSITIONS_F1 = 0.95
EVENTS_F1 = 0.88
STATUS_ACCURACY = 0.90  # matched events whose status equals gold
DATE_ACCURACY = 0.80  # matched events with a gold date whose dip:date equals it

# Recurring fictional officials (tests/data/dev/README.md): one IRI each across the corpus.
RECURRING = ("Valdivia", "Quiroga", "Irarrázaval", "Carrasquilla", "Almonte", "Kessler")


def _key(article) -> tuple:
    """What an extraction depends on besides the pipeline."""
    return (article.id, article.content_hash, article.published)


@pytest.fixture(scope="module")
def corpus(nlp):
    """(report, store, ingest report, cache misses): one extraction per dev article."""
    cache: dict[tuple, object] = {}
    run = functools.partial(extract, nlp=nlp)

    def recording(article):
        extraction = run(article)
        cache[_key(article)] = extraction
        return extraction

    report = evaluate(DEV, recording)

    golds = {txt: load_gold(gold) for txt, gold in gold_pairs(DEV)}
    articles = [
        dataclasses.replace(a, published=golds[Path(a.source)].published, title=golds[Path(a.source)].title)
        for a in read_articles(sorted(golds))
    ]
    misses: list[str] = []

    def cached_many(items, nlp_=None):
        for article in items:
            hit = cache.get(_key(article))
            if hit is None:
                misses.append(article.id)
                hit = run(article)
            yield dataclasses.replace(hit, article=article)

    store = MemoryStore()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(diplokg.extract, "extract_many", cached_many)
        ingested = ingest(articles, store)
    yield report, store, ingested, misses
    store.close()


@pytest.fixture(scope="module")
def report(corpus):
    return corpus[0]


def test_dev_corpus_is_complete():
    pairs = gold_pairs(DEV)
    assert len(pairs) == 12
    assert (DEV / "README.md").is_file()


@pytest.mark.skipif(not SHARED_DEV.is_dir(), reason="../shared/corpus/dev not present")
def test_dev_copy_matches_shared():
    shared = sorted(p.name for p in SHARED_DEV.iterdir() if p.is_file())
    local = sorted(p.name for p in DEV.iterdir() if p.is_file())
    assert local == shared
    stale = [n for n in shared if (SHARED_DEV / n).read_bytes() != (DEV / n).read_bytes()]
    assert not stale, f"tests/data/dev is out of date, copy over from {SHARED_DEV}: {stale}"


def test_entities_f1_floor(report):
    t = report.entities
    assert t.f1 >= ENTITIES_F1, f"entities F1 {t.f1:.3f} < {ENTITIES_F1} (tp={t.tp} fp={t.fp} fn={t.fn})"


def test_positions_f1_floor(report):
    t = report.positions
    assert t.f1 >= POSITIONS_F1, f"positions F1 {t.f1:.3f} < {POSITIONS_F1} (tp={t.tp} fp={t.fp} fn={t.fn})"


def test_events_f1_floor(report):
    t = report.events
    assert t.f1 >= EVENTS_F1, f"events F1 {t.f1:.3f} < {EVENTS_F1} (tp={t.tp} fp={t.fp} fn={t.fn})"


def test_status_accuracy_floor(report):
    ag = report.agreement
    assert ag.events_matched > 0
    rate = ag.event_status_agree / ag.events_matched
    assert rate >= STATUS_ACCURACY, f"status {ag.event_status_agree}/{ag.events_matched} = {rate:.3f} < {STATUS_ACCURACY}"


def test_date_accuracy_floor(report):
    ag = report.agreement
    assert ag.events_dated > 0
    rate = ag.event_date_agree / ag.events_dated
    wrong = "\n".join(f"  {a.article_id}: {m}" for a in report.articles for m in a.date_mismatches)
    assert rate >= DATE_ACCURACY, (
        f"date {ag.event_date_agree}/{ag.events_dated} = {rate:.3f} < {DATE_ACCURACY}; disagreements:\n{wrong}"
    )


def test_report_ends_with_overall_lines(report):
    lines = format_report(report).splitlines()
    assert [line.split()[:2] for line in lines[-3:]] == [
        ["overall", "entities"],
        ["overall", "positions"],
        ["overall", "events"],
    ]


def test_ingest_used_the_shared_extraction(corpus):
    _, store, ingested, misses = corpus
    assert misses == []
    assert sorted(ingested.added) == sorted(f"dev{n:02d}" for n in range(1, 13))
    assert len(store.articles()) == 12


PEOPLE = """
PREFIX dip: <https://w3id.org/diplokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?person ?g ?surname WHERE {
  GRAPH ?g { ?person a dip:Person ; rdfs:label ?label . }
  FILTER(CONTAINS(LCASE(STR(?label)), LCASE(?surname)))
}
"""


@pytest.mark.parametrize("surname", RECURRING)
def test_recurring_official_has_one_iri(corpus, surname):
    store = corpus[1]
    rows = store.query(PEOPLE, {"surname": surname}).rows
    iris = sorted({str(person) for person, _, _ in rows})
    graphs = sorted({str(g) for _, g, _ in rows if str(g) != ONTOLOGY_GRAPH})
    assert len(iris) == 1, f"{surname}: {len(iris)} IRIs {iris}"
    assert len(graphs) > 1, f"{surname}: {iris[0]} only in {graphs}"
