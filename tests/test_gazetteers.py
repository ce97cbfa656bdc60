"""Integrity of the Spanish language pack's gazetteers (src/diplokg/lang/es/*.jsonl).

The files are data: these tests check that each one parses, carries its required
keys, is sorted and free of duplicates, and that the files agree with each other
(capitals are places, places and bodies name known countries, titles do not share
surface forms, acronyms do not point at two things).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LANG = ROOT / "src" / "diplokg" / "lang" / "es"

QID = re.compile(r"^Q[1-9]\d*$")

FILES = {
    "countries.jsonl": ("name", {"name", "en", "wikidata", "aliases", "abbreviations", "demonyms", "capital", "status"}),
    "organizations.jsonl": ("name", {"name", "en", "acronyms", "aliases"}),
    "places.jsonl": ("name", {"name", "en", "country", "aliases", "kind"}),
    "bodies.jsonl": ("name", {"name", "en", "country", "aliases", "kind", "function"}),
    "titles.jsonl": ("title", {"title", "forms", "en", "of", "rank"}),
    "body_patterns.jsonl": ("head", {"head", "forms", "takes_complement", "complements"}),
}


def sort_key(text: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (base.casefold(), text)


def load(name: str) -> list[dict]:
    raw = (LANG / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} starts with a BOM"
    text = raw.decode("utf-8")
    assert text.endswith("\n"), f"{name} must end with a newline"
    rows = []
    for lineno, line in enumerate(text.split("\n")[:-1], start=1):
        assert line.strip(), f"{name}:{lineno} is blank"
        assert line == line.strip(), f"{name}:{lineno} has leading/trailing whitespace"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{name}:{lineno} does not parse: {exc}")
        assert isinstance(obj, dict), f"{name}:{lineno} is not a JSON object"
        rows.append(obj)
    return rows


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict]]:
    return {name: load(name) for name in FILES}


@pytest.fixture(scope="module")
def countries(data):
    return data["countries.jsonl"]


@pytest.fixture(scope="module")
def orgs(data):
    return data["organizations.jsonl"]


@pytest.fixture(scope="module")
def places(data):
    return data["places.jsonl"]


@pytest.fixture(scope="module")
def bodies(data):
    return data["bodies.jsonl"]


@pytest.fixture(scope="module")
def titles(data):
    return data["titles.jsonl"]


@pytest.fixture(scope="module")
def patterns(data):
    return data["body_patterns.jsonl"]


# ---------------------------------------------------------------- every file


@pytest.mark.parametrize("name", sorted(FILES))
def test_required_keys_and_types(data, name):
    key, required = FILES[name]
    for row in data[name]:
        missing = required - row.keys()
        assert not missing, f"{name}: {row.get(key)!r} lacks {sorted(missing)}"
        assert isinstance(row[key], str) and row[key].strip() == row[key] and row[key], row
        for field, value in row.items():
            if field in {"aliases", "abbreviations", "demonyms", "acronyms", "forms", "complements",
                         "ambiguous_names", "ambiguous_demonyms"}:
                assert isinstance(value, list), f"{name}: {row[key]!r}.{field} is not a list"
                assert all(isinstance(v, str) and v and v == v.strip() for v in value), (name, row[key], field)
                assert len(value) == len(set(value)) or field == "demonyms", f"{name}: {row[key]!r}.{field} repeats"


@pytest.mark.parametrize("name", sorted(FILES))
def test_sorted_without_duplicates(data, name):
    key, _ = FILES[name]
    values = [row[key] for row in data[name]]
    dupes = [v for v, n in Counter(values).items() if n > 1]
    assert not dupes, f"{name}: duplicate {key}s {dupes}"
    assert values == sorted(values, key=sort_key), f"{name} is not sorted by {key}"


@pytest.mark.parametrize("name", sorted(FILES))
def test_wikidata_ids(data, name):
    seen: dict[str, str] = {}
    key, _ = FILES[name]
    for row in data[name]:
        if "wikidata" not in row:
            continue
        qid = row["wikidata"]
        assert isinstance(qid, str) and QID.match(qid), f"{name}: {row[key]!r} has a bad wikidata id {qid!r}"
        assert qid not in seen, f"{name}: {qid} is on both {seen[qid]!r} and {row[key]!r}"
        seen[qid] = row[key]


@pytest.mark.parametrize("name", ["countries.jsonl", "places.jsonl", "bodies.jsonl"])
def test_ambiguous_names_are_names_of_the_entry(data, name):
    for row in data[name]:
        own = {row["name"], *row.get("aliases", []), *row.get("abbreviations", [])}
        stray = set(row.get("ambiguous_names", [])) - own
        assert not stray, f"{name}: {row['name']!r} flags {sorted(stray)} that it does not carry"


# ---------------------------------------------------------------- countries

UN_SAMPLE = [
    "Perú", "Estados Unidos", "Reino Unido", "China", "Rusia", "Francia", "Alemania", "España", "México", "Brasil",
    "Argentina", "Chile", "Colombia", "Venezuela", "Bolivia", "Ecuador", "Paraguay", "Uruguay", "Cuba",
    "República Dominicana", "Haití", "Guatemala", "Honduras", "El Salvador", "Nicaragua", "Costa Rica", "Panamá",
    "Canadá", "Japón", "Corea del Sur", "Corea del Norte", "India", "Irán", "Israel", "Arabia Saudita",
    "Emiratos Árabes Unidos", "Turquía", "Ucrania", "Países Bajos", "Suiza", "Italia", "Portugal", "Sudáfrica",
    "Egipto", "Nigeria", "Australia", "Nueva Zelanda", "Myanmar", "Vietnam", "Indonesia", "Filipinas",
    "Trinidad y Tobago", "San Vicente y las Granadinas", "Tuvalu", "Esuatini", "Sudán del Sur", "Macedonia del Norte",
]


def test_country_counts_and_status(countries):
    names = {c["name"] for c in countries}
    assert len(countries) >= 195
    status = Counter(c["status"] for c in countries)
    assert status["un_member"] == 193, status
    assert set(status) <= {"un_member", "observer", "partially_recognized"}
    missing = [n for n in UN_SAMPLE if n not in names]
    assert not missing, missing
    for n in UN_SAMPLE:
        assert next(c for c in countries if c["name"] == n)["status"] == "un_member", n
    by_name = {c["name"]: c for c in countries}
    assert by_name["Santa Sede"]["status"] == "observer"
    assert by_name["Palestina"]["status"] == "observer"
    assert by_name["Taiwán"]["status"] == "partially_recognized"
    assert by_name["Kosovo"]["status"] == "partially_recognized"


def test_every_country_has_a_wikidata_id(countries):
    assert all("wikidata" in c for c in countries)
    by_name = {c["name"]: c["wikidata"] for c in countries}
    assert by_name["Perú"] == "Q419"
    assert by_name["Estados Unidos"] == "Q30"
    assert by_name["España"] == "Q29"


def test_demonyms(countries):
    for c in countries:
        forms = c["demonyms"]
        assert len(forms) >= 4 and len(forms) % 4 == 0, f"{c['name']}: demonyms come in (m sg, f sg, m pl, f pl) groups"
        assert len(set(forms)) >= 1
        assert all(f == f.lower() for f in forms), c["name"]
        amb = set(c.get("ambiguous_demonyms", []))
        assert amb <= set(forms), f"{c['name']}: ambiguous_demonyms not among its demonyms"


def test_demonym_shared_between_countries_is_flagged(countries):
    owners = defaultdict(set)
    for c in countries:
        for f in set(c["demonyms"]):
            owners[f].add(c["name"])
    flagged = {c["name"]: set(c.get("ambiguous_demonyms", [])) for c in countries}
    for form, names in owners.items():
        if len(names) > 1:
            assert all(form in flagged[n] for n in names), f"{form!r} belongs to {sorted(names)} and is not flagged"


def test_demonym_spelled_like_a_country_is_flagged(countries):
    spelled = {n.casefold() for c in countries for n in [c["name"], *c["aliases"]]}
    for c in countries:
        for f in c["demonyms"]:
            if f.casefold() in spelled:
                assert f in c.get("ambiguous_demonyms", []), f"{c['name']}: demonym {f!r} reads as a country name"


def test_no_surface_form_names_two_countries(countries):
    owner: dict[str, str] = {}
    folded: dict[str, str] = {}
    for c in countries:
        for s in {c["name"], *c["aliases"], *c["abbreviations"]}:
            assert owner.setdefault(s, c["name"]) == c["name"], f"{s!r} names {owner[s]!r} and {c['name']!r}"
        for s in {c["name"], *c["aliases"]}:
            k = s.casefold()
            assert folded.setdefault(k, c["name"]) == c["name"], f"{s!r} names {folded[k]!r} and {c['name']!r}"


def test_country_surface_forms(countries):
    by_name = {c["name"]: c for c in countries}
    us = by_name["Estados Unidos"]
    assert {"EE.UU.", "EEUU", "EE. UU.", "EUA", "USA"} <= set(us["abbreviations"])
    assert {"estadounidense", "estadounidenses"} <= set(us["demonyms"])
    assert "RU" in by_name["Reino Unido"]["abbreviations"]
    assert "británicas" in by_name["Reino Unido"]["demonyms"]
    assert "RPC" in by_name["China"]["abbreviations"]
    assert "República Popular China" in by_name["China"]["aliases"]
    assert "EAU" in by_name["Emiratos Árabes Unidos"]["abbreviations"]
    assert "RD" in by_name["República Dominicana"]["abbreviations"]
    assert "Holanda" in by_name["Países Bajos"]["aliases"]
    assert "Birmania" in by_name["Myanmar"]["aliases"]
    assert "República Popular Democrática de Corea" in by_name["Corea del Norte"]["aliases"]
    assert "Federación de Rusia" in by_name["Rusia"]["aliases"]
    assert "República Islámica de Irán" in by_name["Irán"]["aliases"]
    assert "República Bolivariana de Venezuela" in by_name["Venezuela"]["aliases"]
    assert "República del Perú" in by_name["Perú"]["aliases"]
    assert by_name["Perú"]["demonyms"][:4] == ["peruano", "peruana", "peruanos", "peruanas"]
    assert by_name["Perú"]["capital"] == "Lima"
    assert by_name["Chile"]["capital"] == "Santiago"


def test_abbreviations_look_like_abbreviations(countries):
    for c in countries:
        for a in c["abbreviations"]:
            assert a.upper() == a, f"{c['name']}: {a!r}"


# ---------------------------------------------------------------- places


def test_capitals_are_places_of_their_country(countries, places):
    by_name = {p["name"]: p for p in places}
    for c in countries:
        cap = c["capital"]
        assert cap in by_name, f"{c['name']}: capital {cap!r} is not in places.jsonl"
        place = by_name[cap]
        assert place["country"] == c["name"], f"{cap!r} is in {place['country']!r}, not {c['name']!r}"
        assert place["kind"] == "city"
        assert place.get("capital") is True, f"{cap!r} is not marked capital"
    marked = {p["name"] for p in places if p.get("capital")}
    assert marked == {c["capital"] for c in countries}


def test_places_resolve(countries, places, bodies):
    country_names = {c["name"] for c in countries}
    place_names = {p["name"] for p in places}
    body_names = {b["name"] for b in bodies}
    for p in places:
        assert p["country"] in country_names, f"{p['name']!r}: unknown country {p['country']!r}"
        assert p["kind"] in {"city", "region", "venue"}, p["name"]
        if "city" in p:
            assert p["city"] in place_names, f"{p['name']!r}: unknown city {p['city']!r}"
        if "body" in p:
            assert p["body"] in body_names, f"{p['name']!r}: unknown body {p['body']!r}"


def test_place_counts_and_seed_places(countries, places):
    others = [p for p in places if not p.get("capital")]
    assert len(others) >= 150
    by_name = {p["name"]: p for p in places}
    wash = by_name["Washington D. C."]
    assert wash["wikidata"] == "Q61" and wash["country"] == "Estados Unidos"
    assert {"Washington", "Washington DC", "Washington, D. C.", "Washington D.C."} <= set(wash["aliases"])
    assert "Santiago de Chile" in by_name["Santiago"]["aliases"]
    for n in ["Nueva York", "Ginebra", "Bruselas", "São Paulo", "Río de Janeiro", "Guayaquil", "Santa Cruz de la Sierra",
              "Barcelona", "Miami", "Los Ángeles", "Estrasburgo", "La Haya", "Davos", "Tacna", "Arica", "Cúcuta",
              "Ciudad Juárez", "Tijuana", "Lima"]:
        assert n in by_name, n
    venues = {p["name"] for p in places if p["kind"] == "venue"}
    for v in ["Palacio de Torre Tagle", "Palacio San Martín", "Palacio Itamaraty", "Palacio de La Moneda", "Palacio Nacional",
              "Palacio de Miraflores", "Palacio de Viana", "Palacio de Santa Cruz", "Casa de Nariño"]:
        assert v in venues, v


def test_place_aliases_do_not_collide(places):
    owner: dict[str, str] = {}
    for p in places:
        for s in {p["name"], *p["aliases"]}:
            assert owner.setdefault(s, p["name"]) == p["name"], f"{s!r} names {owner[s]!r} and {p['name']!r}"


# ---------------------------------------------------------------- organizations

REQUIRED_ACRONYMS = ["OEA", "ONU", "UE", "Mercosur", "CAN", "CELAC", "APEC", "ASEAN", "OTAN", "G7", "G20", "BID", "FMI",
                     "OMC", "OMS", "SICA", "CARICOM", "BRICS", "OPEP", "CIDH", "CEPAL", "ACNUR", "OIM", "OPS", "UNASUR",
                     "ALBA", "SEGIB", "CAF", "OCDE", "PNUD", "FAO", "UNESCO", "UNICEF", "OIT", "OIEA", "CIJ", "CPI"]


def test_organizations(orgs, countries):
    assert len(orgs) >= 100
    owner: dict[str, str] = {}
    for o in orgs:
        for a in o["acronyms"]:
            assert owner.setdefault(a, o["name"]) == o["name"], f"acronym {a!r} names {owner[a]!r} and {o['name']!r}"
    missing = [a for a in REQUIRED_ACRONYMS if a not in owner]
    assert not missing, missing
    assert owner["OEA"] == "Organización de los Estados Americanos"
    assert owner["UE"] == "Unión Europea"
    assert owner["G7"] == "Grupo de los Siete"
    for name in ["Unión Africana", "Liga Árabe", "Alianza del Pacífico", "Grupo de Lima", "Parlamento Europeo",
                 "Comisión Europea", "Consejo Europeo", "Banco Mundial", "Corte Interamericana de Derechos Humanos",
                 "Consejo de Seguridad de las Naciones Unidas", "Asamblea General de las Naciones Unidas"]:
        assert name in {o["name"] for o in orgs}, name
    oea = next(o for o in orgs if o["name"] == "Organización de los Estados Americanos")
    assert oea["wikidata"] == "Q123759" and "OAS" in oea["acronyms"]
    onu = next(o for o in orgs if o["name"] == "Organización de las Naciones Unidas")
    assert "Naciones Unidas" in onu["aliases"]


def test_organization_names_do_not_collide(orgs):
    owner: dict[str, str] = {}
    for o in orgs:
        for s in {o["name"], *o["aliases"], *o["acronyms"]}:
            assert owner.setdefault(s, o["name"]) == o["name"], f"{s!r} names {owner[s]!r} and {o['name']!r}"
        assert "bloque" not in {a.casefold() for a in o["aliases"]}, o["name"]


def test_organization_parents_resolve(orgs):
    names = {o["name"] for o in orgs}
    for o in orgs:
        if "part_of" in o:
            assert o["part_of"] in names and o["part_of"] != o["name"], o["name"]


def test_acronyms_and_abbreviations_point_at_one_thing(orgs, countries):
    country_forms = {s for c in countries for s in [c["name"], *c["aliases"], *c["abbreviations"]]}
    for o in orgs:
        clash = set(o["acronyms"]) & country_forms
        assert not clash, f"{o['name']}: {sorted(clash)} also name a country"


# ---------------------------------------------------------------- bodies

def test_bodies(bodies, countries):
    assert len(bodies) >= 60
    country_names = {c["name"] for c in countries}
    named = {b["name"] for b in bodies if b["kind"] == "named"}
    for b in bodies:
        assert b["country"] in country_names, f"{b['name']!r}: unknown country {b['country']!r}"
        assert b["kind"] in {"named", "metonym"}, b["name"]
        assert isinstance(b["function"], str) and re.fullmatch(r"[a-z]+(-[a-z]+)*", b["function"]), b["name"]
        if "refers_to" in b:
            assert b["kind"] == "metonym" and b["refers_to"] in named, b["name"]
    by_name = {b["name"]: b for b in bodies}
    assert by_name["Departamento de Estado"]["wikidata"] == "Q789915"
    assert by_name["Departamento de Estado"]["country"] == "Estados Unidos"
    for m in ["Casa Blanca", "Pentágono", "Kremlin", "Itamaraty", "Quai d'Orsay", "Casa Rosada", "Casa de Nariño", "La Moneda",
              "Los Pinos", "Planalto", "Torre Tagle", "Downing Street", "Foreign Office", "Elíseo", "Moncloa", "Zarzuela"]:
        assert by_name[m]["kind"] == "metonym", m
    assert by_name["Itamaraty"]["country"] == "Brasil"
    assert by_name["Torre Tagle"]["function"] == "foreign-ministry"


def test_body_surface_forms_do_not_collide(bodies):
    owner: dict[str, str] = {}
    for b in bodies:
        for s in {b["name"], *b["aliases"]}:
            assert owner.setdefault(s, b["name"]) == b["name"], f"{s!r} names {owner[s]!r} and {b['name']!r}"


# ---------------------------------------------------------------- titles

GOLD_TITLES = ["secretario de estado", "canciller", "embajador", "secretario general", "presidente del consejo de ministros"]


def test_titles(titles):
    assert len(titles) >= 60
    owner: dict[str, str] = {}
    for t in titles:
        assert t["title"] == t["title"].lower(), t["title"]
        assert t["title"] in t["forms"], f"{t['title']!r} is not among its own forms"
        assert all(f == f.lower() for f in t["forms"]), t["title"]
        assert t["of"] in {"Country", "InternationalOrganization", "GovernmentBody", "any"}, t["title"]
        if "feminine" in t:
            assert t["feminine"] in t["forms"], t["title"]
        for f in t["forms"]:
            assert owner.setdefault(f, t["title"]) == t["title"], f"form {f!r} is in {owner[f]!r} and {t['title']!r}"
    for g in GOLD_TITLES:
        assert g in {t["title"] for t in titles}, g
    assert owner["presidenta del consejo de ministros"] == "presidente del consejo de ministros"
    assert owner["cancillera"] == "canciller"
    assert owner["embajadora"] == "embajador"
    assert owner["jefa de la diplomacia"] == "jefe de la diplomacia"
    for needed in ["presidente", "vicepresidente", "primer ministro", "jefe de gobierno", "jefe de estado", "rey", "reina",
                   "príncipe heredero", "emir", "vicecanciller", "ministro de relaciones exteriores",
                   "ministro de asuntos exteriores", "ministro de defensa", "ministro del interior", "ministro de economía",
                   "ministro de comercio exterior", "subsecretario de estado", "secretario de relaciones exteriores",
                   "secretario general adjunto", "alto representante", "comisario", "encargado de negocios", "cónsul",
                   "cónsul general", "representante permanente", "enviado especial", "viceministro",
                   "viceministro de relaciones exteriores", "portavoz", "vocero", "director general",
                   "presidente del gobierno", "jefe de la diplomacia", "asesor de seguridad nacional", "alcalde",
                   "gobernador", "general", "comandante"]:
        assert needed in owner and owner[needed] == needed, needed


# ---------------------------------------------------------------- body patterns


def test_body_patterns(patterns):
    by_head = {p["head"]: p for p in patterns}
    for p in patterns:
        assert p["head"] in p["forms"], p["head"]
        assert isinstance(p["takes_complement"], bool), p["head"]
        assert set(p["complements"]) <= {"de_name", "demonym", "de_country", "en_place"}, p["head"]
    for head in ["Ministerio", "Secretaría", "Departamento", "Cancillería", "Gobierno", "Consejo de Ministros", "Presidencia",
                 "Vicepresidencia", "Congreso", "Senado", "Cámara de Diputados", "Parlamento", "Asamblea Nacional", "Fiscalía",
                 "Corte Suprema", "Tribunal Constitucional", "Banco Central", "Fuerzas Armadas", "Policía Nacional", "Embajada",
                 "Consulado", "Oficina", "Agencia", "Servicio", "Instituto"]:
        assert head in by_head, head
    assert by_head["Ministerio"]["takes_complement"] is True
    assert by_head["Cancillería"]["takes_complement"] is False
    assert "demonym" in by_head["Gobierno"]["complements"] and "de_country" in by_head["Gobierno"]["complements"]


# ---------------------------------------------------------------- the seed article


def test_seed_article_surface_forms_are_known(countries, places, orgs, titles):
    country_forms = {s for c in countries for s in [c["name"], *c["aliases"], *c["abbreviations"]]}
    demonyms = {d for c in countries for d in c["demonyms"]}
    place_forms = {s for p in places for s in [p["name"], *p["aliases"]]}
    acronyms = {a for o in orgs for a in o["acronyms"]}
    forms = {f for t in titles for f in t["forms"]}
    assert {"Perú", "Estados Unidos", "EE.UU."} <= country_forms
    assert {"peruano", "peruanos", "estadounidenses"} <= demonyms
    assert {"Washington D. C.", "Lima"} <= place_forms
    assert "OEA" in acronyms
    assert {"canciller", "secretario de estado", "embajador", "secretario general"} <= forms
