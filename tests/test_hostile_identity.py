"""Issue 15, defect 6: ordinary variants of one name, or two undated reports of a meeting,
must not make `validate` fail for the whole store.

One person written "Ramiro de Olaechea" in one article and "Ramiro De Olaechea" (or in
capitals, or with a zero-width joiner inside a word) in another is one entity with one
rdfs:label@es, the other forms as skos:altLabel; reports of one meeting "el jueves" and
"el viernes" with no publication date to resolve them are two events, each with its own
time expression.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from diplokg.cli import main
from diplokg.names import clean, person_name
from diplokg.rdf.iris import entity_key
from diplokg.stores import OxigraphStore

PREFIX = (
    "PREFIX dip: <https://w3id.org/diplokg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
ZWJ, SOFT_HYPHEN, ZWSP = "\u200d", "\u00ad", "\u200b"

# ---------------------------------------------------------------- the canonical label


@pytest.mark.parametrize("variant, canonical", [
    ("Ramiro de Olaechea", "Ramiro de Olaechea"),
    ("Ramiro De Olaechea", "Ramiro de Olaechea"),
    ("RAMIRO DE OLAECHEA", "Ramiro de Olaechea"),
    ("ramiro de olaechea", "Ramiro de Olaechea"),
    ("De Olaechea", "De Olaechea"),  # a particle that opens the name stays capitalised
    ("Karen SANTISTEBAN", "Karen Santisteban"),
    (f"Lucía Bení{ZWJ}tez", "Lucía Benítez"),
    (f"Lucía Bení{SOFT_HYPHEN}tez", "Lucía Benítez"),
    (f"Lucía{ZWSP} Benítez", "Lucía Benítez"),
    ("Lucía  \u00a0Benítez\n", "Lucía Benítez"),
    ("Luci\u0301a Beni\u0301tez", "Lucía Benítez"),  # decomposed accents: NFC
    ("Anselmo Del Castillo Y Ruiz", "Anselmo del Castillo y Ruiz"),
    ("María De La Fuente De Los Ríos", "María de la Fuente de los Ríos"),
    ("Joana DAS NEVES", "Joana das Neves"),
    ("Greta Von Der Aue", "Greta von der Aue"),
    ("Pieter VAN DEN BOSCH", "Pieter van den Bosch"),
    ("Colin McAllister", "Colin McAllister"),  # mixed case is kept
    ("Dora DeSanctis", "Dora DeSanctis"),
    ("Moisés BEN YEHUDA", "Moisés Ben Yehuda"),  # not a particle of the list
    ("Tereza La Rocca", "Tereza La Rocca"),
    ("Sean O'FARRELL", "Sean O'Farrell"),
    ("Óscar GARCÍA-MARGAÑO", "Óscar García-Margaño"),
    ("Enrique J. Ortúzar", "Enrique J. Ortúzar"),  # an initial
    ("Fernando VII", "Fernando VII"),  # a regnal number
    ("Tobías de", "Tobías De"),  # a particle needs a name after it
    ("ÁNGELA ÑAHUI", "Ángela Ñahui"),
])
def test_person_name_is_canonical(variant, canonical):
    assert person_name(variant) == canonical
    assert person_name(canonical) == canonical  # idempotent
    # the key already takes the variants as one entity, and agrees with the label
    assert entity_key("Person", variant) == entity_key("Person", canonical)


def test_variants_of_a_name_in_another_script_are_one_key():
    assert entity_key("Person", "ЕЛЕНА ВОРОНЦОВА") == entity_key("Person", f"Елена Ворон{ZWJ}цова")
    assert person_name("ЕЛЕНА ВОРОНЦОВА") == "Елена Воронцова"


def test_clean_keeps_case_and_removes_what_nobody_sees():
    assert clean(f" Fondo\u00a0Andino  de{ZWJ} Fomento ") == "Fondo Andino de Fomento"
    assert clean("OEA") == "OEA"


# ---------------------------------------------------------------- articles in one store

NAMES_1 = (
    "El canciller peruano, Ramiro de Olaechea, se reunió en Lima con la ministra chilena "
    "Karen Santisteban para revisar la agenda bilateral. Más tarde recibió a la embajadora "
    "Lucía Benítez Ruiz.\n"
)
NAMES_2 = (
    "La ministra chilena Karen SANTISTEBAN sostuvo una reunión con el canciller peruano "
    f"Ramiro De Olaechea. Luego conversó con la embajadora Lucía Bení{ZWJ}tez Ruiz.\n"
)
# An outlet that writes without accents: the same key, a label that no rule can choose.
NAMES_3 = "La embajadora Lucia Benitez Ruiz se reunió con el canciller peruano Ramiro de Olaechea.\n"
# Two reports of meetings of the same two people, with no publication date.
THURSDAY = "El canciller de Uruguay, Tomás Larrabide, se reunió el jueves con la canciller de Paraguay, Celeste Irala.\n"
FRIDAY = "El canciller de Uruguay, Tomás Larrabide, se reunió el viernes con la canciller de Paraguay, Celeste Irala.\n"


def _cli(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, err.getvalue()


@pytest.fixture(scope="module")
def variant_store(nlp, tmp_path_factory):
    """The four articles, each in a file of its own, ingested by the CLI into one store."""
    root = tmp_path_factory.mktemp("identity")
    for folder, name, text in (("a", "nombres1", NAMES_1), ("b", "nombres2", NAMES_2),
                               ("c", "nombres3", NAMES_3), ("a", "jueves", THURSDAY), ("b", "viernes", FRIDAY)):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / f"{name}.txt").write_text(text, encoding="utf-8")
    store = root / "store"
    assert _cli("ingest", str(root / "a"), str(root / "b"), "--store", str(store)) == (0, "")
    assert _cli("ingest", str(root / "c"), "--store", str(store)) == (0, "")  # a later run
    return store


def test_validate_conforms_after_ingesting_name_variants(variant_store):
    code, err = _cli("validate", "--store", str(variant_store))
    assert code == 0, err


def _labels(store, predicate: str) -> dict[str, set[str]]:
    q = PREFIX + f"SELECT ?e ?l WHERE {{ ?e a dip:Person ; {predicate} ?l }}"
    out: dict[str, set[str]] = {}
    for e, label in store.query(q).rows:
        out.setdefault(str(e).rsplit("/", 1)[-1], set()).add(str(label))
    return out


def test_one_label_per_person_and_the_variants_as_alt_labels(variant_store):
    with OxigraphStore(variant_store) as store:
        labels, alt = _labels(store, "rdfs:label"), _labels(store, "skos:altLabel")
    assert labels["ramiro-de-olaechea"] == {"Ramiro de Olaechea"}
    assert labels["karen-santisteban"] == {"Karen Santisteban"}
    assert labels["lucia-benitez-ruiz"] == {"Lucía Benítez Ruiz"}
    assert "Ramiro De Olaechea" in alt["ramiro-de-olaechea"]
    assert "Karen SANTISTEBAN" in alt["karen-santisteban"]
    assert "Lucia Benitez Ruiz" in alt["lucia-benitez-ruiz"]
    # an invisible character is no variant of a name
    assert not any(ZWJ in x for xs in (*labels.values(), *alt.values()) for x in xs)


def _meetings(store) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(event, its time expressions, its dates), per meeting of the two ministers."""
    q = PREFIX + """SELECT ?e (GROUP_CONCAT(DISTINCT STR(?t); SEPARATOR="|") AS ?ts)
                           (GROUP_CONCAT(DISTINCT STR(?d); SEPARATOR="|") AS ?ds)
        WHERE { ?e a dip:Meeting ; dip:participant <https://w3id.org/diplokg/id/person/celeste-irala> .
                OPTIONAL { ?e dip:timeExpression ?t } OPTIONAL { ?e dip:date ?d } } GROUP BY ?e ORDER BY ?ts"""
    return [(str(e), _split(ts), _split(ds)) for e, ts, ds in store.query(q).rows]


