"""A seeded synthetic corpus of Spanish diplomacy news, for the benchmarks.

    python bench/corpus.py 1000 --seed 1 -o corpus.jsonl      # id, title, published, text

`generate(n, seed)` yields `diplokg.model.Article`s; `generate_extractions(n, seed)` yields
the `diplokg.model.Extraction` that the same article *plans* (the entities, posts, events,
times and quantities its templates put in, with exact character offsets), which lets the
store benchmarks build stores of 10k-50k articles without running the NLP.

Countries (names, demonyms, capitals), cities, venues, international organizations,
government bodies and titles of office are drawn from the language pack's gazetteers
(`diplokg/lang/es/*.jsonl`); the persons are fictional, made from the small name lists below.
Every event class of the ontology has templates (Meeting, PhoneCall, Visit, Negotiation,
Agreement, AgreementSigning, Invitation, Statement, Criticism, Sanction,
RelationsDowngrade), in several sentence shapes: title before or after the name,
appositions, headlines, datelines and bylines, relative and absolute time expressions,
quantities, planned and occurred events. Articles have 150-400 words.

Deterministic: article i depends only on (seed, i), so the first 1,000 articles of a
10,000-article corpus are the 1,000-article corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from diplokg.lang import load_jsonl  # noqa: E402
from diplokg.model import Article, Entity, Event, Extraction, Mention, Position, Quantity, TimeExpr  # noqa: E402
from diplokg.rdf.iris import entity_key  # noqa: E402

# -- fictional persons -------------------------------------------------------------------

NAME_POOLS = {
    "hispanic": (
        ("Alberto", "Andrés", "Carlos", "Diego", "Eduardo", "Fernando", "Gonzalo", "Hernán", "Ignacio",
         "Javier", "Jorge", "Julián", "Luis", "Manuel", "Martín", "Nicolás", "Óscar", "Pablo", "Ramiro",
         "Raúl", "Ricardo", "Rodrigo", "Rubén", "Santiago", "Sergio", "Tomás", "Víctor"),
        ("Adriana", "Alejandra", "Ana", "Beatriz", "Carmen", "Carolina", "Claudia", "Daniela", "Elena",
         "Gabriela", "Inés", "Isabel", "Laura", "Lucía", "Marcela", "María", "Mariana", "Natalia",
         "Patricia", "Paula", "Rocío", "Silvia", "Sofía", "Valeria", "Verónica", "Ximena"),
        ("Aguirre", "Álvarez", "Arrieta", "Barrios", "Benavides", "Cabrera", "Campos", "Cárdenas",
         "Castañeda", "Cisneros", "Correa", "Delgado", "Echeverría", "Escobar", "Figueroa", "Fuentes",
         "Gallardo", "Garrido", "Ibarra", "Insfrán", "Lacayo", "Landa", "Maldonado", "Medina", "Montero",
         "Núñez", "Ocampo", "Orellana", "Pacheco", "Peralta", "Quiroga", "Rivadeneira", "Salazar",
         "Santamaría", "Sepúlveda", "Solís", "Tapia", "Urrutia", "Valdivia", "Villalobos", "Zamora"),
    ),
    "lusophone": (
        ("João", "Rodrigo", "Paulo", "Tiago", "Henrique", "Marcelo", "Renato", "Vinícius"),
        ("Beatriz", "Fernanda", "Juliana", "Luana", "Marta", "Renata", "Tatiana", "Vitória"),
        ("Albuquerque", "Barbosa", "Cavalcanti", "Couto", "Ferraz", "Nóbrega", "Moreira", "Vasconcelos"),
    ),
    "anglo": (
        ("Daniel", "Edward", "George", "James", "Michael", "Richard", "Robert", "Thomas"),
        ("Emily", "Helen", "Jennifer", "Karen", "Margaret", "Rachel", "Sarah", "Susan"),
        ("Ashcombe", "Bradley", "Carter", "Donovan", "Fletcher", "Kessler", "Morrison", "Whitaker"),
    ),
    "european": (
        ("Claude", "François", "Jean-Luc", "Klaus", "Matthias", "Pierre", "Stefan", "Wolfgang"),
        ("Anne", "Brigitte", "Claire", "Ingrid", "Isabelle", "Katrin", "Monique", "Sabine"),
        ("Bauer", "Dumoulin", "Fontaine", "Girard", "Hartmann", "Lefèvre", "Richter", "Vogel"),
    ),
    "slavic": (
        ("Alexéi", "Dmitri", "Ígor", "Mijaíl", "Serguéi", "Vadim"),
        ("Irina", "Ludmila", "Natalia", "Olga", "Svetlana", "Tatiana"),
        ("Bondarenko", "Kovalenko", "Morózov", "Petrov", "Sokolov", "Volkov"),
    ),
    "arabic": (
        ("Ahmed", "Faisal", "Hassan", "Karim", "Omar", "Yusuf"),
        ("Amira", "Fátima", "Layla", "Nadia", "Samira", "Yasmin"),
        ("Al Haddad", "Benali", "El Amrani", "Haddad", "Mansour", "Nasser"),
    ),
    "east_asian": (
        ("Ji-hoon", "Dong-hoon", "Wei", "Hiroshi", "Takeshi", "Jun"),
        ("Ji-yeon", "Mei", "Yuki", "Hana", "Min-ji", "Lin"),
        ("Park", "Lee", "Wang", "Zhang", "Tanaka", "Sato"),
    ),
}
POOL_OF_COUNTRY = {
    "Brasil": "lusophone", "Portugal": "lusophone", "Angola": "lusophone", "Mozambique": "lusophone",
    "Estados Unidos": "anglo", "Reino Unido": "anglo", "Canadá": "anglo", "Australia": "anglo", "Irlanda": "anglo",
    "Nueva Zelanda": "anglo", "Francia": "european", "Alemania": "european", "Bélgica": "european",
    "Países Bajos": "european", "Suiza": "european", "Austria": "european", "Italia": "european",
    "Rusia": "slavic", "Ucrania": "slavic", "Polonia": "slavic", "Bielorrusia": "slavic", "Serbia": "slavic",
    "Marruecos": "arabic", "Egipto": "arabic", "Arabia Saudita": "arabic", "Emiratos Árabes Unidos": "arabic",
    "Catar": "arabic", "Argelia": "arabic", "Jordania": "arabic", "Líbano": "arabic", "Túnez": "arabic",
    "China": "east_asian", "Japón": "east_asian", "Corea del Sur": "east_asian", "Vietnam": "east_asian",
}
LATAM = ("Argentina", "Bolivia", "Brasil", "Chile", "Colombia", "Costa Rica", "Cuba", "Ecuador", "El Salvador",
         "Guatemala", "Honduras", "México", "Nicaragua", "Panamá", "Paraguay", "Perú", "República Dominicana",
         "Uruguay", "Venezuela", "España")
MAJOR = ("Estados Unidos", "China", "Rusia", "Francia", "Alemania", "Reino Unido", "Japón", "India", "Canadá",
         "Corea del Sur", "Italia", "Portugal", "Marruecos", "Ucrania", "Turquía", "Arabia Saudita")
AGENCIES = ("EFE", "Andina", "AFP", "Europa Press", "Reuters", "Prensa Latina", "ANSA", "Xinhua")

# Topic phrases (they carry the trigger terms of ontology/topics.ttl).
TOPIC_PHRASES = (
    "la lucha contra el narcotráfico", "la seguridad regional", "el comercio bilateral", "las inversiones",
    "la migración irregular", "la transición energética", "el cambio climático", "la cooperación en salud",
    "la cooperación en defensa", "los derechos humanos", "los proyectos de infraestructura",
    "el desarrollo de minerales críticos", "la cooperación tecnológica", "el proceso electoral",
    "el turismo", "la educación superior", "la pesca sostenible", "la ayuda humanitaria",
    "el crimen organizado transnacional", "la cooperación aeroespacial", "la agricultura familiar",
    "la protección del medio ambiente", "la seguridad fronteriza", "la lucha contra el terrorismo",
)
AGREEMENT_OBJECTS = (
    "crear un grupo de trabajo técnico", "establecer un mecanismo permanente de consultas políticas",
    "profundizar el diálogo bilateral", "reactivar la comisión mixta de cooperación",
    "elaborar una hoja de ruta conjunta", "ampliar los vuelos directos entre ambas capitales",
    "intercambiar información de inteligencia financiera",
)
INSTRUMENTS = (
    ("un memorando de entendimiento", "memorando"), ("un acuerdo de cooperación", "acuerdo"),
    ("un convenio marco", "convenio"), ("un tratado de extradición", "tratado"),
    ("una declaración conjunta", "declaración"), ("un protocolo adicional", "protocolo"),
)
UNITS = {  # kind -> (text, low, high, unit, feminine)
    "money": (("millones de dólares", 1, 9000, "millones de dólares", False),
              ("millones de euros", 1, 900, "millones de euros", False)),
    "people": (("empresarios", 12, 300, "empresarios", False), ("funcionarios", 5, 80, "funcionarios", False),
               ("representantes de empresas", 10, 200, "representantes de empresas", False)),
    "other": (("toneladas de ayuda humanitaria", 50, 5000, "toneladas de ayuda humanitaria", True),
              ("migrantes", 1000, 90000, "migrantes", False), ("empresas", 12, 600, "empresas", True),
              ("agentes", 20, 2000, "agentes", False), ("becas", 20, 500, "becas", True),
              ("mesas de votación", 100, 6000, "mesas de votación", True)),
}
QUALIFIERS = (("", "exact"), ("más de ", "more-than"), ("unos ", "about"), ("cerca de ", "about"),
              ("menos de ", "less-than"), ("alrededor de ", "about"))
QUOTES = (
    "Nuestra relación atraviesa su mejor momento", "La cooperación es el único camino frente a las amenazas comunes",
    "No vamos a aceptar presiones de ningún tipo", "Este acuerdo abre una nueva etapa para nuestros pueblos",
    "La región necesita más diálogo y menos confrontación", "Hemos dado un paso histórico",
    "El multilateralismo sigue siendo indispensable", "Seguiremos trabajando juntos por la estabilidad regional",
)
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")
MONTH_ABBR = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_LOWER_IN_TITLES = {"de", "del", "la", "las", "los", "y", "e", "diplomacia", "negocios", "adjunto", "adjunta",
                    "especial", "electo", "electa", "consejero", "consejera", "general"}


# -- gazetteer-derived resources -----------------------------------------------------------


@dataclass(frozen=True)
class Country:
    key: str
    name: str
    en: str | None
    wikidata: str | None
    demonyms: tuple[str, str, str, str]  # m, f, m pl, f pl
    capital: str | None  # place name (a gazetteer place) or None


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    en: str | None
    wikidata: str | None
    country: str  # country name
    venue: bool


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    en: str | None
    wikidata: str | None
    acronym: str | None
    feminine: bool


@dataclass(frozen=True)
class Title:
    norm: str  # the gazetteer's title (lower case)
    masc: str  # as news writes it: "ministro de Relaciones Exteriores"
    fem: str | None
    of: str  # Country | InternationalOrganization
    weight: float


@dataclass(frozen=True)
class Resources:
    countries: tuple[Country, ...]
    country_weights: tuple[float, ...]
    by_name: dict[str, Country]
    places_in: dict[str, tuple[Place, ...]]  # country name -> cities
    venues_in: dict[str, tuple[Place, ...]]
    orgs: tuple[Org, ...]
    org_weights: tuple[float, ...]
    titles: tuple[Title, ...]
    io_titles: tuple[Title, ...]


def _news_case(title: str) -> str:
    """'ministro de relaciones exteriores' -> 'ministro de Relaciones Exteriores'."""
    words = title.split()
    out = [words[0]]
    after_de = False
    for w in words[1:]:
        after_de = after_de or w in ("de", "del")
        out.append(w if (not after_de or w in _LOWER_IN_TITLES) else w[:1].upper() + w[1:])
    return " ".join(out)


@cache
def resources() -> Resources:
    places_rows = load_jsonl("places.jsonl")
    place_names = {r["name"] for r in places_rows}
    countries = []
    for r in load_jsonl("countries.jsonl"):
        d = tuple(r.get("demonyms", ()))
        if r.get("status") != "un_member" or len(d) < 4:
            continue
        cap = r.get("capital") if r.get("capital") in place_names else None
        countries.append(Country(entity_key("Country", r["name"]), r["name"], r.get("en"), r.get("wikidata"),
                                 (d[0], d[1], d[2], d[3]), cap))
    weights = tuple(6.0 if c.name in LATAM else 4.0 if c.name in MAJOR else 0.4 for c in countries)
    places_in: dict[str, list[Place]] = {}
    venues_in: dict[str, list[Place]] = {}
    for r in places_rows:
        if r.get("kind") not in ("city", "venue") or not r.get("country"):
            continue
        p = Place(entity_key("Place", r["name"]), r["name"], r.get("en"), r.get("wikidata"), r["country"],
                  r["kind"] == "venue")
        (venues_in if p.venue else places_in).setdefault(p.country, []).append(p)
    orgs = []
    for r in load_jsonl("organizations.jsonl"):
        acr = next((a for a in r.get("acronyms", ()) if a.isupper() and len(a) <= 6), None)
        first = r["name"].split()[0]
        fem = first.endswith(("ión", "a", "dad")) and first not in ("Sistema", "Programa", "Clima")
        orgs.append(Org(entity_key("InternationalOrganization", r["name"]), r["name"], r.get("en"),
                        r.get("wikidata"), acr, fem))
    org_weights = tuple(5.0 if o.acronym in ("ONU", "OEA", "UE", "OTAN", "CELAC", "MERCOSUR", "CAN", "OMC", "FMI",
                                              "BID", "CEPAL", "ASEAN", "UNASUR", "SICA", "OMS") else 1.0 for o in orgs)
    rank_weight = {"minister": 4.0, "head_of_state": 3.0, "head_of_government": 1.0, "deputy_minister": 1.5,
                   "diplomat": 1.5, "deputy_head_of_state": 0.7, "official": 0.5, "envoy": 0.5, "legislator": 0.4,
                   "io_official": 1.0}
    titles, io_titles = [], []
    for r in load_jsonl("titles.jsonl"):
        rank, of = r.get("rank"), r.get("of", "any")
        if rank not in rank_weight or r["title"] in ("papa", "premier", "mandatario", "ministro", "ministro consejero",
                                                      "representante permanente", "jefe de la diplomacia"):
            continue
        fem = r.get("feminine")
        t = Title(r["title"], _news_case(r["title"]), _news_case(fem) if fem else None,
                  "InternationalOrganization" if of == "InternationalOrganization" else "Country",
                  rank_weight[rank] * (3 if r["title"] in ("canciller", "ministro de relaciones exteriores", "presidente") else 1))
        (io_titles if t.of == "InternationalOrganization" else titles).append(t)
    return Resources(tuple(countries), weights, {c.name: c for c in countries},
                     {k: tuple(v) for k, v in places_in.items()}, {k: tuple(v) for k, v in venues_in.items()},
                     tuple(orgs), org_weights, tuple(titles), tuple(io_titles))


# -- the text under construction, with offsets -----------------------------------------------


@dataclass
class Person:
    key: str
    name: str
    short: str
    female: bool
    title: Title
    of_key: str  # country or org key
    of_phrase: list  # segments naming whose post it is: "de Perú" / "de la OEA"
    adj: str | None  # demonym agreeing with the person ("peruano"), None for org officials
    introduced: bool = False


@dataclass
class Ent:
    """A piece of text that mentions an entity."""

    text: str
    key: str


@dataclass
class Mark:
    """A zero-width marker in a sentence: opens or closes a tagged span."""

    tag: str
    payload: object = None
    close: bool = False


@dataclass
class _Plan:
    text_parts: list[str] = field(default_factory=list)
    pos: int = 0
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    positions: list[Position] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)


@dataclass(frozen=True)
class EventSpec:
    type: str
    status: str
    actors: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    location: str | None = None
    destination: str | None = None


class Writer:
    """Builds an article's text sentence by sentence and remembers what it planted where."""

    def __init__(self) -> None:
        self.plan = _Plan()
        self.entities: dict[str, tuple[str, str, str | None, str | None]] = {}  # key -> type, label, en, wd
        self.words = 0

    def declare(self, key: str, etype: str, label: str, en: str | None = None, wikidata: str | None = None) -> None:
        self.entities.setdefault(key, (etype, label, en, wikidata))

    def emit(self, text: str) -> None:
        self.plan.text_parts.append(text)
        self.plan.pos += len(text)

    def sentence(self, items: list, event: EventSpec | None = None, capitalize: bool = True) -> None:
        """Write one sentence (items: str | Ent | Mark), capitalised, after a space when the
        text does not end a line; `event` is what the sentence reports (evidence = the sentence)."""
        parts = self.plan.text_parts
        if parts and not parts[-1].endswith(("\n", " ")):
            self.emit(" ")
        flat = _tidy(list(_flatten(items)))
        for i, x in enumerate(flat if capitalize else ()):  # capitalise the first letter
            if isinstance(x, Mark):
                continue
            if isinstance(x, str):
                k = next((j for j, ch in enumerate(x) if ch.isalpha() or ch == '"' or ch == "«"), None)
                if k is not None:
                    flat[i] = x[:k] + x[k].upper() + x[k + 1:]
            else:
                flat[i] = Ent(x.text[:1].upper() + x.text[1:], x.key)
            break
        start = self.plan.pos
        open_marks: dict[str, tuple[int, object]] = {}
        time: TimeExpr | None = None
        for x in flat:
            if isinstance(x, Mark):
                if not x.close:
                    open_marks[x.tag] = (self.plan.pos, x.payload)
                    continue
                s, payload = open_marks.pop(x.tag)
                self._close(x.tag, s, payload)
                if x.tag == "time":
                    time = self._last_time
                continue
            if isinstance(x, Ent):
                self.plan.mentions.setdefault(x.key, []).append(Mention(self.plan.pos, self.plan.pos + len(x.text), x.text))
                self.emit(x.text)
            else:
                self.emit(x)
            self.words += len(str(x.text if isinstance(x, Ent) else x).split())
        end = self.plan.pos
        if event is not None:
            text = self._slice(start, end)
            from diplokg.extract.topics import topics_in

            participants = tuple(dict.fromkeys((*event.actors, *event.counterparts, *event.others)))
            self.plan.events.append(Event(event.type, participants, event.status, Mention(start, end, text),
                                          event.actors, event.counterparts, event.location, event.destination,
                                          time, tuple(topics_in(text))))

    _last_time: TimeExpr | None = None

    def _slice(self, start: int, end: int) -> str:
        return "".join(self.plan.text_parts)[start:end]

    def _close(self, tag: str, start: int, payload) -> None:
        end = self.plan.pos
        text = self._slice(start, end)
        if tag == "time":
            value, precision = payload
            self._last_time = TimeExpr(text, start, end, value, precision)
        elif tag.startswith("pos"):
            holder, title, of = payload
            self.plan.positions.append(Position(holder, title, of, Mention(start, end, text)))
        elif tag == "qty":
            value, unit, qualifier = payload
            self.plan.quantities.append(Quantity(value, unit, qualifier, Mention(start, end, text)))

    def text(self) -> str:
        return "".join(self.plan.text_parts)


