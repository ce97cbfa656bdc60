"""Hostile inputs (tests/hostile/, with tests/hostile/expected.json saying what each must do).

Each file is ingested through the CLI (in process) into one on-disk store that already holds a
really ingested good article. Per file: the exact stderr lines, the exit code (2 for any
problem, 0 when all is well), the good article's triples unchanged (count and a canonical
digest), the store's triple count unchanged when nothing was accepted, and the accepted
articles stored with their text cleaned as promised.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from rdflib.compare import to_isomorphic

from diplokg.cli import main
from diplokg.rdf.iris import article_iri
from diplokg.read import read_articles
from diplokg.stores import OxigraphStore

HOSTILE = Path(__file__).resolve().parent / "hostile"
MANIFEST = json.loads((HOSTILE / "expected.json").read_text(encoding="utf-8"))
CASES = sorted(name for name in MANIFEST if not name.startswith("_"))

GOOD = (
    "---\n"
    "id: bueno\n"
    "title: Reunión de cancilleres en Lima\n"
    "published: 2024-03-05\n"
    "---\n"
    "El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú.\n"
)
SPANISH_WORDS = "el canciller se reunió con su homólogo en la capital para hablar de comercio y seguridad "


def _generate(name: str, folder: Path) -> Path:
    """The inputs too big to keep in the repository."""
    path = folder / name
    if name == "huge.txt":
        line = (SPANISH_WORDS.strip() + ".\n").encode("utf-8")
        path.write_bytes(line * (2_400_000 // len(line)))
        assert 2_350_000 < path.stat().st_size < 2_450_000
    elif name == "huge-line.jsonl":
        big = (SPANISH_WORDS * (3_000_000 // len(SPANISH_WORDS) + 1))[:3_000_000]
        path.write_text(json.dumps({"text": "El canciller viajó a Lima."}, ensure_ascii=False) + "\n"
                        + json.dumps({"text": big}, ensure_ascii=False) + "\n", encoding="utf-8")
    elif name == "deep-divs.html":
        depth = 100_000
        path.write_text("<html><head><title>Anidada</title></head><body>" + "<div>" * depth
                        + "<p>" + GOOD.split("---\n")[-1] + "</p>" + "</div>" * depth + "</body></html>", encoding="utf-8")
    else:
        raise AssertionError(f"no generator for {name}")
    return path


def _expectation(name: str) -> SimpleNamespace:
    spec = MANIFEST[name]
    if spec == "ok":
        spec = {}
    elif isinstance(spec, str):
        spec = {"errors": [spec]}
    return SimpleNamespace(errors=spec.get("errors", []), stored=spec.get("stored"), contains=spec.get("contains"),
                           title=spec.get("title"), published=spec.get("published"), url=spec.get("url"),
                           generated=spec.get("generated"))


def _cli(*argv) -> SimpleNamespace:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return SimpleNamespace(code=code, out=out.getvalue(), err=err.getvalue())


def _good_state(location: Path) -> tuple[int, str, int, dict]:
    """(triples of the good article, their canonical digest, store count, {id: ArticleInfo})."""
    with OxigraphStore(location) as store:
        graph = store.graph_of(str(article_iri("bueno")))
        return len(graph), to_isomorphic(graph).graph_digest(), store.count(), {a.id: a for a in store.articles()}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An on-disk store holding one good, really ingested article."""
    root = tmp_path_factory.mktemp("hostile")
    good = root / "bueno.txt"
    good.write_text(GOOD, encoding="utf-8")
    location = root / "store"
    r = _cli("ingest", good, "--store", location, "--quiet")
    assert r.code == 0, r.err
    triples, digest, _, articles = _good_state(location)
    assert triples > 10 and list(articles) == ["bueno"]
    return SimpleNamespace(location=location, triples=triples, digest=digest, root=root)


def test_manifest_and_folder_agree():
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name not in ("expected.json", ".gitattributes")}
    generated = {n for n in CASES if _expectation(n).generated}
    assert on_disk == set(CASES) - generated
    assert not on_disk & generated


