"""Output file names (issue 15, defect 12).

`build` with an id whose encoding exceeds 255 bytes crashed (ENAMETOOLONG) and wrote no TriG
or HTML. Output file names are bounded: a long one is cut, with a digest of the whole name,
so two long ids never share a file and the name is the same in every build.
"""

from __future__ import annotations

import json

from rdflib import Dataset, Graph, Literal

from cli_run import run_cli as _cli
from cli_run import write_file as _write
from diplokg.pipeline import article_turtle_name
from diplokg.rdf.iris import article_iri
from diplokg.rdf.vocab import DCTERMS

BODY = "El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú.\n"
OTHER = "La ministra de Relaciones Exteriores de Colombia viajó a Quito para reunirse con su homólogo.\n"


def test_build_with_a_very_long_id_writes_every_output(tmp_path):
    long_a = "ñ" * 200 + "-a"  # 2 x 200 bytes in UTF-8, 6 x 200 characters percent-encoded
    long_b = "ñ" * 200 + "-b"
    feed = _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(o, ensure_ascii=False) for o in (
        {"id": long_a, "text": BODY}, {"id": long_b, "text": OTHER}, {"id": "corta", "text": BODY})) + "\n")
    out = tmp_path / "out"
    r = _cli("build", feed, "--out", out, "--store", "memory:")
    assert (r.code, r.err) == (0, "")
    names = sorted(p.name for p in out.iterdir())
    assert "diplokg.trig" in names and "diplokg.html" in names and "corta.ttl" in names
    turtles = [n for n in names if n.endswith(".ttl")]
    assert len(turtles) == 3 and all(len(n.encode()) <= 255 for n in turtles)
    for article_id in (long_a, long_b):
        name = article_turtle_name(str(article_iri(article_id)))
        assert name in turtles and name == article_turtle_name(str(article_iri(article_id)))  # stable
        graph = Graph().parse(out / name, format="turtle")
        assert Literal(article_id) in set(graph.objects(article_iri(article_id), DCTERMS.identifier))
    ds = Dataset()
    ds.parse(out / "diplokg.trig", format="trig")
    assert {str(article_iri(i)) for i in (long_a, long_b, "corta")} <= {str(g.identifier) for g in ds.graphs()}
    assert article_turtle_name(str(article_iri("corta"))) == "corta.ttl"  # short names do not change


def test_names_are_bounded_in_bytes_and_never_cut_an_escape():
    """An IRI from an import may hold any characters; the cut is by bytes, on a boundary."""
    for segment in ("ñ" * 300, "%C3%B1" * 60, "a" * 500, "𝔸" * 100):
        name = article_turtle_name("https://example.org/article/" + segment)
        assert len(name.encode("utf-8")) <= 140 and name.endswith(".ttl"), name
        assert "\ufffd" not in name and not name[:-21].endswith(("%", "%C")), name
    assert article_turtle_name("https://example.org/article/" + "a" * 500) != \
        article_turtle_name("https://example.org/article/" + "a" * 499 + "b")
