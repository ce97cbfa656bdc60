"""Topics: the trigger terms of the SKOS scheme in ontology/topics.ttl, matched in text.

The scheme file is the single source: its header states the matching convention
(lower-cased text, word boundaries, a trailing '*' for a prefix).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
_TRIGGER = "https://w3id.org/diplokg/ontology#triggerTerm"
_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"


@cache
def topic_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    import pyoxigraph

    store = pyoxigraph.Store()
    with open(ONTOLOGY_DIR / "topics.ttl", "rb") as fh:
        store.load(fh, format=pyoxigraph.RdfFormat.TURTLE)
    triggers: dict[str, list[str]] = {}
    rows = store.query(f"SELECT ?id ?t WHERE {{ ?c <{_NOTATION}> ?id ; <{_TRIGGER}> ?t }}")
    for row in rows:
        triggers.setdefault(row["id"].value, []).append(row["t"].value)
    out = []
    for topic_id, terms in sorted(triggers.items()):
        alts = []
        for term in sorted(terms, key=len, reverse=True):
            prefix = term.endswith("*")
            body = r"\s+".join(re.escape(w) for w in term.rstrip("*").split())
            alts.append(body + (r"\w*" if prefix else r"\b"))
        out.append((topic_id, re.compile(r"\b(?:" + "|".join(alts) + ")")))
    return tuple(out)


def topics_in(text: str) -> list[str]:
    """Topic ids whose triggers occur in `text`, in scheme order."""
    lower = text.lower()
    return [tid for tid, pat in topic_patterns() if pat.search(lower)]
