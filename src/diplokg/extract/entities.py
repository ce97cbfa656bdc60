"""Entity mentions and their resolution into entities.

Sources, from most to least trusted: the gazetteer (entity ruler), government bodies by
pattern ("Ministerio de ...", "Cancillería argentina", "Gobierno del Perú"), delegations
("una delegación de ..."), names with an acronym in brackets, person names (spaCy NER and
names that follow a title), other places (spaCy NER). Surnames ("De Zela") resolve to the
full name used elsewhere in the article; demonyms ("peruano") to their country.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..lang import load_json
from ..model import Entity, Mention
from ..rdf.iris import entity_key
from .alternation import alternation
from .doc_text import doc_text, token_at_char
from .gazetteer import CAP_WORD, RULER_LABELS, Gazetteer, body_key, title_pattern

_P = load_json("persons.json")
NAME_PARTICLES = set(_P["name_particles"])
NOT_NAMES = set(_P["not_names"])
GIVEN_NAMES = frozenset(_P["given_names"])
PLACE_NOUNS = tuple(load_json("places_heads.json")["place_nouns"])
GEOGRAPHIC_WORDS = frozenset(load_json("places_heads.json")["geographic_words"])
JOINT_WORDS = frozenset(load_json("noise.json")["joint_body_words"])
_NOISE = load_json("noise.json")
NON_ENTITY_HEADS = frozenset(_NOISE["non_entity_heads"])
ROMAN = re.compile(r"^[IVXL]{1,5}$")


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """Spanish common words (nouns, adjectives, verbs): the lemma index the spaCy model's
    lemmatizer ships with. Empty where the pipeline has none."""
    try:
        from ..nlp import load_nlp

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


def _noise(s: Span, zones: list[tuple[int, int]]) -> bool:
    return s.source in ("ner", "acronym") and any(a <= s.start and s.end <= b for a, b in zones)
_WORD = re.compile(r"\S+")


@dataclass
class Span:
    """A mention candidate (internal to extraction)."""

    start: int
    end: int
    type: str
    text: str
    source: str
    key: str | None = None
    country: str | None = None  # the state a body, place or delegation belongs to
    function: str | None = None
    person: "Span | None" = None  # "el Gobierno de <name>": the person whose government it is

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end and self != other


@dataclass
class EntityIndex:
    """The article's mentions with their entity keys, and the entities they build."""

    text: str
    mentions: list[Span]
    entities: dict[str, Entity]
    home_country: str | None
    demonym_mentions: list[Span] = field(default_factory=list)

    def at(self, start: int, end: int, types: tuple[str, ...] | None = None) -> list[Span]:
        """Mentions inside [start, end), outermost first."""
        found = [m for m in self.mentions if start <= m.start and m.end <= end and (types is None or m.type in types)]
        return sorted(found, key=lambda m: (m.start, -m.end))

    def maximal(self, start: int, end: int) -> list[Span]:
        """Mentions inside [start, end) that no other mention there contains."""
        inside = self.at(start, end)
        return [m for m in inside if not any(o.contains(m) for o in inside)]

    def label(self, key: str) -> str:
        e = self.entities.get(key)
        return e.label if e else key


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparing names (cached: the same words recur)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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
    zones = _credit_zones(text)
    spans = [s for s in spans if not _noise(s, zones)]
    persons = [s for s in spans if s.type == "Person"]
    spans = [s for s in spans if not (s.source == "gazetteer" and _ambiguous(s, gaz) and any(p.contains(s) for p in persons))]
    _metonyms(doc, spans, gaz)
    return sorted(spans, key=lambda s: (s.start, -s.end))


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
    filed_at = dateline_spans(doc_text(doc))

    for s in spans:
        if s.source != "gazetteer" or not s.key:
            continue
        if any(a <= s.start and s.end <= b for a, b in filed_at):
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


def _ambiguous(s: Span, gaz: Gazetteer) -> bool:
    """A gazetteer name that is also a common name ("Mauricio", "Victoria")."""
    entry = gaz.entry(s.key)
    return entry is not None and s.text in entry.ambiguous


def _place_noun_spans(text: str, taken: list[Span]) -> list[Span]:
    """'la comunidad fronteriza de Jimaní', 'el municipio de San Pedro': a place by its noun."""
    nouns = alternation(PLACE_NOUNS)
    out = []
    for m in re.finditer(rf"\b(?:{nouns})(?:[ ][a-záéíóúñü]+)?[ ](?:de|del)[ ](?P<name>{CAP_WORD}(?:[ ](?:de[ ]|del[ ])?{CAP_WORD})*)", text):
        start, end = m.span("name")
        if any(t.start < end and start < t.end for t in taken):
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


