"""Resolving mentions into entities: every mention gets its entity key (persons by
cluster, bodies by their state, which may be the article's home state or a named leader's),
demonyms count as their country, and the mentions of one key build one entity with its
label and aliases. The result is the article's `EntityIndex`, which later stages query."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...model import Entity, Mention
from ...names import clean, person_name
from ...rdf.iris import entity_key
from ..doc_text import doc_text
from ..gazetteer import Gazetteer, body_key, title_pattern
from ..spanindex import SpanIndex
from .persons import _cluster_persons, _rekey_name_fragments, _surname_mentions
from .spans import Span, _strip_demonym, fold

@dataclass
class EntityIndex:
    """The article's mentions with their entity keys, and the entities they build."""

    text: str
    mentions: list[Span]
    entities: dict[str, Entity]
    home_country: str | None
    demonym_mentions: list[Span] = field(default_factory=list)
    # what later stages look up many times, built once (the mentions do not change)
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def where(self) -> SpanIndex:
        """The mentions by where they are in the text."""
        if "where" not in self.memo:
            self.memo["where"] = SpanIndex(self.mentions)
        return self.memo["where"]

    @property
    def demonyms_where(self) -> SpanIndex:
        """The demonym mentions by where they are in the text."""
        if "demonyms_where" not in self.memo:
            self.memo["demonyms_where"] = SpanIndex(self.demonym_mentions)
        return self.memo["demonyms_where"]

    def at(self, start: int, end: int, types: tuple[str, ...] | None = None) -> list[Span]:
        """Mentions inside [start, end), outermost first."""
        found = [m for m in self.where.inside(start, end) if types is None or m.type in types]
        return sorted(found, key=lambda m: (m.start, -m.end))

    def maximal(self, start: int, end: int) -> list[Span]:
        """Mentions inside [start, end) that no other mention there contains."""
        inside = self.at(start, end)
        return [m for m in inside if not any(o.contains(m) for o in inside)]

    def label(self, key: str) -> str:
        e = self.entities.get(key)
        return e.label if e else key


def resolve(doc, spans: list[Span], gaz: Gazetteer) -> EntityIndex:
    """Give every mention its entity key and build the article's entities."""
    text = doc_text(doc)
    placed = {fold(s.text) for s in spans if s.source == "place-noun"}
    for s in spans:
        if s.type == "Person" and fold(s.text) in placed:
            s.type, s.source = "Place", "place-noun"  # "en la comunidad de X" said elsewhere: X is a place
    demonym_spans = _demonym_spans(doc, gaz, spans)
    home = _home_country(text, spans, demonym_spans, gaz)
    persons = _cluster_persons([s for s in spans if s.type == "Person"])
    spans = spans + _surname_mentions(doc, spans, persons)
    persons = _cluster_persons([s for s in spans if s.type == "Person"])
    _rekey_name_fragments(spans, persons)
    for s in spans:
        if s.key:
            continue
        if s.type == "Person":
            s.key = persons.get((s.start, s.end))
        elif s.type == "GovernmentBody" and s.person is not None and not s.country:
            s.country = _leader_state(s, spans, demonym_spans, persons, text, home)
            s.key = body_key(s.text, s.country, s.function if s.country else None)
        elif s.type == "GovernmentBody":
            s.country = s.country or _body_country(s, gaz, home)
            s.key = body_key(s.text if not s.country else _core_name(s, gaz), s.country, s.function)
        elif s.type == "Place":
            s.key = entity_key("Place", s.text)
        elif s.type == "InternationalOrganization":
            s.key = entity_key(s.type, re.sub(r"\s*\([^)]*\)$", "", s.text))
        elif s.type in ("Delegation", "Organization"):
            name = re.sub(r"\s*\([^)]*\)$", "", s.text)
            s.key = entity_key(s.type, re.sub(r"^(?:una?|el|la|los|las)\s+", "", name, flags=re.I))
    spans = [s for s in spans if s.key]
    entities = _build_entities(spans + demonym_spans, gaz, text)
    return EntityIndex(text, spans, entities, home, demonym_spans)


