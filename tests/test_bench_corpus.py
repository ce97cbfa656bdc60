"""The benchmarks' synthetic corpus (bench/corpus.py): deterministic, realistic in size, every
event type of the ontology planted, planned offsets exact, and readable by diplokg's reader."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from diplokg.model import EVENT_TYPES
from diplokg.read import read_articles

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


def test_deterministic_and_prefix_stable(corpus):
    a = [x.text for x in corpus.generate(5, seed=3)]
    b = [x.text for x in corpus.generate(8, seed=3)][:5]
    assert a == b
    assert a != [x.text for x in corpus.generate(5, seed=4)]


def test_sizes_and_event_types(corpus):
    types = Counter()
    for i in range(60):
        article, plan = corpus.make_article(i, seed=0)
        assert 150 <= len(article.text.split()) <= 420
        assert article.title and article.published
        types.update(e.type for e in plan.events)
    assert set(types) == set(EVENT_TYPES)


def test_planned_offsets_are_exact(corpus):
    for i in range(20):
        article, plan = corpus.make_article(i, seed=1)
        text = article.text
        spans = [m for e in plan.entities for m in e.mentions]
        spans += [e.evidence for e in plan.events] + [p.evidence for p in plan.positions]
        spans += [q.mention for q in plan.quantities]
        assert all(text[m.start:m.end] == m.text for m in spans)
        for e in plan.events:
            if e.time:
                assert text[e.time.start:e.time.end] == e.time.text


def test_jsonl_reads_back(corpus, tmp_path):
    path = corpus.write_jsonl(tmp_path / "c.jsonl", 3, seed=2)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    articles = list(read_articles([path]))
    assert [a.id for a in articles] == [r["id"] for r in rows]
    assert [a.text for a in articles] == [r["text"] for r in rows]
    assert articles[0].published.isoformat() == rows[0]["published"]