def _merge_split_names(spans: list[Span], text: str, gaz: Gazetteer) -> list[Span]:
    """'Itzel Carrasquilla' + 'Mendoza' (a city): a place name glued to a person name is
    the rest of that name."""
    persons = [s for s in spans if s.type == "Person"]
    drop: set[int] = set()
    for p in persons:
        for s in spans:
            if s.type not in ("Place", "Country") or id(s) in drop or " " in s.text or not s.text[:1].isupper():
                continue
            entry = gaz.entry(s.key)
            ambiguous = s.source != "gazetteer" or (entry is not None and s.text in entry.ambiguous)
            if s.type == "Country" and not ambiguous:
                continue  # "Chile Gabriel Boric" is a state and a name
            if s.start == p.end + 1 and text[p.end] == " ":
                p.end, p.text = s.end, text[p.start : s.end]
                drop.add(id(s))
            elif s.end == p.start - 1 and text[s.end] == " " and ambiguous:
                p.start, p.text = s.start, text[s.start : p.end]  # "Mauricio Lemus Arce"
                drop.add(id(s))
    return [s for s in spans if id(s) not in drop]


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
        if any(g.type == "InternationalOrganization" and start < g.start and g.end <= end for g in taken):
            continue  # "jefes de Estado y de Gobierno de la UE": no state's body
        if head.split()[0].endswith("s") and head.split()[0].lower() != "fuerzas":
            continue  # "los gobiernos de Chile y Perú", "los ministerios de ...": several bodies, no one name
        surface = text[start:end]
        # Keep a gazetteer country at the end inside the name, and note it as the body's state.
        country = gaz.demonyms.get(dem.lower()) if dem else None
        core = surface
        for g in taken:
            if g.type == "Country" and start <= g.start and g.end == end:
                tail = text[start : g.start].rstrip()
                tail_m = re.search(r"\s+(?:de|del|de\s+la)$", tail)
                if tail_m:
                    country = g.key
                    core = text[start : start + tail_m.start()]
        if any(g.start <= start and end <= g.end and g.type != "Country" for g in taken):
            continue  # inside a gazetteer name
        if any(g.start <= start < g.end and g.type == "InternationalOrganization" for g in taken):
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
            if name_m and not any(g.start <= start + len(head) + name_m.start("name") < g.end for g in taken) \
                    and name_m.group("name").split()[0] not in NOT_NAMES:
                n0 = m.start("comp") + name_m.start("name")
                span.function = "government"
                span.person = Span(n0, n0 + len(name_m.group("name")), "Person", name_m.group("name"), "leader")
                out.append(span.person)
        out.append(span)
    return out


def _strip_demonym(text: str, gaz: Gazetteer) -> str:
    words = text.split()
    if len(words) > 1 and words[-1].lower() in gaz.demonyms:
        return " ".join(words[:-1])
    return text


def _acronym_org_spans(text: str, gaz: Gazetteer, taken: list[Span]) -> list[Span]:
    """'Yacimientos de Litio Bolivianos (YLB)': a capitalised name followed by its acronym."""
    conn = r"(?:de|del|de\s+la|de\s+las|de\s+los|para\s+la|para\s+el|para|y|e|el|la|en)"
    pattern = re.compile(rf"(?P<name>{CAP_WORD}\.?(?:[ ](?:{conn}[ ])?{CAP_WORD}\.?)+)[ ]\((?P<acr>[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ]{{1,9}})\)")
    out = []
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
        if any(s.overlaps(Span(start, end, "", "", "")) and not (start <= s.start and s.end <= end) for s in taken):
            continue
        if gaz.by_surface.get(m.group("acr")) or gaz.by_surface.get(name):
            continue  # the gazetteer already knows it
        if any(s.start == start and s.type != "Country" for s in taken):
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


def _is_name_token(tok) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() and not t.isupper() or (t.isupper() and len(t) <= 3 and t.isalpha() and False))


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
        if any(cand.overlaps(t) for t in titles):
            continue  # "Relaciones Exteriores" inside a title is nobody's name
        if any(cand.overlaps(t) for t in taken):
            clash = [t for t in taken if cand.overlaps(t)]
            if any((t.source != "gazetteer" or t.type != "Place") and not (t.source == "gazetteer" and _ambiguous(t, gaz)
                                                                          and cand.contains(t)) for t in clash):
                continue
        if gaz.by_surface.get(cand.text) or fold(cand.text) in {fold(x) for x in ()}:
            continue
        out.append(cand)
    # de-duplicate identical spans
    uniq = {(s.start, s.end): s for s in out}
    return list(uniq.values())


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


