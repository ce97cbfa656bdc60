"""The `diplokg` command: in-process through `diplokg.cli.main` (fast) and once or twice
through the installed console script in a subprocess (the real entry point).

Errors must be one line on stderr (`diplokg: ...`) with the error's exit code, and a bad
input must never cost what the store already holds: every input is read (and each problem
reported, one line each) before anything is written; the good articles of a run with bad
inputs are still stored, and the run exits 2.

Tests that run extraction (ingest/build of a real article) need the Spanish gazetteers in
src/diplokg/lang/es/; they load spaCy once in this process (module fixture) and once in a
subprocess (build).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from diplokg import cli
from diplokg.cli import main
from diplokg.rdf.iris import article_iri
from diplokg.rdf.vocab import DCTERMS, DIP, RDF
from diplokg.stores import OxigraphStore

SCRIPT = Path(sys.executable).with_name("diplokg")
NAMED_QUERIES = ("meetings", "people", "timeline", "planned", "topics", "network", "articles")

EARLIER = (
    "---\n"
    "id: chile-peru\n"
    "title: Reunión de cancilleres en Lima\n"
    "published: 2024-03-05\n"
    "---\n"
    "El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú.\n"
)
LATER = (
    "---\n"
    "id: peru-chile-visita\n"
    "title: Visita a Santiago\n"
    "published: 2024-04-10\n"
    "---\n"
    "El presidente del Perú visitó Santiago y se reunió con el canciller de Chile, Tomás Pérez.\n"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys, *argv: str | Path) -> SimpleNamespace:
    """Run the CLI in-process; return its exit code, stdout and stderr."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return SimpleNamespace(code=code, out=out, err=err)


def one_line_error(err: str) -> str:
    """stderr must be exactly one `diplokg: ...` line; return it without the newline."""
    assert err.startswith("diplokg: "), err
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err.rstrip("\n")


def store_state(location: Path) -> tuple[int, list[str]]:
    """(triple count, stored article ids) of an on-disk store, read through the library."""
    with OxigraphStore(location) as store:
        return store.count(), [a.id for a in store.articles()]


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("command", [None, *cli.COMMANDS], ids=lambda c: c or "diplokg")
def test_help_exits_0(capsys, command):
    argv = [command, "--help"] if command else ["--help"]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: diplokg")
    if command is None:
        for name in cli.COMMANDS:
            assert name in out


