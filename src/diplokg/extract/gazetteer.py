"""The language pack's gazetteers as lookups and as entity-ruler patterns.

Every entry gets a stable key (`country/peru`, `org/organizacion-de-los-estados-americanos`)
from its canonical Spanish name, so the same entity has the same IRI in every article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..lang import load_json, load_jsonl
from .alternation import alternation
from ..rdf.iris import entity_key, slug

# spaCy entity labels used by our ruler -> ontology entity types.
RULER_LABELS = {
    "COUNTRY": "Country",
    "INTORG": "InternationalOrganization",
    "GOVBODY": "GovernmentBody",
    "PLACE": "Place",
}


@dataclass(frozen=True)
class GazEntry:
    key: str
    type: str
    name: str
    en: str | None = None
    wikidata: str | None = None
    country: str | None = None  # key of the country a place or body belongs to
    surfaces: tuple[str, ...] = ()
    function: str | None = None  # for government bodies: "foreign-ministry", ...
    part_of: str | None = None  # for organs of an organization: the parent's name
    stands_for_parent: bool = False  # a plenary organ ("Asamblea General de la ONU") named for its organization
    metonym: bool = False  # a building or place that stands for the body ("Los Pinos")
    ambiguous: frozenset[str] = frozenset()  # surfaces that are also common names ("Mauricio")


@dataclass(frozen=True)
class Title:
    title: str
    forms: tuple[str, ...]
    en: str | None
    of: str  # Country | InternationalOrganization | GovernmentBody | any
    usual_of: str | None = None  # the state the bare title usually means ("secretario de Estado": EE.UU.)


@dataclass(frozen=True)
class Gazetteer:
    entries: dict[str, GazEntry]  # key -> entry
    by_surface: dict[str, str]  # exact surface form -> key
    demonyms: dict[str, str]  # lower-case demonym -> country key
    ambiguous_demonyms: frozenset[str]
    country_by_name: dict[str, str]  # casefolded name/alias -> country key
    capitals: dict[str, str]  # country key -> key of its capital (a Place)
    titles: tuple[Title, ...]
    title_by_form: dict[str, Title]
    body_functions: dict[str, str]  # lower-case body name -> function id
    function_labels: dict[str, str]  # function id -> canonical Spanish label
    demonym_suffix_heads: frozenset[str]
    body_heads: tuple[str, ...]
    place_heads: tuple[str, ...]
    body_of_venue: dict[str, str] = None  # place key of a seat ("Casa Blanca") -> key of the body it stands for
    venue_of_body: dict[str, str] = None

    def entry(self, key: str | None) -> GazEntry | None:
        return self.entries.get(key) if key else None

    def country_of_name(self, text: str) -> str | None:
        return self.country_by_name.get(_fold(text))


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:el|la|los|las)\s+", "", text, flags=re.I)


@cache
def load_gazetteer() -> Gazetteer:
    entries: dict[str, GazEntry] = {}
    by_surface: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    ambiguous: set[str] = set()
    country_by_name: dict[str, str] = {}

    def add(entry: GazEntry) -> None:
        entries[entry.key] = entry
        for s in entry.surfaces:
            by_surface.setdefault(s, entry.key)

    for row in load_jsonl("countries.jsonl"):
        key = entity_key("Country", row["name"])
        surfaces = tuple(dict.fromkeys([row["name"], *row.get("aliases", ()), *row.get("abbreviations", ())]))
        add(GazEntry(key, "Country", row["name"], row.get("en"), row.get("wikidata"), None, surfaces,
                     ambiguous=frozenset(row.get("ambiguous_names", ()))))
        for s in (row["name"], *row.get("aliases", ())):
            country_by_name.setdefault(_fold(s), key)
        for d in row.get("demonyms", ()):
            demonyms.setdefault(d.lower(), key)
        ambiguous.update(d.lower() for d in row.get("ambiguous_demonyms", ()))
    countries = {e.name: e.key for e in entries.values() if e.type == "Country"}
    capital_names = {entity_key("Country", r["name"]): r.get("capital") for r in load_jsonl("countries.jsonl")}

    for row in load_jsonl("organizations.jsonl"):
        key = entity_key("InternationalOrganization", row["name"])
        ambiguous = set(row.get("ambiguous_names", ()))
        surfaces = tuple(x for x in dict.fromkeys([row["name"], *row.get("acronyms", ()), *row.get("aliases", ())]) if x not in ambiguous)
        add(GazEntry(key, "InternationalOrganization", row["name"], row.get("en"), row.get("wikidata"), None, surfaces,
                     part_of=row.get("part_of"), stands_for_parent=bool(row.get("stands_for_parent"))))

    for row in load_jsonl("places.jsonl"):
        key = entity_key("Place", row["name"])
        surfaces = tuple(dict.fromkeys([row["name"], *row.get("aliases", ())]))
        add(GazEntry(key, "Place", row["name"], row.get("en"), row.get("wikidata"), countries.get(row.get("country", "")), surfaces,
                     ambiguous=frozenset(row.get("ambiguous_names", ()))))

    funcs = load_json("bodies_functions.json")
    body_functions = {name: fid for fid, names in funcs["functions"].items() for name in names}
    # Named bodies first: where a metonym ("Foggy Bottom") shares a body's key, the body's
    # own name ("Departamento de Estado") is the entry and the metonym only a surface form.
    body_rows = sorted(load_jsonl("bodies.jsonl"), key=lambda r: r.get("kind") == "metonym")
    for row in body_rows:
        country = countries.get(row.get("country", ""))
        function = row.get("function") or body_functions.get(row["name"].lower())
        key = body_key(row["name"], country, function)
        # Names flagged ambiguous ("Exteriores", "Santa Cruz") are not matched on their own.
        ambiguous = set(row.get("ambiguous_names", ()))
        surfaces = tuple(x for x in dict.fromkeys([row["name"], *row.get("aliases", ())]) if x not in ambiguous)
        if key in entries:
            for s in surfaces:
                by_surface.setdefault(s, key)
            continue
        add(GazEntry(key, "GovernmentBody", row["name"], row.get("en"), row.get("wikidata"), country, surfaces, function,
                     metonym=row.get("kind") == "metonym"))

    body_by_name = {r["name"]: body_key(r["name"], countries.get(r.get("country", "")),
                                        r.get("function") or body_functions.get(r["name"].lower()))
                    for r in body_rows}
    body_of_venue = {entity_key("Place", r["name"]): body_by_name[r["body"]]
                     for r in load_jsonl("places.jsonl") if r.get("body") in body_by_name}
    venue_of_body = {b: v for v, b in body_of_venue.items()}

    capitals = {c: entity_key("Place", name) for c, name in capital_names.items() if name and entity_key("Place", name) in entries}
    titles = tuple(
        Title(r["title"], tuple(dict.fromkeys([r["title"], *r.get("forms", ())])), r.get("en"), r.get("of", "any"),
              entity_key("Country", r["usual_of"]) if r.get("usual_of") else None)
        for r in load_jsonl("titles.jsonl")
    )
    title_by_form = {f.lower(): t for t in titles for f in t.forms}
    heads = tuple(r["head"] for r in load_jsonl("body_patterns.jsonl"))
    forms = tuple(f for r in load_jsonl("body_patterns.jsonl") for f in r.get("forms", [r["head"]]))
    return Gazetteer(
        entries=entries,
        by_surface=by_surface,
        demonyms=demonyms,
        ambiguous_demonyms=frozenset(ambiguous),
        country_by_name=country_by_name,
        capitals=capitals,
        titles=titles,
        title_by_form=title_by_form,
        body_functions=body_functions,
        function_labels=funcs.get("labels", {}),
        demonym_suffix_heads=frozenset(funcs["demonym_suffix_heads"]),
        body_heads=tuple(sorted(set(forms) | set(heads), key=len, reverse=True)),
        place_heads=tuple(sorted(load_json("places_heads.json")["heads"], key=len, reverse=True)),
        body_of_venue=body_of_venue,
        venue_of_body=venue_of_body,
    )


def body_key(name: str, country: str | None, function: str | None) -> str:
    """A body is its function (or name) within its state: body/foreign-ministry-peru."""
    base = function or slug(_strip_article(name))
    suffix = country.split("/", 1)[1] if country else ""
    return f"body/{base}-{suffix}" if suffix else f"body/{base}"


def entity_ruler_patterns() -> list[dict]:
    """Phrase patterns for spaCy's entity ruler, one per surface form (places also in capitals)."""
    gaz = load_gazetteer()
    labels = {v: k for k, v in RULER_LABELS.items()}
    patterns = []
    for entry in gaz.entries.values():
        label = labels[entry.type]
        for surface in entry.surfaces:
            patterns.append({"label": label, "pattern": surface, "id": entry.key})
            if entry.type == "Place" and surface.upper() != surface:
                patterns.append({"label": label, "pattern": surface.upper(), "id": entry.key})  # datelines
    return patterns


