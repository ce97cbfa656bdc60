"""Person names, from finding them to joining their mentions: NER names, names after a
title or a demonym, given names the model tags as places, coordinated names split in
two, and place names glued to a name; then clustering the mentions of one person, the
surnames that stand for a person named in full, and place mentions that are part of a name."""

from __future__ import annotations

import re

from ...rdf.iris import entity_key
from ..doc_text import doc_text, token_at_char
from ..gazetteer import CAP_WORD, RULER_LABELS, Gazetteer
from ..spanindex import SpanIndex
from .noise import _common_word
from .spans import GIVEN_NAMES, NAME_PARTICLES, NON_ENTITY_HEADS, NOT_NAMES, ROMAN, Span, _ambiguous, fold

# ---------------------------------------------------------------- finding names


def _merge_split_names(spans: list[Span], text: str, gaz: Gazetteer) -> list[Span]:
    """'Itzel Carrasquilla' + 'Mendoza' (a city): a place name glued to a person name is
    the rest of that name."""
    persons = [s for s in spans if s.type == "Person"]
    drop: set[int] = set()
    # The spans that can touch a name, by where they start and end (in list order: each
    # name looks at them in the order of the list, as its end moves on).
    by_start: dict[int, list[tuple[int, Span]]] = {}
    by_end: dict[int, list[tuple[int, Span]]] = {}
    for i, s in enumerate(spans):
        if s.type in ("Place", "Country") and " " not in s.text and s.text[:1].isupper():
            by_start.setdefault(s.start, []).append((i, s))
            by_end.setdefault(s.end, []).append((i, s))
    for p in persons:
        seen = -1
        while True:
            cands = sorted([c for c in [*by_start.get(p.end + 1, ()), *by_end.get(p.start - 1, ())] if c[0] > seen],
                           key=lambda c: c[0])
            for i, s in cands:
                seen = i
                if id(s) in drop:
                    continue
                entry = gaz.entry(s.key)
                ambiguous = s.source != "gazetteer" or (entry is not None and s.text in entry.ambiguous)
                if s.type == "Country" and not ambiguous:
                    continue  # "Chile Gabriel Boric" is a state and a name
                if s.start == p.end + 1 and text[p.end] == " ":
                    p.end, p.text = s.end, text[p.start : s.end]
                    drop.add(id(s))
                    break
                elif s.end == p.start - 1 and text[s.end] == " " and ambiguous:
                    p.start, p.text = s.start, text[s.start : p.end]  # "Mauricio Lemus Arce"
                    drop.add(id(s))
                    break
            else:
                break
    return [s for s in spans if id(s) not in drop]


