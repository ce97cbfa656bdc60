"""Faults by real signals on real `diplokg` processes: SIGKILL and SIGTERM right after a batch
write, during an ingest, a replace, a remove and an import. After each, the store is sound
(tests/faults.py `assert_store_sound`: named graphs == articles with a content hash, `validate`
conforms, export -> import round-trips every article), and a SIGTERM is handled like Ctrl-C:
the write in progress completes, the stored articles are printed, exit 143 with one line.

The corpus is short synthetic articles (tests/test_crash.py), ten of them, written BATCH at
a time (the DIPLOKG_TEST_BATCH hook; 64 otherwise), so that the store stays small: `validate`
takes seconds per hundred articles. Commits of an ingest: 1 is the ontology, 2 the first
batch (or the first replaced article).
"""

from __future__ import annotations

import random
import shutil
import signal
from pathlib import Path

import pyoxigraph as ox
import pytest

from diplokg.rdf.iris import article_iri
from diplokg.rdf.vocab import DIP
from faults import SCRIPT, assert_store_sound, cli, raw_graphs, run_stopped
from test_crash import write_articles

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")

BATCH = 4
N = 10
HOOKS = {"DIPLOKG_TEST_BATCH": str(BATCH)}
SIGNALS = [pytest.param(signal.SIGKILL, id="SIGKILL"), pytest.param(signal.SIGTERM, id="SIGTERM")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "articles.jsonl"
    write_articles(path, N, prefix="falla")
    return path


@pytest.fixture(scope="module")
def full_store(corpus, nlp, tmp_path_factory) -> Path:
    """The corpus ingested whole, cleanly (copy it before changing it)."""
    location = tmp_path_factory.mktemp("full") / "store"
    code, _, err = cli("ingest", str(corpus), "--store", str(location), "--quiet")
    assert code == 0, err
    return location


def stored_ids(location: Path) -> set[str]:
    named, hashed = raw_graphs(location)
    return {iri.rsplit("/", 1)[-1] for iri in hashed}


def printed(stdout: str, outcome: str) -> set[str]:
    return {line.split()[1] for line in stdout.splitlines() if line.split()[:1] == [outcome]}


def interrupted_line(stopped) -> str:
    """The one line a SIGTERM leaves on stderr (the test hook's own line aside)."""
    lines = [line for line in stopped.stderr.splitlines() if not line.startswith("diplokg-test:")]
    assert stopped.returncode == 143 and len(lines) == 1, (stopped.returncode, stopped.stderr)
    assert "interrupted" in lines[0] and "SIGTERM" in lines[0]
    return lines[0]


@pytest.mark.parametrize("sig", SIGNALS)
def test_a_signal_right_after_a_batch_write_leaves_every_graph_with_its_hash(corpus, sig, tmp_path):
    """Defect 5: the bulk loader wrote a batch's graphs and the hashes came in a second
    write; a kill between them left 64 graphs that queries and export saw but `articles`
    did not, and the export did not import."""
    location = tmp_path / "store"
    stopped = run_stopped(["ingest", str(corpus), "--store", str(location)], sig, after_commit=2, env=HOOKS)
    assert "committed 2" in stopped.marker
    graphs = assert_store_sound(location, tmp_path / "check")
    if sig == signal.SIGKILL:
        assert len(graphs) == BATCH  # the batch committed just before the kill, whole
    else:
        line = interrupted_line(stopped)
        # the batch is stored, and so are the articles extracted before the signal
        assert len(graphs) >= BATCH
        assert printed(stopped.stdout, "added") == stored_ids(location)
        assert f"{len(graphs)} article(s) stored ({len(graphs)} added" in line
    code, out, err = cli("ingest", str(corpus), "--store", str(location))  # a rerun completes the rest
    assert code == 0, err
    assert f"{N} article(s): {N - len(graphs)} added, 0 replaced, {len(graphs)} unchanged" in out
    if sig == signal.SIGKILL:
        assert len(assert_store_sound(location, tmp_path / "again")) == N


@pytest.mark.parametrize("sig", SIGNALS)
def test_a_signal_during_replace_leaves_each_article_old_or_new(full_store, sig, tmp_path):
    location = tmp_path / "store"
    shutil.copytree(full_store, location)
    changed = tmp_path / "changed.jsonl"
    write_articles(changed, N, prefix="falla")
    lines = changed.read_text(encoding="utf-8").splitlines()
    lines[:5] = [line.replace("según ", "según un comunicado de ") for line in lines[:5]]
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _hashes(location)
    stopped = run_stopped(["ingest", str(changed), "--store", str(location)], sig, after_commit=3)
    assert "replace" in stopped.marker
    assert len(assert_store_sound(location, tmp_path / "check")) == N
    after = _hashes(location)
    new = {i for i in after if after[i] != before[i]}
    assert new == {f"falla-{k:04d}" for k in range(2)}  # commits 2 and 3: the first two replaced
    if sig == signal.SIGTERM:
        interrupted_line(stopped)
        assert printed(stopped.stdout, "replaced") == new


@pytest.mark.parametrize("sig", SIGNALS)
def test_a_signal_during_remove_leaves_a_sound_store(full_store, sig, tmp_path):
    location = tmp_path / "store"
    shutil.copytree(full_store, location)
    ids = [f"falla-{k:04d}" for k in range(5)]
    stopped = run_stopped(["remove", *ids, "--store", str(location)], sig, after_commit=2)
    assert "remove" in stopped.marker
    assert len(assert_store_sound(location, tmp_path / "check")) == N - 2
    assert not stored_ids(location) & set(ids[:2]) and set(ids[2:]) <= stored_ids(location)
    if sig == signal.SIGTERM:
        interrupted_line(stopped)


@pytest.fixture(scope="module")
def export_file(full_store, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "all.trig"
    assert cli("export", "--format", "trig", "-o", str(path), "--store", str(full_store))[0] == 0
    return path


@pytest.fixture(scope="module")
def one_other(nlp, tmp_path_factory) -> Path:
    """A store that holds one article not in the corpus."""
    source = tmp_path_factory.mktemp("other")
    write_articles(source / "otra.jsonl", 1, prefix="otra")
    location = source / "store"
    assert cli("ingest", str(source / "otra.jsonl"), "--store", str(location), "--quiet")[0] == 0
    return location


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize("into", ["empty", "non-empty"])
def test_a_signal_after_the_write_of_an_import_leaves_all_of_it(export_file, one_other, into, sig, tmp_path):
    """Importing into a store that holds articles wrote one article at a time (and each in
    two writes: a kill after the first left a graph without its hash); now it is one
    transaction, hashes included, as the bulk load into an empty store is."""
    location = tmp_path / "store"
    if into == "non-empty":
        shutil.copytree(one_other, location)
    stopped = run_stopped(["import", str(export_file), "--store", str(location)], sig, after_commit=1)
    assert len(assert_store_sound(location, tmp_path / "check")) == N + (into == "non-empty")
    assert "import" in stopped.marker  # the one write of the import
    if sig == signal.SIGTERM:
        interrupted_line(stopped)


def test_a_failed_import_into_a_non_empty_store_applies_nothing_and_says_so(export_file, one_other, tmp_path):
    location = tmp_path / "store"
    shutil.copytree(one_other, location)
    flawed = tmp_path / "flawed.trig"
    flawed.write_text(export_file.read_text(encoding="utf-8")
                      + '<https://example.org/stray> { <https://example.org/stray> <http://purl.org/dc/terms/title> "x" . }\n',
                      encoding="utf-8")
    code, out, err = cli("import", str(flawed), "--store", str(location))
    assert code == 2 and "not an article graph" in err and "nothing was imported" in err
    assert len(err.strip().splitlines()) == 1
    assert len(assert_store_sound(location, tmp_path / "check")) == 1


def test_hashless_graphs_left_by_an_older_version_fail_validate_and_go_on_the_next_write(full_store, corpus, tmp_path):
    """A store written before the fix may hold article graphs without their hash (what the
    kill above used to leave): `validate` says so, and the next write command takes them out
    (they were never listed as stored) with one warning, and ingesting again adds them."""
    location = tmp_path / "store"
    shutil.copytree(full_store, location)
    lost = [str(article_iri(f"falla-{k:04d}")) for k in range(3)]
    store = ox.Store(str(location))
    has_hash = ox.NamedNode(str(DIP.contentHash))
    for iri in lost:
        node = ox.NamedNode(iri)
        store.remove(next(store.quads_for_pattern(node, has_hash, None, node)))
    del store
    named, hashed = raw_graphs(location)
    assert named - hashed == set(lost)
    code, out, err = cli("validate", "--store", str(location))
    assert code == 1 and "3 named graph(s) look like articles but have no content hash" in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = cli("ingest", str(corpus), "--store", str(location))
    assert code == 0 and "3 article graph(s) without a content hash" in err and len(err.strip().splitlines()) == 1
    assert f"{N} article(s): 3 added, 0 replaced, {N - 3} unchanged" in out
    assert len(assert_store_sound(location, tmp_path / "check")) == N


def _hashes(location: Path) -> dict[str, str]:
    store = ox.Store(str(location))
    try:
        return {q.subject.value.rsplit("/", 1)[-1]: q.object.value
                for q in store.quads_for_pattern(None, ox.NamedNode(str(DIP.contentHash)), None, None)}
    finally:
        del store
