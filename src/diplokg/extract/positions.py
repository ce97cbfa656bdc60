"""Titles of office and the posts they give their holders.

"el embajador peruano Alfredo Ferrero" -> Ferrero holds 'embajador' of Perú;
"X, ministro de Relaciones Exteriores de Brasil" -> X holds 'ministro de relaciones
exteriores' of Brasil. A title with no name beside it ("el canciller chileno") is kept as
a reference that later resolves to the person who holds that post in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Mention, Position
from .entities import EntityIndex, Span, _name_part, fold
from .gazetteer import Gazetteer, Title, counterpart_word, title_pattern

# Titles that name the same post ("canciller" = "ministro de relaciones exteriores").
_EQUIVALENT = {
    "canciller": "foreign-minister",
    "ministro de relaciones exteriores": "foreign-minister",
    "ministro de asuntos exteriores": "foreign-minister",
    "ministro de exteriores": "foreign-minister",
    "jefe de la diplomacia": "foreign-minister",
    "secretario de relaciones exteriores": "foreign-minister",
}


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


def post_class(title: str) -> str:
    """Titles that denote the same post share a class."""
    t = fold(title)
    for name, cls in _EQUIVALENT.items():
        if t == fold(name) or t.startswith(fold(name) + " "):
            return cls
    return t


def normalize_title(text: str) -> str:
    t = re.sub(r"\s+", " ", text.strip().lower())
    words = t.split()
    # masculine singular for the common feminine forms
    fem = {"ministra": "ministro", "secretaria": "secretario", "embajadora": "embajador", "presidenta": "presidente",
           "vicepresidenta": "vicepresidente", "viceministra": "viceministro", "subsecretaria": "subsecretario",
           "cancillera": "canciller", "encargada": "encargado", "vocera": "vocero", "consejera": "consejero", "directora": "director"}
    return " ".join(fem.get(w, w) for w in words)


def find_titles(text: str, index: EntityIndex, gaz: Gazetteer) -> list[TitleSpan]:
    out: list[TitleSpan] = []
    for m in title_pattern().finditer(text):
        form = m.group("form")
        start, end = m.start(), m.end()
        if _name_part(m, text):
            continue
        if m.group("tail") and any(m.start("tail") <= p.start < end for p in index.mentions if p.type == "Person"):
            end = m.start("tail")  # "los cancilleres de A y B, Fulano y Mengano": names, not a title
        if form[0].isupper() and form.lower() not in gaz.title_by_form and not counterpart_word(form):
            continue
        if any(s.start <= start < s.end and s.type in ("GovernmentBody", "InternationalOrganization", "Person") for s in index.mentions):
            continue  # "Secretaría General" inside a body name
        base = gaz.title_by_form.get(form.lower())
        ts = TitleSpan(start, end, normalize_title(text[start:end]), base, counterpart_word=counterpart_word(form))
        _split_of(ts, text, index, gaz)
        out.append(ts)
    return out


def _split_of(ts: TitleSpan, text: str, index: EntityIndex, gaz: Gazetteer) -> None:
    """Find whose post it is: a state or organization in the complement, a demonym after it."""
    inside = index.maximal(ts.start, ts.end)
    for s in reversed(inside):
        if s.type in ("Country", "InternationalOrganization"):
            ts.of = s.key
            head = text[ts.start : s.start]
            head = re.sub(r"\s+(?:de|del|de\s+la|de\s+los|de\s+las)\s*$", "", head, flags=re.I)
            ts.title = normalize_title(head)
            break
        if s.type == "GovernmentBody":
            ts.of = s.country
            break
    after = text[ts.end : ts.end + 40]
    dem = re.match(r"\s+(\w+)", after)
    if dem and dem.group(1).lower() in gaz.demonyms and not dem.group(1)[0].isupper():
        ts.of = gaz.demonyms[dem.group(1).lower()]
        ts.end = ts.end + dem.end()
    elif ts.of is None:
        ofm = re.match(r"\s+(?:de|del|de\s+la|de\s+los)\s+", after)
        if ofm:
            for s in index.mentions:
                if s.start == ts.end + ofm.end() and s.type in ("Country", "InternationalOrganization", "GovernmentBody"):
                    ts.of = s.key if s.type != "GovernmentBody" else s.country
                    ts.end = s.end
                    break
    loc = re.match(r"\s+en\s+", text[ts.end : ts.end + 10])
    if loc and ts.base and ts.base.title.startswith(("embajador", "cónsul", "encargado de negocios", "representante")):
        for s in index.mentions:
            if s.start == ts.end + loc.end() and s.type in ("Country", "Place"):
                ts.title = normalize_title(text[ts.start : s.end]) if ts.of is None else ts.title + " en " + s.text.lower()
                ts.end = s.end
                break


def attach_holders(titles: list[TitleSpan], index: EntityIndex, text: str) -> None:
    """A person right after a title ("el canciller X", "su homólogo, X") or right before it
    ("X, ministro de ...") holds it; a plural title shares itself out over the names that
    follow ("los cancilleres de Chile y Perú, A y B"; "sus homólogos A, de Bolivia, y B,
    de Colombia"); "la vicepresidenta y canciller X" gives X both posts."""
    persons = sorted((m for m in index.mentions if m.type == "Person"), key=lambda m: m.start)
    extra: list[TitleSpan] = []
    for ts in titles:
        if _is_plural(ts, text):
            shared = _share_plural(ts, persons, index, text)
            if shared:
                extra += shared
                continue
        for p in persons:
            if p.start < ts.end:
                continue
            gap = text[ts.end : p.start]
            m = re.fullmatch(_HOLDER_GAP, gap)
            if m and len(gap) <= 60:
                ts.holder, ts.holder_span = p.key, (p.start, p.end)
                if m.group("org") and ts.of is None:
                    ts.of = _previous_organization(index, ts.start)
                break
        if ts.holder:
            continue
        for p in reversed(persons):
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


# Between a title and its holder: an acronym in brackets, "del organismo" (the
# organization just named), "y anfitriona de la cita" (a coordinated description).
_HOLDER_GAP = (
    r"(?:[ ]\([^)\n]{1,15}\))?"
    r"(?:[ ](?:del|de[ ]la)[ ](?P<org>organismo|organización|bloque|foro|alianza|mecanismo))?"
    r"(?:[ ](?:y|e)[ ][a-záéíóúñü]+(?:[ ][a-záéíóúñü]+){0,4})?"
    r"[\s,]*"
)


def _state_before(ts: TitleSpan, index: EntityIndex, text: str) -> str | None:
    """The state named just before the title in its sentence, when no other official stands
    between; or the state of a place named after the last official ("viajará a Madrid, donde
    se reunirá con el rey Felipe VI": Spain)."""
    start = max(text.rfind(". ", 0, ts.start), text.rfind("\n", 0, ts.start)) + 1
    before = sorted((m for m in index.mentions + index.demonym_mentions if start <= m.start and m.end <= ts.start),
                    key=lambda m: m.start)
    last_person = max((m.end for m in before if m.type == "Person"), default=-1)
    if last_person < 0:
        states = [m.key for m in before if m.type == "Country"]
        if states:
            return states[-1]
    places = [m.country for m in before if m.type == "Place" and m.country and m.start > last_person]
    return places[-1] if places else None


def _other_state(mirror: TitleSpan, index: EntityIndex, gaz: Gazetteer) -> str | None:
    """The most named state other than the mirrored official's."""
    mine = mirror.of or index.home_country
    counts = {}
    for m in index.mentions + index.demonym_mentions:
        if m.type == "Country" and m.key != mine:
            counts[m.key] = counts.get(m.key, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _usual_state(ts: TitleSpan, index: EntityIndex) -> str | None:
    """'el secretario de Estado' with no state named: the state the title usually means,
    when the article names that state at all."""
    usual = ts.base.usual_of if ts.base else None
    return usual if usual and usual in index.entities else None


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
    for m in index.mentions:
        if m.type == "Country" and m.text == words and abs(m.start - near) < 200:
            return m.key
    return None


def positions_from_titles(titles: list[TitleSpan], index: EntityIndex, text: str, gaz: Gazetteer) -> list[Position]:
    """One Position per holder and post; titles with no `of` take the article's home state
    (a state post) or stay without one."""
    out: dict[tuple, Position] = {}
    for ts in titles:
        if not ts.holder:
            continue
        title = ts.title
        if ts.base is not None and _is_plural(ts, text):
            title = ts.base.title + title[len(title.split()[0]):]  # "presidentes de ..." -> "presidente ..."
        if ts.counterpart_word:
            # 'su homólogo chileno, X': X holds the post of the official it mirrors.
            mirror = _mirrored(ts, titles)
            if mirror is None:
                continue
            title = mirror.title
            if ts.of is None:
                # "su par Vikram Seshadri": the other state the article is about
                ts.of = _other_state(mirror, index, gaz)
        of = ts.of
        if of is None and ts.base is not None and ts.base.of in ("Country", "any"):
            # "16 funcionarios venezolanos, entre ellos el ministro de Defensa, X": the state
            # named just before in the sentence; else the article's own state.
            of = _state_before(ts, index, text) or _usual_state(ts, index) or index.home_country
        key = (ts.holder, post_class(title), of)
        if key in out:
            continue
        start, end = min(ts.start, ts.holder_span[0]), max(ts.end, ts.holder_span[1])
        out[key] = Position(ts.holder, title, of, Mention(start, end, text[start:end]))
    return list(out.values())


def _mirrored(ts: TitleSpan, titles: list[TitleSpan]) -> TitleSpan | None:
    """The nearest title before 'homólogo' held by someone else (within ~400 characters)."""
    before = [t for t in titles if t.end <= ts.start and not t.counterpart_word and t.holder != ts.holder and ts.start - t.end < 400]
    return before[-1] if before else None
