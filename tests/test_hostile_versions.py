"""What identifies a version of an article (issue 15, defect 2).

The content hash used to cover the text only: a corrected `published`, `title`, `url` (or
`language`) was reported "unchanged" and the store kept the wrong value. It now covers the
text and every metadata field that reaches the article's graph; the same input gives the
same hash, so an identical re-ingest is still "unchanged".
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from cli_run import run_cli as _cli
from diplokg.model import Article
from diplokg.pipeline import ingest
from diplokg.rdf.iris import article_iri
from diplokg.rdf.vocab import DCTERMS, DIP
from diplokg.stores import MemoryStore, OxigraphStore

BODY = "El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú.\n"
META = {"id": "correccion", "title": "Reunión en Lima", "published": "2024-03-05",
        "url": "https://example.org/noticias/lima"}


def _article_file(path: Path, **changes: str) -> Path:
    meta = {**META, **changes}
    front = "".join(f"{k}: {v}\n" for k, v in meta.items())
    path.write_text(f"---\n{front}---\n{BODY}", encoding="utf-8")
    return path


def _value(location: Path, prop: URIRef):
    a = article_iri("correccion")
    with OxigraphStore(location) as store:
        return set(store.graph_of(str(a)).objects(a, prop))


@pytest.mark.parametrize("field, new, prop, expected", [
    ("published", "2024-03-06", DCTERMS.issued, Literal("2024-03-06", datatype=XSD.date)),
    ("published", "2024-03", DCTERMS.issued, Literal("2024-03", datatype=XSD.gYearMonth)),
    ("title", "Reunión en Lima (corregido)", DCTERMS.title, Literal("Reunión en Lima (corregido)", lang="es")),
    ("url", "https://example.org/noticias/lima-2", DCTERMS.source, URIRef("https://example.org/noticias/lima-2")),
])
def test_corrected_metadata_replaces_the_article(tmp_path, field, new, prop, expected):
    store = tmp_path / "store"
    path = _article_file(tmp_path / "nota.txt")
    first = _cli("ingest", path, "--store", store)
    assert (first.code, first.out.split()[0]) == (0, "added"), first.err

    again = _cli("ingest", path, "--store", store)  # the identical input changes nothing
    assert (again.code, again.out.split()[0]) == (0, "unchanged"), again.out

    _article_file(path, **{field: new})
    fixed = _cli("ingest", path, "--store", store)
    assert (fixed.code, fixed.out.split()[0]) == (0, "replaced"), fixed.out
    assert _value(store, prop) == {expected}


def test_hash_covers_every_field_that_reaches_the_graph():
    base = Article(id="a", text=BODY, title="T", published=date(2024, 3, 5), url="https://example.org/a")
    assert base.content_hash == Article(**dataclasses.asdict(base)).content_hash  # same input, same hash
    variants = [
        dataclasses.replace(base, text=BODY + " "),
        dataclasses.replace(base, id="b"),
        dataclasses.replace(base, title="T2"),
        dataclasses.replace(base, title=None),
        dataclasses.replace(base, published=date(2024, 3, 6)),
        dataclasses.replace(base, published_precision="month"),
        dataclasses.replace(base, published=None),
        dataclasses.replace(base, url="https://example.org/b"),
        dataclasses.replace(base, language="pt"),
    ]
    hashes = {base.content_hash} | {v.content_hash for v in variants}
    assert len(hashes) == len(variants) + 1
    # where the file was read from does not reach the graph: moving a file changes nothing
    assert dataclasses.replace(base, source="/elsewhere/a.txt").content_hash == base.content_hash
    assert len(base.content_hash) == 64 and base.content_hash == base.content_hash.lower()


def test_language_change_replaces_through_the_pipeline(nlp):
    """Every accepted `language` reads as "es" today, so this goes through the library."""
    article = Article(id="idioma", text=BODY, title="T")
    store = MemoryStore()
    try:
        assert ingest([article], store).added == ["idioma"]
        assert ingest([article], store).unchanged == ["idioma"]
        report = ingest([dataclasses.replace(article, language="es-PE")], store)
        assert report.replaced == ["idioma"]
        a = article_iri("idioma")
        assert set(store.graph_of(str(a)).objects(a, DCTERMS.language)) == {Literal("es-PE")}
        assert len(set(store.graph_of(str(a)).objects(a, DIP.contentHash))) == 1
    finally:
        store.close()