def _extend_left(doc, start: int) -> int:
    while start > 0:
        prev = doc[start - 1]
        if prev.pos_ == "PROPN" and prev.text[:1].isupper() and not prev.ent_type_ in RULER_LABELS \
                and prev.text not in NOT_NAMES and not prev.is_sent_start:
            start -= 1
        else:
            break
    return start


def _place_spans(doc, gaz: Gazetteer, taken: list[Span], titles: list[Span]) -> list[Span]:
    text = doc_text(doc)
    out = []
    heads = alternation(gaz.place_heads)
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
            if not any(Span(start, end, "", "", "").overlaps(t) for t in taken + out):
                out.append(Span(start, end, known.type, surface, "gazetteer", known.key, known.country, known.function))
            continue
        content = [t for t in toks if t.lower_ not in NAME_PARTICLES]
        if toks[0].text in NON_ENTITY_HEADS or ROMAN.match(toks[0].text) or all(_common_word(t) for t in content):
            continue  # "Visita Oficial", "Cooperación", "Continuamos"
        cand = Span(start, end, "Place", text[start:end], "ner")
        if any(cand.overlaps(t) for t in taken + out + titles):
            continue
        if any(t.lower_ in gaz.title_by_form or t.text in gaz.body_heads for t in toks):
            continue
        before = text[max(0, start - 30) : start]
        hm = re.search(rf"\b(?P<h>{heads})\s+(?:(?:de|del)\s+)?$", before)
        if hm:
            cand = Span(start - (len(before) - hm.start()), end, "Place", "", "ner")
            cand.text = text[cand.start : cand.end]
        out.append(cand)
    return out


# ---------------------------------------------------------------- resolution


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
    for tok in doc:
        key = gaz.demonyms.get(tok.lower_)
        if not key or tok.lower_ in gaz.ambiguous_demonyms and tok.pos_ != "ADJ":
            continue
        if tok.text[:1].isupper() and not tok.is_sent_start:
            continue  # "Irlandés" as a surname, "Unidos" inside a name
        if any(s.start <= tok.idx < s.end and s.type not in ("GovernmentBody", "Delegation") for s in spans):
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
    for tok in doc:
        if not tok.text[:1].isupper() or tok.text in NOT_NAMES or len(tok.text) < 3:
            continue
        if any(s.start <= tok.idx < s.end for s in spans):
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
    for s in spans:
        if s.type != "Place" or s.source == "gazetteer" and " " in s.text:
            continue
        toks = _name_tokens(s.text)
        owners = {k for k, f in full.items() if _is_sub(toks, f)}
        if len(owners) == 1:
            s.type, s.key, s.country, s.source = "Person", owners.pop(), None, "name-fragment"


def _name_tokens(name: str) -> list[str]:
    return [fold(w) for w in re.findall(r"[\w'’\.]+", name)]  # 'García-Margallo' is 'García Margallo'


def _cluster_persons(spans: list[Span]) -> dict[tuple[int, int], str]:
    """Full names get keys; shorter references join the full name they are part of."""
    ordered = sorted(spans, key=lambda s: -len(_name_tokens(s.text)))
    clusters: list[tuple[list[str], str]] = []
    keys: dict[tuple[int, int], str] = {}
    for s in ordered:
        toks = [t for t in _name_tokens(s.text)]
        match = None
        for full, key in clusters:
            if _is_sub(toks, full):
                match = key
                break
        if match is None:
            if len([t for t in fold(s.text).split() if t not in NAME_PARTICLES]) < 2:
                continue  # a lone surname ("Claver-Carone" too) that names nobody else in the article
            match = entity_key("Person", s.text)
            clusters.append((toks, match))
        keys[(s.start, s.end)] = match
    return keys


def _is_sub(short: list[str], full: list[str]) -> bool:
    n = len(short)
    return any(full[i : i + n] == short for i in range(len(full) - n + 1))


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
        aliases = tuple(a for a in dict.fromkeys(surfaces) if a != label and fold(a) != fold(label))
        # An English name belongs to the gazetteer's name, not to a text form it was merged with.
        labels = (("en", entry.en),) if entry and entry.en and label == entry.name else ()
        mentions = tuple(Mention(s.start, s.end, text[s.start : s.end]) for s in sorted(group, key=lambda s: s.start))
        out[key] = Entity(key, etype, label, aliases, labels, entry.wikidata if entry else None, mentions)
    return out
