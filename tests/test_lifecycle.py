"""Article lifecycle through the CLI: remove, stats, export and import round trip."""

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from diplokg.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "dev"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    loc = tmp_path_factory.mktemp("life") / "store"
    inputs = [str(DEV / f"dev0{n}.txt") for n in (1, 3, 7)] + [str(ROOT / "seeds")]
    assert main(["ingest", *inputs, "--store", str(loc), "--quiet"]) == 0
    return loc


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stats_counts_articles_entities_and_events(store, capsys):
    code, out, _ = run(capsys, "stats", "--store", str(store))
    assert code == 0
    lines = dict(line.split(None, 1) for line in out.splitlines() if len(line.split(None, 1)) == 2 and not line.startswith(" "))
    assert lines["articles"] == "4"
    assert int(lines["triples"]) > 500
    assert "  Person" in out and "  Meeting" in out and "  RelationsDowngrade" in out


def test_export_import_round_trip_is_isomorphic(store, tmp_path, capsys):
    for fmt in ("trig", "nq"):
        exported = tmp_path / f"all.{fmt}"
        assert run(capsys, "export", "--format", fmt, "-o", str(exported), "--store", str(store))[0] == 0
        copy = tmp_path / f"copy-{fmt}"
        code, out, _ = run(capsys, "import", str(exported), "--store", str(copy))
        assert code == 0 and "imported 4 article graph(s)" in out
        again = tmp_path / f"again.{fmt}"
        assert run(capsys, "export", "--format", fmt, "-o", str(again), "--store", str(copy))[0] == 0
        a, b = rdflib.Dataset(), rdflib.Dataset()
        a.parse(exported, format="trig" if fmt == "trig" else "nquads")
        b.parse(again, format="trig" if fmt == "trig" else "nquads")
        names = lambda ds: sorted(str(g.identifier) for g in ds.graphs() if len(g))
        assert names(a) == names(b)
        for name in names(a):
            assert isomorphic(a.graph(rdflib.URIRef(name)), b.graph(rdflib.URIRef(name))), name


def test_import_refuses_triples_without_graphs(tmp_path, capsys):
    f = tmp_path / "x.ttl"
    f.write_text("<http://a> <http://b> <http://c> .\n")
    code, _, err = run(capsys, "import", str(f), "--store", "memory:")
    assert code == 2 and str(f) in err and "TriG" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["nq", "trig"])
@pytest.mark.parametrize("flaw, message", [
    ("no-hash", "is not an article graph"),
    ("default-graph", "outside any named graph"),
    ("syntax", "cannot parse as"),
])
def test_bulk_import_of_a_flawed_file_leaves_the_store_as_it_was(store, tmp_path, capsys, fmt, flaw, message):
    """The embedded store's bulk loader writes without a transaction; a file that fails
    its checks halfway is taken out again, and the store still opens, empty of articles."""
    exported = tmp_path / f"all.{fmt}"
    assert run(capsys, "export", "--format", fmt, "-o", str(exported), "--store", str(store))[0] == 0
    lines = exported.read_text().splitlines()
    stray = '<https://example.org/stray> <http://purl.org/dc/terms/title> "x"'
    if flaw == "no-hash":
        lines.append(f"{stray} <https://example.org/stray> ." if fmt == "nq" else f"<https://example.org/stray> {{ {stray} . }}")
    elif flaw == "default-graph":
        lines.append(f"{stray} .")
    else:
        lines.insert(len(lines) // 2, "<https://example.org/s> <broken")
    exported.write_text("\n".join(lines) + "\n")
    target = tmp_path / "target"
    code, out, err = run(capsys, "import", str(exported), "--store", str(target))
    assert code == 2 and str(exported) in err and message in err and len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "stats", "--store", str(target))
    lines = dict(line.split(None, 1) for line in out.splitlines() if len(line.split(None, 1)) == 2 and not line.startswith(" "))
    assert code == 0 and lines["articles"] == "0"
    code, out, _ = run(capsys, "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!CONTAINS(STR(?g), 'ontology')) }",
                       "--store", str(target))
    assert code == 0 and "0" in out.split()


def test_remove_takes_the_article_out_and_reports_unknown_ids(store, tmp_path, capsys):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    code, out, err = run(capsys, "remove", "dev07", "no-such-article", "--store", str(copy))
    assert code == 1
    assert "removed 1 article(s)" in out and "no-such-article" in err
    code, out, _ = run(capsys, "articles", "--store", str(copy))
    assert "dev07" not in out and "dev01" in out


def test_parallel_ingest_stores_exactly_what_one_process_stores(tmp_path, capsys):
    inputs = [str(DEV / f"dev{n:02d}.txt") for n in range(1, 7)]
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(capsys, "ingest", *inputs, "--store", str(one), "--quiet")[0] == 0
    assert run(capsys, "ingest", *inputs, "--store", str(two), "--quiet", "--jobs", "2")[0] == 0
    dumps = []
    for store in (one, two):
        main(["export", "--format", "nq", "-o", str(tmp_path / f"{store.name}.nq"), "--store", str(store)])
        dumps.append(sorted((tmp_path / f"{store.name}.nq").read_text().splitlines()))
    assert dumps[0] == dumps[1] and len(dumps[0]) > 500


def test_reason_materializes_the_rdfs_closure_apart_from_the_articles(tmp_path, capsys):
    loc = tmp_path / "store"
    code, out, _ = run(capsys, "ingest", str(ROOT / "seeds"), "--store", str(loc), "--reason")
    assert code == 0 and "inferred" in out
    ask = ("PREFIX dip: <https://w3id.org/diplokg/ontology#> ASK { GRAPH <https://w3id.org/diplokg/inferred> "
           "{ ?e a dip:Event . ?p a dip:Agent } }")
    code, out, _ = run(capsys, "query", ask, "--store", str(loc))
    assert code == 0 and out.strip() == "true"
    code, out, _ = run(capsys, "articles", "--store", str(loc))
    assert "inferred" not in out and len(out.strip().splitlines()) == 2  # header + the one article