# A capitalised word, or an abbreviation with inner periods ("EE.UU.", "S.A."); a plain
# word never takes a trailing period, so a sentence end does not glue the next sentence on.
CAP_WORD = r"(?:[A-ZÁÉÍÓÚÑÜ]{1,3}\.(?:[A-ZÁÉÍÓÚÑÜ]{1,3}\.)+|[A-ZÁÉÍÓÚÑÜ][\w'’\-]*)"
_COUNTERPART_WORDS = ("homólogo", "homóloga", "homólogos", "homólogas", "par", "pares", "contraparte")


@cache
def title_pattern() -> re.Pattern:
    """A title of office and its capitalised complement, on one line:
    "secretario de Estado de Estados Unidos", "ministra de Europa y Asuntos Exteriores"."""
    gaz = load_gazetteer()
    forms = sorted({f for t in gaz.titles for f in t.forms} | set(_COUNTERPART_WORDS), key=len, reverse=True)
    conn = r"(?:de|del|de[ ]la|de[ ]los|de[ ]las|para|y|e)"
    cap_seq = rf"{CAP_WORD}(?:[ ]{CAP_WORD})*"
    # The optional comma list ("de Asuntos Exteriores, Unión Europea y Cooperación") is the
    # `tail` group: it may also be a list of names after the title, which callers check.
    comp = (
        rf"(?:[ ]{conn}[ ](?:la[ ]|el[ ]|los[ ]|las[ ])?{cap_seq}(?:[ ]{conn}[ ](?:la[ ]|el[ ])?{cap_seq})*)?"
        rf"(?P<tail>,[ ]{cap_seq}[ ](?:y|e)[ ]{cap_seq})?"
    )
    # Only the title words ignore case; the complement must stay capitalised.
    return re.compile(rf"\b(?P<form>(?i:{alternation(f.lower() for f in forms)}))\b(?P<comp>{comp})")


def counterpart_word(form: str) -> bool:
    return form.lower() in _COUNTERPART_WORDS
