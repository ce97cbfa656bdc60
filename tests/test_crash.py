"""Crash safety of the embedded store: `diplokg ingest` killed with SIGKILL at random points
leaves a store that opens, in which every article is whole (all its triples and its content
hash, exactly as a clean ingest stores it) or absent; running the same command again
completes the rest, each article exactly once.

The corpus is 300 short synthetic articles (three sentences each), so the NLP does not
dominate and a kill lands in the middle of the writes. The kill points are seeded: after a
random number of articles has been reported stored (the ingest prints one line per article
without --quiet), plus a random few milliseconds, so the process is usually in the middle of
the NLP or of a write of the next one.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from diplokg.rdf.vocab import DIP

SCRIPT = Path(sys.executable).with_name("diplokg")
N_ARTICLES = 300
KILLS = 3
SEED = 20250311

_COUNTRIES = ["Chile", "Perú", "Argentina", "Bolivia", "Colombia", "Ecuador", "Uruguay", "Paraguay", "Brasil", "México"]
_CITIES = ["Lima", "Santiago", "Buenos Aires", "La Paz", "Bogotá", "Quito", "Montevideo", "Asunción"]
_FIRST = ["Ana", "Luis", "Carlos", "María", "Jorge", "Lucía", "Pedro", "Elena", "Raúl", "Sofía", "Diego", "Marta"]
_LAST = ["García", "Rojas", "Pérez", "Soto", "Vargas", "Castro", "Muñoz", "Flores", "Reyes", "Torres", "Navarro", "Ortega"]


def write_articles(path: Path, n: int, prefix: str = "crash") -> list[str]:
    """`n` short Spanish articles as .jsonl; returns their ids."""
    ids = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            a, b = _COUNTRIES[i % 10], _COUNTRIES[(i * 3 + 1) % 10]
            if a == b:
                b = _COUNTRIES[(i + 5) % 10]
            person = f"{_FIRST[i % 12]} {_LAST[(i // 12) % 12]}"
            text = (f"El canciller de {a}, {person}, se reunió con su homólogo de {b} en {_CITIES[i % 8]} "
                    f"el {1 + i % 28} de marzo de 2025. Ambos ministros firmaron un acuerdo de cooperación "
                    f"número {i} sobre comercio y migración. La reunión duró {2 + i % 5} horas, según "
                    "informó la cancillería.")
            article_id = f"{prefix}-{i:04d}"
            ids.append(article_id)
            f.write(json.dumps({"id": article_id, "title": f"Reunión bilateral {i}", "text": text, "language": "es"},
                               ensure_ascii=False) + "\n")
    return ids


def stored_graphs(location: Path) -> dict[str, object]:
    """{article IRI: its graph} of the store at `location` (which must open)."""
    from diplokg.stores import open_store

    with open_store(location) as store:
        infos = store.articles()
        iris = [info.iri for info in infos]
        assert len(iris) == len(set(iris)), "an article is listed twice"
        return {iri: store.graph_of(iri) for iri in iris}


def check_whole(graphs: dict[str, object], reference: dict[str, object]) -> None:
    """Every stored article graph is exactly the clean ingest's graph of that article."""
    from rdflib import URIRef

    for iri, graph in graphs.items():
        assert iri in reference, f"unexpected article {iri}"
        assert any(graph.triples((URIRef(iri), DIP.contentHash, None))), f"{iri} has no content hash"
        expected = reference[iri]
        assert len(graph) == len(expected), f"{iri}: {len(graph)} triples stored, {len(expected)} in a clean ingest"
        assert isomorphic(graph, expected), f"{iri} differs from a clean ingest"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("crash")
    path = workdir / "articles.jsonl"
    write_articles(path, N_ARTICLES)
    return path


@pytest.fixture(scope="module")
def reference(corpus, nlp):
    """A clean, uninterrupted ingest of the corpus (same order, same engine, in memory)."""
    from diplokg.pipeline import ingest
    from diplokg.read import read_articles
    from diplokg.stores import OxigraphMemoryStore

    with OxigraphMemoryStore() as store:
        ingest(read_articles([corpus]), store)
        graphs = {info.iri: store.graph_of(info.iri) for info in store.articles()}
    assert len(graphs) == N_ARTICLES
    return graphs


def run_killed(cmd: list[str], rng: random.Random, low: int, high: int) -> int:
    """Start `cmd`, SIGKILL it after a random number (in [low, high]) of per-article lines
    (added/unchanged) and a random few ms; returns how many lines it had printed."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    target = rng.randint(low, high)
    seen = 0
    try:
        deadline = time.monotonic() + 60
        while seen < target and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break  # finished (or died) before the kill point
            if line.split()[:1] in (["added"], ["unchanged"], ["replaced"]):
                seen += 1
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.stdout.close()
        proc.wait(20)
    return seen


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_sigkill_during_ingest_leaves_whole_articles_and_rerun_completes(corpus, reference, tmp_path):
    location = tmp_path / "store"
    cmd = [str(SCRIPT), "ingest", str(corpus), "--store", str(location)]
    rng = random.Random(SEED)
    previous = 0
    for _ in range(KILLS):
        # lines for the articles already stored ("unchanged"), then up to a quarter more
        run_killed(cmd, rng, previous + 1, previous + N_ARTICLES // (KILLS + 1))
        graphs = stored_graphs(location)  # the store opens after a SIGKILL
        check_whole(graphs, reference)
        assert len(graphs) >= previous, "a kill lost articles stored by an earlier run"
        previous = len(graphs)
    assert 0 < previous < N_ARTICLES, f"the kills should land in the middle of the ingest ({previous} stored)"
    done = subprocess.run([*cmd, "--quiet"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    graphs = stored_graphs(location)
    assert len(graphs) == N_ARTICLES
    check_whole(graphs, reference)
    # the rerun skipped what was stored; a third run changes nothing
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"{N_ARTICLES} article(s): 0 added, 0 replaced, {N_ARTICLES} unchanged" in again.stdout
