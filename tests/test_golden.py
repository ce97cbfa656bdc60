"""Golden folders: tests/golden/NAME/{input.txt, meta.json?, expected.ttl}. Extract + map the
input and compare with expected.ttl as graphs (rdflib.compare.isomorphic). When extraction
changes on purpose, regenerate with `.venv/bin/python tests/regen_golden.py` and review the diff.
See tests/regen_golden.py for the folder format."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from diplokg.rdf.vocab import DIP
from diplokg.validate import validate
from regen_golden import GOLDEN, REGEN_COMMAND, actual_graph, article_for, cases, expected_graph

MAX_DIFF_LINES = 40
CASES = cases()


def _ntriples(graph: Graph) -> list[str]:
    text = graph.serialize(format="nt11")
    return sorted(line for line in text.splitlines() if line.strip())


def _section(title: str, lines: list[str]) -> list[str]:
    shown = lines[:MAX_DIFF_LINES]
    out = [f"{title} ({len(lines)} triples):", *(f"  {line}" for line in shown)]
    if len(lines) > len(shown):
        out.append(f"  ... {len(lines) - len(shown)} more")
    return out


def describe_diff(expected: Graph, actual: Graph) -> str:
    _both, only_expected, only_actual = graph_diff(expected, actual)
    lines = _section("only in expected.ttl", _ntriples(only_expected))
    lines += _section("only in the fresh extraction", _ntriples(only_actual))
    return "\n".join(lines)


def test_golden_folders_exist():
    names = [c.name for c in CASES]
    assert "seed" in names and "dated" in names, names
    for case in CASES:
        assert (case / "expected.ttl").is_file(), f"{case}/expected.ttl is missing: run `{REGEN_COMMAND}`"


def test_seed_golden_input_is_the_seed_article(root):
    seed = root / "seeds" / "000_35c53b7a062a46b1.txt"
    assert (GOLDEN / "seed" / "input.txt").read_bytes() == seed.read_bytes(), (
        "tests/golden/seed/input.txt must be a copy of seeds/000_35c53b7a062a46b1.txt"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case, nlp):
    actual = actual_graph(case, nlp)
    expected = expected_graph(case)
    if not isomorphic(expected, actual):
        pytest.fail(
            f"golden {case.name}: the extracted graph differs from {case.relative_to(GOLDEN.parent.parent)}/expected.ttl.\n"
            f"If the change is intended, regenerate with `{REGEN_COMMAND} {case.name}` "
            f"(or `{REGEN_COMMAND}` for all) and review the diff.\n" + describe_diff(expected, actual),
            pytrace=False,
        )


def test_golden_article_ids_and_dates():
    dated = article_for(GOLDEN / "dated")
    assert dated.id == "dated"
    assert dated.published is not None and dated.published.isoformat() == "2026-05-14"
    assert article_for(GOLDEN / "seed").id == "seed"


def test_dates_are_resolved_in_some_golden_case():
    """At least one golden graph carries a resolved dip:date (the dated case has a publication date)."""
    dated = expected_graph(GOLDEN / "dated")
    assert list(dated.subject_objects(DIP.date)), "tests/golden/dated/expected.ttl has no dip:date"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_graph_conforms(case):
    report = validate(expected_graph(case))
    assert report.conforms, "\n".join(report.messages())
