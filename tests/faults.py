"""Helpers for fault tests: run the real `diplokg` command, stop it with a real signal at a
chosen point, and check that the store it leaves is sound.

Kill points: `after_commit=N` sets the store's test hook (DIPLOKG_TEST_PAUSE_AFTER_COMMIT,
see diplokg.stores.atomic): the process prints `diplokg-test: committed N (...)` on stderr
right after its Nth committed write and pauses, and the signal is sent then. Without it the
signal is sent after `after_lines` lines of output plus `delay` seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from cli_run import run_cli
from diplokg.lifecycle import INFERRED_GRAPH
from diplokg.rdf.vocab import DIP
from diplokg.stores import CONTACTS_GRAPH, ONTOLOGY_GRAPH

SCRIPT = Path(sys.executable).with_name("diplokg")
# the named graphs the store keeps besides the articles
MANAGED_GRAPHS = frozenset({ONTOLOGY_GRAPH, CONTACTS_GRAPH, INFERRED_GRAPH})


@dataclass
class Stopped:
    returncode: int
    stdout: str
    stderr: str
    marker: str | None  # the hook's line, when the process was stopped at a commit


def run_stopped(args: list[str], sig: int, *, after_commit: int | None = None, pause: float = 1.0,
                after_lines: int = 0, delay: float = 0.0, timeout: float = 60, env: dict | None = None) -> Stopped:
    """Run `diplokg ARGS` (with `env` added to the environment) and send it `sig` at the
    kill point (see the module docstring)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    env.pop("DIPLOKG_TEST_PAUSE_AFTER_COMMIT", None)
    if after_commit is not None:
        env["DIPLOKG_TEST_PAUSE_AFTER_COMMIT"] = f"{after_commit}:{pause}"
    proc = subprocess.Popen([str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    marker, out, err = None, [], []
    deadline = time.monotonic() + timeout
    try:
        if after_commit is not None:
            for line in iter(proc.stderr.readline, b""):
                err.append(line)
                if line.startswith(b"diplokg-test: committed"):
                    marker = line.decode().strip()
                    break
                assert time.monotonic() < deadline, "the kill point was not reached in time"
            assert marker is not None, f"the process ended before commit {after_commit}: {b''.join(err).decode()}"
        else:
            for _ in range(after_lines):
                line = proc.stdout.readline()
                if not line:
                    break
                out.append(line)
            time.sleep(delay)
        proc.send_signal(sig)
        rest_out, rest_err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return Stopped(proc.returncode, b"".join(out).decode() + rest_out.decode(), b"".join(err).decode() + rest_err.decode(),
                   marker)


def raw_graphs(location: Path) -> tuple[set[str], set[str]]:
    """(named graphs other than MANAGED_GRAPHS, graphs whose article node has a content hash)
    of the store at `location`, read with pyoxigraph itself (diplokg's open would repair)."""
    store = ox.Store(str(location))
    try:
        named = {g.value for g in store.named_graphs()} - MANAGED_GRAPHS
        hashed = {q.graph_name.value for q in store.quads_for_pattern(None, ox.NamedNode(str(DIP.contentHash)), None, None)
                  if q.subject == q.graph_name}
    finally:
        del store
    return named, hashed


def cli(*argv: str) -> tuple[int, str, str]:
    """`diplokg ARGV` in this process: (exit code, stdout, stderr)."""
    r = run_cli(*argv)
    return r.code, r.out, r.err


def assert_store_sound(location: Path, workdir: Path) -> dict[str, rdflib.Graph]:
    """The store invariant after a fault: its named graphs (but the ones it manages) are
    exactly the articles with a content hash; `diplokg validate` conforms; and `diplokg
    export` -> `diplokg import` into an empty store gives back every article graph
    (isomorphic). Returns the article graphs by IRI."""
    named, hashed = raw_graphs(location)
    assert named == hashed, (f"{len(named - hashed)} named graph(s) without a content hash, e.g. "
                             f"{sorted(named - hashed)[:3]}")
    code, out, err = cli("validate", "--store", str(location))
    assert code == 0 and out.startswith("conforms"), out[-2000:] + err
    workdir.mkdir(parents=True, exist_ok=True)
    dump, copy = workdir / "sound.trig", workdir / "sound-copy"
    code, _, err = cli("export", "--format", "trig", "-o", str(dump), "--store", str(location))
    assert code == 0, err
    code, out, err = cli("import", str(dump), "--store", str(copy))
    assert code == 0 and f"imported {len(hashed)} article graph(s)" in out, out + err
    graphs = _article_graphs(location)
    again = _article_graphs(copy)
    assert sorted(graphs) == sorted(again) == sorted(hashed)
    for iri, graph in graphs.items():
        assert isomorphic(graph, again[iri]), f"{iri} changed in export -> import"
    return graphs


def _article_graphs(location: Path) -> dict[str, rdflib.Graph]:
    from diplokg.stores import open_store

    with open_store(location) as store:
        return {info.iri: store.graph_of(info.iri) for info in store.articles()}
