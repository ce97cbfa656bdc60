"""Titles of office and the posts they give their holders.

"el embajador peruano Alfredo Ferrero" -> Ferrero holds 'embajador' of Perú;
"X, ministro de Relaciones Exteriores de Brasil" -> X holds 'ministro de relaciones
exteriores' of Brasil. A title with no name beside it ("el canciller chileno") is kept as
a reference that later resolves to the person who holds that post in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..lang import load_json, load_jsonl
from ..model import Mention, Position
from .entities import EntityIndex, Span, _name_part, fold
from .gazetteer import CAP_WORD, Gazetteer, Title, counterpart_word, load_gazetteer, title_pattern


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
        end = _continuation(text, end, index)
        end = _modifiers_after(text, end)
        ts = TitleSpan(start, end, normalize_title(text[start:end]), base, counterpart_word=counterpart_word(form))
        ts.former = bool(_former_re().search(text[max(0, start - 12) : start])) or _rows().get(base.title if base else "", {}).get("rank") == "former"
        _split_of(ts, text, index, gaz, m.end("form"))
        out.append(ts)
    return out


def _continuation(text: str, end: int, index: EntityIndex) -> int:
    """'ministro de Industria y de Comercio': a second capitalised complement after "y de"
    belongs to the title, unless it names a state or an organization ("los cancilleres de
    Chile y de Perú")."""
    m = re.match(rf"(?:,)?[ ](?:y|e)[ ](?:de|del|de[ ]la|de[ ]los|de[ ]las)[ ]{CAP_WORD}(?:[ ]{CAP_WORD})*", text[end : end + 80])
    if not m:
        return end
    if any(end < s.end and s.start < end + m.end() and s.type in ("Country", "InternationalOrganization", "Person", "Place") for s in index.mentions):
        return end
    return end + m.end()


def _modifiers_after(text: str, end: int) -> int:
    """'el presidente interino', 'el embajador designado', 'el ministro (e)'."""
    m = _modifier_re().match(text, end)
    return m.end() if m else end


def _state_body(span: Span, text: str) -> bool:
    """Ministries, governments, embassies: their posts are posts of their state."""
    cues = _cues()
    if span.function in cues["state_body_functions"]:
        return True
    head = fold(span.text)
    head = re.sub(r"^(?:el|la|los|las)\s+", "", head)
    return any(head == fold(h) or head.startswith(fold(h) + " ") for h in cues["state_body_heads"])


def _body_head(words: str, gaz: Gazetteer) -> bool:
    """The capitalised words begin a body's name ("Asamblea", "Consejo Supremo ...",
    "Partido ...") that is not a body of the state's executive."""
    first = fold(words.split()[0]) if words.split() else ""
    cues = _cues()
    if any(first == fold(h.split()[0]) for h in cues["state_body_heads"]):
        return False
    heads = {fold(h.split()[0]) for h in gaz.body_heads} | {fold(h) for h in cues["organization_heads"]}
    return first in heads


def _split_of(ts: TitleSpan, text: str, index: EntityIndex, gaz: Gazetteer, form_end: int | None = None) -> None:
    """Find whose post it is: a state, organization or body in the complement, a demonym after it."""
    inside = index.maximal(ts.start, ts.end)
    comp = re.match(rf"[ ](?:de|del|de[ ]la|de[ ]los|de[ ]las)[ ](?:la[ ]|el[ ]|los[ ]|las[ ])?(?P<words>{CAP_WORD}(?:[ ]{CAP_WORD})*)",
                    text[form_end : ts.end]) if form_end is not None else None
    if comp:
        at = form_end + comp.start("words")
        first = sorted((s for s in index.mentions if s.start == at), key=lambda s: -s.end)
        if first and first[0].type == "GovernmentBody" and not _state_body(first[0], text):
            ts.post_of, ts.of = first[0].key, first[0].country  # "presidente del Senado de Chile"
        elif first and first[0].type == "Organization":
            ts.no_post = True  # "presidente del Partido X"
        elif not first and _body_head(comp.group("words"), gaz) and not any(
                s.start <= at < s.end for s in index.mentions):
            ts.no_post = True  # a body the entities do not know: its post has nowhere to point
    for s in reversed(inside):
        if ts.post_of:
            break
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
        if not ts.post_of:
            ts.of = gaz.demonyms[dem.group(1).lower()]
        ts.end = _modifiers_after(text, ts.end + dem.end())
        # "el director paraguayo de la Agencia X": the post is the body's or organization's
        ofm = re.match(r"\s+(?:de\s+la|de\s+los|de\s+las|del|de)\s+(?:la\s+|el\s+)?", text[ts.end : ts.end + 16])
        if ofm:
            for s in index.mentions:
                if s.start == ts.end + ofm.end() and s.type in ("InternationalOrganization", "GovernmentBody", "Organization"):
                    if s.type == "InternationalOrganization":
                        ts.of = s.key
                    elif s.type == "GovernmentBody" and not _state_body(s, text):
                        ts.post_of = s.key
                    elif s.type == "Organization":
                        ts.no_post = True
                    ts.end = s.end
                    break
    elif ts.of is None and not ts.no_post:
        ofm = re.match(r"\s+(?:de\s+la|de\s+los|de\s+las|del|de)\s+(?:la\s+|el\s+)?", after)
        if ofm:
            for s in index.mentions:
                if s.start == ts.end + ofm.end() and s.type in ("Country", "InternationalOrganization", "GovernmentBody"):
                    ts.of = s.key if s.type != "GovernmentBody" else s.country
                    if s.type == "GovernmentBody" and not _state_body(s, text):
                        ts.post_of = s.key
                    ts.end = s.end
                    break
    loc = re.match(r"\s+(?:en|ante)\s+(?:el\s+|la\s+|los\s+)?", text[ts.end : ts.end + 14])
    if loc and ts.base and _rows().get(ts.base.title, {}).get("takes_location"):
        for s in index.mentions:
            # "embajador en Lima", "representante permanente ante la ONU"
            if s.start == ts.end + loc.end() and s.type in ("Country", "Place", "InternationalOrganization"):
                prep = loc.group(0).split()[0].lower()
                ts.title = normalize_title(text[ts.start : s.end]) if ts.of is None else f"{ts.title} {prep} {s.text.lower()}"
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


def _coordinated(named: list[Span], text: str) -> bool:
    """'los gobiernos de A y B ...': the last state of a list of two or more is not the
    official's any more than the others."""
    if len(named) < 2:
        return False
    a, b = named[-2], named[-1]
    keys = [m.key if m.type == "Country" else m.country for m in (a, b)]
    return keys[0] != keys[1] and bool(re.fullmatch(r"\s*(?:,|y|e)\s*", text[a.end : b.start]))


def _state_after_name(person: Span, index: EntityIndex, text: str) -> str | None:
    """'el rey Abdalá II de Jordania': the state named right after the holder's name."""
    m = re.match(r"[ ]de[ ](?:la[ ]|el[ ])?", text[person.end : person.end + 8])
    if not m:
        return None
    at = person.end + m.end()
    states = [s.key for s in index.mentions if s.start == at and s.type == "Country"]
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


def _state_before(ts: TitleSpan, index: EntityIndex, text: str) -> str | None:
    """The state named just before the title in its sentence, when no other official stands
    between; or the state of a place named after the last official ("viajará a Madrid, donde
    se reunirá con el rey Felipe VI": Spain)."""
    start = max(text.rfind(". ", 0, ts.start), text.rfind("\n", 0, ts.start)) + 1
    before = sorted((m for m in index.mentions + index.demonym_mentions if start <= m.start and m.end <= ts.start),
                    key=lambda m: m.start)
    last_person = max((m.end for m in before if m.type == "Person"), default=-1)
    if last_person < 0:
        # the last state named, or the state of the last place named ("una misión de X
        # llegará a Lima para asesorar al presidente Y": Perú)
        named = [m for m in before if m.type == "Country" or (m.type == "Place" and m.country)]
        if named and not _coordinated(named, text):
            return named[-1].key if named[-1].type == "Country" else named[-1].country
    # "se reunirá en Túnez con el presidente Y", "viajará a Madrid, donde ... el rey Y"
    places = [m.country if m.type == "Place" else m.key for m in before if m.start > last_person and (
        (m.type == "Place" and m.country) or (m.type == "Country" and re.search(r"\ben\s+$", text[max(0, m.start - 4) : m.start])))]
    return places[-1] if places else None


def _usual_state(ts: TitleSpan, index: EntityIndex) -> str | None:
    """'el secretario de Estado' with no state named: the state the title usually means,
    when the article names that state at all (always, for a post only one state has)."""
    usual = ts.base.usual_of if ts.base else None
    if usual and _row(ts).get("always_usual_of"):
        return usual  # "el papa X": the Holy See's, named or not
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
    """One Position per holder and post. Posts whose state the text gives are placed first;
    titles with no `of` then take the state named before them or the article's home state,
    unless someone else already holds that one-holder post of it ("el canciller X" beside
    "el secretario de Estado de EE.UU., Y"): then the other state the article names most.
    Former posts ("el ex vicepresidente X") and posts of parties or unknown bodies are no
    positions; a bare title repeated with a fuller post ("el ministro X" after "el ministro
    de Defensa, X") is one position."""
    held = [ts for ts in titles if ts.holder and not ts.former and not ts.no_post]
    # the text's own states first, then the guesses, then 'su homólogo' (which needs the other two)
    order = sorted(held, key=lambda t: (0 if (t.of or t.post_of) else 2 if t.counterpart_word else 1, t.start))
    out, guessed, moved = _resolve(order, titles, index, text, index.home_country)
    if moved and moved != index.home_country:
        # a bare official who cannot be of the home state shows the article's own state is
        # another one ("el canciller X" beside the US secretary of state): the other bare
        # officials are of that one too
        out, guessed, _ = _resolve(order, titles, index, text, moved)
    # in the order of the titles, as the events stage reads them
    rank = {id(ts): i for i, ts in enumerate(titles)}
    positions = [(key, p) for key, (_, p) in sorted(out.items(), key=lambda kv: rank[kv[1][0]])]
    kept = _drop_bare_repeats(positions, guessed)
    kept += _government_heads(index, text, kept)
    kept += _headed_by(index, text, kept)
    return kept


def _headed_by(index: EntityIndex, text: str, positions: list[Position]) -> list[Position]:
    """'el ministerio que dirige Fulano', 'el país que gobierna Fulano', 'el Gobierno
    presidido por Fulano': Fulano heads it, a post of the state of the body (or country)
    named last before the noun."""
    cues = _cues()["headed_by"]
    nouns = "|".join(re.escape(n) for n in cues["nouns"])
    verbs = "|".join(re.escape(v) for v in cues["verbs"])
    parts = "|".join(re.escape(v) for v in cues["participles"])
    pattern = re.compile(rf"\b(?:el|del|al|la|de[ ]la|a[ ]la)[ ](?P<noun>{nouns})[ ](?:que[ ](?:{verbs})|(?:{parts})[ ]por)[ ]", re.I)
    persons = {m.start: m for m in index.mentions if m.type == "Person"}
    have = {(p.holder, p.of) for p in positions}
    out: list[Position] = []
    for m in pattern.finditer(text):
        person = persons.get(m.end())
        if person is None:
            continue
        noun = m.group("noun").lower()
        before = [s for s in index.mentions if s.end <= m.start("noun")]
        if noun in ("país", "nación"):
            states = [s.key for s in before if s.type == "Country"]
        else:
            states = [s.country for s in before if s.type == "GovernmentBody" and s.country and fold(s.text).startswith(fold(noun))]
            if not states and noun in ("ministerio", "cartera"):
                states = [s.country for s in before if s.type == "GovernmentBody" and s.country and (s.function or "").endswith("ministry")]
        # the body itself ("el Gobierno presidido por Fulano") when it is a mention
        here = [s for s in index.mentions if s.start <= m.start("noun") < s.end and s.type == "GovernmentBody" and s.country]
        state = here[0].country if here else states[-1] if states else None
        if state and (person.key, state) not in have:
            have.add((person.key, state))
            out.append(Position(person.key, cues["nouns"][noun], state, Mention(m.start(), person.end, text[m.start() : person.end])))
    return out


def _resolve(order: list[TitleSpan], titles: list[TitleSpan], index: EntityIndex, text: str, home: str | None):
    out: dict[tuple, Position] = {}
    guessed: set[tuple] = set()
    taken: dict[tuple[str, str], str] = {}  # (post class, state) -> holder, for one-holder posts
    resolved: dict[int, str | None] = {}
    moved = None
    for ts in order:
        title = ts.title
        if ts.base is not None and _is_plural(ts, text):
            title = ts.base.title + title[len(title.split()[0]):]  # "presidentes de ..." -> "presidente ..."
        unique = _unique(ts)
        is_guess = False
        of = ts.post_of or ts.of
        if ts.counterpart_word:
            # 'su homólogo chileno, X': X holds the post of the official it mirrors.
            mirror = _mirrored(ts, titles, text)
            if mirror is None:
                continue
            title = mirror.title
            unique = _unique(mirror)
            if of is None:
                # "su par Vikram Seshadri": the other state the article is about
                mine = resolved.get(id(mirror)) or mirror.of or home
                of = _most_named_state(index, exclude={mine})
        cls = post_class(title)
        if of is None and ts.base is not None and ts.base.of in ("Country", "any"):
            # "16 funcionarios venezolanos, entre ellos el ministro de Defensa, X": the state
            # named just before in the sentence; else the article's own state.
            of = _state_before(ts, index, text) or _usual_state(ts, index) or home
            is_guess = True
            if unique and taken.get((cls, of), ts.holder) != ts.holder:
                others = {state for (c, state), h in taken.items() if c == cls and h != ts.holder}
                of = _most_named_state(index, exclude=others)
                if of is None:
                    continue
                moved = moved or of
        resolved[id(ts)] = of
        row = _row(ts)
        # 'embajador en Lima' and 'embajador ante el Perú' of one holder are one post
        key = (ts.holder, ts.base.title if row.get("takes_location") else cls, of)
        if key in out:
            continue
        if unique and of:
            taken.setdefault((cls, of), ts.holder)
        start, end = min(ts.start, ts.holder_span[0]), max(ts.end, ts.holder_span[1])
        out[key] = (id(ts), Position(ts.holder, title, of, Mention(start, end, text[start:end])))
        if is_guess:
            guessed.add(key)
    return out, guessed, moved


def _unique(ts: TitleSpan) -> bool:
    """A post one person holds at a time in a state (president, foreign minister)."""
    return bool(_row(ts).get("unique")) or post_class(ts.title) in {r.get("post") for r in _rows().values() if r.get("unique")}


def _rank(title: str) -> str | None:
    row = _rows().get(_strip_modifiers(title))
    return row.get("rank") if row else None


def _drop_bare_repeats(positions: list[tuple[tuple, Position]], guessed: set[tuple]) -> list[Position]:
    """'el ministro X' beside 'el ministro de Defensa, X'; 'el embajador X' beside 'su
    embajador en Lima, X'; 'el mandatario X' beside 'el presidente X': one post, the fuller
    one (or the first), unless the bare title names another state than the fuller one."""
    generic = set(_cues()["generic_titles"])
    bare = lambda p: _strip_modifiers(p.title) in generic  # noqa: E731
    kept = [(k, p) for k, p in positions if not bare(p)]
    for key, p in positions:
        if not bare(p):
            continue
        t = _strip_modifiers(p.title)
        rank = _rank(t)
        redundant = any(
            q.holder == p.holder and (q.of == p.of or key in guessed)
            and (q.title.startswith(t + " ") or (rank is not None and _rank(q.title) == rank)
                 or (t == "ministro" and _rank(q.title) == "minister") or post_class(q.title) == post_class(t))
            for _, q in kept)
        if not redundant:
            kept.append((key, p))
    kept.sort(key=lambda kp: positions.index(kp))
    return [p for _, p in kept]


def _government_heads(index: EntityIndex, text: str, positions: list[Position]) -> list[Position]:
    """'el gobierno español de Fulano', 'el Ejecutivo chileno de Fulano': Fulano heads that
    state's government (unless a post of that state is already his). A body named after a
    person ("el Gobierno de Fulano") is only the body."""
    cues = _cues()
    nouns = "|".join(re.escape(n) for n in cues["government_nouns"])
    persons = [m for m in index.mentions if m.type == "Person"]
    out: list[Position] = []
    have = {(p.holder, p.of) for p in positions}
    for body in index.mentions:
        if body.type != "GovernmentBody" or not body.country:
            continue
        holder, end = None, body.end
        if body.function == "government" and re.fullmatch(rf"(?i:{nouns})[ ]\w+", body.text):
            after = re.match(r"[ ]de[ ]", text[body.end : body.end + 4])
            if after:
                nxt = [p for p in persons if p.start == body.end + after.end()]
                if nxt:
                    holder, end = nxt[0].key, nxt[0].end
        if holder and (holder, body.country) not in have:
            have.add((holder, body.country))
            out.append(Position(holder, cues["government_head_title"], body.country, Mention(body.start, end, text[body.start : end])))
    return out


def _most_named_state(index: EntityIndex, exclude: set) -> str | None:
    """The state the article names most (a ministry or government of it counts too), other
    than the excluded ones; ties go to the first named."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in sorted(index.mentions + index.demonym_mentions, key=lambda m: m.start):
        key = m.key if m.type == "Country" else m.country if m.type == "GovernmentBody" else None
        if key and key.startswith("country/") and key not in exclude:
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, m.start)
    return max(counts, key=lambda k: (counts[k], -first[k])) if counts else None


def _mirrored(ts: TitleSpan, titles: list[TitleSpan], text: str) -> TitleSpan | None:
    """The official 'su homólogo' mirrors: the first title of its sentence (its subject:
    "el canciller X se reunió con el presidente Y y con su homólogo Z"), else the nearest
    title before it held by someone else (within ~400 characters)."""
    before = [t for t in titles if t.end <= ts.start and not t.counterpart_word and t.holder != ts.holder and ts.start - t.end < 400]
    if not before:
        return None
    start = max(text.rfind(". ", 0, ts.start), text.rfind("\n", 0, ts.start)) + 1
    same = [t for t in before if t.start >= start]
    return same[0] if same else before[-1]
