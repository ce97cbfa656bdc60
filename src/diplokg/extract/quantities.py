"""Numbers stated in the text: "más de 4.000 mesas de votación" -> 4000 mesas de votación, more-than.

Spanish number format: '.' groups thousands, ',' marks decimals ("1,2 millones").
Years, days of the month and clock times are not quantities.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..lang import load_json
from ..model import Mention, Quantity
from .alternation import alternation
from .timex import MONTHS

_Q = load_json("quantities.json")
QUALIFIERS: dict[str, str] = _Q["qualifiers"]
MULTIPLIERS: dict[str, int] = _Q["multipliers"]
STOP = set(_Q["unit_stop_words"])
CONNECTORS = set(_Q["unit_connectors"])
MAX_UNIT_WORDS = int(_Q["max_unit_words"])

_QUAL = alternation(QUALIFIERS)
_MULT = alternation(MULTIPLIERS)
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_RE = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?(?<![\w.,:])(?P<num>{_NUMBER})(?![\w]|[.,]\d)(?:\s+(?P<mult>{_MULT})\b)?(?:\s+de)?",
    re.I,
)
_WORD = re.compile(r"[^\W\d_][\w-]*|\d+", re.U)
_MONTH_RE = re.compile(
    rf"^\s*(?:de\s+(?:{'|'.join(MONTHS)})\b|(?:{'|'.join(load_json('time.json')['month_abbreviations'])})\b\.?)", re.I
)


def parse_number(num: str) -> Decimal:
    """'4.000' -> 4000, '1,2' -> 1.2 (Spanish separators)."""
    try:
        return Decimal(num.replace(".", "").replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise ValueError(num) from exc


def find_quantities(text: str, verb_starts: frozenset[int] = frozenset()) -> list[Quantity]:
    """`verb_starts`: offsets where the parser saw a verb; a unit never runs into one."""
    out: list[Quantity] = []
    for m in _RE.finditer(text):
        num = m.group("num")
        after = text[m.end("num") :]
        if _is_not_a_quantity(text, m, num, after):
            continue
        value = parse_number(num)
        if m.group("mult"):
            value *= MULTIPLIERS[m.group("mult").lower()]
        unit, unit_end = _unit(text, m.end(), verb_starts)
        if not unit:
            continue
        qual = QUALIFIERS.get((m.group("qual") or "").lower(), "exact")
        start = m.start("qual") if m.group("qual") else m.start("num")
        out.append(Quantity(value=value.normalize() if value != value.to_integral() else Decimal(int(value)),
                            unit=unit, qualifier=qual,
                            mention=Mention(start, unit_end, text[start:unit_end])))
    return out


def _is_not_a_quantity(text: str, m: re.Match, num: str, after: str) -> bool:
    if _MONTH_RE.match(after) or re.match(r"^\s*(?:h\b|horas?\s+de\s+la|:\d)", after):
        return True  # "12 de marzo", "a las 9 h"
    if re.fullmatch(r"(?:19|20)\d{2}", num) and not m.group("mult"):
        return True  # a year
    before = text[max(0, m.start() - 12) : m.start("num")].lower()
    if re.search(r"(?:art[íi]culo|resoluci[óo]n|n[.º°]|punto|ley|decreto)\s*$", before):
        return True
    if re.match(r"^\s*(?:º|°|\.º|ª|%)", after):
        return True  # ordinals; percentages are left for later
    return False


def _unit(text: str, pos: int, verb_starts: frozenset[int] = frozenset()) -> tuple[str, int]:
    """The noun phrase after the number: words up to a stop word, at most MAX_UNIT_WORDS."""
    words: list[tuple[int, int]] = []
    for w in _WORD.finditer(text, pos):
        if w.start() in verb_starts:
            break
        gap = text[(words[-1][1] if words else pos) : w.start()]
        if gap.strip():  # punctuation ends the unit
            break
        token = w.group(0)
        lower = token.lower()
        if lower in STOP or token.isdigit():
            break
        if lower in CONNECTORS:
            words.append(w.span())
            continue
        words.append(w.span())
        if len([1 for s, e in words if text[s:e].lower() not in CONNECTORS]) >= MAX_UNIT_WORDS:
            break
    while words and text[words[-1][0] : words[-1][1]].lower() in CONNECTORS:
        words.pop()
    # Keep the head noun and at most one "de X" complement.
    if not words:
        return "", pos
    kept = [words[0]]
    seen_connector = False
    for span in words[1:]:
        lower = text[span[0] : span[1]].lower()
        if lower in CONNECTORS:
            if seen_connector:
                break
            seen_connector = True
        kept.append(span)
    while text[kept[-1][0] : kept[-1][1]].lower() in CONNECTORS:
        kept.pop()
    return text[kept[0][0] : kept[-1][1]], kept[-1][1]
