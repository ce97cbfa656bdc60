"""Score an extraction against gold annotations (shared/eval/GOLD-FORMAT.md).

Entities, positions and events are scored with precision, recall and F1:

- names are compared after `normalize_name` (casefold, accents stripped, punctuation
  dropped, whitespace collapsed, one leading article dropped);
- an extracted entity matches a gold entity when the types are equal and any name of
  one (label + aliases) equals any name of the other (name + aliases); the matching is
  one-to-one (maximum cardinality, preferring label == name, then label/name against an
  alias, over alias against alias);
- the matching maps extracted entity keys to gold ids; positions and events are compared
  through that map: a position matches when holder and `of` map to the gold holder and
  `of` (the title is reported, not scored); an event matches when the types are equal and
  the Jaccard index of the mapped participant set (participants + actors + counterparts)
  and the gold participants is at least 0.5, greedily by highest Jaccard, each gold and
  each extracted event used at most once.

Also reported, not scored:

- per event type: tp/fp/fn and P/R/F1 (an extracted event counts for its own type, a gold
  event for its own; matching needs equal types, so a pair counts once, for that type);
- per slot, over matched events (`Agreement`): participants (the mapped set equals the
  gold set exactly; mean Jaccard), status, date (over matched events with a gold date:
  `Event.time.value` equals the gold ISO string exactly; each disagreement is listed with
  the gold event), location (over matched events whose gold has a location or a
  destination: for a Visit the destination, else the location, each falling back to the
  other, must map to the same gold entity), actor and counterpart (over matched events
  whose gold states them: the mapped actors, resp. counterparts, are exactly that entity).

Zero denominators: precision is 1.0 when nothing was extracted and nothing was missed
(else 0.0); recall likewise; so an article with empty gold and an empty extraction
scores 1.0, and an empty side against a non-empty one scores 0.0.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import networkx as nx

from .errors import InputError
from .model import ENTITY_TYPES, EVENT_TYPES, STATUSES, Article, Entity, Event, Extraction, Position
from .read import parse_published

CATEGORIES = ("entities", "positions", "events")
GOLD_SUFFIX = ".gold.json"
JACCARD_THRESHOLD = 0.5
LEADING_ARTICLES = frozenset({"el", "la", "los", "las", "lo", "the"})
_ISO_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_EVIDENCE_CHARS = 90


# --------------------------------------------------------------------------- gold data


@dataclass(frozen=True)
class GoldEntity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldPosition:
    holder: str
    title: str
    of: str | None


@dataclass(frozen=True)
class GoldEvent:
    type: str
    participants: tuple[str, ...]
    status: str | None = None
    date: str | None = None
    location: str | None = None
    destination: str | None = None
    actor: str | None = None
    counterpart: str | None = None
    topics: tuple[str, ...] = ()
    evidence: str = ""
    time_expression: str | None = None
    evidence_at: tuple[int, int] | None = None  # offsets of the quote where the text is kept apart


@dataclass(frozen=True)
class GoldQuantity:
    value: Decimal
    unit: str
    qualifier: str


@dataclass(frozen=True)
class Gold:
    id: str
    language: str = "es"
    published: date | None = None
    title: str | None = None
    entities: tuple[GoldEntity, ...] = ()
    positions: tuple[GoldPosition, ...] = ()
    events: tuple[GoldEvent, ...] = ()
    quantities: tuple[GoldQuantity, ...] = ()
    source: str | None = None  # path of the .gold.json file
    published_precision: str = "day"  # "month" or "year" for a YYYY-MM or YYYY `published`

    def entity(self, gold_id: str) -> GoldEntity | None:
        return next((e for e in self.entities if e.id == gold_id), None)


def _stem(path: Path) -> str:
    name = path.name
    return name[: -len(GOLD_SUFFIX)] if name.endswith(GOLD_SUFFIX) else path.stem


def load_gold(path: Path) -> Gold:
    """Read and validate one gold file; every problem is a one-line InputError naming it."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such gold file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: gold file is not UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    return gold_from_dict(data, where=str(path), default_id=_stem(path))


