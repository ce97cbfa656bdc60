"""Long articles (issue 15, defects 4 and 13).

Before, a paragraph over spaCy's max_length (1,000,000 characters) inside an allowed article
ended the whole run with a traceback and stored nothing; an error of the extraction on one
article did the same. Now the model reads a long paragraph in pieces that join back to the
text (so every offset points into the original), and an article the extraction fails on is
a one-line error while the rest of the run is stored.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from diplokg.cli import main
from diplokg.extract import components, extract
from diplokg.extract.pieces import PIECE_ENV, cut, pieces
from diplokg.stores import open_store

PEOPLE = ["Rosa Etxeberria Lanz", "Bruno Quintanilla Ortuño", "Teresa Mairena Sotelo", "Gil Ardanaz Prieto"]
POSTS = ["la canciller de Chile", "el ministro de Defensa de Colombia", "el embajador de México en Perú",
         "la presidenta de Uruguay"]
PLACES = ["Lima", "Quito", "Montevideo", "Asunción"]
DAYS = ["el lunes", "el 3 de marzo", "este jueves", "el pasado 12 de abril"]
SHAPES = [
    "{post}, {person}, se reunió {day} en {place} con su homólogo para tratar el comercio bilateral. ",
    "{person} viajará {day} a {place}, donde firmará un acuerdo de cooperación en materia de migración. ",
    "Según fuentes oficiales, {person} criticó {day} la decisión del Gobierno de Bolivia sobre los aranceles. ",
    "Durante la visita a {place}, {post} anunció que ambos países ampliarán los vuelos directos. ",
]


def prose(n_chars: int) -> str:
    """One paragraph of varied sentences about meetings, visits and statements."""
    out, size = [], 0
    for i in itertools.count():
        s = SHAPES[i % 4].format(person=PEOPLE[(i // 4) % 4], post=POSTS[(i // 3) % 4], place=PLACES[(i // 5) % 4],
                                 day=DAYS[(i // 7) % 4])
        out.append(s[0].upper() + s[1:])
        size += len(s)
        if size >= n_chars:
            return "".join(out).rstrip() + "\n"


@pytest.fixture
def short_max_length(nlp):
    """The shared pipeline with a max_length of 3,000 characters (spaCy's limit scaled down,
    so a paragraph over it is a few kB instead of a MB)."""
    old = nlp.max_length
    nlp.max_length = 3000
    yield nlp
    nlp.max_length = old


def test_pieces_join_back_and_stay_under_the_limit():
    text = prose(5000) + "\n" + "x" * 700 + " " + "palabra " * 200
    parts = pieces(text, 300)
    assert "".join(parts) == text and max(map(len, parts)) <= 300
    assert all(p.endswith((". ", ".\n", " ", "\n")) for p in parts[:-1] if not p.startswith("x"))
    assert cut("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_a_paragraph_over_max_length_is_stored_and_so_are_the_others(short_max_length, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("La canciller de Chile, Rosa Etxeberria Lanz, visitó Lima el lunes.\n")
    (folder / "b.txt").write_text(prose(8000))  # one paragraph, 2.7 times max_length
    (folder / "c.txt").write_text("El ministro Bruno Quintanilla Ortuño se reunió en Quito con su par.\n")
    store_dir = tmp_path / "store"
    assert main(["ingest", str(folder), "--store", str(store_dir), "-q"]) == 0
    assert capsys.readouterr().err == ""
    with open_store(str(store_dir)) as store:
        assert len(list(store.articles())) == 3


def test_offsets_point_into_the_text_across_piece_boundaries(nlp, monkeypatch):
    from diplokg.model import Article

    text = prose(6000)
    monkeypatch.setenv(PIECE_ENV, "400")
    doc = components.parse(nlp, text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    ex = extract(Article("largo", text))
    mentions = [m for e in ex.entities for m in e.mentions] + [p.evidence for p in ex.positions] \
        + [e.evidence for e in ex.events]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    last_piece = len(text) - len(pieces(text, 400)[-1])
    people = {m.text for e in ex.entities if e.type == "Person" for m in e.mentions if m.start > last_piece - 400}
    assert people, "names near the end of a long text are found"
    assert any(e.evidence.start > len(text) // 2 for e in ex.events)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_article_the_extraction_fails_on_is_one_line_and_the_run_goes_on(tmp_path, capsys, monkeypatch, jobs):
    """A fault of our own stages on one article (injected: no known text triggers one), in
    this process or in a forked worker (--jobs 2)."""
    from diplokg.extract import entities as entities_stage

    resolve = entities_stage.resolve

    def failing(doc, spans, gaz):
        if "Zurbarán" in doc.user_data["text"]:
            raise IndexError("list index out of range")
        return resolve(doc, spans, gaz)

    monkeypatch.setattr(entities_stage, "resolve", failing)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("La canciller de Chile, Rosa Etxeberria Lanz, visitó Lima el lunes.\n")
    (folder / "b.txt").write_text("El embajador Íñigo Zurbarán Ferrer llegó a Asunción.\n")
    (folder / "c.txt").write_text("El ministro Bruno Quintanilla Ortuño se reunió en Quito con su par.\n")
    store_dir = tmp_path / "store"
    assert main(["ingest", str(folder), "--store", str(store_dir), "--jobs", jobs]) == 2
    out, err = capsys.readouterr()
    assert err == (f"diplokg: {folder / 'b.txt'}: article 'b': extraction failed "
                   "(IndexError: list index out of range); not stored\n")
    assert "3 article(s): 2 added, 0 replaced, 0 unchanged, 1 failed" in out
    with open_store(str(store_dir)) as store:
        assert sorted(a.iri.rsplit("/", 1)[-1] for a in store.articles()) == ["a", "c"]


def _bench_text(size: int) -> str:
    """Varied prose: the paragraphs of the benchmarks' synthetic corpus, up to `size` bytes."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "bench" / "long_article.py"
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location("bench_long_article", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.long_text(size)


def test_our_stages_grow_about_linearly_with_the_text(nlp):
    """4 times the text costs our stages (not the model) under 6 times the CPU time; before,
    every stage compared mentions, titles or events pairwise (12 to 27 times at 100 -> 400 kB)."""
    import time

    def stages_cpu(text: str) -> float:
        docs = list(nlp.pipe(pieces(text, 100_000), disable=list(components.STAGES)))
        best = float("inf")
        for _ in range(2):  # a Doc runs our stages once: fresh copies for each try
            copies = [d.copy() for d in docs]
            t = time.process_time()
            components._our_stages(nlp, copies, text, "2026-03-02")
            best = min(best, time.process_time() - t)
        return best

    small, large = stages_cpu(_bench_text(20_000)), stages_cpu(_bench_text(80_000))
    assert large / small < 6, f"20 kB: {small:.2f} s, 80 kB: {large:.2f} s of CPU in our stages"
