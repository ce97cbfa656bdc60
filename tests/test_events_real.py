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