def gold_from_dict(data: object, *, where: str = "<gold>", default_id: str = "gold") -> Gold:
    """Validate a parsed gold document (see `load_gold`)."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: gold must be a JSON object")

    def fail(reason: str) -> InputError:
        return InputError(f"{where}: {reason}")

    def items(key: str, required: bool) -> list[dict]:
        if key not in data:
            if required:
                raise fail(f"missing key '{key}'")
            return []
        value = data[key]
        if not isinstance(value, list):
            raise fail(f"'{key}' must be a list")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise fail(f"{key}[{i}] must be an object")
        return value

    def text(obj: dict, key: str, ctx: str, *, required: bool = True, allow_empty: bool = False) -> str | None:
        if key not in obj or obj[key] is None:
            if required:
                raise fail(f"{ctx}: missing key '{key}'")
            return None
        value = obj[key]
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise fail(f"{ctx}: '{key}' must be a non-empty string")
        return value

    def strings(obj: dict, key: str, ctx: str) -> tuple[str, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"{ctx}: '{key}' must be a list of strings")
        return tuple(value)

    def offsets(obj: dict, key: str, ctx: str) -> tuple[int, int] | None:
        value = obj.get(key)
        if value is None:
            return None
        if (not isinstance(value, list) or len(value) != 2 or not all(type(v) is int for v in value)
                or not 0 <= value[0] <= value[1]):
            raise fail(f"{ctx}: '{key}' must be [start, end] character offsets")
        return (value[0], value[1])

    # Entities first: every other section refers to their ids.
    entities: list[GoldEntity] = []
    ids: set[str] = set()
    for i, obj in enumerate(items("entities", True)):
        ctx = f"entities[{i}]"
        gid = text(obj, "id", ctx)
        if gid in ids:
            raise fail(f"{ctx}: duplicate entity id '{gid}'")
        ids.add(gid)
        etype = text(obj, "type", ctx)
        if etype not in ENTITY_TYPES:
            raise fail(f"{ctx}: unknown entity type '{etype}'")
        entities.append(GoldEntity(gid, etype, text(obj, "name", ctx), strings(obj, "aliases", ctx)))

    def ref(obj: dict, key: str, ctx: str, *, required: bool) -> str | None:
        value = text(obj, key, ctx, required=required)
        if value is not None and value not in ids:
            raise fail(f"{ctx}: '{key}' refers to unknown entity id '{value}'")
        return value

    positions: list[GoldPosition] = []
    for i, obj in enumerate(items("positions", True)):
        ctx = f"positions[{i}]"
        if "of" not in obj:
            raise fail(f"{ctx}: missing key 'of'")
        positions.append(
            GoldPosition(ref(obj, "holder", ctx, required=True), text(obj, "title", ctx), ref(obj, "of", ctx, required=False))
        )

    events: list[GoldEvent] = []
    for i, obj in enumerate(items("events", True)):
        ctx = f"events[{i}]"
        etype = text(obj, "type", ctx)
        if etype not in EVENT_TYPES:
            raise fail(f"{ctx}: unknown event type '{etype}'")
        if "participants" not in obj:
            raise fail(f"{ctx}: missing key 'participants'")
        participants = strings(obj, "participants", ctx)
        for pid in participants:
            if pid not in ids:
                raise fail(f"{ctx}: participant '{pid}' is not an entity id")
        status = text(obj, "status", ctx)
        if status not in STATUSES:
            raise fail(f"{ctx}: status must be one of {', '.join(STATUSES)}, not '{status}'")
        when = text(obj, "date", ctx, required=False)
        if when is not None and not _ISO_PARTIAL_DATE.match(when):
            raise fail(f"{ctx}: 'date' is not ISO YYYY, YYYY-MM or YYYY-MM-DD: '{when}'")
        events.append(
            GoldEvent(
                type=etype,
                participants=tuple(dict.fromkeys(participants)),
                status=status,
                date=when,
                location=ref(obj, "location", ctx, required=False),
                destination=ref(obj, "destination", ctx, required=False),
                actor=ref(obj, "actor", ctx, required=False),
                counterpart=ref(obj, "counterpart", ctx, required=False),
                topics=strings(obj, "topics", ctx),
                evidence=text(obj, "evidence", ctx, required=False, allow_empty=True) or "",
                time_expression=text(obj, "timeExpression", ctx, required=False),
                evidence_at=offsets(obj, "evidence_at", ctx),
            )
        )

    quantities: list[GoldQuantity] = []
    for i, obj in enumerate(items("quantities", False)):
        ctx = f"quantities[{i}]"
        if "value" not in obj:
            raise fail(f"{ctx}: missing key 'value'")
        value = obj["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise fail(f"{ctx}: 'value' must be a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise fail(f"{ctx}: 'value' must be a number, not {value!r}") from None
        quantities.append(GoldQuantity(number, text(obj, "unit", ctx), text(obj, "qualifier", ctx)))

    gold_id = data.get("id")
    if gold_id is not None and (not isinstance(gold_id, str) or not gold_id.strip()):
        raise fail("'id' must be a non-empty string")
    published = data.get("published")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise fail("'title' must be a string")
    language = data.get("language") or "es"
    if not isinstance(language, str):
        raise fail("'language' must be a string")
    published, precision = parse_published(published, where) if published else (None, "day")
    return Gold(
        id=gold_id or default_id,
        language=language,
        published=published,
        published_precision=precision,
        title=title or None,
        entities=tuple(entities),
        positions=tuple(positions),
        events=tuple(events),
        quantities=tuple(quantities),
        source=where,
    )


def gold_pairs(gold_dir: Path) -> list[tuple[Path, Path]]:
    """(NAME.txt, NAME.gold.json) pairs in `gold_dir`, sorted by name.

    Gold files without their text (and texts without gold) are ignored.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: no such directory")
    pairs = []
    for gold in sorted(gold_dir.glob("*" + GOLD_SUFFIX)):
        txt = gold_dir / (_stem(gold) + ".txt")
        if gold.is_file() and txt.is_file():
            pairs.append((txt, gold))
    if not pairs:
        raise InputError(f"{gold_dir}: no NAME.txt + NAME{GOLD_SUFFIX} pairs")
    return pairs


