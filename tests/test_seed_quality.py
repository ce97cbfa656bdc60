"""Extraction quality on the seed article, scored against its gold annotation.

The gold lives in the shared workspace (../shared/seeds/NAME.gold.json); a copy is kept in
tests/data/seed.gold.json so these tests run (and never skip) in the project alone. A separate
test checks that the copy still equals the shared gold, and skips when the shared folder is absent.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from diplokg.evaluate import evaluate, load_gold, score
from diplokg.extract import extract

ROOT = Path(__file__).resolve().parents[1]
SEED_NAME = "000_35c53b7a062a46b1"
GOLD_COPY = ROOT / "tests" / "data" / "seed.gold.json"
SHARED_CANDIDATES = (ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds"))


def _shared_seeds() -> Path:
    for folder in SHARED_CANDIDATES:
        if (folder / f"{SEED_NAME}.gold.json").is_file() and (folder / f"{SEED_NAME}.txt").is_file():
            return folder
    pytest.skip(
        "shared seed gold not found (looked in "
        + ", ".join(str(c) for c in SHARED_CANDIDATES)
        + "); the project's copy tests/data/seed.gold.json is still tested"
    )


@pytest.fixture(scope="module")
def seed_score(seed_extraction):
    return score(seed_extraction, load_gold(GOLD_COPY))


def _explain(category) -> str:
    return f"misses={list(category.misses)} false_positives={list(category.false_positives)}"


def test_entities_f1(seed_score):
    assert seed_score.entities.f1 >= 0.95, _explain(seed_score.entities)


def test_positions_f1(seed_score):
    assert seed_score.positions.f1 == 1.0, _explain(seed_score.positions)


def test_events_f1(seed_score):
    assert seed_score.events.f1 >= 0.85, _explain(seed_score.events)


def test_every_mention_quotes_the_text(seed_extraction):
    text = seed_extraction.article.text
    spans = []
    spans += [("event evidence", e.type, e.evidence) for e in seed_extraction.events]
    spans += [("position evidence", p.holder, p.evidence) for p in seed_extraction.positions]
    spans += [("entity mention", e.key, m) for e in seed_extraction.entities for m in e.mentions]
    spans += [("quantity mention", str(q.value), q.mention) for q in seed_extraction.quantities]
    assert spans
    bad = [
        f"{kind} of {owner}: [{m.start}:{m.end}] {m.text!r} != {text[m.start:m.end]!r}"
        for kind, owner, m in spans
        if not (0 <= m.start < m.end <= len(text)) or text[m.start : m.end] != m.text
    ]
    assert not bad, "\n".join(bad)
    # time expressions carry offsets too
    for event in seed_extraction.events:
        if event.time is not None:
            t = event.time
            assert text[t.start : t.end] == t.text, (event.type, t)


def test_every_entity_is_mentioned(seed_extraction):
    assert all(e.mentions for e in seed_extraction.entities), [e.key for e in seed_extraction.entities if not e.mentions]


def test_quantities(seed_extraction):
    found = {(q.value, q.qualifier): q for q in seed_extraction.quantities}
    votes = found.get((Decimal(4000), "more-than"))
    assert votes is not None, seed_extraction.quantities
    assert votes.unit == "mesas de votación"
    voters = found.get((Decimal(1200000), "exact"))
    assert voters is not None, seed_extraction.quantities
    assert voters.unit.startswith("peruanos"), voters


def test_gold_copy_matches_shared_gold():
    shared = _shared_seeds()
    copy = json.loads(GOLD_COPY.read_text(encoding="utf-8"))
    original = json.loads((shared / f"{SEED_NAME}.gold.json").read_text(encoding="utf-8"))
    assert copy == original, f"tests/data/seed.gold.json is out of date: copy {shared}/{SEED_NAME}.gold.json over it"
    assert (shared / f"{SEED_NAME}.txt").read_bytes() == (ROOT / "seeds" / f"{SEED_NAME}.txt").read_bytes()


def test_shared_seeds_evaluate(nlp):
    """The same thresholds through `evaluate` over the shared folder (as `diplokg eval` runs it)."""
    shared = _shared_seeds()
    report = evaluate(shared, lambda article: extract(article, nlp))
    assert report.total("entities").f1 >= 0.95
    assert report.total("positions").f1 == 1.0
    assert report.total("events").f1 >= 0.85