def _split(values) -> tuple[str, ...]:
    return tuple(sorted(filter(None, str(values or "").split("|"))))


def test_undated_thursday_and_friday_are_two_events(variant_store):
    with OxigraphStore(variant_store) as store:
        found = _meetings(store)
    assert [(words, dates) for _e, words, dates in found] == [(("el jueves",), ()), (("el viernes",), ())]


# ---------------------------------------------------------------- what no rule can choose

def _person_labels(store) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    return _labels(store, "rdfs:label"), _labels(store, "skos:altLabel")


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_variant_no_rule_can_choose_takes_the_label_already_written(nlp, tmp_path, backend):
    """In one run (the bulk writer holds the first article back) the first label written
    stays, and the other is an alias: one rdfs:label@es, and the store conforms."""
    from diplokg.model import Article
    from diplokg.pipeline import ingest
    from diplokg.stores import MemoryStore
    from diplokg.validate import validate

    first = Article(id="uno", text="La embajadora Lucía Benítez Ruiz se reunió con el canciller Ramiro de Olaechea.\n")
    second = Article(id="dos", text="El canciller Ramiro de Olaechea recibió a la embajadora Lucia Benitez Ruiz.\n")
    with (MemoryStore() if backend == "memory" else OxigraphStore(tmp_path / "s")) as store:
        ingest([first, second], store)
        labels, alt = _person_labels(store)
        report = validate(store.dataset())
    assert report.conforms, report.messages()
    assert labels["lucia-benitez-ruiz"] == {"Lucía Benítez Ruiz"}
    assert "Lucia Benitez Ruiz" in alt["lucia-benitez-ruiz"]


def test_a_corrected_name_replaces_the_label_of_its_own_article(nlp):
    """An article's own stored graph does not hold its label in place: the corrected
    version of the only article that names her gives her the corrected label."""
    from diplokg.model import Article
    from diplokg.pipeline import ingest
    from diplokg.stores import MemoryStore

    text = "La embajadora {} se reunió con el canciller Ramiro de Olaechea.\n"
    with MemoryStore() as store:
        ingest([Article(id="uno", text=text.format("Lucia Benitez Ruiz"))], store)
        ingest([Article(id="uno", text=text.format("Lucía Benítez Ruiz"))], store)
        labels, alt = _person_labels(store)
    assert labels["lucia-benitez-ruiz"] == {"Lucía Benítez Ruiz"}
    assert "lucia-benitez-ruiz" not in alt