def test_every_command_is_in_the_parser():
    parser_commands = set(cli.build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert parser_commands == set(cli.COMMANDS)


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("diplokg ")


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "usage: diplokg" in capsys.readouterr().err


# --------------------------------------------------------------------------- query


def test_query_list(capsys):
    r = run(capsys, "query", "--list")
    assert r.code == 0 and r.err == ""
    listed = {line.split()[0] for line in r.out.splitlines() if line.strip()}
    assert set(NAMED_QUERIES) <= listed
    meetings = next(line for line in r.out.splitlines() if line.startswith("meetings"))
    assert "[params: person?, from?, to?]" in meetings


def _query_store(tmp_path) -> Path:
    """An embedded store holding the graph of test_query.py (three dated events)."""
    import hashlib

    import test_query as tq

    location = tmp_path / "qstore"
    with OxigraphStore(location) as store:
        store.load_ontology(tq.ontology())
        for art, g in ((tq.ART, tq.article_one()), (tq.ART2, tq.article_two())):
            store.put_article(art, g, hashlib.sha256(str(art).encode()).hexdigest())
    return location


def test_query_pages(capsys, tmp_path):
    import csv

    location = _query_store(tmp_path)
    whole = run(capsys, "query", "--name", "timeline", "--format", "csv", "--store", location)
    assert whole.code == 0 and whole.err == ""  # every row shown: no note
    rows = list(csv.reader(io.StringIO(whole.out)))[1:]
    assert len(rows) == 3
    first = run(capsys, "query", "--name", "timeline", "--limit", "1", "--format", "csv", "--store", location)
    assert first.code == 0
    assert list(csv.reader(io.StringIO(first.out)))[1:] == rows[:1]
    assert first.err.strip() == "diplokg: rows 1-1 shown; more with --offset 1 (or --limit 0 for all)"
    rest = run(capsys, "query", "--name", "timeline", "--limit", "5", "--offset", "1", "--format", "csv", "--store", location)
    assert list(csv.reader(io.StringIO(rest.out)))[1:] == rows[1:] and rest.err == ""
    every = run(capsys, "query", "--name", "timeline", "--limit", "0", "--format", "csv", "--store", location)
    assert list(csv.reader(io.StringIO(every.out)))[1:] == rows
    table = run(capsys, "query", "--name", "timeline", "--limit", "2", "--store", location)
    assert table.out.endswith("(2 rows)\n") and "more with --offset 2" in table.err


def test_query_page_errors(capsys, tmp_path):
    r = run(capsys, "query", "--name", "people", "--limit", "-1", "--store", "memory:")
    assert r.code == 4 and "0 or more" in one_line_error(r.err)
    r = run(capsys, "query", "SELECT * WHERE { ?s ?p ?o }", "--limit", "5", "--store", "memory:")
    assert r.code == 4 and "named queries" in one_line_error(r.err)


def test_query_without_source(capsys):
    r = run(capsys, "query", "--store", "memory:")
    assert r.code == 4
    assert r.out == ""
    assert "exactly one of" in one_line_error(r.err)


def test_query_with_two_sources(capsys):
    r = run(capsys, "query", "SELECT * WHERE { ?s ?p ?o }", "--name", "people", "--store", "memory:")
    assert r.code == 4
    one_line_error(r.err)


def test_query_not_sparql(capsys):
    r = run(capsys, "query", "NOT SPARQL", "--store", "memory:")
    assert r.code == 4
    assert r.out == ""
    assert "invalid SPARQL" in one_line_error(r.err)


def test_query_unknown_name(capsys):
    r = run(capsys, "query", "--name", "nosuch", "--store", "memory:")
    assert r.code == 4
    line = one_line_error(r.err)
    assert "nosuch" in line and "meetings" in line  # says what is available


def test_query_bad_param(capsys):
    r = run(capsys, "query", "--name", "meetings", "--param", "person", "--store", "memory:")
    assert r.code == 4
    assert "key=value" in one_line_error(r.err)


def test_query_missing_file(capsys, tmp_path):
    missing = tmp_path / "q.rq"
    r = run(capsys, "query", "--file", missing, "--store", "memory:")
    assert r.code == 4
    assert one_line_error(r.err).startswith(f"diplokg: {missing}: ")


def test_query_on_empty_store(capsys, tmp_path):
    r = run(capsys, "query", "ASK { ?s ?p ?o }", "--format", "json", "--store", "memory:")
    assert r.code == 0, r.err
    assert r.err == ""
    q = write(tmp_path / "q.rq", "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }")
    r = run(capsys, "query", "--file", q, "--format", "csv", "--store", "memory:")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0].strip() == "s"
    r = run(capsys, "query", "--name", "meetings", "--store", "memory:")
    assert r.code == 0, r.err


# --------------------------------------------------------------------------- export, viz, validate, eval


