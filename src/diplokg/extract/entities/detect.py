"""Finding mention candidates in an article, most trusted first: the gazetteer (entity
ruler), government bodies by pattern, names with an acronym, delegations, places by their
noun, titles, persons, capitals, other NER places; then dropping the noise and letting
metonyms stand for what they act for. Order matters: each source skips what an earlier one took."""

from __future__ import annotations

import re

from ..alternation import alternation
from ..doc_text import doc_text
from ..gazetteer import CAP_WORD, RULER_LABELS, Gazetteer, title_pattern
from .metonyms import _metonyms
from .noise import _common_word, _credit_zones, _noise
from ..spanindex import Range, SpanIndex
from .persons import _merge_split_names, _person_spans
from .spans import (JOINT_WORDS, NAME_PARTICLES, NON_ENTITY_HEADS, NOT_NAMES, PLACE_NOUNS, ROMAN, Span, _ambiguous,
                    _strip_demonym)

def detect(doc, gaz: Gazetteer) -> list[Span]:
    text = doc_text(doc)
    spans: list[Span] = []
    spans += _gazetteer_spans(doc, gaz)
    spans += _body_spans(text, gaz, spans)
    spans += _acronym_org_spans(text, gaz, spans)
    spans += _delegation_spans(doc, spans, gaz)
    spans += _place_noun_spans(text, spans)
    titles = [Span(m.start(), m.start("tail") if m.group("tail") else m.end(), "Title", m.group(0), "title")
              for m in title_pattern().finditer(text) if not _name_part(m, text)]
    spans += _person_spans(doc, gaz, spans, titles)
    spans += _capital_spans(text, gaz, spans)
    spans += _place_spans(doc, gaz, spans, titles)
    spans = _merge_split_names(spans, text, gaz)
    zones = SpanIndex(Range(a, b) for a, b in _credit_zones(text))
    spans = [s for s in spans if not _noise(s, zones)]
    persons = SpanIndex(s for s in spans if s.type == "Person")
    spans = [s for s in spans if not (s.source == "gazetteer" and _ambiguous(s, gaz)
                                      and any(p.contains(s) for p in persons.overlapping(s.start, s.end)))]
    _metonyms(doc, spans, gaz)
    return sorted(spans, key=lambda s: (s.start, -s.end))


def _place_noun_spans(text: str, taken: list[Span]) -> list[Span]:
    """'la comunidad fronteriza de Jimaní', 'el municipio de San Pedro': a place by its noun."""
    nouns = alternation(PLACE_NOUNS)
    out = []
    near = SpanIndex(taken)
    for m in re.finditer(rf"\b(?:{nouns})(?:[ ][a-záéíóúñü]+)?[ ](?:de|del)[ ](?P<name>{CAP_WORD}(?:[ ](?:de[ ]|del[ ])?{CAP_WORD})*)", text):
        start, end = m.span("name")
        if near.overlapping(start, end):
            continue
        if m.group("name").split()[0] in NOT_NAMES:
            continue
        out.append(Span(start, end, "Place", m.group("name"), "place-noun"))
    return out


def _name_part(m: re.Match, text: str) -> bool:
    """'Asamblea General', 'Secretaría General': a capitalised title word after a
    capitalised word is part of a name, not a title."""
    if not m.group("form")[:1].isupper():
        return False
    before = text[max(0, m.start() - 30) : m.start()].rstrip()
    prev = before.split()[-1] if before.split() else ""
    return bool(prev) and prev[:1].isupper() and not prev.endswith((".", ":"))


def _gazetteer_spans(doc, gaz: Gazetteer) -> list[Span]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in RULER_LABELS or not ent.ent_id_:
            continue
        entry = gaz.entries.get(ent.ent_id_)
        if entry is None:
            continue
        parent = _named_parent(ent, entry, gaz)
        if parent is not None:
            out.append(parent)  # "Asamblea General de la ONU" speaks for the ONU
            continue
        out.append(Span(ent.start_char, ent.end_char, entry.type, ent.text, "gazetteer", entry.key, entry.country, entry.function))
    return out


def _named_parent(ent, entry, gaz: Gazetteer) -> Span | None:
    """A plenary organ named with its organization ('Asamblea General de la ONU'): the
    organization is the actor the text names. Other organs ('Consejo de Seguridad de la
    ONU', 'Consejo de la UE') act on their own and stay themselves."""
    if not entry.part_of or not entry.stands_for_parent:
        return None
    parent_key = gaz.by_surface.get(entry.part_of)
    parent = gaz.entry(parent_key)
    if parent is None:
        return None
    for surface in sorted(parent.surfaces, key=len, reverse=True):
        m = re.search(rf"\b{re.escape(surface)}\b", ent.text)
        if m:
            start = ent.start_char + m.start()
            return Span(start, start + len(surface), parent.type, surface, "gazetteer", parent.key)
    return None


