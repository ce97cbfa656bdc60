"""Stable IRIs: the same thing gets the same IRI in every run and in every article.

Entities are named by a slug of their canonical name under a folder per type
(`person/hugo-de-zela`, `country/peru`); article-bound things (events, mentions,
quantities) by the article id and a digest of what identifies them in it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from ..names import clean
from .vocab import DEFAULT_BASE

_TYPE_FOLDERS = {
    "Person": "person",
    "Country": "country",
    "InternationalOrganization": "org",
    "GovernmentBody": "body",
    "Organization": "organization",
    "Delegation": "delegation",
    "Place": "place",
}


def slug(text: str) -> str:
    """ASCII kebab-case of `text`: 'Hugo de Zela' -> 'hugo-de-zela', 'EE.UU.' -> 'ee-uu'.

    Never empty: text with no Latin letters or digits slugs to a short digest of itself,
    which ignores case, spacing and invisible characters as the slug does ('ЛАВРОВ' and
    'Лавров' are one name, see names.clean).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if not out:
        out = "x" + hashlib.sha1(clean(text).casefold().encode("utf-8")).hexdigest()[:10]
    return out


def entity_key(entity_type: str, name: str) -> str:
    """The identity of an entity: its type folder and the slug of its canonical name."""
    return f"{_TYPE_FOLDERS[entity_type]}/{slug(name)}"


def digest(*parts: object) -> str:
    """A short stable digest of `parts` (for things that have no name of their own)."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def article_part(article_id: str) -> str:
    """An article id as one IRI path segment, kept as written (percent-encoded where needed),
    so distinct ids never share an IRI and `dev01` stays `dev01`."""
    return quote(article_id.strip(), safe="-._~")


@lru_cache(maxsize=4096)
def iri(path: str, base: str = DEFAULT_BASE) -> URIRef:
    """Entities recur in every article that names them: each IRI is made (and checked) once."""
    return URIRef(base + path)


def article_iri(article_id: str, base: str = DEFAULT_BASE) -> URIRef:
    return iri(f"article/{article_part(article_id)}", base)


def entity_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    return iri(key, base)


def position_iri(holder: str, title: str, of: str | None, base: str = DEFAULT_BASE) -> URIRef:
    """A post is the same resource wherever it is reported: holder + title + whose post."""
    return iri(f"position/{digest(holder, title, of or '')}", base)


def event_iri(event_type: str, status: str, participants, date: str | None, place: str | None = None,
              base: str = DEFAULT_BASE, words: str | None = None) -> URIRef:
    """An event is what happened, not where it was read: the same type, status, participants,
    date and place give the same IRI in every article that reports it. With no date,
    `words` (the time expression) tell apart two events that would get one IRI: "el
    jueves" and "el viernes" of two articles with no publication date."""
    parts = (event_type, status, *sorted(participants), date or "", place or "")
    return iri(f"event/{digest(*parts, *([words] if words and not date else []))}", base)


def event_identity_key(event_type: str, status: str, participants) -> str:
    """What two reports of one event must share exactly (their date and place may each be
    missing from one of them): the value of the event's dip:identityKey."""
    return digest(event_type, status, *sorted(participants))


def pair_iri(a: str, b: str, base: str = DEFAULT_BASE) -> URIRef:
    """The unordered pair of two agents (their IRIs): the same IRI whichever comes first."""
    return iri(f"pair/{digest(*sorted((a, b)))}", base)


def mention_iri(article_id: str, start: int, end: int, base: str = DEFAULT_BASE) -> URIRef:
    return iri(f"mention/{article_part(article_id)}/{start}-{end}", base)


def quantity_iri(article_id: str, start: int, end: int, base: str = DEFAULT_BASE) -> URIRef:
    return iri(f"quantity/{article_part(article_id)}/{start}-{end}", base)


def topic_iri(topic_id: str) -> URIRef:
    from .vocab import TOPIC

    return TOPIC[topic_id]