def test_export_trig_empty_memory_store(capsys):
    r = run(capsys, "export", "--format", "trig", "--store", "memory:")
    assert r.code == 0, r.err
    assert r.err == ""
    ds = Dataset()
    ds.parse(data=r.out, format="trig")
    assert len(list(ds.quads((None, None, None, None)))) == 0


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nq", "nt", "jsonld"])
def test_export_to_file_empty_store(capsys, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    r = run(capsys, "export", "--format", fmt, "-o", out, "--store", "memory:")
    assert r.code == 0, r.err
    assert out.is_file()


def test_viz_empty_store(capsys, tmp_path):
    out = tmp_path / "viewer.html"
    r = run(capsys, "viz", "-o", out, "--store", "memory:")
    assert r.code == 0, r.err
    assert out.is_file() and "<html" in out.read_text(encoding="utf-8").lower()


def test_validate_empty_store_conforms(capsys):
    r = run(capsys, "validate", "--store", "memory:")
    assert r.code == 0, r.err
    assert r.out.startswith("conforms")


def test_validate_empty_on_disk_store_conforms(capsys, tmp_path):
    from diplokg.stores import open_store

    open_store(tmp_path / "store").close()  # made by a writing command; read commands make none
    r = run(capsys, "validate", "--store", tmp_path / "store")
    assert r.code == 0, r.err
    assert r.out.startswith("conforms")


@pytest.mark.parametrize(
    "name, content",
    [("bad.ttl", "this is << not turtle"), ("bad.xyz", "x"), ("missing.ttl", None)],
)
def test_validate_bad_rdf_file(capsys, tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        write(path, content)
    r = run(capsys, "validate", path)
    assert r.code == 2
    assert one_line_error(r.err).startswith(f"diplokg: {path}: cannot parse as RDF")


def test_eval_missing_dir(capsys, tmp_path):
    missing = tmp_path / "no-gold"
    r = run(capsys, "eval", missing)
    assert r.code == 2
    assert r.out == ""
    assert one_line_error(r.err).startswith(f"diplokg: {missing}: ")


def test_eval_dir_without_pairs(capsys, tmp_path):
    write(tmp_path / "only-text.txt", "Texto sin anotaciones.")
    r = run(capsys, "eval", tmp_path)
    assert r.code == 2
    assert one_line_error(r.err).startswith(f"diplokg: {tmp_path}: ")


def test_eval_texts_apart_and_errors(capsys, tmp_path):
    """`eval GOLD --texts FILE.jsonl --errors`: the texts come from elsewhere, the gold keeps
    evidence offsets, and each miss is listed with its evidence only when asked for."""
    text = "La canciller Ana Torres se reunió con el ministro Luis Prado en Quito."
    start = text.index("se reunió")
    gold = {"id": "g1", "published": "2024", "entities": [
        {"id": "p1", "type": "Person", "name": "Ana Torres"}, {"id": "p2", "type": "Person", "name": "Luis Prado"},
        {"id": "p3", "type": "Person", "name": "Eva Ríos"}],
        "positions": [], "events": [
        {"type": "Meeting", "participants": ["p1", "p2"], "status": "occurred", "evidence_at": [start, start + 9]},
        {"type": "Visit", "participants": ["p3"], "status": "occurred", "evidence_at": [0, 12]}]}
    (tmp_path / "gold").mkdir()
    write(tmp_path / "gold" / "g1.gold.json", json.dumps(gold))
    write(tmp_path / "gold" / "g2.gold.json", json.dumps({**gold, "id": "g2"}))
    write(tmp_path / "texts.jsonl", json.dumps({"id": "g1", "text": text}) + "\n")
    plain = run(capsys, "eval", tmp_path / "gold", "--texts", tmp_path / "texts.jsonl")
    assert plain.code == 0
    assert "miss events" not in plain.out and "overall events" in plain.out
    assert one_line_error(plain.err) == "diplokg: eval: no text for 1 gold file(s), skipped: g2"
    detailed = run(capsys, "eval", tmp_path / "gold", "--texts", tmp_path / "texts.jsonl", "--errors")
    assert "miss events: Visit [Eva Ríos] 'La canciller'" in detailed.out
    assert "miss entities: Person 'Eva Ríos'" in detailed.out


# --------------------------------------------------------------------------- bad input, no NLP needed


def test_ingest_missing_file(capsys, tmp_path):
    missing = tmp_path / "nope.txt"
    r = run(capsys, "ingest", missing, "--store", "memory:")
    assert r.code == 2
    assert r.out == ""
    assert one_line_error(r.err) == f"diplokg: {missing}: no such file or directory"


def test_ingest_unsupported_file(capsys, tmp_path):
    path = write(tmp_path / "article.pdf", "%PDF-1.4")
    r = run(capsys, "ingest", path, "--store", "memory:")
    assert r.code == 2
    assert one_line_error(r.err).startswith(f"diplokg: {path}: unsupported file type")


def test_build_missing_input(capsys, tmp_path):
    missing = tmp_path / "nope"
    out = tmp_path / "out"
    r = run(capsys, "build", missing, "--out", out, "--store", "memory:")
    assert r.code == 2
    assert one_line_error(r.err).startswith(f"diplokg: {missing}: ")
    assert not out.exists()  # nothing written for a bad input


def _seed_store(location: Path) -> int:
    """An on-disk store holding one earlier article, put there through the library (no NLP)."""
    a = URIRef(article_iri("earlier"))
    g = Graph(identifier=a)
    g.add((a, RDF.type, DIP.Article))
    g.add((a, DCTERMS.title, Literal("Artículo anterior", lang="es")))
    g.add((a, DCTERMS.issued, Literal("2024-01-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))
    with OxigraphStore(location) as store:
        assert store.put_article(str(a), g, "hash-of-earlier") == "added"
        return store.count()


def test_ingest_bad_file_keeps_the_store(capsys, tmp_path):
    """Only bad inputs: each problem is one stderr line, exit 2, no NLP runs and the store
    is not touched at all."""
    location = tmp_path / "store"
    before = _seed_store(location)
    inputs = tmp_path / "inputs"
    empty = write(inputs / "a-empty.txt", "  \n")
    bad = write(inputs / "b-bad.jsonl", '["not", "an object"]\n{"text": "roto",\n')

    r = run(capsys, "ingest", inputs, "--store", location)

    assert r.code == 2
    assert r.out == ""
    assert r.err.splitlines() == [
        f"diplokg: {empty}: empty article (no text)",
        f"diplokg: {bad}:1: each line must be a JSON object",
        f"diplokg: {bad}:2: invalid JSON (Expecting property name enclosed in double quotes)",
    ]
    assert store_state(location) == (before, ["earlier"])
    r = run(capsys, "articles", "--store", location)
    assert r.code == 0, r.err
    assert "earlier" in r.out and "Artículo anterior" in r.out


def test_ingest_bad_limit_setting(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOKG_MAX_ARTICLE_BYTES", "lots")
    r = run(capsys, "ingest", write(tmp_path / "a.txt", LATER), "--store", "memory:")
    assert r.code == 2
    assert one_line_error(r.err) == "diplokg: DIPLOKG_MAX_ARTICLE_BYTES: not a positive number of bytes: 'lots'"


# --------------------------------------------------------------------------- real extraction (in process)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """One real ingest of the EARLIER article into an on-disk store (spaCy loads once here)."""
    root = tmp_path_factory.mktemp("ingested")
    article = write(root / "inputs" / "chile-peru.txt", EARLIER)
    location = root / "store"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["ingest", str(article), "--store", str(location)])
    return SimpleNamespace(article=article, location=location, code=code, out=out.getvalue(), err=err.getvalue())


def test_ingest_real_article(ingested):
    assert ingested.code == 0, ingested.err
    assert ingested.err == ""
    lines = ingested.out.splitlines()
    assert lines[0].split() == ["added", "chile-peru"]
    assert lines[-1].startswith("1 article(s): 1 added, 0 replaced, 0 unchanged; the store holds ")
    count, ids = store_state(ingested.location)
    assert ids == ["chile-peru"]
    assert count > 0


def test_articles_after_ingest(capsys, ingested):
    assert ingested.code == 0, ingested.err
    r = run(capsys, "articles", "--store", ingested.location)
    assert r.code == 0, r.err
    row = next(line for line in r.out.splitlines() if line.startswith("chile-peru"))
    assert "2024-03-05" in row and "Reunión de cancilleres en Lima" in row


def test_named_query_articles_after_ingest(capsys, ingested):
    assert ingested.code == 0, ingested.err
    r = run(capsys, "query", "--name", "articles", "--format", "json", "--store", ingested.location)
    assert r.code == 0, r.err
    assert "Reunión de cancilleres en Lima" in r.out
    json.loads(r.out)


def test_reingest_is_unchanged(capsys, ingested):
    assert ingested.code == 0, ingested.err
    before = store_state(ingested.location)
    r = run(capsys, "ingest", ingested.article, "--store", ingested.location)
    assert r.code == 0, r.err
    assert r.out.splitlines()[0].split() == ["unchanged", "chile-peru"]
    assert store_state(ingested.location) == before


def test_validate_after_ingest(capsys, ingested):
    assert ingested.code == 0, ingested.err
    r = run(capsys, "validate", "--store", ingested.location)
    assert r.code == 0, r.out + r.err
    assert r.out.startswith("conforms")


def test_export_after_ingest(capsys, ingested):
    assert ingested.code == 0, ingested.err
    r = run(capsys, "export", "--format", "trig", "--store", ingested.location)
    assert r.code == 0, r.err
    ds = Dataset()
    ds.parse(data=r.out, format="trig")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert str(article_iri("chile-peru")) in graphs


def test_failing_ingest_keeps_earlier_real_article(capsys, ingested, tmp_path):
    """A directory with one good article and a .jsonl file with a good and a bad line, into
    a store that already holds a really ingested article. The policy (since bad lines in
    real corpora are common): every bad line is reported as `diplokg: path:line: reason`,
    every good article is stored, and the exit code is 2. The earlier article is untouched."""
    assert ingested.code == 0, ingested.err
    location = tmp_path / "store"
    shutil.copytree(ingested.location, location)
    before = store_state(location)
    assert before[1] == ["chile-peru"]
    with OxigraphStore(location) as store:
        earlier = store.graph_of(str(article_iri("chile-peru")))

    inputs = tmp_path / "inputs"
    write(inputs / "a-good.txt", LATER)
    bad = write(inputs / "b-bad.jsonl", '{"id": "fine", "text": "El canciller viajó a Lima."}\n[not json\n')
    r = run(capsys, "ingest", inputs, "--store", location)

    assert r.code == 2
    assert one_line_error(r.err).startswith(f"diplokg: {bad}:2: invalid JSON")
    lines = r.out.splitlines()
    assert [line.split() for line in lines[:2]] == [["added", "peru-chile-visita"], ["added", "fine"]]
    assert lines[-1].startswith("2 article(s): 2 added, 0 replaced, 0 unchanged; the store holds ")
    assert lines[-1].endswith("; 1 input problem(s) reported on stderr were skipped")
    count, ids = store_state(location)
    assert sorted(ids) == ["chile-peru", "fine", "peru-chile-visita"]
    assert count > before[0]
    with OxigraphStore(location) as store:  # nothing already stored is lost or changed
        assert isomorphic(store.graph_of(str(article_iri("chile-peru"))), earlier)
    r = run(capsys, "query", f"ASK {{ GRAPH <{article_iri('peru-chile-visita')}> {{ ?s ?p ?o }} }}",
            "--format", "json", "--store", location)
    assert r.code == 0, r.err
    assert json.loads(r.out) in (True, {"boolean": True}, {"head": {}, "boolean": True})


# --------------------------------------------------------------------------- the console script


def script(*argv: str | Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *map(str, argv)], capture_output=True, text=True, timeout=timeout)


def test_console_script_is_installed():
    assert SCRIPT.is_file(), f"{SCRIPT} missing: is the package installed in this venv?"


def test_console_script_help():
    p = script("--help")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("usage: diplokg")
    assert p.stderr == ""


def test_console_script_query_list():
    p = script("query", "--list")
    assert p.returncode == 0, p.stderr
    for name in NAMED_QUERIES:
        assert f"\n{name} " in "\n" + p.stdout


def test_console_script_bad_input(tmp_path):
    missing = tmp_path / "nope.txt"
    p = script("ingest", missing, "--store", "memory:")
    assert p.returncode == 2
    assert p.stdout == ""
    assert one_line_error(p.stderr) == f"diplokg: {missing}: no such file or directory"  # no traceback


def test_console_script_query_error():
    p = script("query", "NOT SPARQL", "--store", "memory:")
    assert p.returncode == 4
    assert "invalid SPARQL" in one_line_error(p.stderr)


def test_console_script_build(tmp_path):
    """The real entry point end to end: build one article into Turtle, TriG and HTML."""
    article = write(tmp_path / "inputs" / "chile-peru.txt", EARLIER)
    out = tmp_path / "graphs"
    p = script("build", article, "--out", out, "--store", tmp_path / "store", "-q", timeout=300)
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""  # --quiet
    assert p.stderr == ""  # no warnings either (W095 is silenced)
    assert sorted(f.name for f in out.iterdir()) == ["chile-peru.ttl", "diplokg.html", "diplokg.trig"]
    g = Graph().parse(out / "chile-peru.ttl", format="turtle")
    assert (URIRef(article_iri("chile-peru")), DCTERMS.title, None) in g