_CONTRACT = re.compile(r"\b([Dd]e|[Aa]) el ")
_SPACES = re.compile(r" {2,}")


def _tidy(items: list) -> list:
    """Adjacent strings merged, "de el"/"a el" contracted, doubled spaces (from an empty time
    expression) collapsed."""
    out: list = []
    for x in items:
        if isinstance(x, str):
            if not x:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += x
                continue
        out.append(x)
    for i, x in enumerate(out):
        if isinstance(x, str):
            x = _CONTRACT.sub(lambda m: ("Del " if m.group(1) == "De" else "del ") if m.group(1) in ("de", "De")
                              else ("Al " if m.group(1) == "A" else "al "), x)
            out[i] = _SPACES.sub(" ", x).replace(" ,", ",").replace(" .", ".")
    return out


def _flatten(items):
    for x in items:
        if isinstance(x, (list, tuple)):
            yield from _flatten(x)
        else:
            yield x


# -- one article ---------------------------------------------------------------------------


class ArticleMaker:
    def __init__(self, seed: int, i: int) -> None:
        self.rng = random.Random(f"diplokg-bench:{seed}:{i}")
        self.res = resources()
        self.i = i
        self.seed = seed
        rng = self.rng
        self.published = date(2024, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        self.w = Writer()
        self.people: list[Person] = []
        self.fillers: list[int] = []

    # -- entities ------------------------------------------------------------------------

    def country(self, exclude=()) -> Country:
        while True:
            c = self.rng.choices(self.res.countries, self.res.country_weights)[0]
            if c not in exclude:
                return c

    def org(self) -> Org:
        return self.rng.choices(self.res.orgs, self.res.org_weights)[0]

    def c_ent(self, c: Country) -> Ent:
        self.w.declare(c.key, "Country", c.name, c.en, c.wikidata)
        return Ent(c.name, c.key)

    def org_ref(self, o: Org, long: bool | None = None) -> list:
        self.w.declare(o.key, "InternationalOrganization", o.name, o.en, o.wikidata)
        art = "la " if o.feminine else "el "
        if o.acronym and (long is False or (long is None and self.rng.random() < 0.5)):
            return [art, Ent(o.acronym, o.key)]
        if o.acronym and self.rng.random() < 0.5:
            return [art, Ent(o.name, o.key), " (", Ent(o.acronym, o.key), ")"]
        return [art, Ent(o.name, o.key)]

    def city(self, c: Country, venue_ok: bool = True) -> Place | None:
        if venue_ok and c.name in self.res.venues_in and self.rng.random() < 0.2:
            return self.rng.choice(self.res.venues_in[c.name])
        if c.capital and self.rng.random() < 0.75:
            capital = next((p for p in self.res.places_in.get(c.name, ()) if p.name == c.capital), None)
            if capital:
                return capital
        if c.name in self.res.places_in:
            return self.rng.choice(self.res.places_in[c.name])
        return None

    def p_ent(self, p: Place, upper: bool = False) -> Ent:
        self.w.declare(p.key, "Place", p.name, p.en, p.wikidata)
        return Ent(p.name.upper() if upper else p.name, p.key)

    def person(self, c: Country | None = None, org: Org | None = None) -> Person:
        rng = self.rng
        if org is None and c is None:
            c = self.country()
        pool = NAME_POOLS[POOL_OF_COUNTRY.get(c.name, "hispanic") if c else rng.choice(list(NAME_POOLS))]
        titles = self.res.io_titles if org else self.res.titles
        title = rng.choices(titles, [t.weight for t in titles])[0]
        female = title.fem is not None and rng.random() < 0.4
        given = rng.choice(pool[1] if female else pool[0])
        fam = rng.choice(pool[2])
        shape = rng.random()
        if pool is NAME_POOLS["east_asian"]:
            name, short = f"{fam} {given}", fam
        elif shape < 0.45 and pool is NAME_POOLS["hispanic"]:
            fam2 = rng.choice(pool[2])
            name, short = f"{given} {fam} {fam2}", fam
        elif shape < 0.6:
            given2 = rng.choice(pool[1] if female else pool[0])
            name, short = (f"{given} {given2} {fam}", fam) if given2 != given else (f"{given} {fam}", fam)
        else:
            name, short = f"{given} {fam}", fam
        key = entity_key("Person", name)
        if org:
            of_key, of_phrase, adj = org.key, ["de ", self.org_ref(org)], None
        else:
            of_key, of_phrase = c.key, ["de ", self.c_ent(c)]
            adj = c.demonyms[1] if female else c.demonyms[0]
        p = Person(key, name, short, female, title, of_key, of_phrase, adj)
        self.w.declare(key, "Person", name)
        self.people.append(p)
        return p

    def title_of(self, p: Person) -> str:
        return p.title.fem if p.female and p.title.fem else p.title.masc

    def ref(self, p: Person, slot: str = "s") -> list:
        """A reference to `p`: the first one introduces name and post, later ones are short.
        slot "s": followed by a verb (appositions with commas allowed); "o": anywhere."""
        rng = self.rng
        art = "la " if p.female else "el "
        if not p.introduced:
            p.introduced = True
            t = self.title_of(p)
            pos_payload = (p.key, p.title.norm, p.of_key)
            shape = rng.random()
            name = Ent(p.name, p.key)
            if slot == "s" and shape < 0.4:  # el canciller de Perú, Hugo de Zela,
                return [art, Mark("pos", pos_payload), t, " ", p.of_phrase, ", ", name, Mark("pos", close=True), ","]
            if slot == "s" and shape < 0.55:  # Hugo de Zela, canciller de Perú,
                return [Mark("pos", pos_payload), name, ", ", t, " ", p.of_phrase, Mark("pos", close=True), ","]
            if p.adj and shape < 0.8:  # el canciller peruano Hugo de Zela
                return [art, Mark("pos", pos_payload), t, " ", p.adj, " ", name, Mark("pos", close=True)]
            return [art, Mark("pos", pos_payload), t, " ", p.of_phrase, ", ", name, Mark("pos", close=True),
                    "," if slot == "s" else ""]
        shape = rng.random()
        if shape < 0.6:
            return [Ent(p.short, p.key)]
        if shape < 0.8:
            return [Ent(p.name, p.key)]
        return [art, self.title_of(p), " ", Ent(p.short, p.key)]

    # -- time expressions ------------------------------------------------------------------

    def when_past(self) -> list:
        rng, pub = self.rng, self.published
        k = rng.random()
        if k < 0.45:
            d = pub - timedelta(days=rng.randrange(0, 5))
            words = f"este {WEEKDAYS[d.weekday()]}" if d != pub or rng.random() < 0.5 else "hoy"
            return [Mark("time", (d.isoformat(), "day")), words, Mark("time", close=True)]
        if k < 0.6:
            d = pub - timedelta(days=1)
            return [Mark("time", (d.isoformat(), "day")), "ayer", Mark("time", close=True)]
        if k < 0.8:
            d = pub - timedelta(days=rng.randrange(1, 20))
            return [Mark("time", (d.isoformat(), "day")), f"el {d.day} de {MONTHS[d.month - 1]}", Mark("time", close=True)]
        if k < 0.9:
            d = pub - timedelta(days=rng.randrange(30, 200))
            return [Mark("time", (f"{d.year}-{d.month:02d}", "month")), f"en {MONTHS[d.month - 1]} pasado",
                    Mark("time", close=True)]
        return []

    def when_future(self) -> list:
        rng, pub = self.rng, self.published
        k = rng.random()
        if k < 0.25:
            d = pub + timedelta(days=7 - pub.weekday() + rng.randrange(0, 5))
            return [Mark("time", (d.isoformat(), "day")), f"el próximo {WEEKDAYS[d.weekday()]}", Mark("time", close=True)]
        if k < 0.45:
            d = pub + timedelta(days=rng.randrange(3, 60))
            return [Mark("time", (d.isoformat(), "day")), f"el {d.day} de {MONTHS[d.month - 1]}", Mark("time", close=True)]
        if k < 0.6:
            return [Mark("time", (None, None)), "la próxima semana", Mark("time", close=True)]
        if k < 0.75:
            d = pub + timedelta(days=rng.randrange(20, 120))
            part = rng.choice(("a principios de", "a mediados de", "a fines de", "en"))
            return [Mark("time", (f"{d.year}-{d.month:02d}", "month")), f"{part} {MONTHS[d.month - 1]}", Mark("time", close=True)]
        if k < 0.85:
            y = pub.year + 1
            return [Mark("time", (str(y), "year")), f"en {y}", Mark("time", close=True)]
        return []

    def quantity(self, kind: str = "other") -> list:
        rng = self.rng
        unit, lo, hi, unit_norm, fem = rng.choice(UNITS[kind])
        prefix, qual = rng.choice(QUALIFIERS)
        if fem and prefix == "unos ":
            prefix = "unas "
        n = rng.randrange(lo, hi)
        if n >= 100:
            n = round(n, -1)
        if unit.startswith("millones") and rng.random() < 0.3 and n > 1000:
            text = f"{n / 1000:.1f}".replace(".", ",") + " mil " + unit
            value = Decimal(f"{n / 1000:.1f}") * 1000 * 1_000_000
        else:
            text = f"{n:,}".replace(",", ".") + " " + unit
            value = Decimal(n) * (1_000_000 if unit.startswith("millones") else 1)
        return [Mark("qty", (value, unit_norm, qual)), prefix, text, Mark("qty", close=True)]

    # -- event sentences -------------------------------------------------------------------

    def topic(self) -> str:
        return self.rng.choice(TOPIC_PHRASES)

    def topics(self) -> str:
        a, b = self.rng.sample(TOPIC_PHRASES, 2)
        return f"{a} y {b}"

    def event(self, etype: str, a: Person, b: Person, ca: Country, cb: Country) -> None:
        getattr(self, f"ev_{etype}")(a, b, ca, cb)

    def _place_phrase(self, c: Country) -> tuple[list, str | None]:
        p = self.city(c)
        if p is None:
            return ["en ", self.c_ent(c)], c.key
        return ["en ", "el " if p.name.startswith("Palacio") else "", self.p_ent(p)], p.key

    def ev_Meeting(self, a, b, ca, cb):
        rng, w = self.rng, self.w
        planned = rng.random() < 0.25
        where, loc = self._place_phrase(rng.choice((ca, cb)))
        if planned:
            when = self.when_future()
            shape = rng.choice((0, 1))
            if shape == 0:
                items = [self.ref(a), " se reunirá ", when, " ", where, " con ", self.ref(b, "o"),
                         " para abordar ", self.topics(), "."]
            else:
                items = [self.ref(a), " y ", self.ref(b), " sostendrán ", when, " una reunión bilateral ", where,
                         ", según informó la Cancillería."]
            w.sentence(items, EventSpec("Meeting", "planned", (a.key,), (b.key,), location=loc))
            return
        when = self.when_past()
        shape = rng.randrange(4)
        if shape == 0:
            items = [self.ref(a), " sostuvo ", when, " una reunión ", where, " con ", self.ref(b, "o"),
                     ", con el objetivo de reforzar ", self.topic(), "."]
        elif shape == 1:
            items = [self.ref(a), " se reunió ", when, " ", where, " con ", self.ref(b, "o"), ", con quien repasó ",
                     self.topics(), "."]
        elif shape == 2:
            items = [self.ref(a), " y ", self.ref(b), " mantuvieron ", when, " un encuentro bilateral ", where,
                     ", en el que coincidieron en la necesidad de fortalecer ", self.topic(), "."]
        else:
            items = [self.ref(a), " recibió ", when, " a ", self.ref(b, "o"), " ", where, ", donde ambos analizaron ",
                     self.topics(), "."]
            w.sentence(items, EventSpec("Meeting", "occurred", (b.key,), (a.key,), location=loc))
            return
        w.sentence(items, EventSpec("Meeting", "occurred", (a.key,), (b.key,), location=loc))

    def ev_PhoneCall(self, a, b, ca, cb):
        rng = self.rng
        when = self.when_past()
        shape = rng.randrange(3)
        if shape == 0:
            items = [self.ref(a), " sostuvo ", when, " una conversación telefónica con ", self.ref(b, "o"),
                     ", en la que ambos abordaron ", self.topics(), "."]
        elif shape == 1:
            items = [self.ref(a), " habló por teléfono ", when, " con ", self.ref(b, "o"), " sobre ", self.topic(), "."]
        else:
            items = [self.ref(a), " y ", self.ref(b), " mantuvieron ", when, " una videollamada para revisar ",
                     self.topic(), "."]
        self.w.sentence(items, EventSpec("PhoneCall", "occurred", (a.key,), (b.key,)))

    def ev_Visit(self, a, b, ca, cb):
        rng = self.rng
        p = self.city(cb, venue_ok=False)
        dest_ent = self.p_ent(p) if p else self.c_ent(cb)
        dest = p.key if p else cb.key
        days = rng.choice(("dos", "tres", "cuatro", "cinco"))
        if rng.random() < 0.45:
            when = self.when_future()
            shape = rng.randrange(3)
            if shape == 0:
                items = [self.ref(a), " visitará ", dest_ent, " ", when, ", según anunció la Cancillería de ",
                         self.c_ent(ca), "."]
            elif shape == 1:
                items = [self.ref(a), " viajará ", when, " a ", dest_ent, ", donde será recibido por ", self.ref(b, "o"), "."]
            else:
                items = [self.ref(a), " partirá ", when, " rumbo a ", dest_ent, " para iniciar una visita oficial de ",
                         days, " días."]
            self.w.sentence(items, EventSpec("Visit", "planned", (a.key,), (), destination=dest))
            return
        when = self.when_past()
        shape = rng.randrange(3)
        if shape == 0:
            items = [self.ref(a), " llegó ", when, " a ", dest_ent, " para iniciar una visita oficial de ", days,
                     " días, la primera de un ", a.title.masc, " ", ca.demonyms[0], " en una década."]
        elif shape == 1:
            items = [self.ref(a), " realizó ", when, " una visita oficial a ", dest_ent, ", donde se reunió con ",
                     self.ref(b, "o"), "."]
        else:
            items = [self.ref(a), " visitó ", when, " ", dest_ent, " al frente de una delegación de ",
                     self.quantity("people"), "."]
        self.w.sentence(items, EventSpec("Visit", "occurred", (a.key,), (), destination=dest))

    def ev_Negotiation(self, a, b, ca, cb):
        rng = self.rng
        where, loc = self._place_phrase(rng.choice((ca, cb)))
        if rng.random() < 0.5:
            items = ["Las delegaciones de ", self.c_ent(ca), " y ", self.c_ent(cb), " iniciaron ", self.when_past(), " ",
                     where, " una nueva ronda de negociaciones sobre ", self.topic(), "."]
            self.w.sentence(items, EventSpec("Negotiation", "occurred", (), (), (ca.key, cb.key), location=loc))
        else:
            items = [self.ref(a), " y ", self.ref(b), " negociaron ", self.when_past(), " los términos de ",
                     rng.choice(INSTRUMENTS)[0], " sobre ", self.topic(), "."]
            self.w.sentence(items, EventSpec("Negotiation", "occurred", (), (), (a.key, b.key)))

    def ev_Agreement(self, a, b, ca, cb):
        rng = self.rng
        obj = rng.choice(AGREEMENT_OBJECTS)
        shape = rng.randrange(3)
        if shape == 0:
            items = [self.ref(a), " y ", self.ref(b), " acordaron ", self.when_past(), " ", obj, " en materia de ",
                     self.topic().split(" ", 1)[1], "."]
            spec = EventSpec("Agreement", "occurred", (), (), (a.key, b.key))
        elif shape == 1:
            items = ["Ambos gobiernos, ", self.c_ent(ca), " y ", self.c_ent(cb), ", pactaron ", obj, "."]
            spec = EventSpec("Agreement", "occurred", (), (), (ca.key, cb.key))
        else:
            items = ["Los cancilleres de ", self.c_ent(ca), " y ", self.c_ent(cb), " aprobaron ", self.when_past(),
                     " una hoja de ruta sobre ", self.topics(), "."]
            spec = EventSpec("Agreement", "occurred", (), (), (ca.key, cb.key))
        self.w.sentence(items, spec)

    def ev_AgreementSigning(self, a, b, ca, cb):
        rng = self.rng
        instrument = rng.choice(INSTRUMENTS)[0]
        if rng.random() < 0.3:
            items = [self.ref(a), " y ", self.ref(b), " firmarán ", self.when_future(), " ", instrument, " sobre ",
                     self.topic(), "."]
            self.w.sentence(items, EventSpec("AgreementSigning", "planned", (), (), (a.key, b.key)))
            return
        shape = rng.randrange(3)
        if shape == 0:
            items = [self.ref(a), " y ", self.ref(b), " firmaron ", self.when_past(), " ", instrument,
                     " sobre ", self.topic(), "."]
        elif shape == 1:
            items = [self.ref(a), " suscribió con ", self.ref(b, "o"), " ", instrument, " en materia de ",
                     self.topic().split(" ", 1)[1], "."]
        else:
            items = ["Al término del encuentro, ", self.ref(a), " y ", self.ref(b), " rubricaron ", instrument,
                     " que prevé inversiones por ", self.quantity("money"), "."]
        self.w.sentence(items, EventSpec("AgreementSigning", "occurred", (), (), (a.key, b.key)))

    def ev_Invitation(self, a, b, ca, cb):
        rng = self.rng
        if rng.random() < 0.5:
            items = [self.ref(a), " invitó a ", self.ref(b, "o"), " a visitar ", self.c_ent(ca), " ", self.when_future(), "."]
        else:
            items = [self.ref(a), " extendió una invitación a ", self.ref(b, "o"), " para participar en la cumbre de ",
                     self.org_ref(self.org(), long=False), ", que ", self.c_ent(ca), " acogerá ", self.when_future(), "."]
        self.w.sentence(items, EventSpec("Invitation", "occurred", (a.key,), (b.key,)))

    def ev_Statement(self, a, b, ca, cb):
        rng = self.rng
        shape = rng.randrange(3)
        if shape == 0:
            items = [self.ref(a), " anunció ", self.when_past(), " que ", self.c_ent(ca), " destinará ", self.quantity("money"),
                     " a ", self.topic(), "."]
            spec = EventSpec("Statement", "occurred", (a.key,))
        elif shape == 1:
            items = [self.ref(a), " expresó su respaldo a ", self.ref(b, "o"), " en ", self.topic(), "."]
            spec = EventSpec("Statement", "occurred", (a.key,), (b.key,))
        else:
            items = [self.ref(a), " instó ", self.when_past(), " a ", self.c_ent(cb), " a respetar ", self.topic(), "."]
            spec = EventSpec("Statement", "occurred", (a.key,), (cb.key,))
        self.w.sentence(items, spec)

    def ev_Criticism(self, a, b, ca, cb):
        rng = self.rng
        shape = rng.randrange(3)
        if shape == 0:
            items = ["El Gobierno de ", self.c_ent(ca), " condenó ", self.when_past(), " las declaraciones de ",
                     self.ref(b, "o"), " sobre ", self.topic(), "."]
            spec = EventSpec("Criticism", "occurred", (ca.key,), (b.key,))
        elif shape == 1:
            items = [self.ref(a), " criticó a ", self.c_ent(cb), " por su postura sobre ", self.topic(), "."]
            spec = EventSpec("Criticism", "occurred", (a.key,), (cb.key,))
        else:
            items = [self.ref(a), " rechazó \"de manera categórica\" las acusaciones de ", self.c_ent(cb),
                     ", a las que calificó de \"injerencistas\"."]
            spec = EventSpec("Criticism", "occurred", (a.key,), (cb.key,))
        self.w.sentence(items, spec)

    def ev_Sanction(self, a, b, ca, cb):
        rng = self.rng
        n = rng.choice(("dos", "tres", "cuatro", "seis", "ocho"))
        if rng.random() < 0.5:
            items = [self.c_ent(ca), " impuso ", self.when_past(), " sanciones contra ", n, " altos funcionarios ",
                     cb.demonyms[2], ", entre ellos ", self.ref(b, "o"), "."]
            spec = EventSpec("Sanction", "occurred", (ca.key,), (b.key,))
        else:
            items = ["El Departamento del Tesoro sancionó ", self.when_past(), " a ", self.ref(b, "o"),
                     " por su papel en la represión de opositores."]
            spec = EventSpec("Sanction", "occurred", (), (b.key,))
        self.w.sentence(items, spec)

    def ev_RelationsDowngrade(self, a, b, ca, cb):
        rng = self.rng
        shape = rng.randrange(4)
        if shape == 0:
            items = [self.c_ent(ca), " llamó a consultas ", self.when_past(), " a su embajador en ", self.c_ent(cb), "."]
        elif shape == 1:
            items = ["El Gobierno de ", self.c_ent(ca), " expulsó ", self.when_past(), " a ",
                     rng.choice(("dos", "tres", "cinco")), " diplomáticos ", cb.demonyms[2], "."]
        elif shape == 2:
            items = [self.c_ent(ca), " rompió ", self.when_past(), " relaciones diplomáticas con ", self.c_ent(cb), "."]
        else:
            items = [self.ref(a), " declaró persona non grata al encargado de negocios de ", self.c_ent(cb), "."]
            self.w.sentence(items, EventSpec("RelationsDowngrade", "occurred", (a.key,), (cb.key,)))
            return
        self.w.sentence(items, EventSpec("RelationsDowngrade", "occurred", (ca.key,), (cb.key,)))

    # -- filler (no planned event) ---------------------------------------------------------

    def filler(self, a: Person, b: Person, ca: Country, cb: Country) -> None:
        rng = self.rng
        if not self.fillers:  # each kind once before any repeats
            self.fillers = rng.sample(range(7), 7)
        k = self.fillers.pop()
        if k == 0:
            items = ["El intercambio comercial entre ", self.c_ent(ca), " y ", self.c_ent(cb), " alcanzó ", self.quantity("money"),
                     f" en {self.published.year - 1}, según datos oficiales."]
        elif k == 1:
            items = ["\"", rng.choice(QUOTES), "\", afirmó ", self.ref(a, "o"), " en declaraciones a la prensa."]
        elif k == 2:
            items = ["Según un comunicado difundido por la Cancillería de ", self.c_ent(ca), ", ambas partes destacaron ",
                     "la convergencia de sus posiciones en ", self.topic(), "."]
        elif k == 3:
            items = [self.ref(b), " valoró \"el tono constructivo\" del diálogo, aunque evitó comprometer una fecha."]
        elif k == 4:
            items = ["La agenda compartida contempla, además, ", self.topics(), ", con una cartera de ",
                     self.quantity(), "."]
        elif k == 5:
            items = ["En paralelo, ", self.org_ref(self.org()), " sigue de cerca la situación en ", self.c_ent(cb), "."]
        else:
            items = ["Ambos países celebran este año el aniversario del establecimiento de sus relaciones diplomáticas, ",
                     "en un contexto marcado por ", self.topic(), "."]
        self.w.sentence(items)

    # -- the whole article -----------------------------------------------------------------

    EVENT_WEIGHTS = (("Meeting", 22), ("PhoneCall", 8), ("Visit", 14), ("Negotiation", 7), ("Agreement", 9),
                     ("AgreementSigning", 8), ("Invitation", 7), ("Statement", 10), ("Criticism", 7),
                     ("Sanction", 4), ("RelationsDowngrade", 4))

    def etype(self) -> str:
        names, weights = zip(*self.EVENT_WEIGHTS)
        return self.rng.choices(names, weights)[0]

    def headline(self, main: str, a: Person, b: Person, ca: Country, cb: Country) -> str:
        t = self.title_of(a)
        t = t[:1].upper() + t[1:]
        adj_a, adj_b = ca.demonyms[1 if a.female else 0], cb.demonyms[0]
        table = {
            "Meeting": f"{t} {adj_a} se reúne con su homólogo {adj_b}",
            "PhoneCall": f"{ca.name} y {cb.name} repasan por teléfono su agenda bilateral",
            "Visit": f"{t} {adj_a} visita {cb.name}",
            "Negotiation": f"{ca.name} y {cb.name} abren una nueva ronda de negociaciones",
            "Agreement": f"{ca.name} y {cb.name} acuerdan profundizar su cooperación",
            "AgreementSigning": f"{ca.name} y {cb.name} firman acuerdos de cooperación",
            "Invitation": f"{a.short} invita a {b.short} a visitar {ca.name}",
            "Statement": f"{ca.name} anuncia nuevas medidas",
            "Criticism": f"{ca.name} critica la postura de {cb.name}",
            "Sanction": f"{ca.name} sanciona a funcionarios {cb.demonyms[2]}",
            "RelationsDowngrade": f"Crisis diplomática entre {ca.name} y {cb.name}",
        }
        return table[main]

    def make(self) -> tuple[Article, Extraction]:
        rng, w = self.rng, self.w
        ca = self.country()
        cb = self.country(exclude=(ca,))
        a = self.person(ca)
        b = self.person(cb) if rng.random() < 0.85 else self.person(org=self.org())
        extra = [self.person(ca), self.person(cb)]
        main = self.etype()
        title = self.headline(main, a, b, ca, cb)
        target = rng.randint(170, 390)
        par_sep = "\n\n" if rng.random() < 0.8 else "\n"
        # opening: headline line, byline, dateline
        if rng.random() < 0.35:
            self._plain(title)
            w.emit(par_sep)
            if rng.random() < 0.3:
                pool = NAME_POOLS["hispanic"]
                w.emit(f"Por {rng.choice(pool[0] + pool[1])} {rng.choice(pool[2])}")
                w.emit(par_sep)
        k = rng.random()
        if k < 0.3:
            place = self.city(ca, venue_ok=False)
            if place:
                d = self.published
                w.sentence([self.p_ent(place, upper=True), f", {d.day} {MONTH_ABBR[d.month - 1]} ({rng.choice(AGENCIES)}).-"],
                           capitalize=False)
        self.event(main, a, b, ca, cb)
        if rng.random() < 0.5:
            self.filler(a, b, ca, cb)
        while w.words < target:
            w.emit(par_sep)
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.65:
                    pa, pb = rng.sample([a, b, *extra], 2)
                    self.event(self.etype(), pa, pb, ca, cb)
                else:
                    self.filler(a, b, ca, cb)
                if w.words >= target:
                    break
        text = w.text().rstrip()
        art = Article(id=f"syn{self.seed}-{self.i:06d}", text=text, title=title, published=self.published,
                      source="bench/corpus.py")
        return art, self._extraction(art)

    def _plain(self, text: str) -> None:
        self.w.emit(text)
        self.w.words += len(text.split())

    def _extraction(self, art: Article) -> Extraction:
        w = self.w
        ents = []
        for key, (etype, label, en, wd) in w.entities.items():
            mentions = tuple(w.plan.mentions.get(key, ()))
            if not mentions:
                continue
            aliases = tuple(sorted({m.text for m in mentions} - {label}))
            labels = (("en", en),) if en else ()
            ents.append(Entity(key, etype, label, aliases, labels, wd, mentions))
        known = {e.key for e in ents}
        events = tuple(e for e in w.plan.events if all(k in known for k in e.participants))
        return Extraction(art, tuple(ents), tuple(w.plan.positions), events, tuple(w.plan.quantities))


def make_article(i: int, seed: int = 0) -> tuple[Article, Extraction]:
    return ArticleMaker(seed, i).make()


def generate(n: int, seed: int = 0, start: int = 0) -> Iterator[Article]:
    """`n` synthetic articles (ids syn<seed>-000000 ...), deterministic for (seed, index)."""
    for i in range(start, start + n):
        yield make_article(i, seed)[0]


def generate_extractions(n: int, seed: int = 0, start: int = 0) -> Iterator[Extraction]:
    """The planned Extraction of each generated article (no NLP), for building big stores."""
    for i in range(start, start + n):
        yield make_article(i, seed)[1]


def article_json(a: Article) -> dict:
    return {"id": a.id, "title": a.title, "published": a.published.isoformat() if a.published else None, "text": a.text}


def write_jsonl(path: Path, n: int, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for a in generate(n, seed):
            fh.write(json.dumps(article_json(a), ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", type=Path, help="JSONL file (default: stdout)")
    args = ap.parse_args(argv)
    if args.output:
        write_jsonl(args.output, args.n, args.seed)
    else:
        for a in generate(args.n, args.seed):
            sys.stdout.write(json.dumps(article_json(a), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
