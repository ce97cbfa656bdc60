"""Issue 15, the store and the commands that open it (defects 8, 9, 11 and the smaller items
on remove and query): ids round-trip between `articles` and `remove`; an empty or mistyped
store location creates nothing; read commands open the store read-only and write nothing,
so a read-only or full store can still be read."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from diplokg.cli import main

CONTACTS = "https://w3id.org/diplokg/contacts"
INFERRED = "https://w3id.org/diplokg/inferred"

# ids as real feeds give them: a nested folder, a literal percent sign, a URL, spaces, accents
IDS = ["2024-01/nota", "a/b", "a%2Fb", "https://example.org/noticias/7?sec=intl", "con espacio", "ñandú-1"]
TEXTS = [
    "El canciller de Chile, Alberto van Klaveren, se reunió el lunes en Lima con su par de Perú, "
    "Javier González-Olaechea, para revisar la agenda bilateral.",
    "La ministra de Exteriores de Colombia visitó Quito el martes y firmó un acuerdo de cooperación "
    "fronteriza con el Gobierno de Ecuador.",
    "El presidente de Argentina recibió al embajador de España en la Casa Rosada para hablar del "
    "comercio entre ambos países.",
    "El Gobierno de Bolivia expulsó al embajador de Paraguay tras una disputa por el agua del río.",
    "El secretario general de la OEA viajó a Caracas para reunirse con representantes de Venezuela.",
    "Uruguay y Brasil firmaron en Montevideo un memorando sobre energía y transporte fluvial.",
]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def cli(*argv, cwd=None, env=None):
    """The command in a process of its own (what a user runs)."""
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "diplokg.cli", *map(str, argv)], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=120)


def ingested(base: Path, n: int, *options: str) -> Path:
    feed = base / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "text": t, "title": f"Nota {k}"}, ensure_ascii=False) + "\n"
                            for k, (i, t) in enumerate(zip(IDS[:n], TEXTS))), encoding="utf-8")
    loc = base / "store"
    assert main(["ingest", str(feed), "--store", str(loc), "--quiet", *options]) == 0
    return loc


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A store holding one article per id of IDS."""
    return ingested(tmp_path_factory.mktemp("ids"), len(IDS))


@pytest.fixture(scope="module")
def reasoned(tmp_path_factory):
    """A store of the first three articles, ingested with --reason."""
    return ingested(tmp_path_factory.mktemp("reason"), 3, "--reason")