def _person_spans(doc, gaz: Gazetteer, taken: list[Span], titles: list[Span]) -> list[Span]:
    text = doc_text(doc)
    cands: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ == "PER":
            cands.append((ent.start, ent.end))
    # Names right after a title: "el secretario general de la ASEAN, Nguyen Thanh Hai".
    by_char = token_at_char(doc)
    for ts in titles:
        m = re.match(rf"(?:[ ][a-záéíóúñü]+)?(?:[ ](?:en|ante)[ ](?:el[ ]|la[ ])?{CAP_WORD}(?:[ ](?:de[ ]|del[ ])?{CAP_WORD}){{0,3}})?"
                     r"(?:[ ]\([^)\n]{1,15}\))?,?[ ]", text[ts.end : ts.end + 90])
        for gap in ([m.end()] if m else []) + [1]:
            i = by_char.get(ts.end + gap)
            tok = None if i is None else doc[i]
            if tok is None or not tok.text[:1].isupper() or tok.ent_type_ in RULER_LABELS:
                continue
            j = tok.i
            while j < len(doc) and (doc[j].text[:1].isupper() and doc[j].ent_type_ not in RULER_LABELS or doc[j].lower_ in ("de", "del") and j + 1 < len(doc) and doc[j + 1].text[:1].isupper()):
                j += 1
            if 2 <= j - tok.i <= 5:
                cands.append((tok.i, j))
            break
    # Names that follow a title or a place-name first name ("Santiago Peña").
    for ent in doc.ents:
        if ent.label_ == "PLACE" and ent.end < len(doc) and len(ent) == 1:
            nxt = doc[ent.end]
            if nxt.pos_ == "PROPN" and nxt.text[:1].isupper() and not nxt.ent_type_ in RULER_LABELS:
                j = ent.end
                while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
                    j += 1
                cands.append((ent.start, j))
    # Names the model tags as places: a known given name first ("Nicolás Ibarra"), or a
    # title right after ("Lin Wei-ting, presidenta de ...").
    for ent in doc.ents:
        if ent.label_ != "LOC" or len(ent) < 2:
            continue
        toks = [t for t in ent if not t.is_punct or t.text in "-"]
        if len(toks) < 2 or not all(t.text[:1].isupper() or t.lower_ in NAME_PARTICLES for t in toks):
            continue
        after = text[ent.end_char : ent.end_char + 40]
        title_after = re.match(r",[ ](?:el[ ]|la[ ])?(?P<w>[a-záéíóúñü]+(?:[ ][a-záéíóúñü]+)?)", after)
        titled = bool(title_after) and any(
            title_after.group("w").startswith(f) for f in gaz.title_by_form if len(f) > 3)
        if toks[0].text in GIVEN_NAMES and toks[1].text[:1].isupper() or titled:
            cands.append((toks[0].i, toks[-1].i + 1))
    # "el estadounidense Mauricio Claver": a demonym right before a name.
    for tok in doc[1:]:
        if tok.lower_ in gaz.demonyms and tok.text.islower() and doc[tok.i - 1].lower_ in ("el", "la") \
                and tok.i + 2 < len(doc) and doc[tok.i + 1].text in GIVEN_NAMES and doc[tok.i + 2].text[:1].isupper():
            j = tok.i + 1
            while j < len(doc) and (doc[j].text[:1].isupper() or doc[j].text == "-"):
                j += 1
            cands.append((tok.i + 1, j))
    # Given names the ruler cut off before a place-like surname ("Pedro | Lagos Vial").
    cands = [(_extend_left(doc, s), e) for s, e in cands]
    # "Andrés Solano Vargas e Itzel Carrasquilla": coordinated names are two names.
    split: list[tuple[int, int]] = []
    for s, e in cands:
        start = s
        for t in doc[s:e]:
            if t.lower_ in ("y", "e", ",", ";"):
                if t.i > start:
                    split.append((start, t.i))
                start = t.i + 1
        if start < e:
            split.append((start, e))
    out: list[Span] = []
    near_titles, near_taken = SpanIndex(titles), SpanIndex(taken)
    for s, e in split:
        toks = list(doc[s:e])
        # trim non-name tokens at the edges
        while toks and (not toks[0].text[:1].isupper() or toks[0].text in NOT_NAMES or toks[0].is_punct):
            toks = toks[1:]
        while toks and (not toks[-1].text[:1].isupper() or toks[-1].is_punct or toks[-1].text in NOT_NAMES):
            toks = toks[:-1]
        if not toks:
            continue
        if any(t.text in NOT_NAMES for t in toks if t.text[:1].isupper()):
            continue
        if toks[0].text in NON_ENTITY_HEADS or ROMAN.match(toks[0].text):
            continue  # "VIII Reunión de Alto Nivel"
        content = [t for t in toks if t.lower_ not in NAME_PARTICLES]
        if len(content) >= 2 and not any(t.text in GIVEN_NAMES for t in content) \
                and sum(_common_word(t) for t in content) >= 2:
            continue  # "Cooperación Triangular", "Alto Nivel ..."
        if any(t.lower_ in gaz.title_by_form for t in toks):
            continue
        if any(not (t.text[:1].isupper() or t.lower_ in NAME_PARTICLES or t.text in "-'’") for t in toks):
            continue
        if len(toks) == 1 and toks[0].is_sent_start and toks[0].pos_ not in ("PROPN",):
            continue
        first = toks[0]
        if first.i > 0 and doc[first.i - 1].text in ("De", "Del", "Van", "Von", "Di", "Da"):
            first = doc[first.i - 1]  # "De Zela": a capitalised particle opens the surname
        start, end = first.idx, toks[-1].idx + len(toks[-1].text)
        cand = Span(start, end, "Person", text[start:end], "ner")
        if near_titles.overlapping(cand.start, cand.end):
            continue  # "Relaciones Exteriores" inside a title is nobody's name
        clash = near_taken.overlapping(cand.start, cand.end)
        if clash:
            if any((t.source != "gazetteer" or t.type != "Place") and not (t.source == "gazetteer" and _ambiguous(t, gaz)
                                                                          and cand.contains(t)) for t in clash):
                continue
        if gaz.by_surface.get(cand.text) or fold(cand.text) in {fold(x) for x in ()}:
            continue
        out.append(cand)
    # de-duplicate identical spans
    uniq = {(s.start, s.end): s for s in out}
    return list(uniq.values())


