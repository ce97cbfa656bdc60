"""Article ids in one run (issue 15, defect 3).

Defect 3: the default id was the file stem, so `IN/2024-01/nota.txt` and `IN/2024-02/nota.txt`
were one article and one of them was lost without a word (a JSONL with one id twice too).
A file found inside a folder argument now gets the id of its path relative to that folder,
without the suffix (a file directly in the folder keeps its stem); a real collision (the
same id from two files, two JSONL lines or an explicit `id:`) is a one-line error for the
later one, which is skipped; the first is stored, the run exits 2.
"""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import run_cli as _cli
from cli_run import write_file as _write
from diplokg.rdf.iris import article_iri
from diplokg.stores import OxigraphStore

BODY = "El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú.\n"
OTHER = "La ministra de Relaciones Exteriores de Colombia viajó a Quito para reunirse con su homólogo.\n"


def _stored(location: Path) -> dict[str, str]:
    """{dcterms:identifier: dcterms:title or None} of every stored article."""
    with OxigraphStore(location) as store:
        rows = store.query("SELECT ?id ?title WHERE { GRAPH ?g { ?a <http://purl.org/dc/terms/identifier> ?id "
                           "OPTIONAL { ?a <http://purl.org/dc/terms/title> ?title } } }").rows
    return {str(i): (None if t is None else str(t)) for i, t in rows}


def test_same_file_name_in_two_folders_is_two_articles(tmp_path):
    root = tmp_path / "IN"
    _write(root / "2024-01" / "nota.txt", "---\ntitle: enero\n---\n" + BODY)
    _write(root / "2024-02" / "nota.txt", "---\ntitle: febrero\n---\n" + OTHER)
    _write(root / "nota.txt", "---\ntitle: raíz\n---\n" + BODY)  # directly in the folder: its stem, as before
    _write(root / "2024-03" / "feed.jsonl", json.dumps({"text": OTHER, "title": "línea"}) + "\n")
    store = tmp_path / "store"
    r = _cli("ingest", root, "--store", store)
    assert (r.code, r.err) == (0, "")
    assert _stored(store) == {"2024-01/nota": "enero", "2024-02/nota": "febrero", "nota": "raíz",
                              "2024-03/feed-1": "línea"}
    # the id keeps its "/" and its IRI stays one path segment
    assert str(article_iri("2024-01/nota")).endswith("/article/2024-01%2Fnota")
    listing = _cli("articles", "--store", store)
    assert listing.code == 0 and "2024-01" in listing.out and "2024-02" in listing.out


def test_a_jsonl_with_one_id_twice_keeps_the_first(tmp_path):
    feed = _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(o, ensure_ascii=False) for o in (
        {"id": "repetida", "title": "primera", "text": BODY},
        {"id": "otra", "text": OTHER},
        {"id": "repetida", "title": "segunda", "text": OTHER},
    )) + "\n")
    store = tmp_path / "store"
    r = _cli("ingest", feed, "--store", store)
    assert r.code == 2
    assert r.err == f"diplokg: {feed}:3: duplicate id 'repetida', already read from line 1 of this file\n"
    assert _stored(store) == {"repetida": "primera", "otra": None}
    again = _cli("ingest", feed, "--store", store)  # a rerun does not flip to the other one
    assert again.code == 2 and again.err == r.err
    assert "unchanged repetida" in again.out
    assert _stored(store) == {"repetida": "primera", "otra": None}


def test_an_explicit_id_used_twice_across_files(tmp_path):
    first = _write(tmp_path / "IN" / "a.txt", "---\nid: misma\ntitle: primera\n---\n" + BODY)
    second = _write(tmp_path / "IN" / "b" / "c.md", "---\nid: misma\ntitle: segunda\n---\n" + OTHER)
    # an explicit id that equals another file's default id collides too
    third = _write(tmp_path / "IN" / "d.txt", "---\nid: b/e\n---\n" + OTHER)
    fourth = _write(tmp_path / "IN" / "b" / "e.txt", BODY)
    store = tmp_path / "store"
    r = _cli("ingest", tmp_path / "IN", "--store", store)
    assert r.code == 2
    assert r.err.splitlines() == [  # files are read in sorted order: b/e.txt before d.txt
        f"diplokg: {second}: duplicate id 'misma', already read from {first}",
        f"diplokg: {third}: duplicate id 'b/e', already read from {fourth}",
    ]
    assert _stored(store) == {"misma": "primera", "b/e": None}
