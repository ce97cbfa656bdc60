"""Topics: the trigger terms of the SKOS scheme in ontology/topics.ttl, matched in text.

The scheme file is the single source: its header states the matching convention
(lower-cased text, word boundaries, a trailing '*' for a prefix).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .alternation import alternation

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
_TRIGGER = "https://w3id.org/diplokg/ontology#triggerTerm"
_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"


@cache
def topic_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((topic_id, re.compile(_terms_regex(terms))) for topic_id, terms in sorted(_triggers().items()))


@cache
def _triggers() -> dict[str, list[str]]:
    import pyoxigraph

    store = pyoxigraph.Store()
    with open(ONTOLOGY_DIR / "topics.ttl", "rb") as fh:
        store.load(fh, format=pyoxigraph.RdfFormat.TURTLE)
    triggers: dict[str, list[str]] = {}
    rows = store.query(f"SELECT ?id ?t WHERE {{ ?c <{_NOTATION}> ?id ; <{_TRIGGER}> ?t }}")
    for row in rows:
        triggers.setdefault(row["id"].value, []).append(row["t"].value)
    return triggers


def _terms_regex(terms) -> str:
    """Terms as prefix trees (see extract/alternation.py), over text whose whitespace runs
    are single spaces: a prefix term ("narcotráfic*") only has to start at a word boundary,
    a whole term must also end at one."""
    words = [" ".join(t.rstrip("*").split()) for t in terms]
    prefixes = [w for w, t in zip(words, terms) if t.endswith("*")]
    whole = [w for w, t in zip(words, terms) if not t.endswith("*")]
    alts = ([alternation(prefixes)] if prefixes else []) + ([f"(?:{alternation(whole)})\\b"] if whole else [])
    return r"\b(?:" + "|".join(alts) + ")"


@cache
def any_topic() -> re.Pattern:
    """Every trigger of every topic in one pattern: one scan finds where triggers start."""
    return re.compile(_terms_regex([t for terms in _triggers().values() for t in terms]))


def topics_in(text: str) -> list[str]:
    """Topic ids whose triggers occur in `text`, in scheme order."""
    lower = " ".join(text.lower().split())
    patterns = topic_patterns()
    found: set[str] = set()
    pos = 0
    while match := any_topic().search(lower, pos):
        # a trigger starts here: which topics' (anchored tries, so cheap)
        found.update(tid for tid, pattern in patterns if tid not in found and pattern.match(lower, match.start()))
        pos = match.start() + 1
    return [tid for tid, _pattern in patterns if tid in found]