# --------------------------------------------------------------------------- matching


def normalize_name(name: str) -> str:
    """Casefold, strip accents, drop punctuation, collapse whitespace, drop a leading article."""
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = "".join(ch for ch in s if not unicodedata.category(ch).startswith("P"))
    words = s.split()
    if len(words) > 1 and words[0] in LEADING_ARTICLES:
        words = words[1:]
    return " ".join(words)


def _names(primary: str, aliases: Iterable[str]) -> tuple[str, set[str]]:
    main = normalize_name(primary)
    every = {main, *(normalize_name(a) for a in aliases)}
    every.discard("")
    return main, every


def match_entities(extracted: Iterable[Entity], gold: Iterable[GoldEntity]) -> dict[int, int]:
    """One-to-one matching: extracted index -> gold index.

    Maximum cardinality first; among maximum matchings, the one that pairs the most
    label == name, then label/name against an alias of the other side.
    """
    ext = list(extracted)
    gld = list(gold)
    ext_names = [_names(e.label, e.aliases) for e in ext]
    gold_names = [_names(g.name, g.aliases) for g in gld]
    graph = nx.Graph()
    for i, e in enumerate(ext):
        main_e, all_e = ext_names[i]
        for j, g in enumerate(gld):
            if e.type != g.type:
                continue
            main_g, all_g = gold_names[j]
            if not all_e & all_g:
                continue
            if main_e and main_e == main_g:
                weight = 3
            elif main_e in all_g or main_g in all_e:
                weight = 2
            else:
                weight = 1
            graph.add_edge(("x", i), ("g", j), weight=weight)
    pairs: dict[int, int] = {}
    for a, b in nx.max_weight_matching(graph, maxcardinality=True):
        (side_a, ia), (_, ib) = a, b
        if side_a == "x":
            pairs[ia] = ib
        else:
            pairs[ib] = ia
    return dict(sorted(pairs.items()))


def jaccard(a: set, b: set) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def event_participants(event: Event) -> tuple[str, ...]:
    """Every agent of an extracted event (actors and counterparts are sub-properties)."""
    return tuple(dict.fromkeys((*event.participants, *event.actors, *event.counterparts)))


def mapped_participants(event: Event, key_to_gold: Mapping[str, str]) -> set[str]:
    """Gold ids of the event's agents; unmatched keys stay in the set as non-gold markers."""
    return {key_to_gold.get(k, f"\0unmatched:{k}") for k in event_participants(event)}


