"""Events as published articles word them: statements, nominal events and support verbs,
reception, states and governments as actors, criticism, sanctions, downgrades and their
repair, agreements, invitations, and dates against a partial publication date. Every
sentence here is invented for these tests (fictional persons)."""

from __future__ import annotations

import pytest

from diplokg.extract import extract
from diplokg.model import Article, anchor_of
from test_extract_stages import describe_events, events, labels, one_event, run


def run_at(nlp, text: str, published: str):
    """Extract `text` published on an ISO date at any precision ("2020-10", "2020")."""
    day, precision = anchor_of(published)
    return extract(Article(id="real-test", text=text, published=day, published_precision=precision), nlp)


def participants(x, event) -> set[str]:
    return labels(x, event.participants)


# ---------------------------------------------------------------- dates


def test_dates_against_a_month_of_publication(nlp):
    x = run_at(nlp, "La canciller Marta Ibáñez Cortés se reunió este lunes en Lima con el ministro Pablo Ruiz Soto.", "2020-10")
    assert one_event(x, "Meeting").time.value == "2020-10"


def test_dateline_city_is_where_the_story_was_filed(nlp):
    """'Madrid, 3 feb (EFE).-' names no acting state: the meeting is the two ministers'."""
    x = run(nlp, "Madrid, 3 feb (EFE).- El ministro de Asuntos Exteriores chileno, Tomás Erazo Vidal, mantuvo este "
                 "martes una reunión con su homólogo de Perú, Raúl Quispe Mamani, en Madrid.")
    assert participants(x, one_event(x, "Meeting")) == {"Tomás Erazo Vidal", "Raúl Quispe Mamani"}
    assert not any(e.type == "Country" and e.label == "España" for e in x.entities)