def copy_of(store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    return copy


def listed_ids(capsys, loc) -> list[str]:
    code, out, _ = run(capsys, "articles", "--store", loc)
    assert code == 0
    lines = out.splitlines()[1:]
    return [i for i in IDS if any(line.startswith(i + " ") for line in lines)]


def ask(capsys, loc, sparql) -> bool:
    code, out, err = run(capsys, "query", sparql, "--store", loc)
    assert code == 0, err
    return out.strip() == "true"


# -- defect 8: `remove` takes the ids that `articles` prints ------------------------------------


def test_every_id_articles_prints_can_be_removed(stored, tmp_path, capsys):
    loc = copy_of(stored, tmp_path)
    assert listed_ids(capsys, loc) == IDS  # shown as given, not percent-encoded
    for n, article_id in enumerate(IDS):
        code, out, err = run(capsys, "remove", article_id, "--store", loc)
        assert (code, out.splitlines()[0], err) == (0, "removed 1 article(s)", ""), article_id
        assert listed_ids(capsys, loc) == IDS[n + 1:], article_id  # that one, and no other


def test_remove_takes_an_article_iri_too(stored, tmp_path, capsys):
    from diplokg.rdf.iris import article_iri

    loc = copy_of(stored, tmp_path)
    code, out, _ = run(capsys, "remove", str(article_iri("a%2Fb")), "--store", loc)
    assert code == 0 and "removed 1 article(s)" in out
    assert listed_ids(capsys, loc) == [i for i in IDS if i != "a%2Fb"]


@pytest.mark.parametrize("graph", [CONTACTS, INFERRED, "https://w3id.org/diplokg/ontology"])
def test_remove_refuses_what_is_not_an_article(reasoned, tmp_path, capsys, graph):
    loc = copy_of(reasoned, tmp_path)
    count = f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert ask(capsys, loc, count)
    code, out, err = run(capsys, "remove", graph, "--store", loc)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "not an article" in err
    assert "removed 0 article(s)" in out
    assert ask(capsys, loc, count)  # the network counts (the closure, the ontology) are still there
    assert listed_ids(capsys, loc) == IDS[:3]


def test_remove_recomputes_the_inferred_graph(reasoned, tmp_path, capsys):
    """The --reason closure must not keep what only the removed article implied."""
    from diplokg.rdf.iris import article_iri

    loc = copy_of(reasoned, tmp_path)
    gone, kept = str(article_iri(IDS[0])), " ".join(f"<{article_iri(i)}>" for i in IDS[1:3])
    only_there = (f"SELECT DISTINCT ?s WHERE {{ GRAPH <{gone}> {{ ?s ?p ?o }} GRAPH <{INFERRED}> {{ ?s ?p2 ?o2 }} "
                  f"FILTER NOT EXISTS {{ GRAPH ?k {{ ?s ?q ?r }} VALUES ?k {{ {kept} }} }} }}")
    code, out, _ = run(capsys, "query", only_there, "--format", "json", "--store", loc)
    nodes = [row["s"]["value"] for row in json.loads(out)["results"]["bindings"]]
    assert code == 0 and nodes  # the removed article's own events, mentions...: inferred types
    still = f"ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} VALUES ?s {{ {' '.join(f'<{n}>' for n in nodes)} }} }}"
    assert ask(capsys, loc, still)
    code, out, err = run(capsys, "remove", IDS[0], "--store", loc)
    assert code == 0 and "recomputed the inferred graph" in out, out + err
    assert not ask(capsys, loc, still)
    assert ask(capsys, loc, f"ASK {{ GRAPH <{INFERRED}> {{ <{article_iri(IDS[1])}> ?p ?o }} }}")  # the rest is still inferred


# -- defect 9: an empty or mistyped store location creates nothing -----------------------------


READS = [["articles"], ["stats"], ["query", "ASK { ?s ?p ?o }"], ["export", "--format", "nq"], ["validate"],
         ["viz", "-o", "v.html"], ["remove", "x"]]


@pytest.mark.parametrize("command", READS + [["ingest", "x.txt"], ["import", "x.nq"]], ids=lambda c: c[0])
def test_an_empty_store_location_is_refused(tmp_path, capsys, monkeypatch, command):
    for how in ("flag", "env"):
        work = tmp_path / how
        work.mkdir()
        monkeypatch.chdir(work)
        if how == "flag":
            code, out, err = run(capsys, *command, "--store", "")
        else:
            monkeypatch.setenv("DIPLOKG_STORE", "")
            code, out, err = run(capsys, *command)
        assert code == 3 and len(err.strip().splitlines()) == 1, err
        assert "empty" in err and "store" in err
        assert sorted(p.name for p in work.iterdir()) == [], how  # no database in the current directory


@pytest.mark.parametrize("command", READS, ids=lambda c: c[0])
def test_read_commands_on_a_missing_store_create_nothing(tmp_path, capsys, monkeypatch, command):
    missing = tmp_path / "sotre"  # mistyped
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIPLOKG_STORE", raising=False)
    code, out, err = run(capsys, *command, "--store", missing)
    assert code == 3 and err.strip() == f"diplokg: no store at {missing}", err
    assert not missing.exists()
    code, out, err = run(capsys, *command)  # the default location, not there either
    assert code == 3 and "no store at .diplokg/store" in err and not (tmp_path / ".diplokg").exists()


# -- defect 11: read commands open read-only and write nothing ---------------------------------


def snapshot(folder: Path) -> dict:
    out = {".": folder.stat().st_mtime_ns}
    for path in sorted(folder.rglob("*")):
        st = path.stat()
        out[str(path.relative_to(folder))] = (st.st_size, st.st_mtime_ns, path.read_bytes() if path.is_file() else None)
    return out


def test_read_commands_leave_the_store_folder_untouched(stored, tmp_path, capsys):
    loc = copy_of(stored, tmp_path)
    assert run(capsys, "stats", "--store", loc)[0] == 0  # settled: no first-open leftovers
    before = snapshot(loc)
    for command in (["articles"], ["stats"], ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 3"],
                    ["export", "--format", "nq", "-o", tmp_path / "all.nq"], ["validate"],
                    ["viz", "-o", tmp_path / "v.html"]):
        code, _, err = run(capsys, *command, "--store", loc)
        assert code == 0, (command, err)
        assert snapshot(loc) == before, command


def test_readers_share_the_store_and_a_writer_waits_for_them(stored, tmp_path, capsys):
    from diplokg.stores import open_store

    loc = copy_of(stored, tmp_path)
    with open_store(loc, read_only=True) as reader:
        assert run(capsys, "articles", "--store", loc)[0] == 0  # another reader is fine
        code, _, err = run(capsys, "remove", IDS[0], "--store", loc)  # a writer is not
        assert code == 3 and "locked" in err and len(err.strip().splitlines()) == 1
        assert len(reader.articles()) == len(IDS)
    with open_store(loc) as writer:
        code, _, err = run(capsys, "articles", "--store", loc)  # nor a reader beside a writer
        assert code == 3 and ("in use" in err or "locked" in err) and len(err.strip().splitlines()) == 1
        writer.remove_article(writer.articles()[0].iri)


def test_a_read_only_and_a_full_store_can_still_be_read(stored, tmp_path):
    """Real faults: a read-only bind mount and a full file system (tmpfs), in a mount namespace
    of a user namespace, so root's privileges do not hide them and no root is needed."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-Urm", "true"], capture_output=True).returncode:
        pytest.skip("cannot make a user and mount namespace here (unshare -Urm)")
    ro, full = tmp_path / "ro", tmp_path / "full"
    shutil.copytree(stored, ro)
    full.mkdir()
    reads = [["articles"], ["query", "ASK { ?s ?p ?o }"], ["export", "--format", "nq", "-o", "/dev/stdout"], ["validate"]]
    program = ("import sys; from diplokg.cli import main\n"
               f"for store in sys.argv[1:]:\n    for command in {reads!r}:\n"
               "        print('==', command[0], 'rc=%d' % main([*command, '--store', store]), flush=True)")
    script = "\n".join([
        "set -u",
        f"mount --bind {ro} {ro} && mount -o remount,bind,ro {ro} || exit 90",
        f"touch {ro}/probe 2>/dev/null && exit 91",  # writable after all: the test would prove nothing
        f"mount -t tmpfs -o size=8m tmpfs {full} && cp -r {stored} {full}/store || exit 92",
        f"dd if=/dev/zero of={full}/fill bs=64k 2>/dev/null; (echo x > {full}/probe) 2>/dev/null && exit 93",
        f"exec {sys.executable} -c \"$0\" {ro} {full}/store",
    ])
    done = subprocess.run(["unshare", "-Urm", "sh", "-c", script, program], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    ends = [line for line in done.stdout.splitlines() if line.startswith("== ")]
    assert ends == [f"== {c[0]} rc=0" for c in reads] * 2, done.stdout[-2000:] + done.stderr
    assert done.stdout.count("conforms") == 2 and done.stdout.count("Nota 1") >= 4 and not done.stderr


def test_opening_the_store_does_not_pile_up_info_logs(tmp_path):
    from diplokg.stores import OxigraphStore

    loc = tmp_path / "store"
    for _ in range(12):
        OxigraphStore(loc).close()
    old = [p.name for p in loc.iterdir() if p.name.startswith("LOG.old")]
    assert len(old) <= 3, old


# -- smaller: query with SERVICE -------------------------------------------------------------


@pytest.fixture
def listener():
    """A loopback port that counts the connections made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    seen = []

    def accept():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            seen.append(conn.recv(4096))
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    yield sock.getsockname()[1], seen
    sock.close()


def test_query_refuses_service_unless_allowed(stored, listener, capsys):
    port, seen = listener
    sparql = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    code, out, err = run(capsys, "query", sparql, "--store", stored)
    assert code == 4 and len(err.strip().splitlines()) == 1 and "SERVICE" in err and "--allow-service" in err
    assert seen == []  # no request went out
    code, out, err = run(capsys, "query", sparql, "--store", stored, "--allow-service")
    assert seen and code == 4 and "cannot read store" not in err and "SERVICE" in err, err
    assert len(err.strip().splitlines()) == 1


# -- smaller: pyo3 "PyQuerySolutions is unsendable" in serve's log ----------------------------


def test_a_query_error_handed_to_another_thread_holds_no_engine_result(monkeypatch):
    """An exception raised while a result was read (the row cap, a failed SERVICE call) kept
    pyoxigraph's result alive in its frames; serve's worker threads hand such exceptions to
    the request thread, which dropped the result there: pyo3 logged "unsendable"."""
    import gc

    import rdflib

    from diplokg.errors import QueryError
    from diplokg.stores import OxigraphMemoryStore
    from diplokg.stores.base import row_limit

    dropped_elsewhere = []  # what pyo3 reports when a thread drops another's result object
    monkeypatch.setattr(sys, "unraisablehook", lambda u: dropped_elsewhere.append(f"{u.exc_type.__name__}: {u.exc_value}"))
    store = OxigraphMemoryStore()
    graph = rdflib.Graph()
    for i in range(20):
        graph.add((rdflib.URIRef(f"http://example.org/s{i}"), rdflib.RDFS.label, rdflib.Literal(f"cosa {i}")))
    store.put_graph("http://example.org/g", graph)
    handed = []

    def worker():
        for query, cap in (("SELECT * WHERE { ?s ?p ?o }", 5),
                           ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", None)):
            try:
                with row_limit(cap):
                    store.query(query)
            except QueryError as error:  # ResultTooLargeError is one
                handed.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert [type(e).__name__ for e in handed] == ["ResultTooLargeError", "QueryError"]
    handed.clear()
    gc.collect()
    assert dropped_elsewhere == []