def _body_spans(text: str, gaz: Gazetteer, taken: list[Span]) -> list[Span]:
    """Government bodies by pattern: a head, its capitalised complement, and its state."""
    heads = alternation(gaz.body_heads)
    conn = r"(?:de|del|de[ ]la|de[ ]las|de[ ]los|para|y|e|en)"
    prep = r"(?:de|del|de[ ]la|de[ ]las|de[ ]los|para|en)"
    # A coordinated word never starts another body: "Ministerio de X y el Ministerio de Y" is two.
    not_head = rf"(?!(?:{heads})\b)"
    cap_seq = rf"{CAP_WORD}(?:[ ]{conn}[ ]{not_head}{CAP_WORD}|[ ]{CAP_WORD})*"
    # "Ministerio de Economía, Planificación y Desarrollo": commas only inside a final "y X" list.
    # "Consejo Supremo de ...", "Instituto Nacional de ...": capitalised adjectives first.
    adjectives = rf"(?:[ ]{not_head}[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?=[ ](?:{prep})[ ][A-ZÁÉÍÓÚÑ]))?"
    complement = (
        rf"{adjectives}(?:[ ](?:{prep}[ ](?:(?:la|las|los|el)[ ])?|(?:y|e)[ ]{not_head}){cap_seq}"
        rf"(?:(?:,[ ]{not_head}{cap_seq})*[ ](?:y|e)[ ]{not_head}{cap_seq})?)*"
    )
    demonyms = alternation(gaz.demonyms)
    pattern = re.compile(rf"\b(?P<head>{heads})(?P<comp>{complement})(?:[ ](?P<dem>{demonyms})\b)?")
    out = []
    near = SpanIndex(taken)
    for m in pattern.finditer(text):
        start, end = m.span()
        head = m.group("head")
        comp = m.group("comp") or ""
        dem = m.group("dem")
        lower_ok = not head[0].islower() or gaz.body_functions.get(head.lower()) in ("government", "foreign-ministry")
        if dem and (head[:1].upper() + head[1:] not in gaz.demonym_suffix_heads or not lower_ok):
            end = m.end("comp") if comp else m.end("head")
            dem = None
        bare_ok = head in ("Cancillería", "Consejo de Ministros", "Ejecutivo", "Gobierno") or (
            " " in head and gaz.body_functions.get(head.lower()) == "government")  # "Gobierno de transición"
        if not comp and not dem and not bare_ok:
            continue  # a bare "Gobierno" or "Ministerio" is not a name
        if head[0].islower() and not dem and not re.search(r"\b(?:de|del)\s", comp) and not (bare_ok and " " in head):
            continue  # "su embajada en Quito": a common noun, unless it says whose
        if any(g.type == "InternationalOrganization" and start < g.start for g in near.inside(start, end)):
            continue  # "jefes de Estado y de Gobierno de la UE": no state's body
        if head.split()[0].endswith("s") and head.split()[0].lower() != "fuerzas":
            continue  # "los gobiernos de Chile y Perú", "los ministerios de ...": several bodies, no one name
        surface = text[start:end]
        # Keep a gazetteer country at the end inside the name, and note it as the body's state.
        country = gaz.demonyms.get(dem.lower()) if dem else None
        core = surface
        for g in near.inside(start, end):
            if g.type == "Country" and g.end == end:
                tail = text[start : g.start].rstrip()
                tail_m = re.search(r"\s+(?:de|del|de\s+la)$", tail)
                if tail_m:
                    country = g.key
                    core = text[start : start + tail_m.start()]
        if any(g.start <= start and end <= g.end and g.type != "Country" for g in near.overlapping(start, end)):
            continue  # inside a gazetteer name
        if any(g.type == "InternationalOrganization" for g in near.covering(start)):
            continue  # "Consejo de Seguridad de la ONU y Chile": the organ, then a list
        function = gaz.body_functions.get(re.sub(r"\s+", " ", _strip_demonym(core, gaz).lower()))
        span = Span(start, end, "GovernmentBody", surface, "body-pattern", None, country, function)
        acr = re.match(r"[ ]\((?P<a>[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ]{1,9})\)", text[end : end + 14])
        if acr:
            known = gaz.entry(gaz.by_surface.get(acr.group("a")))
            if known is not None and known.type in ("GovernmentBody", "InternationalOrganization"):
                span.type, span.key, span.country, span.function = known.type, known.key, known.country, known.function
            else:  # "Administración Nacional de Electricidad (ANDE)": the acronym is part of the mention
                span.end, span.text = end + len(acr.group(0)), text[start : end + len(acr.group(0))]
        if any(w in JOINT_WORDS for w in surface.split()):
            span.type, span.function, span.country = "InternationalOrganization", None, None  # two states' body
        if country is None and function is None and gaz.body_functions.get(head.lower()) == "government":
            # "el Gobierno de Pedro Sánchez", "el régimen de Ortega": a leader's government.
            name_m = re.fullmatch(rf"[ ](?:de|del)[ ](?P<name>{CAP_WORD}(?:[ ](?:de|del|de[ ]la)?[ ]?{CAP_WORD})*)", comp)
            if name_m and not near.covering(start + len(head) + name_m.start("name")) \
                    and name_m.group("name").split()[0] not in NOT_NAMES:
                n0 = m.start("comp") + name_m.start("name")
                span.function = "government"
                span.person = Span(n0, n0 + len(name_m.group("name")), "Person", name_m.group("name"), "leader")
                out.append(span.person)
        out.append(span)
    return out