# --------------------------------------------------------------------------- scores


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(frozen=True)
class CategoryScore:
    tp: int
    fp: int
    fn: int
    misses: tuple[str, ...] = ()  # gold items not matched
    false_positives: tuple[str, ...] = ()  # extracted items not matched

    @property
    def precision(self) -> float:
        return _prf(self.tp, self.fp, self.fn)[0]

    @property
    def recall(self) -> float:
        return _prf(self.tp, self.fp, self.fn)[1]

    @property
    def f1(self) -> float:
        return _prf(self.tp, self.fp, self.fn)[2]

    def counts(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class Agreement:
    """Reported, not scored: what matched positions and events also get right."""

    positions_matched: int = 0
    position_title_agree: int = 0
    events_matched: int = 0
    event_status_agree: int = 0
    events_dated: int = 0  # matched events whose gold has a date
    event_date_agree: int = 0
    event_participants_exact: int = 0  # mapped participant set == gold set
    event_participants_jaccard: float = 0.0  # sum over matched events (mean = / events_matched)
    events_located: int = 0  # matched events whose gold has a location or destination
    event_location_agree: int = 0
    events_with_actor: int = 0  # matched events whose gold states an actor
    event_actor_agree: int = 0
    events_with_counterpart: int = 0
    event_counterpart_agree: int = 0

    def __add__(self, other: Agreement) -> Agreement:
        return Agreement(
            *(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__)
        )

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}

    def slots(self) -> dict:
        """Per-slot agreement over matched events: {slot: {agree, of, rate}} (rate None when of == 0)."""

        def slot(agree: int, of: int) -> dict:
            return {"agree": agree, "of": of, "rate": round(agree / of, 4) if of else None}

        participants = slot(self.event_participants_exact, self.events_matched)
        participants["mean_jaccard"] = (
            round(self.event_participants_jaccard / self.events_matched, 4) if self.events_matched else None
        )
        return {
            "participants": participants,
            "status": slot(self.event_status_agree, self.events_matched),
            "date": slot(self.event_date_agree, self.events_dated),
            "location": slot(self.event_location_agree, self.events_located),
            "actor": slot(self.event_actor_agree, self.events_with_actor),
            "counterpart": slot(self.event_counterpart_agree, self.events_with_counterpart),
        }

    @property
    def status_accuracy(self) -> float | None:
        return self.slots()["status"]["rate"]

    @property
    def date_accuracy(self) -> float | None:
        return self.slots()["date"]["rate"]


@dataclass(frozen=True)
class ArticleScore:
    article_id: str
    entities: CategoryScore
    positions: CategoryScore
    events: CategoryScore
    agreement: Agreement = field(default_factory=Agreement)
    entity_map: tuple[tuple[str, str], ...] = ()  # (extracted key, gold id)
    event_types: tuple[tuple[str, CategoryScore], ...] = ()  # per event type, in EVENT_TYPES order
    date_mismatches: tuple[str, ...] = ()  # matched events whose date disagrees with a gold date
    status_mismatches: tuple[str, ...] = ()  # matched events whose status disagrees with the gold's

    def category(self, name: str) -> CategoryScore:
        return getattr(self, name)

    def event_type(self, name: str) -> CategoryScore:
        return dict(self.event_types).get(name, CategoryScore(0, 0, 0))


@dataclass(frozen=True)
class Report:
    articles: tuple[ArticleScore, ...]
    without_text: tuple[str, ...] = ()  # gold files skipped for want of their text

    def total(self, name: str) -> CategoryScore:
        """Micro-averaged totals (summed counts) of a category over all articles."""
        cats = [a.category(name) for a in self.articles]
        return CategoryScore(sum(c.tp for c in cats), sum(c.fp for c in cats), sum(c.fn for c in cats))

    @property
    def entities(self) -> CategoryScore:
        return self.total("entities")

    @property
    def positions(self) -> CategoryScore:
        return self.total("positions")

    @property
    def events(self) -> CategoryScore:
        return self.total("events")

    @property
    def agreement(self) -> Agreement:
        total = Agreement()
        for a in self.articles:
            total = total + a.agreement
        return total

    def event_types(self) -> dict[str, CategoryScore]:
        """Micro-averaged per event type, for the types seen in gold or extraction (EVENT_TYPES order)."""
        out: dict[str, CategoryScore] = {}
        for name in EVENT_TYPES:
            cats = [a.event_type(name) for a in self.articles]
            total = CategoryScore(sum(c.tp for c in cats), sum(c.fp for c in cats), sum(c.fn for c in cats))
            if total.tp or total.fp or total.fn:
                out[name] = total
        return out


