"""The plain data that flows between NLP and RDF.

No spaCy type goes past `extract`, no rdflib type comes back: mapping reads only these
frozen dataclasses. Offsets are Python string indices into `Article.text`, end exclusive.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Entity types of the ontology contract (dip:<type>).
ENTITY_TYPES = (
    "Person",
    "Country",
    "InternationalOrganization",
    "GovernmentBody",
    "Organization",
    "Delegation",
    "Place",
)

# Event classes of the ontology contract (dip:<type>), each a dip:Event subclass.
EVENT_TYPES = (
    "Meeting",
    "PhoneCall",
    "Visit",
    "Negotiation",
    "Agreement",
    "AgreementSigning",
    "Invitation",
    "Statement",
    "Criticism",
    "Sanction",
    "RelationsDowngrade",
)

STATUSES = ("occurred", "planned")
QUALIFIERS = ("exact", "more-than", "less-than", "about")
PRECISIONS = ("day", "month", "year")
_ISO_LENGTH = {"day": 10, "month": 7, "year": 4}


def iso_at(day: date, precision: str) -> str:
    """`day` as ISO at `precision`: 2020-10-05, 2020-10 or 2020."""
    return day.isoformat()[: _ISO_LENGTH[precision]]


def anchor_of(published: date | str | None) -> tuple[date | None, str]:
    """(first day, precision) of a publication date given as a date or as ISO text at
    day, month or year precision ("2020-10" is (2020-10-01, "month"))."""
    if published is None or isinstance(published, date):
        return published, "day"
    parts = [int(p) for p in published.split("-")]
    return date(parts[0], *(parts[1:] + [1, 1])[:2]), PRECISIONS[3 - len(parts)]


@dataclass(frozen=True)
class Article:
    """One source document: its text and what we know about it."""

    id: str
    text: str
    title: str | None = None
    published: date | None = None  # a partial date is anchored at its period's first day
    url: str | None = None
    language: str = "es"
    source: str | None = None  # path of the file it was read from
    published_precision: str = "day"  # "month" for YYYY-MM metadata, "year" for YYYY

    @property
    def published_iso(self) -> str | None:
        """The publication date as the metadata gave it: "2020-10-05", "2020-10" or "2020"."""
        if self.published is None:
            return None
        return iso_at(self.published, self.published_precision)

    @property
    def content_hash(self) -> str:
        """sha256 of everything that shapes the article's graph: the text and the metadata
        that reaches it (id, title, publication date at its precision, url, language), so a
        corrected date or title replaces the stored version and the same input changes
        nothing. Where the file was read from (`source`) is left out: moving it is no change.
        The metadata is one line of canonical JSON, then the text."""
        meta = {"id": self.id, "title": self.title, "published": self.published_iso, "url": self.url,
                "language": self.language}
        head = json.dumps(meta, sort_keys=True, ensure_ascii=True, separators=(",", ":")) + "\n"
        return hashlib.sha256(head.encode("ascii") + self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Mention:
    """A span of the article text; `text == article.text[start:end]` always."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """A typed agent or place, with its canonical name and the other names the text uses.

    `key` is the stable identity used to mint the IRI (same entity, same key, in every
    article); `labels` holds canonical names in other languages (e.g. {"en": "Peru"}).
    """

    key: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # (lang, label) besides the Spanish `label`
    wikidata: str | None = None  # "Q419"
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Position:
    """A post held by a person: `title` (normalized lower case) of `of` (an entity key)."""

    holder: str
    title: str
    of: str | None
    evidence: Mention


@dataclass(frozen=True)
class TimeExpr:
    """Words that date an event and, when the publication date allows, their value.

    `value` is ISO at `precision`: "2026-03-12" (day), "2026-05" (month), "2026" (year).
    """

    text: str
    start: int
    end: int
    value: str | None = None
    precision: str | None = None
    inherited: bool = False  # the date of an earlier event; the words are not this event's


@dataclass(frozen=True)
class Quantity:
    """A number stated in the text: "más de 4.000 mesas de votación"."""

    value: Decimal
    unit: str
    qualifier: str
    mention: Mention


@dataclass(frozen=True)
class Event:
    """A diplomatic event; participants, actors and counterparts are entity keys."""

    type: str
    participants: tuple[str, ...]
    status: str
    evidence: Mention
    actors: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    location: str | None = None
    destination: str | None = None
    time: TimeExpr | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    positions: tuple[Position, ...] = ()
    events: tuple[Event, ...] = ()
    quantities: tuple[Quantity, ...] = ()

    def entity(self, key: str) -> Entity | None:
        return next((e for e in self.entities if e.key == key), None)
