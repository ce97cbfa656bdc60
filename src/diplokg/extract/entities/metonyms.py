"""A name that stands for another: a capital acting for its state ('Pekín respondió' ->
China) and a seat of power for its body ('la Casa Blanca anunció'), unless the text uses
it as a place ('en Pekín'). Runs last in detection, on the gazetteer's mentions."""

from __future__ import annotations

from ...lang import load_json
from ..doc_text import doc_text, token_at_char
from ..gazetteer import Gazetteer
from ..spanindex import Range, SpanIndex
from .noise import dateline_spans
from .spans import Span, fold

_M = load_json("metonyms.json")


def _role(doc, by_char: dict[int, int], start: int) -> str:
    """How a place name is used: "locative" ('en Pekín', 'llegó a Pekín'), "actor"
    ('Pekín respondió', 'lazos con Pekín', 'acusó a Pekín', 'la postura de Pekín') or "other"."""
    i = by_char.get(start)
    if i is None:
        return "other"
    tok = doc[i]
    if tok.text.isupper() and len(tok.text) > 3:
        return "locative"  # a dateline: "LIMA, 12 mar"
    while tok.dep_ == "conj" and tok.head.i < tok.i and tok.head.ent_type_:
        tok = tok.head  # "entre Washington y Pekín": the first conjunct's preposition
    j = tok.i - 1
    while j >= 0 and doc[j].lower_ in ("el", "la", "los", "las"):
        j -= 1
    prev = doc[j].lower_ if j >= 0 else ""
    prev2 = f"{doc[j - 1].lower_} {prev}" if j >= 1 else prev
    head = tok.head if tok.head.i != tok.i else None
    head_words = {head.lower_, head.lemma_.lower()} if head is not None else set()
    if prev in _M["locative_prepositions"] or prev2 in _M["locative_prepositions"]:
        return "locative"
    if head_words & set(_M["motion_words"]):
        return "locative"  # "visitará Lima", "llegó a Lima", "regresó de Lima"
    if prev in ("a", "al"):
        # "acusó a Pekín" (a verb's person-like object) acts; "una misión a Asunción" goes there
        return "actor" if head is not None and head.pos_ in ("VERB", "AUX") else "locative"
    if prev in ("de", "del"):
        return "actor" if head_words & set(_M["actor_nouns"]) else "other"
    if prev in _M["actor_prepositions"] or prev2 in _M["actor_prepositions"]:
        return "actor"
    if tok.dep_ in ("nsubj", "nsubj:pass"):
        return "actor"
    return "other"


def _metonyms(doc, spans: list[Span], gaz: Gazetteer) -> None:
    """A capital that acts stands for its state ('Pekín respondió' -> China, alias 'Pekín');
    a seat of power stands for its body unless it is where something happens ('la Casa
    Blanca anunció' -> the US government; 'recibido en la Casa Blanca' -> the building)."""
    by_char = token_at_char(doc)
    country_of_capital = {v: k for k, v in gaz.capitals.items()}
    filed_at = SpanIndex(Range(a, b) for a, b in dateline_spans(doc_text(doc)))

    for s in spans:
        if s.source != "gazetteer" or not s.key:
            continue
        if filed_at.containing(s.start, s.end):
            continue  # the dateline's city is where the story was filed, not its state acting
        if s.type == "Place" and s.key in country_of_capital:
            if _role(doc, by_char, s.start) == "actor":
                s.type, s.key, s.country, s.source = "Country", country_of_capital[s.key], None, "metonym"
        elif s.type == "Place" and s.key in gaz.body_of_venue:
            if _role(doc, by_char, s.start) != "locative":
                body = gaz.entry(gaz.body_of_venue[s.key])
                s.type, s.key, s.source = "GovernmentBody", body.key, "metonym"
                s.country, s.function = body.country, body.function
        elif s.type == "GovernmentBody" and s.key in gaz.venue_of_body:
            entry = gaz.entry(s.key)
            if entry is not None and entry.metonym and _role(doc, by_char, s.start) == "locative":
                venue = gaz.venue_of_body[s.key]
                if gaz.entry(venue) is not None and fold(s.text) in {fold(x) for x in gaz.entry(venue).surfaces}:
                    s.type, s.key, s.country, s.function, s.source = "Place", venue, None, None, "metonym"
