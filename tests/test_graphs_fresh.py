"""graphs/ holds the committed outputs for seeds/: this test fails when they are stale.

A fresh `diplokg build seeds --out TMP --store memory:` (in process) must give the same graphs:
each graphs/*.ttl isomorphic to the fresh one, graphs/diplokg.trig with the same named graphs
(each isomorphic), graphs/diplokg.html byte for byte (the viewer is deterministic: sorted
nodes and edges, a fixed layout seed, no timestamps). And each committed Turtle file is what
the store holds for that article.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from diplokg.cli import main
from diplokg.pipeline import article_turtle_name, ingest
from diplokg.read import read_articles
from diplokg.stores import MemoryStore

REFRESH = "run `.venv/bin/diplokg build --store memory:` (from the project root) to refresh graphs/"
MAX_DIFF_LINES = 20


def _diff(expected: Graph, actual: Graph) -> str:
    _both, only_old, only_new = graph_diff(expected, actual)
    lines = []
    for title, graph in (("only in graphs/", only_old), ("only in the fresh build", only_new)):
        triples = sorted(line for line in graph.serialize(format="nt11").splitlines() if line.strip())
        lines.append(f"{title} ({len(triples)} triples):")
        lines += [f"  {t}" for t in triples[:MAX_DIFF_LINES]]
        if len(triples) > MAX_DIFF_LINES:
            lines.append(f"  ... {len(triples) - MAX_DIFF_LINES} more")
    return "\n".join(lines)


def _turtle(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def _named_graphs(path: Path) -> dict[str, Graph]:
    ds = Dataset()
    ds.parse(path, format="trig")
    return {
        str(g.identifier): g
        for g in ds.graphs()
        if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
    }


@pytest.fixture(scope="module")
def committed(root) -> Path:
    graphs = root / "graphs"
    if not graphs.is_dir():
        pytest.fail(f"{graphs} is missing: {REFRESH}")
    return graphs


@pytest.fixture(scope="module")
def fresh(root, nlp, tmp_path_factory) -> SimpleNamespace:
    """`diplokg build seeds --out TMP --store memory:` run in this process (nlp is already loaded)."""
    out = tmp_path_factory.mktemp("fresh-graphs")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["build", str(root / "seeds"), "--out", str(out), "--store", "memory:"])
    assert code == 0, stderr.getvalue()
    return SimpleNamespace(dir=out, out=stdout.getvalue(), err=stderr.getvalue())


def test_same_files(committed, fresh):
    assert sorted(p.name for p in committed.iterdir() if p.is_file()) == sorted(p.name for p in fresh.dir.iterdir()), REFRESH


def test_turtle_files_are_fresh(committed, fresh):
    fresh_ttl = sorted(fresh.dir.glob("*.ttl"))
    assert fresh_ttl, f"the build wrote no Turtle: {fresh.out}"
    for new in fresh_ttl:
        old = committed / new.name
        assert old.is_file(), f"graphs/{new.name} is missing: {REFRESH}"
        old_g, new_g = _turtle(old), _turtle(new)
        assert isomorphic(old_g, new_g), f"graphs/{new.name} is stale: {REFRESH}\n{_diff(old_g, new_g)}"


@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # inside rdflib's TriG parser
def test_trig_is_fresh(committed, fresh):
    old, new = _named_graphs(committed / "diplokg.trig"), _named_graphs(fresh.dir / "diplokg.trig")
    assert sorted(old) == sorted(new), f"graphs/diplokg.trig has other named graphs than a fresh build: {REFRESH}"
    for name in new:
        assert isomorphic(old[name], new[name]), (
            f"graphs/diplokg.trig, graph <{name}> is stale: {REFRESH}\n{_diff(old[name], new[name])}"
        )


def test_html_is_fresh(committed, fresh):
    old = (committed / "diplokg.html").read_bytes()
    new = (fresh.dir / "diplokg.html").read_bytes()
    if old != new:
        first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
        context = new[max(0, first - 80) : first + 80].decode("utf-8", "replace")
        pytest.fail(
            f"graphs/diplokg.html differs from a fresh build (sizes {len(old)} vs {len(new)}, "
            f"first difference at byte {first}, fresh text there: {context!r}): {REFRESH}",
            pytrace=False,
        )


def test_committed_turtle_is_what_the_store_holds(root, committed, nlp):
    """Each graphs/ARTICLE.ttl parses back into rdflib, isomorphic to the store's named graph."""
    store = MemoryStore()
    try:
        report = ingest(read_articles([root / "seeds"]), store)
        assert report.added, report.summary()
        infos = store.articles()
        assert infos
        for info in infos:
            path = committed / article_turtle_name(info.iri)
            assert path.is_file(), f"graphs/{path.name} is missing: {REFRESH}"
            on_disk, stored = _turtle(path), store.graph_of(info.iri)
            assert len(stored) > 0
            assert isomorphic(on_disk, stored), (
                f"graphs/{path.name} is not what the store holds for <{info.iri}>: {REFRESH}\n{_diff(on_disk, stored)}"
            )
    finally:
        store.close()
