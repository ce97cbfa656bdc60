"""From held titles to positions: one `Position` per holder and post. The state of a
title the text leaves open is guessed (the state named before it, the state the title
usually means, the article's home state, or the other state when that one-holder post is
taken); 'su homólogo' mirrors the official of its sentence; bare repeats of a fuller post
are dropped; posts said without a title ("el Gobierno español de X", "el ministerio que
dirige X") are added."""

from __future__ import annotations

import re

from ...model import Mention, Position
from ..entities import EntityIndex, Span, fold
from ..gazetteer import Gazetteer
from .holders import _is_plural
from .titles import TitleSpan, _cues, _rank, _row, _strip_modifiers, _unique, post_class

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


def _drop_bare_repeats(positions: list[tuple[tuple, Position]], guessed: set[tuple]) -> list[Position]:
    """'el ministro X' beside 'el ministro de Defensa, X'; 'el embajador X' beside 'su
    embajador en Lima, X'; 'el mandatario X' beside 'el presidente X': one post, the fuller
    one (or the first), unless the bare title names another state than the fuller one."""
    generic = set(_cues()["generic_titles"])
    bare = lambda p: _strip_modifiers(p.title) in generic  # noqa: E731
    kept = [(k, p) for k, p in positions if not bare(p)]
    of_holder: dict[str, list[Position]] = {}  # the kept posts of each holder
    for _, q in kept:
        of_holder.setdefault(q.holder, []).append(q)
    for key, p in positions:
        if not bare(p):
            continue
        t = _strip_modifiers(p.title)
        rank = _rank(t)
        redundant = any(
            (q.of == p.of or key in guessed)
            and (q.title.startswith(t + " ") or (rank is not None and _rank(q.title) == rank)
                 or (t == "ministro" and _rank(q.title) == "minister") or post_class(q.title) == post_class(t))
            for q in of_holder.get(p.holder, ()))
        if not redundant:
            kept.append((key, p))
            of_holder.setdefault(p.holder, []).append(p)
    first_at: dict = {}
    for i, kp in enumerate(positions):
        first_at.setdefault(kp, i)
    kept.sort(key=lambda kp: first_at[kp])
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
    if "named_states" not in index.memo:  # counted once per article
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        for m in sorted(index.mentions + index.demonym_mentions, key=lambda m: m.start):
            key = m.key if m.type == "Country" else m.country if m.type == "GovernmentBody" else None
            if key and key.startswith("country/"):
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, m.start)
        index.memo["named_states"] = counts, first
    counts, first = index.memo["named_states"]
    states = [k for k in counts if k not in exclude]
    return max(states, key=lambda k: (counts[k], -first[k])) if states else None


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


def _coordinated(named: list[Span], text: str) -> bool:
    """'los gobiernos de A y B ...': the last state of a list of two or more is not the
    official's any more than the others."""
    if len(named) < 2:
        return False
    a, b = named[-2], named[-1]
    keys = [m.key if m.type == "Country" else m.country for m in (a, b)]
    return keys[0] != keys[1] and bool(re.fullmatch(r"\s*(?:,|y|e)\s*", text[a.end : b.start]))


def _state_before(ts: TitleSpan, index: EntityIndex, text: str) -> str | None:
    """The state named just before the title in its sentence, when no other official stands
    between; or the state of a place named after the last official ("viajará a Madrid, donde
    se reunirá con el rey Felipe VI": Spain)."""
    start = max(text.rfind(". ", 0, ts.start), text.rfind("\n", 0, ts.start)) + 1
    before = sorted(index.where.inside(start, ts.start) + index.demonyms_where.inside(start, ts.start),
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
