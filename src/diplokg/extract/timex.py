"""Spanish time expressions: find them in running text, then resolve them.

Finding is independent of the article date; resolving anchors the words to the
publication date and, for bare weekdays and months, to the tense of the event they
date ("viajará el jueves" is the next Thursday, "se reunió el martes" the last one).
Values are ISO strings at day, month or year precision (xsd:date, gYearMonth, gYear).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import replace
from datetime import date, timedelta

from ..lang import load_json
from ..model import TimeExpr, iso_at
from .alternation import alternation
from .spanindex import SpanIndex

_T = load_json("time.json")
MONTHS: dict[str, int] = _T["months"]
WEEKDAYS: dict[str, int] = _T["weekdays"]
NUMBER_WORDS: dict[str, int] = _T["number_words"]

_M = alternation(MONTHS)
_WD = alternation(WEEKDAYS)
_NUMW = alternation(w for w in NUMBER_WORDS if " " not in w)
_DAY = rf"(?:\d{{1,2}}|{_NUMW})"
_NEXT = r"(?:próximo|próxima|entrante|que viene)"
_PAST = r"(?:pasado|pasada|anterior)"

# Ordered from most to least specific; the first pattern that claims a span wins.
PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "daymonth",
        re.compile(
            rf"\b(?:(?:el|los)\s+(?:días?\s+)?)?(?:(?P<wd>{_WD})\s+)?(?P<d>{_DAY})(?:\s+(?:y|al)\s+(?P<d2>{_DAY}))?"
            rf"\s+(?:de\s+)?(?P<m>{_M})(?:,?\s+(?:(?:de|del)\s+)?(?P<y>\d{{4}}))?(?:\s+(?P<rel>{_NEXT}|{_PAST}))?\b",
            re.I,
        ),
    ),
    ("weekday_day", re.compile(rf"\b(?:el\s+)?(?P<wd>{_WD})\s+(?P<d>\d{{1,2}})\b(?!\s*(?:de\s+(?:{_M})|[.,]\d|%))", re.I)),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<this>este|esta)\s+|(?:(?:la\s+(?:mañana|tarde|noche)\s+)?del|el|la)\s+(?:(?P<pre>{_NEXT}|{_PAST})\s+)?)?(?P<wd>{_WD})(?:\s+(?P<rel>{_NEXT}|{_PAST}))?\b",
            re.I,
        ),
    ),
    (
        "monthpart",
        re.compile(
            rf"\b(?:a|hacia|para|antes\s+de|desde)\s+(?:(?:los|las)\s+)?(?P<part>principios|inicios|comienzos|mediados|fines|finales|fin)\s+de(?:l)?\s+"
            rf"(?:(?P<m>{_M})(?:\s+(?:de|del)\s+(?P<y>\d{{4}}))?|(?P<yr>año)(?:\s+(?P<y2>\d{{4}}))?|(?P<y3>\d{{4}}))(?:\s+(?P<rel>{_NEXT}|{_PAST}))?\b",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(?:en|para|desde|hasta|durante|de|el\s+mes\s+de|(?:prevista?s?|programad[oa]s?)\s+para)\s+)?(?:(?:el\s+)?(?P<pre>{_NEXT}|{_PAST})\s+)?"
            rf"(?P<m>{_M})(?:\s+(?:de|del)\s+(?P<y>\d{{4}}))?(?:\s+(?P<rel>{_NEXT}|{_PAST}))?\b",
            re.I,
        ),
    ),
    ("week", re.compile(rf"\b(?:(?:la|esta)\s+(?:(?P<pre>{_NEXT}|{_PAST})\s+)?semana(?:\s+(?P<rel>{_NEXT}|{_PAST}))?)\b", re.I)),
    (
        "relyear",
        re.compile(
            rf"\b(?:(?:el|la)\s+(?P<pre>{_NEXT}|{_PAST})\s+(?P<unit>año|mes)|(?:el|la)\s+(?P<unit2>año|mes)\s+(?P<rel>{_NEXT}|{_PAST})|(?P<this>este|esta)\s+(?P<unit3>año|mes))\b",
            re.I,
        ),
    ),
    # "hace una semana", "hace dos meses": counted back from publication ("desde hace dos
    # años" is a duration, not a date)
    (
        "ago",
        re.compile(
            rf"(?<!desde\s)(?<!hasta\s)\bhace\s+(?:(?:apenas|ya|justo|exactamente)\s+)?(?P<n>\d{{1,2}}|{_NUMW})\s+(?P<unit>días?|semanas?|mes|meses|años?)\b",
            re.I,
        ),
    ),
    # Dated from another date, not from publication: "el mismo día", "un día antes",
    # "al día siguiente", "dos días después". Resolved by `shift_from`. "Un día después de
    # que X" is dated from X, which has no date of its own: not these words.
    (
        "anaphoric",
        re.compile(
            rf"\b(?:(?P<same>(?:el|ese|aquel)\s+mismo\s+día|(?:ese|aquel)\s+día)"
            rf"|(?P<next>al\s+día\s+siguiente|el\s+día\s+siguiente)"
            rf"|(?P<prev>el\s+día\s+anterior|la\s+víspera)"
            rf"|(?P<n>\d{{1,2}}|{_NUMW})\s+(?P<unit>días?|semanas?)\s+(?P<dir>antes|después|más\s+tarde))\b(?!\s+de\b)",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(?:(?:en|para|desde|hasta|durante|antes\s+de|el\s+año)\s+)(?P<y>(?:19|20)\d{2})\b(?!\s*(?:\.\d|%))", re.I)),
    ("deictic", re.compile(r"(?<!la\s)(?<!esta\s)(?<!por\s)\b(?P<w>pasado\s+mañana|anteayer|mañana|hoy|ayer|anoche|esta\s+(?:mañana|tarde|noche))\b", re.I)),
]


PATTERNS_BY_KIND = dict(PATTERNS)


def find_time_expressions(text: str) -> list[TimeExpr]:
    """Every time expression in `text`, unresolved (value None), in text order."""
    found: list[TimeExpr] = []
    taken = SpanIndex()  # what earlier patterns found, by where it is
    for _kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if taken.overlapping(start, end):
                continue
            if _kind == "weekday" and not (m.group("this") or m.group(0)[:2].lower() in ("el", "la", "de") or m.group("rel")):
                # A bare weekday word with no article is rarely a date ("de lunes a viernes").
                continue
            if _kind == "deictic" and m.group("w").lower() == "mañana" and _morning(text[max(0, start - 40) : start]):
                continue  # "una calurosa mañana": the morning, not tomorrow
            groups = m.groupdict()
            dateline = _kind == "daymonth" and groups["d"].isdigit()  # "Viernes 19 abril 2024."
            if not dateline and any(groups.get(g) and not groups[g].islower() for g in ("m", "wd")):
                continue  # Spanish writes months and weekdays in lower case: "Julio César" is a name
            found.append(TimeExpr(text=text[start:end], start=start, end=end))
            taken.add(found[-1])
    return sorted(found, key=lambda t: t.start)


_MORNING_BEFORE = re.compile(
    rf"\b(?:{alternation(_T['morning_determiners'])}|\w+(?:{alternation(_T['morning_adjective_endings'])}))\s+$", re.I)


def _morning(before: str) -> bool:
    """Whether "mañana" after these words is a noun: a determiner or an adjective before it."""
    return bool(_MORNING_BEFORE.search(before[-40:]))


def resolve(expr: TimeExpr, anchor: date | None, tense: str | None = None, anchor_precision: str = "day") -> TimeExpr:
    """Fill `value`/`precision` from the publication date `anchor`.

    `tense` is "past" or "future" (from the event the words date) and breaks the tie
    for bare weekdays and months. Without an anchor the words stay unresolved.
    `anchor_precision` is how much of the anchor the metadata gave ("month" for 2020-10,
    "year" for 2020; the anchor is then that period's first day): words relative to the
    day ("este lunes", "ayer") resolve to the anchor's period, "el 3 de julio" still to a day.
    """
    if anchor is None:
        anchor = _absolute_anchor(expr.text)
        if anchor is None:
            return expr  # relative words need the publication date
        anchor_precision = "day"
    try:
        if anchor_precision == "day":
            value = _resolve_text(expr.text, anchor, tense)
        else:
            value = _resolve_partial(expr.text, anchor, tense, anchor_precision)
    except (OverflowError, ValueError):
        return expr  # beyond the calendar (year 9999 + 1): the words stay unresolved
    if value is None or not 1 <= int(value[0][:4]) <= 9999:
        return expr
    iso, precision = value
    return replace(expr, value=iso, precision=precision)


def _kind_of(text: str) -> tuple[str, re.Match] | None:
    """The kind of a found expression and its match: the first pattern that covers it all."""
    for kind, pattern in PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return kind, m
    return None


def _absolute_anchor(text: str) -> date | None:
    """Words that carry their own year ("en 2026", "el 5 de marzo de 2026") resolve without
    a publication date; anything relative does not."""
    found = _kind_of(text)
    if found is None:
        return None
    groups = found[1].groupdict()
    year = groups.get("y") or groups.get("y2") or groups.get("y3")
    relative = any(groups.get(k) for k in ("rel", "pre", "this"))
    return date(int(year), 1, 1) if year and not relative else None


# Kinds whose value is counted in days from the anchor: with a month or a year as the
# anchor they name a day of that period, so they resolve to the period itself.
_DAY_RELATIVE = frozenset({"weekday", "week", "deictic", "weekday_day"})


def is_anaphoric(expr: TimeExpr) -> bool:
    """Words dated from another date of the story ("el mismo día", "un día antes"), not
    from publication: `resolve` leaves them unresolved, `shift_from` dates them."""
    return PATTERNS_BY_KIND["anaphoric"].fullmatch(expr.text) is not None


def shift_from(expr: TimeExpr, ref_value: str, ref_precision: str) -> TimeExpr:
    """Date anaphoric words from the date they refer to ("un día antes" of 2024-05-28 is
    2024-05-27). A shift of days needs a reference known to the day; "el mismo día" takes
    the reference whatever its precision."""
    m = PATTERNS_BY_KIND["anaphoric"].fullmatch(expr.text)
    if m is None:
        return expr
    if m.group("same"):
        return replace(expr, value=ref_value, precision=ref_precision)
    if ref_precision != "day":
        return expr
    if m.group("next"):
        days = 1
    elif m.group("prev"):
        days = -1
    else:
        days = _num(m.group("n")) * (7 if m.group("unit").lower().startswith("semana") else 1)
        if m.group("dir").lower() == "antes":
            days = -days
    try:
        value = date.fromisoformat(ref_value) + timedelta(days=days)
    except (OverflowError, ValueError):
        return expr
    return replace(expr, value=value.isoformat(), precision="day")


def _resolve_partial(text: str, anchor: date, tense: str | None, precision: str) -> tuple[str, str] | None:
    """`_resolve_text` against an anchor known only to the month or the year."""
    found = _kind_of(text)
    if found is None:
        return None
    kind, m = found
    if kind == "anaphoric":
        return None
    if kind == "ago":
        unit = m.group("unit").lower()
        if unit.startswith(("día", "semana")) or unit.startswith("mes") and precision == "year":
            return iso_at(anchor, precision), precision
        return _r_ago(m, anchor, tense)
    if kind in _DAY_RELATIVE:
        if kind == "weekday_day" and precision == "month":
            return _RESOLVERS[kind](m, anchor.replace(day=min(int(m.group("d")), 28)), None)
        return iso_at(anchor, precision), precision
    if precision == "year":
        tense = None  # no month to count from: "en julio" is July of that year
    elif kind == "daymonth" and MONTHS[m.group("m").lower()] == anchor.month:
        # The anchor's own month: the same year, whatever the tense.
        return _RESOLVERS[kind](m, anchor.replace(day=min(_num(m.group("d")), 28)), None)
    return _RESOLVERS[kind](m, anchor, tense)


def _num(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def _rel(*words: str | None) -> str | None:
    for w in words:
        if not w:
            continue
        w = w.lower()
        if w in ("próximo", "próxima", "entrante", "que viene"):
            return "future"
        if w in ("pasado", "pasada", "anterior"):
            return "past"
    return None


def _month_year(month: int, anchor: date, direction: str | None) -> int:
    if direction == "future" and month < anchor.month:
        return anchor.year + 1
    if direction == "past" and month > anchor.month:
        return anchor.year - 1
    return anchor.year


def _resolve_text(text: str, anchor: date, tense: str | None) -> tuple[str, str] | None:
    found = _kind_of(text)
    return None if found is None else _RESOLVERS[found[0]](found[1], anchor, tense)


def _r_daymonth(m, anchor, tense):
    month = MONTHS[m.group("m").lower()]
    day = _num(m.group("d"))
    if m.group("y"):
        year = int(m.group("y"))
    else:
        direction = _rel(m.group("rel")) or tense
        year = anchor.year
        if direction == "future" and (month, day) < (anchor.month, anchor.day):
            year += 1
        elif direction == "past" and (month, day) > (anchor.month, anchor.day):
            year -= 1
    if not 1 <= day <= monthrange(year, month)[1]:
        return None
    return date(year, month, day).isoformat(), "day"


def _r_weekday_day(m, anchor, tense):
    day = int(m.group("d"))
    year, month = anchor.year, anchor.month
    if tense == "future" and day < anchor.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif tense == "past" and day > anchor.day:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    if not 1 <= day <= monthrange(year, month)[1]:
        return None
    return date(year, month, day).isoformat(), "day"


def _r_weekday(m, anchor, tense):
    wd = WEEKDAYS[m.group("wd").lower()]
    direction = _rel(m.group("pre"), m.group("rel"))
    if direction == "future":
        delta = (wd - anchor.weekday()) % 7 or 7
    elif direction == "past":
        delta = -((anchor.weekday() - wd) % 7 or 7)
    elif m.group("this") or tense is None:
        delta = wd - anchor.weekday()  # the same Monday-Sunday week
    elif tense == "future":
        delta = (wd - anchor.weekday()) % 7
    else:
        delta = -((anchor.weekday() - wd) % 7)
    return (anchor + timedelta(days=delta)).isoformat(), "day"


def _r_monthpart(m, anchor, tense):
    if m.group("y3"):
        return m.group("y3"), "year"  # "a comienzos de 2026"
    if m.group("yr"):
        year = int(m.group("y2")) if m.group("y2") else anchor.year
        return f"{year:04d}", "year"
    month = MONTHS[m.group("m").lower()]
    year = int(m.group("y")) if m.group("y") else _month_year(month, anchor, _rel(m.group("rel")) or tense)
    return f"{year:04d}-{month:02d}", "month"


def _r_month(m, anchor, tense):
    month = MONTHS[m.group("m").lower()]
    year = int(m.group("y")) if m.group("y") else _month_year(month, anchor, _rel(m.group("pre"), m.group("rel")) or tense)
    return f"{year:04d}-{month:02d}", "month"


def _r_week(m, anchor, tense):
    direction = _rel(m.group("pre"), m.group("rel"))
    monday = anchor - timedelta(days=anchor.weekday())
    if direction == "future":
        monday += timedelta(days=7)
    elif direction == "past":
        monday -= timedelta(days=7)
    sunday = monday + timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.year:04d}-{monday.month:02d}", "month"
    if monday.year == sunday.year:
        return f"{monday.year:04d}", "year"
    return None


def _r_relyear(m, anchor, tense):
    unit = (m.group("unit") or m.group("unit2") or m.group("unit3")).lower()
    step = {"future": 1, "past": -1}.get(_rel(m.group("pre"), m.group("rel")), 0)
    if unit == "año":
        return f"{anchor.year + step:04d}", "year"
    month0 = anchor.month - 1 + step
    return f"{anchor.year + month0 // 12:04d}-{month0 % 12 + 1:02d}", "month"


def _r_year(m, anchor, tense):
    return f"{int(m.group('y')):04d}", "year"


def _r_deictic(m, anchor, tense):
    offset = {"hoy": 0, "mañana": 1, "pasado mañana": 2, "ayer": -1, "anteayer": -2, "anoche": -1,
              "esta mañana": 0, "esta tarde": 0, "esta noche": 0}
    word = re.sub(r"\s+", " ", m.group("w").lower())
    return (anchor + timedelta(days=offset[word])).isoformat(), "day"


def _r_ago(m, anchor, tense):
    n = _num(m.group("n"))
    unit = m.group("unit").lower()
    if unit.startswith("día"):
        return (anchor - timedelta(days=n)).isoformat(), "day"
    if unit.startswith("semana"):
        # a week back is known to its month ("hace una semana" of a 29th: that month)
        return iso_at(anchor - timedelta(days=7 * n), "month"), "month"
    if unit.startswith("mes"):
        month0 = anchor.year * 12 + anchor.month - 1 - n
        return f"{month0 // 12:04d}-{month0 % 12 + 1:02d}", "month"
    return f"{anchor.year - n:04d}", "year"


def _r_anaphoric(m, anchor, tense):
    return None  # dated from the story, not from publication: see shift_from


_RESOLVERS = {
    "daymonth": _r_daymonth,
    "weekday_day": _r_weekday_day,
    "weekday": _r_weekday,
    "monthpart": _r_monthpart,
    "month": _r_month,
    "week": _r_week,
    "relyear": _r_relyear,
    "ago": _r_ago,
    "anaphoric": _r_anaphoric,
    "year": _r_year,
    "deictic": _r_deictic,
}