def _extend_left(doc, start: int) -> int:
    while start > 0:
        prev = doc[start - 1]
        if prev.pos_ == "PROPN" and prev.text[:1].isupper() and not prev.ent_type_ in RULER_LABELS \
                and prev.text not in NOT_NAMES and not prev.is_sent_start:
            start -= 1
        else:
            break
    return start


# ---------------------------------------------------------------- joining mentions


def _surname_mentions(doc, spans: list[Span], persons: dict[tuple[int, int], str]) -> list[Span]:
    """'Esquivel realizará...' where the article named Martín Esquivel: a capitalised word
    that is a surname of exactly one person named in full is that person."""
    owners: dict[str, set[str]] = {}
    for s in spans:
        key = persons.get((s.start, s.end))
        toks = _name_tokens(s.text)
        if key and len(toks) >= 2:
            for t in toks[1:]:
                if t not in NAME_PARTICLES:
                    owners.setdefault(t, set()).add(key)
    out = []
    named = SpanIndex(spans)
    for tok in doc:
        if not tok.text[:1].isupper() or tok.text in NOT_NAMES or len(tok.text) < 3:
            continue
        if named.covering(tok.idx):
            continue
        keys = owners.get(fold(tok.text))
        if keys and len(keys) == 1:
            out.append(Span(tok.idx, tok.idx + len(tok.text), "Person", tok.text, "surname"))
    return out


def _rekey_name_fragments(spans: list[Span], persons: dict[tuple[int, int], str]) -> None:
    """'Valdivia' tagged as a place (a Chilean city) where the article names Ernesto
    Valdivia Ruiz: a place mention that is part of a person's name is that person."""
    full = {}
    for s in spans:
        key = persons.get((s.start, s.end))
        if key and len(_name_tokens(s.text)) >= 2:
            full.setdefault(key, _name_tokens(s.text))
    parts: dict[tuple[str, ...], set[str]] = {}  # every run of words of a full name -> its keys
    for k, f in full.items():
        for run in _runs(f):
            parts.setdefault(run, set()).add(k)
    for s in spans:
        if s.type != "Place" or s.source == "gazetteer" and " " in s.text:
            continue
        toks = _name_tokens(s.text)
        owners = set(parts.get(tuple(toks), ())) if toks else set(full)
        if len(owners) == 1:
            s.type, s.key, s.country, s.source = "Person", owners.pop(), None, "name-fragment"


def _name_tokens(name: str) -> list[str]:
    return [fold(w) for w in re.findall(r"[\w'’\.]+", name)]  # 'García-Margallo' is 'García Margallo'


def _cluster_persons(spans: list[Span]) -> dict[tuple[int, int], str]:
    """Full names get keys; shorter references join the full name they are part of."""
    ordered = sorted(spans, key=lambda s: -len(_name_tokens(s.text)))
    first_key: str | None = None
    first_with: dict[tuple[str, ...], str] = {}  # a run of words -> the key of the first cluster with it
    keys: dict[tuple[int, int], str] = {}
    for s in ordered:
        toks = [t for t in _name_tokens(s.text)]
        match = first_with.get(tuple(toks)) if toks else first_key
        if match is None:
            if len([t for t in fold(s.text).split() if t not in NAME_PARTICLES]) < 2:
                continue  # a lone surname ("Claver-Carone" too) that names nobody else in the article
            match = entity_key("Person", s.text)
            first_key = first_key or match
            for run in _runs(toks):
                first_with.setdefault(run, match)
        keys[(s.start, s.end)] = match
    return keys


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    """Every run of consecutive words of a name: a shorter name is part of a full one when
    it is one of the full name's runs (looked up at once, not compared with every name)."""
    return {tuple(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