def _core_name(s: Span, gaz: Gazetteer) -> str:
    """The body's name without its state: 'Cancillería argentina', 'Ministerio de X de Chile' -> the head."""
    text = _strip_demonym(s.text, gaz)
    if s.country:
        entry = gaz.entry(s.country)
        names = sorted((x for x in (entry.surfaces if entry else ())), key=len, reverse=True)
        for name in names:
            m = re.search(rf"\s+(?:de|del|de\s+la|de\s+los)\s+(?:el\s+|la\s+)?{re.escape(name)}$", text)
            if m:
                return text[: m.start()]
    return text


def _body_country(s: Span, gaz: Gazetteer, home: str | None) -> str | None:
    return home


def _leader_state(body: Span, spans: list[Span], demonyms: list[Span], persons: dict, text: str,
                  home: str | None) -> str | None:
    """The state of the leader in "el Gobierno de <name>": the one the article gives with a
    title beside a mention of that person ("el presidente venezolano, X", "X, presidenta de
    Taiwán", "el estadounidense X"); else the article's state for a "Gobierno", and none for
    a "régimen" (a word for a foreign government)."""
    key = persons.get((body.person.start, body.person.end))
    mentions = [body.person] if key is None else [
        x for x in spans if x.type == "Person" and persons.get((x.start, x.end)) == key]
    states = [x for x in spans + demonyms if x.type == "Country" and x.key]
    title = title_pattern()
    for x in sorted(mentions, key=lambda x: x.start):
        before = text[max(0, x.start - 90) : x.start]
        clause_start = max(before.rfind(c) for c in ".;:(\n") + 1
        seg_start = x.start - len(before) + clause_start
        near = [c for c in states if seg_start <= c.start and c.end <= x.start]
        if before.rstrip().endswith(",") and near and title.search(text[seg_start : x.start]):
            return near[-1].key  # "el presidente venezolano, Nicolás Maduro"
        if near and near[-1].source == "demonym" and not text[near[-1].end : x.start].strip():
            return near[-1].key  # "el estadounidense Mauricio Claver-Carone"
        after = text[x.end : x.end + 90]
        if after.startswith(","):
            seg_end = x.end + 1 + min([i for i in (after.find(c, 1) for c in ",.;:(\n") if i > 0] or [len(after)])
            near = [c for c in states if x.end <= c.start and c.end <= seg_end]
            if near and title.search(text[x.end : seg_end]):
                return near[0].key  # "Tsai Ing-wen, presidenta de Taiwán"
    return None if body.text.lower().startswith("régimen") else home


def _demonym_spans(doc, gaz: Gazetteer, spans: list[Span]) -> list[Span]:
    out = []
    named = SpanIndex(spans)
    for tok in doc:
        key = gaz.demonyms.get(tok.lower_)
        if not key or tok.lower_ in gaz.ambiguous_demonyms and tok.pos_ != "ADJ":
            continue
        if tok.text[:1].isupper() and not tok.is_sent_start:
            continue  # "Irlandés" as a surname, "Unidos" inside a name
        if any(s.type not in ("GovernmentBody", "Delegation") for s in named.covering(tok.idx)):
            continue
        out.append(Span(tok.idx, tok.idx + len(tok.text), "Country", tok.text, "demonym", key))
    return out


