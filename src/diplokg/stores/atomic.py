"""What keeps the embedded store sound when a process dies: each write of articles is one
transaction that holds their graphs, their content hashes (what makes a graph an article)
and the recount of the contact pairs they link, so a kill (even SIGKILL) leaves each article
wholly stored or wholly absent.

Also here: the repair of stores written by older versions, whose bulk writes put the hashes
in a second step (a kill between the two left article graphs without a hash), and the test
hook that pauses a process right after a commit, so that tests can kill it there.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterable

import pyoxigraph as ox

from ..rdf.vocab import DIP

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ARTICLE = ox.NamedNode(str(DIP.Article))
_CONTENT_HASH = ox.NamedNode(str(DIP.contentHash))

_commits = 0
_commits_lock = threading.Lock()


def committed(what: str) -> None:
    """Called after each write the store committed. Test hook: with
    DIPLOKG_TEST_PAUSE_AFTER_COMMIT=N[:SECONDS] in the environment, the Nth commit of the
    process prints `diplokg-test: committed N (WHAT)` on stderr and pauses SECONDS (default
    2), so that a test can signal the process at exactly that point. Unset: nothing."""
    hook = os.environ.get("DIPLOKG_TEST_PAUSE_AFTER_COMMIT")
    if not hook:
        return
    global _commits
    with _commits_lock:
        _commits += 1
        n = _commits
    target, _, seconds = hook.partition(":")
    if n == int(target):
        print(f"diplokg-test: committed {n} ({what})", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 2))


def batch_size(default: int) -> int:
    """Test hook: DIPLOKG_TEST_BATCH=N makes ingest write new articles N at a time instead
    of `default`, so that a test reaches a batch boundary with a few articles."""
    return int(os.environ.get("DIPLOKG_TEST_BATCH") or default)


def insert_text(graphs: Iterable[tuple[ox.NamedNode, list[ox.Quad]]], then: str = "", *, drop: bool = False) -> str:
    """One SPARQL UPDATE request (so one transaction) that writes each (graph, quads), then
    runs the update operations `then` (the contact recount of what they link). With `drop`,
    each graph is emptied first (a replacement). The body is pyoxigraph's own N-Triples."""
    ops, blocks = [], []
    for node, quads in graphs:
        if drop:
            ops.append(f"DROP SILENT GRAPH {node}")
        body = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        blocks.append(f"GRAPH {node} {{\n{body}}}")
    ops.append("INSERT DATA { " + "\n".join(blocks) + " }")
    if then:
        ops.append(then)
    return " ;\n".join(ops)


def unhashed_article_graphs(native: ox.Store) -> list[ox.NamedNode]:
    """The named graphs whose article node (the graph's own name) is typed dip:Article but
    has no dip:contentHash: what an interrupted bulk write of an older version left (the
    graphs were loaded, their hashes were not). No article lists them, but queries, viz and
    export saw them. Two counts first (0.1 s at 20,000 articles); the scan (3 s) only when
    they differ."""
    count = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{p}> {o} }} }}"
    typed = next(iter(native.query(count.format(p=_TYPE.value, o=_ARTICLE))))[0]
    hashed = next(iter(native.query(count.format(p=_CONTENT_HASH.value, o="?h"))))[0]
    if int(typed.value) <= int(hashed.value):
        return []
    found = {quad.graph_name for quad in native.quads_for_pattern(None, _TYPE, _ARTICLE, None)
             if quad.subject == quad.graph_name
             and next(iter(native.quads_for_pattern(quad.graph_name, _CONTENT_HASH, None, quad.graph_name)), None) is None}
    return sorted(found, key=lambda n: n.value)


def repair(native: ox.Store, location: str) -> int:
    """Remove what unhashed_article_graphs finds (in one transaction), with one warning:
    those articles were never stored, and ingesting their input again adds them. Returns
    how many graphs it removed."""
    lost = unhashed_article_graphs(native)
    if not lost:
        return 0
    native.update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in lost))
    logging.getLogger("diplokg").warning(
        f"store {location}: removed {len(lost)} article graph(s) without a content hash, left by an "
        f"interrupted write of an older version ({_some(lost)}); ingest their input again to store them")
    return len(lost)


def _some(graphs: list[ox.NamedNode]) -> str:
    return ", ".join(g.value.rsplit("/", 1)[-1] for g in graphs[:3]) + (", ..." if len(graphs) > 3 else "")


def unhashed_report(native: ox.Store) -> str | None:
    """What `validate` says of such graphs, None when there is none."""
    lost = unhashed_article_graphs(native)
    if not lost:
        return None
    return (f"{len(lost)} named graph(s) look like articles but have no content hash ({_some(lost)}), left by an "
            "interrupted write of an older version: queries and export see them, `articles` does not; "
            "`diplokg ingest`, `import` or `remove` on this store removes them")