def _acronym_org_spans(text: str, gaz: Gazetteer, taken: list[Span]) -> list[Span]:
    """'Yacimientos de Litio Bolivianos (YLB)': a capitalised name followed by its acronym."""
    conn = r"(?:de|del|de\s+la|de\s+las|de\s+los|para\s+la|para\s+el|para|y|e|el|la|en)"
    pattern = re.compile(rf"(?P<name>{CAP_WORD}\.?(?:[ ](?:{conn}[ ])?{CAP_WORD}\.?)+)[ ]\((?P<acr>[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ]{{1,9}})\)")
    out = []
    near = SpanIndex(taken)
    for m in pattern.finditer(text):
        start, end = m.span("name")
        words = m.group("name").split()
        while words and (words[0] in NOT_NAMES or words[0].lower() in ("el", "la", "los", "las")):
            start += len(words[0]) + 1
            words = words[1:]
            start = text.index(words[0], start - 1) if words else start
        if len(words) < 2 or words[0] in NON_ENTITY_HEADS or ROMAN.match(words[0]):
            continue  # "I Reunión de Alto Nivel (RAN)": a meeting, not an organization
        name = text[start:end]
        if any(not (start <= s.start and s.end <= end) for s in near.overlapping(start, end)):
            continue
        if gaz.by_surface.get(m.group("acr")) or gaz.by_surface.get(name):
            continue  # the gazetteer already knows it
        if any(s.type != "Country" for s in near.starting(start, start)):
            continue  # a body by pattern already holds it
        head = words[0]
        company = re.search(r"\b(?:S\.A\.|S\.L\.|S\.A\.C\.|Ltda\.?|Inc\.?|Corp\.?|S\.R\.L\.|GmbH|LLC)$", name)
        etype = "GovernmentBody" if head in gaz.body_heads and not company else "Organization"
        out.append(Span(start, m.end("acr") + 1, etype, text[start : m.end("acr") + 1], "acronym", None))
    return out


def _delegation_spans(doc, taken: list[Span], gaz: Gazetteer) -> list[Span]:
    """'una delegación de especialistas ...', 'la Misión de Observación Electoral 2026',
    'la delegación haitiana', 'la delegación a Brasil'."""
    out = []
    countries = {(s.start, s.end) for s in taken if s.type == "Country"}
    for tok in doc:
        lower = tok.lower_
        if lower not in ("delegación", "misión", "comitiva"):
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and lower != "misión" and nxt.lower_ in gaz.demonyms and nxt.pos_ == "ADJ":
            span = doc[tok.i : nxt.i + 1]  # "la delegación haitiana": a state's delegation
            out.append(Span(span.start_char, span.end_char, "Delegation", span.text, "delegation"))
            continue
        if nxt is not None and nxt.lower_ == "a" and nxt.i + 1 < len(doc):
            c = doc[nxt.i + 1]
            country = next(((a, b) for a, b in countries if a == c.idx), None)
            if country is not None and tok.i > 0 and doc[tok.i - 1].lower_ in ("la", "una", "su"):
                out.append(Span(tok.idx, country[1], "Delegation", doc_text(doc)[tok.idx : country[1]], "delegation"))
                continue  # "la delegación a Brasil": the delegation sent there
        if tok.text[0].isupper() and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("de", "del"):
            # A named mission: "Misión de Observación Electoral 2026".
            j = tok.i + 1
            while j + 1 < len(doc) and (doc[j + 1].text[:1].isupper() or doc[j + 1].like_num or doc[j + 1].lower_ in ("de", "del", "la")):
                j += 1
            while doc[j].lower_ in ("de", "del", "la"):
                j -= 1
            if j + 2 < len(doc) and doc[j + 1].lower_ == "en" and doc[j + 2].ent_type_ in ("COUNTRY", "PLACE"):
                j += 2  # "Delegación de la UE en Rusia"
                while j + 1 < len(doc) and doc[j + 1].ent_iob_ == "I":
                    j += 1
            if j > tok.i + 1:
                span = doc[tok.i : j + 1]
                out.append(Span(span.start_char, span.end_char, "Delegation", span.text, "delegation"))
            continue
        # A described delegation: the noun and its "de ..." complement (not relative clauses).
        comps = [c for c in tok.rights if c.dep_ in ("nmod", "amod") and not c.is_punct]
        has_de = any(any(g.lower_ in ("de", "del") for g in c.children if g.dep_ == "case") for c in comps)
        if not has_de:
            continue
        end_tok = tok
        for c in comps:
            sub = list(c.subtree)
            if any(t.pos_ in ("VERB", "AUX") or t.text in ",;:()" for t in sub):
                break
            end_tok = sub[-1] if sub[-1].i > end_tok.i else end_tok
        span = doc[tok.i : end_tok.i + 1]
        if len(span) < 3:
            continue
        out.append(Span(span.start_char, span.end_char, "Delegation", span.text, "delegation"))
    return out