def _home_country(text: str, spans: list[Span], demonyms: list[Span], gaz: Gazetteer) -> str | None:
    """The state whose point of view the article takes: the dateline's, else the most named."""
    head = text[:200]
    dateline = re.search(r"^([A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ .'-]+),\s", head, re.M)
    if dateline:
        for s in spans:
            if s.start == dateline.start(1) and s.type == "Place":
                entry = gaz.entry(s.key)
                if entry and entry.country:
                    return entry.country
    # Mentions count once; a foreign ministry or government named with its state counts
    # more (press releases name their own ministry), and so does the first state named.
    counts = Counter(s.key for s in spans + demonyms if s.type == "Country")
    for s in spans:
        if s.type == "GovernmentBody" and s.country:
            counts[s.country] += 3
        elif s.type == "Place" and s.country:
            counts[s.country] += 1  # the article's geography points home too
    if not counts:
        return None
    ordered = [s.country if s.type != "Country" else s.key for s in sorted(spans + demonyms, key=lambda s: s.start)]
    ordered = [k for k in ordered if k and k.startswith("country/")]
    if ordered:
        counts[ordered[0]] += 1
    first = {}
    for i, key in enumerate(ordered):
        first.setdefault(key, i)
    return max(counts, key=lambda k: (counts[k], -first.get(k, 0)))


def _body_label(group: list[Span], gaz: Gazetteer, entry) -> str:
    """One label per body in every article: the gazetteer's name, or the function's
    canonical name, or the name without its state, with the state in brackets."""
    if entry is not None and not entry.metonym:
        return entry.name
    country = gaz.entry(group[0].country)
    function = next((s.function for s in group if s.function), None)
    if function and function in gaz.function_labels:
        core = gaz.function_labels[function]
    else:
        core = max((_core_name(s, gaz) for s in group), key=lambda x: (len(x.split()), x))
    return f"{core} ({country.name})" if country else core


def _build_entities(spans: list[Span], gaz: Gazetteer, text: str) -> dict[str, Entity]:
    grouped: dict[str, list[Span]] = {}
    for s in spans:
        grouped.setdefault(s.key, []).append(s)
    out = {}
    for key, group in grouped.items():
        entry = gaz.entry(key)
        etype = entry.type if entry else group[0].type
        # "la capital india" names Nueva Delhi but is no name of it
        surfaces = list(dict.fromkeys(s.text for s in sorted(group, key=lambda s: s.start) if s.source != "capital"))
        if entry and entry.type != "GovernmentBody":
            label = entry.name
        elif etype == "GovernmentBody" and (group[0].country or entry is not None):
            label = _body_label(group, gaz, entry)
        else:
            named = [x for x in surfaces if x[:1].isupper()] or surfaces
            label = max(named, key=lambda x: (len(x.split()), len(x)))
            if etype == "Delegation":
                label = re.sub(r"^(?:una?|el|la|los|las)\s+", "", label, flags=re.I)
            if etype == "Organization":
                label = re.sub(r"\s*\([^)]*\)$", "", label)
                acr = re.search(r"\(([^)]*)\)$", max(surfaces, key=len))
                if acr:
                    surfaces.append(acr.group(1))
        if etype == "GovernmentBody":
            # "Ministerio de X dominicano", "Ministerio de X (MX)": the name without its state
            # or acronym is a form of it too.
            for x in list(surfaces):
                acr = re.fullmatch(r"(.+?)\s*\(([^)\s]{2,12})\)", x)
                if acr:
                    surfaces += [acr.group(1), acr.group(2)]
                    x = acr.group(1)
                bare = _strip_demonym(x, gaz)
                if bare != x and " " in bare:
                    surfaces.append(bare)
        # One label in every article whatever the variant seen ("Hugo De Zela", "RAMDIN"):
        # a pure function of it (see names); the other forms seen are its aliases.
        label = person_name(label) if etype == "Person" and not entry else clean(label)
        aliases = tuple(a for a in dict.fromkeys(clean(x) for x in surfaces) if a and a != label)
        # An English name belongs to the gazetteer's name, not to a text form it was merged with.
        labels = (("en", entry.en),) if entry and entry.en and label == entry.name else ()
        mentions = tuple(Mention(s.start, s.end, text[s.start : s.end]) for s in sorted(group, key=lambda s: s.start))
        out[key] = Entity(key, etype, label, aliases, labels, entry.wikidata if entry else None, mentions)
    return out
