"""Finding the titles of office in an article and whose post each is: a state, an
international organization or a body named in its complement ("ministro de Defensa de
Chile"), a demonym after it ("el canciller peruano"), a place for posts that take one
("embajador en Lima"). A post of a party or an unknown body is marked as no post."""

from __future__ import annotations

import re

from ..entities import EntityIndex, Span, _name_part, fold
from ..gazetteer import CAP_WORD, Gazetteer, counterpart_word, title_pattern
from .titles import TitleSpan, _cues, _former_re, _modifiers_after, _rows, normalize_title

def find_titles(text: str, index: EntityIndex, gaz: Gazetteer) -> list[TitleSpan]:
    out: list[TitleSpan] = []
    for m in title_pattern().finditer(text):
        form = m.group("form")
        start, end = m.start(), m.end()
        if _name_part(m, text):
            continue
        if m.group("tail") and any(p.type == "Person" for p in index.where.starting(m.start("tail"), end - 1)):
            end = m.start("tail")  # "los cancilleres de A y B, Fulano y Mengano": names, not a title
        if form[0].isupper() and form.lower() not in gaz.title_by_form and not counterpart_word(form):
            continue
        if any(s.type in ("GovernmentBody", "InternationalOrganization", "Person") for s in index.where.covering(start)):
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
    if any(s.type in ("Country", "InternationalOrganization", "Person", "Place") for s in index.where.overlapping(end, end + m.end())):
        return end
    return end + m.end()


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
        first = sorted(index.where.starting(at, at), key=lambda s: -s.end)
        if first and first[0].type == "GovernmentBody" and not _state_body(first[0], text):
            ts.post_of, ts.of = first[0].key, first[0].country  # "presidente del Senado de Chile"
        elif first and first[0].type == "Organization":
            ts.no_post = True  # "presidente del Partido X"
        elif not first and _body_head(comp.group("words"), gaz) and not index.where.covering(at):
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
            for s in index.where.starting(ts.end + ofm.end(), ts.end + ofm.end()):
                if s.type in ("InternationalOrganization", "GovernmentBody", "Organization"):
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
            for s in index.where.starting(ts.end + ofm.end(), ts.end + ofm.end()):
                if s.type in ("Country", "InternationalOrganization", "GovernmentBody"):
                    ts.of = s.key if s.type != "GovernmentBody" else s.country
                    if s.type == "GovernmentBody" and not _state_body(s, text):
                        ts.post_of = s.key
                    ts.end = s.end
                    break
    loc = re.match(r"\s+(?:en|ante)\s+(?:el\s+|la\s+|los\s+)?", text[ts.end : ts.end + 14])
    if loc and ts.base and _rows().get(ts.base.title, {}).get("takes_location"):
        for s in index.where.starting(ts.end + loc.end(), ts.end + loc.end()):
            # "embajador en Lima", "representante permanente ante la ONU"
            if s.type in ("Country", "Place", "InternationalOrganization"):
                prep = loc.group(0).split()[0].lower()
                ts.title = normalize_title(text[ts.start : s.end]) if ts.of is None else f"{ts.title} {prep} {s.text.lower()}"
                ts.end = s.end
                break