def _capital_spans(text: str, gaz: Gazetteer, taken: list[Span]) -> list[Span]:
    """'la capital india', 'la capital de Chile': the capital city of that state."""
    demonyms = alternation(gaz.demonyms)
    out = []
    for m in re.finditer(rf"\bla capital (?:(?P<dem>{demonyms})\b|(?:de|del) )", text):
        country = gaz.demonyms.get(m.group("dem")) if m.group("dem") else None
        end = m.end()
        if country is None:
            named = next((s for s in taken if s.start == m.end() and s.type == "Country"), None)
            if named is None:
                continue
            country, end = named.key, named.end
        capital = gaz.capitals.get(country)
        if capital:
            start = m.start() + 3
            out.append(Span(start, end, "Place", text[start:end], "capital", capital, country))
    return out


def _place_spans(doc, gaz: Gazetteer, taken: list[Span], titles: list[Span]) -> list[Span]:
    text = doc_text(doc)
    out = []
    heads = alternation(gaz.place_heads)
    near, near_titles = SpanIndex(taken), SpanIndex(titles)
    for ent in doc.ents:
        if ent.label_ != "LOC":
            continue
        toks = [t for t in ent if not t.is_punct or t.text in ".-"]
        while toks and (toks[0].lower_ in ("el", "la", "los", "las") or toks[0].text in NOT_NAMES
                        or toks[0].lower_ in gaz.place_heads and len(toks) > 1):
            toks = toks[1:]  # "mar Caribe": the head comes back below
        if not toks or not toks[0].text[:1].isupper():
            continue
        # "Kremlin- agradeció", "Interior de": the name ends before a lower-case word
        cut = next((k for k, t in enumerate(toks) if not t.text[:1].isupper() and t.lower_ not in NAME_PARTICLES), None)
        toks = toks[:cut] if cut is not None else toks
        while toks and (toks[-1].lower_ in NAME_PARTICLES or toks[-1].is_punct):
            toks = toks[:-1]
        if not toks:
            continue
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        surface = text[start:end].rstrip("-")
        end = start + len(surface)
        known = gaz.entry(gaz.by_surface.get(surface))
        if known is not None and surface not in known.ambiguous:
            if not near.overlapping(start, end):
                out.append(Span(start, end, known.type, surface, "gazetteer", known.key, known.country, known.function))
                near.add(out[-1])
            continue
        content = [t for t in toks if t.lower_ not in NAME_PARTICLES]
        if toks[0].text in NON_ENTITY_HEADS or ROMAN.match(toks[0].text) or all(_common_word(t) for t in content):
            continue  # "Visita Oficial", "Cooperación", "Continuamos"
        cand = Span(start, end, "Place", text[start:end], "ner")
        if near.overlapping(cand.start, cand.end) or near_titles.overlapping(cand.start, cand.end):
            continue
        if any(t.lower_ in gaz.title_by_form or t.text in gaz.body_heads for t in toks):
            continue
        before = text[max(0, start - 30) : start]
        hm = re.search(rf"\b(?P<h>{heads})\s+(?:(?:de|del)\s+)?$", before)
        if hm:
            cand = Span(start - (len(before) - hm.start()), end, "Place", "", "ner")
            cand.text = text[cand.start : cand.end]
        out.append(cand)
        near.add(cand)
    return out
