"""The embedded store empties RocksDB's caches during long ingests by reopening itself
(OxigraphStore.release_caches): nothing stored may be lost, and the lock must stay held. And
a write that fails in the bulk writer's thread stops ingest without losing what was stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplokg.errors import StoreError
from diplokg.pipeline import ingest
from diplokg.read import read_articles
from diplokg.stores import OxigraphStore, oxigraph

DEV = Path(__file__).parent / "data" / "dev"


def test_reopening_keeps_the_data_and_the_lock(tmp_path, monkeypatch):
    store = OxigraphStore(tmp_path / "s")
    ingest(read_articles(sorted(DEV.glob("dev0[1-3].txt"))), store)
    before = (store.count(), [a.iri for a in store.articles()])
    opened = []
    reopen = oxigraph._open_rocksdb
    monkeypatch.setattr(oxigraph, "_open_rocksdb", lambda *a, **k: opened.append(a) or reopen(*a, **k))
    store.release_caches()
    assert len(opened) == 1  # the database was closed and opened again
    assert (store.count(), [a.iri for a in store.articles()]) == before
    with pytest.raises(StoreError, match="in use by process|locked"):
        OxigraphStore(tmp_path / "s")
    store.close()
    assert not (tmp_path / "s" / oxigraph.PID_FILE).exists()


def test_not_reopened_while_something_else_holds_it(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    held = store.native
    store.release_caches()
    assert store.native is held  # the database could not have been closed
    del held
    store.close()


def test_ingest_empties_the_caches_as_the_process_grows(tmp_path, monkeypatch):
    calls = []
    release = OxigraphStore.release_caches

    def counted(self):
        calls.append(self.count())
        release(self)

    monkeypatch.setattr(OxigraphStore, "release_caches", counted)
    monkeypatch.setattr(oxigraph, "RELEASE_CACHES_GROWTH", -2**62)  # after every batch, even if the process shrank
    monkeypatch.setattr(OxigraphStore, "article_writer", lambda self: oxigraph.BulkArticleWriter(self, batch=3))
    store = OxigraphStore(tmp_path / "s")
    texts = sorted(DEV.glob("dev*.txt"))
    report = ingest(read_articles(texts), store)
    assert len(calls) >= len(texts) // 3
    assert len(report.added) == len(store.articles()) == len(texts)
    assert calls == sorted(calls)  # each time with more stored
    store.close()


def test_a_write_that_fails_in_the_writer_thread_stops_ingest_and_keeps_what_was_stored(tmp_path, monkeypatch):
    """The bulk writer writes each batch in a thread: a failure there reaches ingest as the
    store's one-line error, and the batches written before it stay whole."""
    from diplokg.stores.oxigraph import PyoxigraphStore

    written = []
    write = PyoxigraphStore._write

    def failing(self, operation, what="write"):
        if what == "batch":
            if written:
                raise StoreError(f"cannot write to store {self.location}: disk full")
            written.append(what)
        write(self, operation, what)

    monkeypatch.setattr(PyoxigraphStore, "_write", failing)
    monkeypatch.setattr(OxigraphStore, "article_writer", lambda self: oxigraph.BulkArticleWriter(self, batch=2))
    store = OxigraphStore(tmp_path / "s")
    with pytest.raises(StoreError, match="disk full"):
        ingest(read_articles(sorted(DEV.glob("dev*.txt"))[:6]), store)
    assert written == ["batch"] and len(store.articles()) == 2
    named = {g.value for g in store.native.named_graphs()} - {oxigraph.ONTOLOGY_GRAPH, oxigraph.CONTACTS_GRAPH}
    assert named == {a.iri for a in store.articles()}  # no graph of the failed batch
    store.close()
