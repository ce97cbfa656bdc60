"""The mention candidate (`Span`) and what every step of the entity stage shares: the
word lists it reads from its data files, `fold` for comparing names, and two small helpers
on names. Kept apart so that detection, persons and resolution can share them without
importing one another."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ...lang import load_json
from ..gazetteer import Gazetteer

_P = load_json("persons.json")
NAME_PARTICLES = set(_P["name_particles"])
NOT_NAMES = set(_P["not_names"])
GIVEN_NAMES = frozenset(_P["given_names"])
PLACE_NOUNS = tuple(load_json("places_heads.json")["place_nouns"])
GEOGRAPHIC_WORDS = frozenset(load_json("places_heads.json")["geographic_words"])
JOINT_WORDS = frozenset(load_json("noise.json")["joint_body_words"])
_NOISE = load_json("noise.json")
NON_ENTITY_HEADS = frozenset(_NOISE["non_entity_heads"])
ROMAN = re.compile(r"^[IVXL]{1,5}$")


@dataclass
class Span:
    """A mention candidate (internal to extraction)."""

    start: int
    end: int
    type: str
    text: str
    source: str
    key: str | None = None
    country: str | None = None  # the state a body, place or delegation belongs to
    function: str | None = None
    person: "Span | None" = None  # "el Gobierno de <name>": the person whose government it is

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end and self != other


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparing names (cached: the same words recur)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _ambiguous(s: Span, gaz: Gazetteer) -> bool:
    """A gazetteer name that is also a common name ("Mauricio", "Victoria")."""
    entry = gaz.entry(s.key)
    return entry is not None and s.text in entry.ambiguous


def _strip_demonym(text: str, gaz: Gazetteer) -> str:
    words = text.split()
    if len(words) > 1 and words[-1].lower() in gaz.demonyms:
        return " ".join(words[:-1])
    return text
