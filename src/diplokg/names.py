"""Canonical names: one label for the many ways articles write one name.

An entity's key (rdf.iris.slug) ignores case, accents, spacing and invisible characters,
so "Hugo de Zela", "Hugo De Zela", "HUGO DE ZELA" and a name with a zero-width joiner
inside a word are one entity; each article writes that entity's rdfs:label@es, and the
shapes allow one per language. The label is therefore a pure function of the words an
article saw, never of which article came first: `clean` for every name, and `person_name`
(case rules from lang/es/name_case.json) for the names of persons.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .lang import load_json

# Roman numerals after a name are regnal numbers: "Felipe VI", "Juan Pablo II".
_ROMAN = re.compile(r"[IVXL]{1,5}")


def clean(text: str) -> str:
    """`text` as a reader sees it: no format characters (zero-width joiner and non-joiner,
    zero-width space, soft hyphen, byte-order mark, direction marks), NFC, and single spaces."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(unicodedata.normalize("NFC", visible).split())


@cache
def _particles() -> dict[int, frozenset[tuple[str, ...]]]:
    """The particles by their length in words, longest first."""
    by_length: dict[int, set[tuple[str, ...]]] = {}
    for p in load_json("name_case.json")["particles"]:
        words = tuple(p.casefold().split())
        by_length.setdefault(len(words), set()).add(words)
    return {n: frozenset(by_length[n]) for n in sorted(by_length, reverse=True)}


def person_name(text: str) -> str:
    """The canonical form of a person's name: `clean`, then a word in capitals or in lower
    case is capitalised ("RAMDIN" -> "Ramdin", "garcía-margallo" -> "García-Margallo"), a
    particle that is not the first word is lower case ("Hugo De Zela" -> "Hugo de Zela"),
    and mixed-case words ("McAllister", "DeSantis"), initials ("J.") and regnal numbers
    ("Felipe VI") stay as written."""
    words = clean(text).split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        n = _particle_at(words, i) if i else 0
        if n:
            out += [w.lower() for w in words[i : i + n]]
            i += n
            continue
        out.append(_cased(words[i], first=not i))
        i += 1
    return " ".join(out)


def _particle_at(words: list[str], i: int) -> int:
    """How many words from `i` on are a particle followed by more of the name (0: none)."""
    for n, particles in _particles().items():
        if i + n < len(words) and tuple(w.casefold() for w in words[i : i + n]) in particles:
            return n
    return 0


def _cased(word: str, first: bool) -> str:
    if not first and _ROMAN.fullmatch(word):
        return word
    if word.isupper() and sum(c.isalpha() for c in word) < 2:
        return word  # an initial
    if word.isupper() or word.islower():
        return word.title()  # after an apostrophe or hyphen too: "O'Brien", "García-Margallo"
    return word