# --------------------------------------------------------------------------- rendering


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _EVIDENCE_CHARS:
        return text
    cut = text[: _EVIDENCE_CHARS - 3]
    if " " in cut[_EVIDENCE_CHARS // 2 :]:  # end on a word boundary when one is near
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "..."


def _gold_name(gold: Gold, gid: str | None) -> str:
    ent = gold.entity(gid) if gid else None
    return ent.name if ent else str(gid)


def _ext_name(extraction: Extraction, key: str | None) -> str:
    ent = extraction.entity(key) if key else None
    return ent.label if ent else str(key)


def render_gold_entity(e: GoldEntity) -> str:
    return f"{e.type} '{e.name}'"


def render_entity(e: Entity) -> str:
    return f"{e.type} '{e.label}'"


def render_gold_position(p: GoldPosition, gold: Gold) -> str:
    of = f" of '{_gold_name(gold, p.of)}'" if p.of else ""
    return f"Position '{_gold_name(gold, p.holder)}' {p.title}{of}"


def render_position(p: Position, extraction: Extraction) -> str:
    of = f" of '{_ext_name(extraction, p.of)}'" if p.of else ""
    return f"Position '{_ext_name(extraction, p.holder)}' {p.title}{of}"


def render_gold_event(e: GoldEvent, gold: Gold) -> str:
    names = ", ".join(_gold_name(gold, p) for p in e.participants)
    return f"{e.type} [{names}] '{_quote(e.evidence)}'"


def render_event(e: Event, extraction: Extraction) -> str:
    names = ", ".join(_ext_name(extraction, k) for k in event_participants(e))
    return f"{e.type} [{names}] '{_quote(e.evidence.text)}'"


def render_date_mismatch(e: Event, g: GoldEvent, gold: Gold) -> str:
    """`gold 2026-03-12 ('este jueves') ours 2026-03-11 ('el miércoles'): Meeting [..] 'gold evidence'`."""
    theirs = g.date + (f" ('{_quote(g.time_expression)}')" if g.time_expression else "")
    if e.time is None:
        ours = "none (no time expression)"
    else:
        ours = f"{e.time.value or 'none'} ('{_quote(e.time.text)}')"
    return f"gold {theirs} ours {ours}: {render_gold_event(g, gold)}"


# --------------------------------------------------------------------------- scoring


def score(extraction: Extraction, gold: Gold) -> ArticleScore:
    """Score one article's extraction against its gold annotation."""
    ext_entities = list(extraction.entities)

    # Entities.
    ent_pairs = match_entities(ext_entities, gold.entities)
    key_to_gold: dict[str, str] = {}
    for i, j in ent_pairs.items():
        key_to_gold.setdefault(ext_entities[i].key, gold.entities[j].id)
    matched_gold = set(ent_pairs.values())
    entities = CategoryScore(
        tp=len(ent_pairs),
        fp=len(ext_entities) - len(ent_pairs),
        fn=len(gold.entities) - len(ent_pairs),
        misses=tuple(render_gold_entity(g) for j, g in enumerate(gold.entities) if j not in matched_gold),
        false_positives=tuple(render_entity(e) for i, e in enumerate(ext_entities) if i not in ent_pairs),
    )

    # Positions: holder and `of` through the entity map; prefer a gold twin with the same title.
    gold_pos_used: set[int] = set()
    pos_pairs: dict[int, int] = {}
    for i, p in enumerate(extraction.positions):
        holder = key_to_gold.get(p.holder)
        of = key_to_gold.get(p.of) if p.of is not None else None
        if holder is None or (p.of is not None and of is None):
            continue
        candidates = [
            j
            for j, g in enumerate(gold.positions)
            if j not in gold_pos_used and g.holder == holder and g.of == of
        ]
        if not candidates:
            continue
        same_title = [j for j in candidates if normalize_name(gold.positions[j].title) == normalize_name(p.title)]
        j = (same_title or candidates)[0]
        gold_pos_used.add(j)
        pos_pairs[i] = j
    positions = CategoryScore(
        tp=len(pos_pairs),
        fp=len(extraction.positions) - len(pos_pairs),
        fn=len(gold.positions) - len(pos_pairs),
        misses=tuple(render_gold_position(g, gold) for j, g in enumerate(gold.positions) if j not in gold_pos_used),
        false_positives=tuple(
            render_position(p, extraction) for i, p in enumerate(extraction.positions) if i not in pos_pairs
        ),
    )
    title_agree = sum(
        normalize_name(extraction.positions[i].title) == normalize_name(gold.positions[j].title)
        for i, j in pos_pairs.items()
    )

    # Events: greedy by highest Jaccard (ties: status, then date agreement, then order).
    candidates = []
    for i, e in enumerate(extraction.events):
        mapped = mapped_participants(e, key_to_gold)
        for j, g in enumerate(gold.events):
            if e.type != g.type:
                continue
            jac = jaccard(mapped, set(g.participants))
            if jac >= JACCARD_THRESHOLD:
                candidates.append((-jac, -int(_status_agrees(e, g)), -int(_date_agrees(e, g)), i, j))
    ev_pairs: dict[int, int] = {}
    gold_ev_used: set[int] = set()
    for *_, i, j in sorted(candidates):
        if i in ev_pairs or j in gold_ev_used:
            continue
        ev_pairs[i] = j
        gold_ev_used.add(j)
    events = CategoryScore(
        tp=len(ev_pairs),
        fp=len(extraction.events) - len(ev_pairs),
        fn=len(gold.events) - len(ev_pairs),
        misses=tuple(render_gold_event(g, gold) for j, g in enumerate(gold.events) if j not in gold_ev_used),
        false_positives=tuple(render_event(e, extraction) for i, e in enumerate(extraction.events) if i not in ev_pairs),
    )
    matched_events = [(extraction.events[i], gold.events[j]) for i, j in ev_pairs.items()]
    jaccards = [jaccard(mapped_participants(e, key_to_gold), set(g.participants)) for e, g in matched_events]
    located = [(e, g) for e, g in matched_events if _place(g) is not None]
    with_actor = [(e, g) for e, g in matched_events if g.actor is not None]
    with_counterpart = [(e, g) for e, g in matched_events if g.counterpart is not None]
    agreement = Agreement(
        positions_matched=len(pos_pairs),
        position_title_agree=title_agree,
        events_matched=len(matched_events),
        event_status_agree=sum(_status_agrees(e, g) for e, g in matched_events),
        events_dated=sum(g.date is not None for _, g in matched_events),
        event_date_agree=sum(g.date is not None and _date_agrees(e, g) for e, g in matched_events),
        event_participants_exact=sum(j == 1.0 for j in jaccards),
        event_participants_jaccard=sum(jaccards),
        events_located=len(located),
        event_location_agree=sum(_mapped(_place(e), key_to_gold) == _place(g) for e, g in located),
        events_with_actor=len(with_actor),
        event_actor_agree=sum(_mapped_set(e.actors, key_to_gold) == {g.actor} for e, g in with_actor),
        events_with_counterpart=len(with_counterpart),
        event_counterpart_agree=sum(
            _mapped_set(e.counterparts, key_to_gold) == {g.counterpart} for e, g in with_counterpart
        ),
    )

    # Per event type: a pair counts for its (common) type, the rest for their own.
    event_types = []
    for name in EVENT_TYPES:
        tp = sum(g.type == name for _, g in matched_events)
        n_ext = sum(e.type == name for e in extraction.events)
        n_gold = sum(g.type == name for g in gold.events)
        if n_ext or n_gold:
            event_types.append((name, CategoryScore(tp, n_ext - tp, n_gold - tp)))

    in_gold_order = [(extraction.events[i], gold.events[j]) for i, j in sorted(ev_pairs.items(), key=lambda p: p[1])]
    date_mismatches = tuple(
        render_date_mismatch(e, g, gold) for e, g in in_gold_order if g.date is not None and not _date_agrees(e, g)
    )
    return ArticleScore(
        article_id=gold.id,
        entities=entities,
        positions=positions,
        events=events,
        agreement=agreement,
        entity_map=tuple(sorted(key_to_gold.items())),
        event_types=tuple(event_types),
        date_mismatches=date_mismatches,
        status_mismatches=tuple(
            f"gold {g.status} ours {e.status}: {render_gold_event(g, gold)}"
            for e, g in in_gold_order if g.status is not None and not _status_agrees(e, g)
        ),
    )


def _place(e: Event | GoldEvent) -> str | None:
    """Where the event is: for a Visit its destination, else its location (each falls back to the other)."""
    if e.type == "Visit":
        return e.destination or e.location
    return e.location or e.destination


def _mapped(key: str | None, key_to_gold: Mapping[str, str]) -> str | None:
    return None if key is None else key_to_gold.get(key, f"\0unmatched:{key}")


def _mapped_set(keys: Iterable[str], key_to_gold: Mapping[str, str]) -> set[str]:
    return {key_to_gold.get(k, f"\0unmatched:{k}") for k in keys}


def _status_agrees(e: Event, g: GoldEvent) -> bool:
    return g.status is not None and e.status == g.status


def _date_agrees(e: Event, g: GoldEvent) -> bool:
    return g.date is not None and e.time is not None and e.time.value == g.date


# --------------------------------------------------------------------------- corpus


def read_text(path: Path) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: article text is not UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def article_for(txt: Path, gold: Gold) -> Article:
    return Article(
        id=gold.id,
        text=read_text(txt),
        title=gold.title,
        published=gold.published,
        published_precision=gold.published_precision,
        language=gold.language,
        source=str(txt),
    )


def with_text(gold: Gold, text: str) -> Gold:
    """`gold` with each event's `evidence_at` offsets read as its evidence quote in `text`."""
    events = tuple(
        replace(e, evidence=text[e.evidence_at[0] : e.evidence_at[1]]) if e.evidence_at and not e.evidence else e
        for e in gold.events
    )
    return replace(gold, events=events)


def gold_articles(gold_dir: Path, texts: Path | None = None) -> tuple[list[tuple[Gold, Article]], list[str]]:
    """Each gold file of `gold_dir` with the article it annotates, and the ids left without text.

    The texts are NAME.txt beside the gold files, or, where a corpus keeps its texts apart,
    in the folder `texts` (NAME.txt) or the JSONL file `texts` (one {"id", "text", ...}
    object a line, as `diplokg ingest` reads). The gold's `published` wins over the text's.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: no such directory")
    folder, by_id = Path(texts or gold_dir), None
    if texts is not None and not folder.is_dir():
        if not folder.is_file():
            raise InputError(f"{texts}: no such folder or JSONL file of texts")
        from .read import read_file

        by_id = {a.id: a for a in read_file(folder)}
    pairs, missing = [], []
    for path in sorted(p for p in gold_dir.glob("*" + GOLD_SUFFIX) if p.is_file()):
        gold, name = load_gold(path), _stem(path)
        if by_id is None:
            txt = folder / (name + ".txt")
            article = article_for(txt, gold) if txt.is_file() else None
        else:
            article = by_id.get(name) or by_id.get(gold.id)
        if article is None:
            missing.append(name)
            continue
        if gold.published is not None:
            article = replace(article, published=gold.published, published_precision=gold.published_precision)
        pairs.append((with_text(gold, article.text), replace(article, id=gold.id)))
    if not pairs:
        where = f"{gold_dir}" if texts is None else f"{gold_dir} with texts from {texts}"
        raise InputError(f"{where}: no NAME.txt + NAME{GOLD_SUFFIX} pairs")
    return pairs, missing


def evaluate(gold_dir: Path, extract: Callable[[Article], Extraction], texts: Path | None = None) -> Report:
    """Extract the text of every gold file in `gold_dir` and score it against the gold
    (`gold_articles` says where the texts are); gold files without text are skipped and
    named in `Report.without_text`."""
    pairs, missing = gold_articles(gold_dir, texts)
    return Report(tuple(score(extract(article), gold) for gold, article in pairs), tuple(missing))


def _fmt(c: CategoryScore) -> str:
    return f"P={c.precision:.3f} R={c.recall:.3f} F1={c.f1:.3f}"


def format_report(report: Report, errors: bool = True) -> str:
    """Per-article figures, then (with `errors`) misses and false positives, then the overall
    figures (last lines)."""
    lines: list[str] = []
    width = max((len(a.article_id) for a in report.articles), default=7)
    lines.append("per article")
    for a in report.articles:
        cols = "  ".join(f"{name} {_fmt(a.category(name))}" for name in CATEGORIES)
        lines.append(f"  {a.article_id:<{width}}  {cols}")
    lines.append("")
    if errors:
        lines += _format_errors(report) + [""]
    ag = report.agreement
    lines.append(
        f"matched positions: {ag.positions_matched} (title agrees {ag.position_title_agree}); "
        f"matched events: {ag.events_matched} (status agrees {ag.event_status_agree}, "
        f"date agrees {ag.event_date_agree} of {ag.events_dated} dated)"
    )
    lines += _format_event_types(report)
    lines += _format_slots(ag)
    for name in CATEGORIES:
        t = report.total(name)
        lines.append(f"overall {name:<9} {_fmt(t)} (tp={t.tp} fp={t.fp} fn={t.fn})")
    return "\n".join(lines)


def _format_errors(report: Report) -> list[str]:
    lines = ["misses (gold not extracted) and false positives (extracted, not in gold)"]
    any_listed = False
    for a in report.articles:
        block = []
        for name in CATEGORIES:
            cat = a.category(name)
            block += [f"    miss {name}: {m}" for m in cat.misses]
            block += [f"    fp   {name}: {m}" for m in cat.false_positives]
        block += [f"    date events: {m}" for m in a.date_mismatches]
        block += [f"    status events: {m}" for m in a.status_mismatches]
        if block:
            any_listed = True
            lines.append(f"  {a.article_id}")
            lines += block
    if not any_listed:
        lines.append("  (none)")
    return lines


def _format_event_types(report: Report) -> list[str]:
    types = report.event_types()
    if not types:
        return []
    width = max(len(name) for name in types)
    lines = ["events per type (micro over the corpus)"]
    for name, c in types.items():
        lines.append(f"  {name:<{width}}  tp={c.tp:<3} fp={c.fp:<3} fn={c.fn:<3} {_fmt(c)}")
    return lines


def _format_slots(ag: Agreement) -> list[str]:
    def rate(s: dict) -> str:
        return f"{s['rate']:.3f}" if s["rate"] is not None else "  n/a"

    slots = ag.slots()
    labels = {
        "participants": "participants exact",
        "status": "status",
        "date": "date (gold dated)",
        "location": "location (gold placed)",
        "actor": "actor (gold states)",
        "counterpart": "counterpart (gold states)",
    }
    width = max(len(v) for v in labels.values())
    lines = ["event slots over matched events"]
    for key, label in labels.items():
        s = slots[key]
        line = f"  {label:<{width}}  {rate(s)} ({s['agree']} of {s['of']})"
        if key == "participants" and s["mean_jaccard"] is not None:
            line += f"  mean Jaccard {s['mean_jaccard']:.3f}"
        lines.append(line)
    return lines


def report_json(report: Report) -> dict:
    """The report as plain JSON-ready data."""
    articles = []
    for a in report.articles:
        entry: dict = {"id": a.article_id}
        for name in CATEGORIES:
            cat = a.category(name)
            entry[name] = {**cat.counts(), "misses": list(cat.misses), "false_positives": list(cat.false_positives)}
        entry["agreement"] = a.agreement.as_dict()
        entry["per_event_type"] = {name: c.counts() for name, c in a.event_types}
        entry["slots"] = a.agreement.slots()
        entry["date_mismatches"] = list(a.date_mismatches)
        entry["status_mismatches"] = list(a.status_mismatches)
        entry["entity_map"] = dict(a.entity_map)
        articles.append(entry)
    overall: dict = {name: report.total(name).counts() for name in CATEGORIES}
    overall["agreement"] = report.agreement.as_dict()
    overall["per_event_type"] = {name: c.counts() for name, c in report.event_types().items()}
    overall["slots"] = report.agreement.slots()
    return {"articles": articles, "overall": overall}
