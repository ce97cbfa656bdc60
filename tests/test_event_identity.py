"""The same event reported by two articles is one node with evidence from both."""

from datetime import date

import pytest

from diplokg.model import Article
from diplokg.pipeline import ingest
from diplokg.rdf.iris import article_iri
from diplokg.stores import MemoryStore
from diplokg.validate import validate

PREFIX = "PREFIX dip: <https://w3id.org/diplokg/ontology#>\n"

FIRST = Article(
    id="agencia-1",
    published=date(2026, 5, 14),
    text="La canciller de Chile, Valentina Orrego, se reunió este martes en Montevideo con su "
    "homólogo uruguayo, Andrés Larrañaga, para revisar la agenda bilateral.",
)
# Another outlet, the next day, without the date and with other words.
SECOND = Article(
    id="diario-2",
    published=date(2026, 5, 15),
    text="Valentina Orrego, canciller de Chile, sostuvo una reunión con el canciller uruguayo "
    "Andrés Larrañaga en Montevideo, donde abordaron el comercio bilateral.",
)
# The same people meeting again, on another date, is another event.
LATER = Article(
    id="agencia-3",
    published=date(2026, 9, 2),
    text="La canciller de Chile, Valentina Orrego, se reunió este miércoles en Santiago con el "
    "canciller uruguayo, Andrés Larrañaga.",
)


@pytest.fixture(scope="module")
def store(nlp):
    with MemoryStore() as s:
        ingest([FIRST, SECOND, LATER], s)
        yield s


def meetings(store):
    q = PREFIX + "SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { ?e a dip:Meeting ; dip:evidence ?m } GROUP BY ?e ORDER BY ?e"
    return [(str(e), int(n)) for e, n in store.query(q).rows]


def test_one_meeting_reported_twice_is_one_event_with_two_evidences(store):
    found = meetings(store)
    assert len(found) == 2, found
    assert sorted(n for _, n in found) == [1, 2]


def test_evidence_comes_from_both_articles(store):
    q = PREFIX + (
        "SELECT DISTINCT ?a WHERE { ?e a dip:Meeting ; dip:evidence ?m . ?m dip:inArticle ?a . "
        "{ SELECT ?e WHERE { ?e a dip:Meeting ; dip:evidence ?x } GROUP BY ?e HAVING (COUNT(DISTINCT ?x) = 2) } } ORDER BY ?a"
    )
    articles = [str(r[0]).rsplit("/", 1)[-1] for r in store.query(q).rows]
    assert articles == ["agencia-1", "diario-2"]


def test_shared_event_keeps_one_date(store):
    q = PREFIX + "SELECT ?e (COUNT(DISTINCT ?d) AS ?n) WHERE { ?e a dip:Meeting ; dip:date ?d } GROUP BY ?e"
    assert all(int(n) == 1 for _, n in store.query(q).rows)


def test_removing_one_report_keeps_the_other(nlp):
    with MemoryStore() as s:
        ingest([FIRST, SECOND], s)
        [(event, n)] = meetings(s)
        assert n == 2
        s.remove_article(str(article_iri("diario-2")))
        assert meetings(s) == [(event, 1)]


# A fourth report of the first meeting, and another of the later one: events that the
# articles held back or in flight with the bulk writer report again.
THIRD = Article(
    id="radio-4",
    published=date(2026, 5, 16),
    text="En Montevideo, el canciller uruguayo Andrés Larrañaga se reunió con la canciller "
    "chilena Valentina Orrego para hablar de comercio.",
)
FOURTH = Article(
    id="diario-5",
    published=date(2026, 9, 3),
    text="Andrés Larrañaga, canciller de Uruguay, se reunió en Santiago con la canciller de "
    "Chile, Valentina Orrego.",
)


def everything(store) -> set:
    q = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/diplokg/ontology>) }"
    return {tuple(map(str, row)) for row in store.query(q).rows}


@pytest.mark.parametrize("batch", [1, 2, 3, 64])
def test_the_bulk_writer_merges_events_as_one_article_at_a_time_does(nlp, tmp_path, monkeypatch, batch):
    """Ingest through the bulk writer, whose articles are held back and then written by a
    thread, finds the same events again as a transaction per article does, whatever the
    batch: batch 1 looks events up while the article before is being written."""
    from diplokg.stores import OxigraphStore
    from diplokg.stores import oxigraph

    articles = [FIRST, SECOND, LATER, THIRD, FOURTH]
    with MemoryStore() as one_at_a_time:
        ingest(articles, one_at_a_time)
        expected = everything(one_at_a_time)
        assert sorted(n for _, n in meetings(one_at_a_time)) == [2, 3]
    monkeypatch.setattr(OxigraphStore, "article_writer", lambda self: oxigraph.BulkArticleWriter(self, batch=batch))
    with OxigraphStore(tmp_path / "s") as bulk:
        report = ingest(articles, bulk)
        assert report.added == [a.id for a in articles]
        assert sorted(n for _, n in meetings(bulk)) == [2, 3]
        assert everything(bulk) == expected


