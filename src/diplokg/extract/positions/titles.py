"""The title lexicon and the title mention: the rows of titles.jsonl and the cues of
position_cues.json (read once), `TitleSpan`, the normal form of a title and the post class
that titles naming the same post share ("canciller" = "ministro de relaciones exteriores")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ...lang import load_json, load_jsonl
from ..entities import fold
from ..gazetteer import Title

@cache
def _cues() -> dict:
    """The words read around a title (lang/es/position_cues.json)."""
    return load_json("position_cues.json")


@cache
def _rows() -> dict[str, dict]:
    """titles.jsonl rows by title: post class, rank, uniqueness, location, former posts."""
    return {r["title"]: r for r in load_jsonl("titles.jsonl")}


@cache
def _post_forms() -> tuple[tuple[str, str], ...]:
    """(folded form, post class) for the titles that name a shared post ("canciller" =
    "ministro de relaciones exteriores" = "foreign-minister"), longest form first."""
    pairs = {(fold(normalize_title(f)), r["post"]) for r in _rows().values() if r.get("post") for f in (r["title"], *r.get("forms", ()))
             if normalize_title(f).split()[0] == r["title"].split()[0]}  # singular forms: a plural title is not one person
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def _modifier_re() -> re.Pattern:
    words = sorted(_cues()["modifiers"], key=len, reverse=True)
    return re.compile(r"(?:[ ]+(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w]))+", re.I)


@cache
def _former_re() -> re.Pattern:
    words = sorted(_cues()["former_prefixes"], key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")[ -]?$", re.I)


@dataclass
class TitleSpan:
    start: int
    end: int
    title: str  # normalized lower-case phrase
    base: Title | None
    of: str | None = None
    holder: str | None = None
    holder_span: tuple[int, int] | None = None
    counterpart_word: bool = False
    former: bool = False  # "el ex vicepresidente X": not a post held now
    post_of: str | None = None  # a non-state body whose post it is ("presidente del Senado")
    no_post: bool = False  # a post of a party, a company or an unrecognised body: not a position


def post_class(title: str) -> str:
    """Titles that denote the same post share a class."""
    t = _strip_modifiers(fold(title))
    for form, cls in _post_forms():
        if t == form or t.startswith((form + " y ", form + " e ", form + ", ")):
            return cls
    return t


def _strip_modifiers(t: str) -> str:
    return re.sub(_modifier_re().pattern + "$", "", t, flags=re.I)


def _row(ts: TitleSpan) -> dict:
    return _rows().get(ts.base.title, {}) if ts.base else {}


def normalize_title(text: str) -> str:
    t = re.sub(r"\s+", " ", text.strip().lower())
    words = t.split()
    # masculine singular for the common feminine forms
    fem = {"ministra": "ministro", "secretaria": "secretario", "embajadora": "embajador", "presidenta": "presidente",
           "vicepresidenta": "vicepresidente", "viceministra": "viceministro", "subsecretaria": "subsecretario",
           "cancillera": "canciller", "encargada": "encargado", "vocera": "vocero", "consejera": "consejero", "directora": "director"}
    return " ".join(fem.get(w, w) for w in words)


def _modifiers_after(text: str, end: int) -> int:
    """'el presidente interino', 'el embajador designado', 'el ministro (e)'."""
    m = _modifier_re().match(text, end)
    return m.end() if m else end


def _unique(ts: TitleSpan) -> bool:
    """A post one person holds at a time in a state (president, foreign minister)."""
    return bool(_row(ts).get("unique")) or post_class(ts.title) in {r.get("post") for r in _rows().values() if r.get("unique")}


def _rank(title: str) -> str | None:
    row = _rows().get(_strip_modifiers(title))
    return row.get("rank") if row else None
