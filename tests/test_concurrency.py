"""Two processes and one store.

- The embedded store (a directory) is held by one process at a time (RocksDB's LOCK); a
  second process gets a clear one-line error naming the holder, "store DIR is in use by
  process N", and nothing is corrupted: once the holder exits the store opens and every
  article is whole. A stale pid file (its process killed) blocks nothing.
- The load test (bench/load_test.py) in a bounded version: the real `diplokg serve` over an
  Oxigraph server store, a `diplokg ingest` into that same store in another process, client
  threads running the named queries over loopback: no 5xx, no lost article.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from diplokg.errors import StoreError
from diplokg.stores import OxigraphStore, open_store
from diplokg.stores.oxigraph import BULK_BATCH, PID_FILE

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("diplokg")
needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")


def _load_bench():
    spec = importlib.util.spec_from_file_location("diplokg_load_test", ROOT / "bench" / "load_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


load_test = _load_bench()

HOLD = textwrap.dedent("""
    import sys
    from diplokg.stores import open_store
    store = open_store(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.read()  # until the test closes our stdin (or 30 s pass: the test's timeout)
    store.close()
    print("closed", flush=True)
""")


class Holder:
    """A second process holding the embedded store open until `release()`."""

    def __init__(self, location: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD, str(location)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.strip() == "ready", (line, self.proc.stderr.read() if self.proc.poll() is not None else "")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            assert self.proc.stdout.readline().strip() == "closed"
            self.proc.wait(20)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(20)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            f.close()


def _ingest(corpus: Path, location: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), "ingest", str(corpus), "--store", str(location), "--quiet", *extra],
                          capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A store directory with 20 articles ingested, and their ids."""
    workdir = tmp_path_factory.mktemp("concurrency")
    corpus = workdir / "a.jsonl"
    ids = load_test.write_articles(corpus, 20, prefix="two")
    location = workdir / "store"
    done = _ingest(corpus, location)
    assert done.returncode == 0, done.stderr
    with open_store(location) as store:
        counts = {info.id: info.triples for info in store.articles()}
    assert sorted(counts) == ids
    return location, counts


def _intact(location: Path, counts: dict[str, int]) -> None:
    with open_store(location) as store:
        now = {info.id: info.triples for info in store.articles()}
        assert all(store.article_hash(info.iri) for info in store.articles())
    assert now == counts


def test_pid_file_names_this_process_and_is_removed_on_close(tmp_path):
    location = tmp_path / "store"
    store = OxigraphStore(location)
    assert (location / PID_FILE).read_text().strip() == str(os.getpid())
    with pytest.raises(StoreError, match="already open in this process"):
        OxigraphStore(location)
    store.close()
    assert not (location / PID_FILE).exists()
    OxigraphStore(location).close()


@needs_script
def test_second_process_gets_in_use_error(seeded):
    location, counts = seeded
    holder = Holder(location)
    try:
        # the CLI in a second process: one clear line, exit code of a store error
        run = subprocess.run([str(SCRIPT), "articles", "--store", str(location)], capture_output=True, text=True, timeout=60)
        assert run.returncode != 0 and run.stdout == ""
        assert run.stderr == f"diplokg: store {location} is in use by process {holder.pid} (it is locked; " \
                             "stop that process or wait for it to finish)\n"
        # and in this process, through the library
        with pytest.raises(StoreError, match=f"in use by process {holder.pid}"):
            open_store(location)
    finally:
        holder.release()
    # the holder is gone: the store opens (from another process too) and nothing was harmed
    run = subprocess.run([str(SCRIPT), "articles", "--store", str(location)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert all(article_id in run.stdout for article_id in counts)
    _intact(location, counts)


@needs_script
def test_writer_against_a_running_ingest(seeded, tmp_path):
    """A second ingest while a first one writes: refused with the holder's pid; the first
    finishes; nothing is corrupted; the second, rerun, completes."""
    location, counts = seeded
    corpus = tmp_path / "more.jsonl"
    # several bulk batches: the first is reported stored while the next ones are written
    more = load_test.write_articles(corpus, 4 * BULK_BATCH, prefix="more")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    first = subprocess.Popen([str(SCRIPT), "ingest", str(corpus), "--store", str(location)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = first.stdout.readline()  # the first process holds the store and is writing
        assert line.split()[:1] in (["added"], ["unchanged"]), (line, first.poll())
        second = _ingest(corpus, location)
        assert second.returncode != 0
        assert f"store {location} is in use by process {first.pid}" in second.stderr
        assert second.stderr.count("\n") == 1
        out, err = first.communicate(timeout=120)
        assert first.returncode == 0, err
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    again = _ingest(corpus, location, "--quiet")
    assert again.returncode == 0, again.stderr
    with open_store(location) as store:
        ids = [info.id for info in store.articles()]
    assert sorted(ids) == sorted(list(counts) + more)
    assert len(ids) == len(set(ids))
    # leave the module's store as it was for other tests
    with open_store(location) as store:
        for article_id in more:
            from diplokg.rdf.iris import article_iri

            store.remove_article(str(article_iri(article_id)))
    _intact(location, counts)


def test_stale_pid_file_does_not_block(seeded):
    """A holder killed with SIGKILL leaves its pid file; the kernel released the lock, the
    next opener ignores the dead pid and takes over."""
    location, counts = seeded
    holder = Holder(location)
    pid = holder.pid
    holder.kill()
    assert (location / PID_FILE).read_text().strip() == str(pid)  # stale
    _intact(location, counts)
    assert not (location / PID_FILE).exists()  # removed by our close


@pytest.mark.skipif(load_test._oxigraph_binary() is None, reason="the Oxigraph server is not installed")
@needs_script
def test_load_while_ingesting(tmp_path):
    """The bounded load test: 4 clients for at most 5 s (or 400 requests) against the real
    `diplokg serve` while `diplokg ingest` writes 40 articles into the same (server) store."""
    started = time.monotonic()
    result = load_test.run_load(tmp_path, articles=40, clients=4, duration=5, max_requests=400, request_timeout=20)
    assert result.requests > 0
    assert result.server_errors == 0, result.statuses
    assert set(result.statuses) == {200}, result.statuses
    assert result.ingest_returncode == 0
    assert result.stored == 40 and not result.missing and not result.duplicates
    assert time.monotonic() - started < 90