# Issue 15, defect 6: which reports are one event. An event has at most one dip:date and one
# dip:timeExpression, and two days are never one event, whatever the articles' order.

def _report(id: str, when: str, published: date | None) -> Article:
    return Article(id=id, published=published, text=(
        f"La canciller de Chile, Valentina Orrego, se reunió {when} en Montevideo con su homólogo "
        "uruguayo, Andrés Larrañaga, para revisar la agenda bilateral.\n"))


def _split(values) -> tuple[str, ...]:
    return tuple(sorted(filter(None, str(values or "").split("|"))))


def _ingested(*articles: Article, store=None, one_run=False) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(event, its time expressions, its dates) of every meeting, once the articles are
    ingested one run each (or in `one_run`) and the store is checked to conform."""
    with store or MemoryStore() as store:
        for run in [articles] if one_run else [[a] for a in articles]:
            ingest(run, store)
        q = PREFIX + """SELECT ?e (GROUP_CONCAT(DISTINCT STR(?t); SEPARATOR="|") AS ?ts)
                               (GROUP_CONCAT(DISTINCT STR(?d); SEPARATOR="|") AS ?ds)
            WHERE { ?e a dip:Meeting . OPTIONAL { ?e dip:timeExpression ?t } OPTIONAL { ?e dip:date ?d } }
            GROUP BY ?e ORDER BY ?ds ?ts"""
        rows = [(str(e), _split(ts), _split(ds)) for e, ts, ds in store.query(q).rows]
        report = validate(store.dataset())
        assert report.conforms, report.messages()
    return rows


def test_two_days_are_never_one_event(nlp):
    rows = _ingested(_report("uno", "el 4 de marzo de 2025", None), _report("dos", "el 6 de marzo de 2025", None))
    assert [(w, d) for _e, w, d in rows] == [(("el 4 de marzo de 2025",), ("2025-03-04",)),
                                             (("el 6 de marzo de 2025",), ("2025-03-06",))]


def test_an_undated_report_with_words_does_not_join_a_dated_one(nlp):
    rows = _ingested(_report("uno", "el 6 de marzo de 2025", None), _report("dos", "el jueves", None))
    assert sorted((w, d) for _e, w, d in rows) == [(("el 6 de marzo de 2025",), ("2025-03-06",)), (("el jueves",), ())]
    rows = _ingested(_report("dos", "el jueves", None), _report("uno", "el 6 de marzo de 2025", None))
    assert sorted((w, d) for _e, w, d in rows) == [(("el 6 de marzo de 2025",), ("2025-03-06",)), (("el jueves",), ())]


def test_the_same_words_undated_are_one_event(nlp):
    rows = _ingested(_report("uno", "el jueves", None), _report("dos", "el jueves", None))
    assert [(w, d) for _e, w, d in rows] == [(("el jueves",), ())]


def test_the_same_day_in_other_words_is_one_event_with_one_time_expression(nlp):
    # Thursday 6 March 2025, said as a date in one report and as "ayer" the next day in another
    rows = _ingested(_report("uno", "el 6 de marzo de 2025", None), _report("dos", "ayer", date(2025, 3, 7)))
    assert [(w, d) for _e, w, d in rows] == [(("el 6 de marzo de 2025",), ("2025-03-06",))]


def test_a_report_with_no_time_joins_an_event_with_one(nlp):
    for order in ((0, 1), (1, 0)):
        reports = [_report("uno", "el jueves", None), _report("dos", "", None)]
        rows = _ingested(*(reports[i] for i in order))
        assert [(w, d) for _e, w, d in rows] == [(("el jueves",), ())]


@pytest.mark.parametrize("one_run", [True, False], ids=["held-back", "stored"])
def test_undated_thursday_and_friday_are_two_events(nlp, tmp_path, one_run):
    """In one run, the bulk writer holds the first article back when the second is looked
    up; in two, the store has it."""
    from diplokg.stores import OxigraphStore

    reports = _report("uno", "el jueves", None), _report("dos", "el viernes", None), _report("tres", "", None)
    rows = _ingested(*reports, store=OxigraphStore(tmp_path / "s"), one_run=one_run)
    assert [(w, d) for _e, w, d in rows] == [(("el jueves",), ()), (("el viernes",), ())]
