"""Who holds each title: the person right after it ("el canciller X", "su homólogo, X") or
right before it ("X, ministro de ..."); a plural title shared out, in order, over the names
that follow it with their states ("los cancilleres de Chile y Perú, A y B")."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache

from ..entities import EntityIndex, Span
from ..gazetteer import load_gazetteer
from .titles import TitleSpan, _cues

def attach_holders(titles: list[TitleSpan], index: EntityIndex, text: str) -> None:
    """A person right after a title ("el canciller X", "su homólogo, X") or right before it
    ("X, ministro de ...") holds it; a plural title shares itself out over the names that
    follow ("los cancilleres de Chile y Perú, A y B"; "sus homólogos A, de Bolivia, y B,
    de Colombia"); "la vicepresidenta y canciller X" gives X both posts."""
    persons = sorted((m for m in index.mentions if m.type == "Person"), key=lambda m: m.start)
    # Only names that start within 60 characters after the title, or end within 12 before
    # it, can hold it: they are found by bisection, not by a scan of every name.
    starts = [p.start for p in persons]
    longest = max((p.end - p.start for p in persons), default=0)
    extra: list[TitleSpan] = []
    for ts in titles:
        if _is_plural(ts, text):
            shared = _share_plural(ts, persons[bisect_left(starts, ts.end):], index, text)
            if shared:
                extra += shared
                continue
        for p in persons[bisect_left(starts, ts.end) : bisect_right(starts, ts.end + 60)]:
            gap = text[ts.end : p.start]
            m = _holder_gap().fullmatch(gap)
            if m and m.group("dem") and m.group("dem").lower() not in load_gazetteer().demonyms:
                m = None
            if m and len(gap) <= 60:
                ts.holder, ts.holder_span = p.key, (p.start, p.end)
                if m.group("org") and ts.of is None:
                    ts.of = _previous_organization(index, ts.start)
                if ts.of is None and not ts.post_of:
                    ts.of = _state_after_name(p, index, text)
                break
        if ts.holder:
            continue
        for p in reversed(persons[bisect_left(starts, ts.start - 12 - longest) : bisect_right(starts, ts.start)]):
            if p.end > ts.start:
                continue
            gap = text[p.end : ts.start]
            if 0 <= len(gap) <= 12 and re.fullmatch(r",\s+(?:(?:el|la|actual|nuevo|nueva)\s+)?", gap):
                ts.holder, ts.holder_span = p.key, (p.start, p.end)
                break
    for first, second in zip(titles, titles[1:]):
        if first.holder is None and second.holder and re.fullmatch(r"\s+(?:y|e)\s+", text[first.end : second.start]):
            first.holder, first.holder_span = second.holder, second.holder_span
            first.of = first.of or second.of
    titles.extend(extra)


def _state_after_name(person: Span, index: EntityIndex, text: str) -> str | None:
    """'el rey Abdalá II de Jordania': the state named right after the holder's name."""
    m = re.match(r"[ ]de[ ](?:la[ ]|el[ ])?", text[person.end : person.end + 8])
    if not m:
        return None
    at = person.end + m.end()
    states = [s.key for s in index.where.starting(at, at) if s.type == "Country"]
    return states[0] if states else None


@cache
def _holder_gap() -> re.Pattern:
    """Between a title and its holder: an acronym in brackets, "del organismo" (the
    organization just named), "del país vecino" (a description of the state), "y anfitriona
    de la cita" (a coordinated description), the holder's nationality ("el secretario
    general de la OEA, el uruguayo X")."""
    nouns = "|".join(re.escape(n) for n in _cues()["descriptive_nouns"])
    return re.compile(
        r"(?:[ ]\([^)\n]{1,15}\))?"
        r"(?:[ ](?:del|de[ ]la)[ ](?P<org>organismo|organización|bloque|foro|alianza|mecanismo))?"
        rf"(?:[ ](?:del|de[ ]la)[ ](?P<desc>{nouns})[ ][a-záéíóúñü]+)?"
        r"(?:[ ](?:y|e)[ ][a-záéíóúñü]+(?:[ ][a-záéíóúñü]+){0,4})?"
        r"[\s,]*"
        r"(?:(?:el|la)[ ](?P<dem>[a-záéíóúñü]+)[ ])?"
    )


def _previous_organization(index: EntityIndex, before: int) -> str | None:
    orgs = [m for m in index.mentions if m.type == "InternationalOrganization" and m.end <= before]
    return orgs[-1].key if orgs else None


def _is_plural(ts: TitleSpan, text: str) -> bool:
    word = text[ts.start : ts.end].split()[0].lower()
    return word.endswith("s") and (ts.base is None or word != ts.base.title.split()[0]) and not word.endswith("és")


def _share_plural(ts: TitleSpan, persons: list[Span], index: EntityIndex, text: str) -> list[TitleSpan]:
    """Pair the names after a plural title with their states, in order."""
    following: list[tuple[Span, str | None]] = []
    cursor = ts.end
    country_after = r",\s+(?:de|del)\s+(?:el\s+|la\s+)?"
    for p in persons:
        if p.start < cursor:
            continue
        gap = text[cursor : p.start]
        m = re.fullmatch(rf"(?:{country_after}(?P<c>[^,;]+?))?[\s,;:]*(?:(?:y|e)\s+)?(?:(?:de|del)\s+(?P<next>[^,;]+?),\s*)?", gap)
        if not m or len(gap) > 60:
            break
        if m.group("c") and following:
            following[-1] = (following[-1][0], _country_named(m.group("c"), cursor, index))
        # "los presidentes de Colombia, A, y de Brasil, B": the state comes before the name
        following.append((p, _country_named(m.group("next"), cursor, index) if m.group("next") else None))
        cursor = p.end
    if following:
        m = re.match(rf"{country_after}(?P<c>[^,;.]+)", text[cursor : cursor + 60])
        if m:
            following[-1] = (following[-1][0], _country_named(m.group("c"), cursor, index))
    if len(following) < 2:
        return []
    states = [m.key for m in index.maximal(ts.start, ts.end) if m.type == "Country"]
    if len(states) == len(following) and not any(c for _, c in following):
        following = [(p, c) for (p, _), c in zip(following, states)]
    else:
        # states named in the title go, in order, to the names that got none of their own
        spare = iter(s for s in states if s not in {c for _, c in following})
        following = [(p, c or next(spare, None)) for p, c in following]
    singular = ts.base.title if ts.base else ts.title
    out = []
    for p, country in following:
        clone = TitleSpan(ts.start, ts.end, singular, ts.base, country, p.key, (p.start, p.end), ts.counterpart_word)
        out.append(clone)
    ts.holder = None
    return out


def _country_named(words: str, near: int, index: EntityIndex) -> str | None:
    words = words.strip()
    for m in index.where.starting(near - 199, near + 199):
        if m.type == "Country" and m.text == words:
            return m.key
    return None
