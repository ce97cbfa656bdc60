"""The same event reported by two articles is one node with evidence from both."""

from datetime import date

import pytest

from diplokg.model import Article
from diplokg.pipeline import ingest
from diplokg.rdf.iris import article_iri
from diplokg.stores import MemoryStore

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
