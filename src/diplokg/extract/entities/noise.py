"""Where the text names no entity, and words that only look like names: bylines, photo
credits, agency tags and banners; datelines (where a story was filed, not a state acting);
capitalised common words ("Cooperación", "Continuamos"). Detection drops candidates there."""

from __future__ import annotations

import re
from functools import lru_cache

from ..alternation import alternation
from ..gazetteer import CAP_WORD
from ..spanindex import SpanIndex
from .spans import _NOISE, GEOGRAPHIC_WORDS, GIVEN_NAMES, Span


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """Spanish common words (nouns, adjectives, verbs): the lemma index the spaCy model's
    lemmatizer ships with. Empty where the pipeline has none."""
    try:
        from ...nlp import load_nlp

        table = load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(w for pos in ("noun", "adj", "verb") for w in table.get(pos, ()))
    except Exception:  # pragma: no cover - a pipeline without a rule lemmatizer
        return frozenset()


def _common_word(tok) -> bool:
    """'Cooperación', 'Oficial', 'Continuamos': a capitalised common word, not a name."""
    if tok.text in GIVEN_NAMES or tok.text in GEOGRAPHIC_WORDS:
        return False
    lex = _lexicon()
    low = tok.lower_
    if low in lex or (low.endswith("s") and low[:-1] in lex) or (low.endswith("es") and low[:-2] in lex) \
            or (tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lex):
        return True
    # a conjugated verb: "Continuamos", "Reiteramos", "Celebraron"
    return any(low.endswith(end) and low[: -len(end)] + inf in lex for end, inf in _VERB_ENDINGS)


_VERB_ENDINGS = (("amos", "ar"), ("emos", "er"), ("imos", "ir"), ("aron", "ar"), ("ieron", "er"), ("ieron", "ir"),
                 ("aremos", "ar"), ("eremos", "er"), ("iremos", "ir"), ("ábamos", "ar"), ("íamos", "er"), ("íamos", "ir"))


def _credit_zones(text: str) -> list[tuple[int, int]]:
    """Bylines, photo credits, agency tags and all-capitals banners: no entity is named there."""
    openers = alternation(_NOISE["credit_openers"])
    agencies = alternation(_NOISE["agencies"])
    names = rf"{CAP_WORD}(?:[ ](?:de[ ]|del[ ])?{CAP_WORD})*"
    zones = [m.span() for m in re.finditer(rf"\((?:{openers})\b[^)]*\)", text)]
    zones += [m.span("n") for m in re.finditer(rf"\b(?:{agencies})[ ]?/[ ]?(?P<n>{names})", text)]
    zones += [m.span("n") for m in re.finditer(rf"\b(?:Foto|Fotos|Fotografía|Imagen|Crédito|Créditos)\b[^\n.:]{{0,20}}:[ ]*(?P<n>{names})", text)]
    zones += [m.span() for m in re.finditer(r"^(?:Por|Escrito por)[ ][^\n]{3,60}$", text, re.M) if len(m.group(0).split()) <= 8]
    zones += [m.span() for m in re.finditer(r"\b[A-ZÁÉÍÓÚÑÜ]{2,}(?:[ ,.\-()]+[A-ZÁÉÍÓÚÑÜ]{2,})+\b", text)]
    return zones


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Where a story was filed, at the start of a paragraph: "Madrid, 3 feb (EFE).-",
    "LIMA, 12 de marzo de 2024.-", "Bruselas (AFP) -". The place there is where the
    writer was, not a state that acts."""
    agencies = alternation(_NOISE["agencies"])
    place = rf"{CAP_WORD}(?:[ ](?:de[ ]|del[ ])?{CAP_WORD}){{0,3}}"
    date = r",[ ]+\d{1,2}[ ]+(?:de[ ]+)?[a-záéíóú]{3,10}\.?(?:[ ]+(?:de[ ]+)?\d{4})?"
    tag = rf"\((?:{agencies})\)"
    pattern = rf"^[ \t]*(?:{place}|[A-ZÁÉÍÓÚÑ .]{{3,30}})(?:{date}[ ]*(?:{tag})?|[ ]*{tag})[ ]*(?:\.-|[-–—:]|\.)"
    return [m.span() for m in re.finditer(pattern, text, re.M)]


def _noise(s: Span, zones: SpanIndex) -> bool:
    """A name the model found inside a credit or byline zone (`_credit_zones`)."""
    return s.source in ("ner", "acronym") and bool(zones.containing(s.start, s.end))