@pytest.mark.parametrize("name", CASES)
def test_hostile_input(store, name):
    expect = _expectation(name)
    path = _generate(name, store.root) if expect.generated else HOSTILE / name
    _, _, count_before, _ = _good_state(store.location)

    r = _cli("ingest", path, "--store", store.location)

    assert r.err.splitlines() == [f"diplokg: {path}{tail}" for tail in expect.errors]
    assert r.code == (2 if expect.errors else 0), r.err
    triples, digest, count_after, articles = _good_state(store.location)
    assert (triples, digest) == (store.triples, store.digest), "the good article's triples changed"
    stored = expect.stored if expect.stored is not None else ([] if expect.errors else [Path(name).stem])
    if not stored:
        assert count_after == count_before, "a refused input changed the store"
        assert r.out == ""
    for article_id in stored:
        assert article_id in articles, (article_id, sorted(articles))
    if expect.contains is not None or expect.title is not None:
        found = [a for a in read_articles([path], on_error=lambda e: None) if a.id in stored]
        assert found
        if expect.contains is not None:
            assert any(expect.contains in a.text for a in found), [a.text[:200] for a in found]
    if expect.title is not None:
        assert articles[stored[0]].title == expect.title
    if expect.published is not None:
        assert articles[stored[0]].issued == expect.published
    if expect.url is not None:
        assert found[0].url == expect.url


def test_whole_hostile_folder_at_once(store, tmp_path):
    """The folder as one input: every problem on its own stderr line, every good article
    stored, exit 2, the good article untouched."""
    r = _cli("ingest", HOSTILE, "--store", store.location, "--quiet")
    assert r.code == 2
    expected = sorted(f"diplokg: {HOSTILE / name}{tail}" for name in CASES if not _expectation(name).generated
                      for tail in _expectation(name).errors)
    assert sorted(r.err.splitlines()) == expected
    triples, digest, _, articles = _good_state(store.location)
    assert (triples, digest) == (store.triples, store.digest)
    for name in CASES:
        expect = _expectation(name)
        if expect.generated:
            continue
        for article_id in expect.stored if expect.stored is not None else ([] if expect.errors else [Path(name).stem]):
            assert article_id in articles


def test_missing_path_stops_before_anything_is_read(store):
    """A path named on the command line that does not exist is a usage error: one line, exit 2,
    nothing read or stored, even the good inputs named with it."""
    missing = store.root / "no-such-article.txt"
    _, _, before, articles_before = _good_state(store.location)
    r = _cli("ingest", HOSTILE / "latin1.txt", missing, "--store", store.location)
    assert (r.code, r.out) == (2, "")
    assert r.err == f"diplokg: {missing}: no such file or directory\n"
    triples, digest, after, articles = _good_state(store.location)
    assert (triples, digest, after) == (store.triples, store.digest, before)
    assert set(articles) == set(articles_before)


def test_unreadable_file_is_reported_and_skipped(store, monkeypatch):
    """A file that cannot be opened (as root, permissions cannot show it; the open is made to
    fail) is reported on its own line; the other inputs are still stored."""
    locked = store.root / "cerrado.txt"
    locked.write_text(GOOD.replace("id: bueno", "id: cerrado"), encoding="utf-8")
    other = store.root / "abierto.txt"
    other.write_text(GOOD.replace("id: bueno", "id: abierto"), encoding="utf-8")
    real_open = Path.open

    def fake_open(self, *args, **kwargs):
        if self.name == "cerrado.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", fake_open)
    r = _cli("ingest", locked, other, "--store", store.location, "--quiet")
    assert r.code == 2
    assert r.err == f"diplokg: {locked}: cannot read (Permission denied)\n"
    triples, digest, _, articles = _good_state(store.location)
    assert (triples, digest) == (store.triples, store.digest)
    assert "abierto" in articles and "cerrado" not in articles


def test_store_is_sound_after_every_hostile_input(store, tmp_path):
    """After all the inputs above (run before this test, on the same store), the store keeps
    its invariant: named graphs are exactly the hashed articles, `validate` conforms, and
    export -> import into an empty store gives back every article."""
    from faults import assert_store_sound

    graphs = assert_store_sound(store.location, tmp_path)
    assert str(article_iri("bueno")) in graphs and len(graphs) > 10
