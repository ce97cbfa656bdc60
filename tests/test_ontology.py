"""The ontology, topic scheme and SHACL shapes: complete against the contract, and the
shapes accept a well-formed graph and reject broken ones.

The contract terms are written out here (from ONTOLOGY-CONTRACT.md) so the test does not
depend on the shared folder.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

try:
    import diplokg  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from diplokg import resources
from diplokg.errors import DiplokgError, ResourceError
from diplokg.rdf.vocab import DIP, TOPIC
from diplokg.validate import ValidationReport, validate

SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD object upsets pytest collection
ID = Namespace("https://w3id.org/diplokg/id/")
SCHEME = URIRef("https://w3id.org/diplokg/topic/")

# --- the contract -----------------------------------------------------------------

CONTRACT_CLASSES = [
    "Agent", "Person", "Country", "InternationalOrganization", "GovernmentBody",
    "Organization", "Delegation", "Place", "Position", "Event", "Topic", "Article",
    "Mention", "Quantity", "EventStatus",
]
EVENT_CAMEO = {
    "Meeting": {"040", "043", "044"},
    "PhoneCall": {"041"},
    "Visit": {"042", "043"},
    "Negotiation": {"046"},
    "Agreement": {"030", "050"},
    "AgreementSigning": {"057"},
    "Invitation": {"036"},
    "Statement": {"010"},
    "Criticism": {"111", "112"},
    "Sanction": {"163"},
    "RelationsDowngrade": {"161", "164", "166"},
}
CONTRACT_INDIVIDUALS = ["Occurred", "Planned"]
CONTRACT_OBJECT_PROPERTIES = [
    "holdsPosition", "positionOf", "participant", "actor", "counterpart", "location",
    "destination", "status", "topic", "evidence", "inArticle", "mentions", "quantity",
]
CONTRACT_DATATYPE_PROPERTIES = [
    "title", "date", "timeExpression", "start", "end", "text", "value", "unit",
    "qualifier", "contentHash",
]
ANNOTATION_PROPERTIES = ["cameoCode", "triggerTerm"]

TERM_KINDS: dict[str, URIRef] = {
    **{c: OWL.Class for c in CONTRACT_CLASSES},
    **{c: OWL.Class for c in EVENT_CAMEO},
    **{i: OWL.NamedIndividual for i in CONTRACT_INDIVIDUALS},
    **{p: OWL.ObjectProperty for p in CONTRACT_OBJECT_PROPERTIES},
    **{p: OWL.DatatypeProperty for p in CONTRACT_DATATYPE_PROPERTIES},
    **{p: OWL.AnnotationProperty for p in ANNOTATION_PROPERTIES},
}

TOPIC_IDS = [
    "security", "organized-crime", "drug-trafficking", "trade", "investment",
    "infrastructure", "critical-minerals", "aerospace", "technology", "elections",
    "migration", "energy", "climate", "environment", "health", "defense", "human-rights",
    "justice", "democracy", "education", "culture", "tourism", "agriculture", "fisheries",
    "maritime", "borders", "nuclear", "terrorism", "humanitarian-aid",
    "development-cooperation", "finance", "digital", "science", "peace", "corruption",
    "indigenous-peoples",
]

ONTOLOGY_DIR = resources.ontology_dir()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "diplomacy.ttl", format="turtle")


@pytest.fixture(scope="module")
def topics() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "topics.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


# --- files and resources ------------------------------------------------------------


@pytest.mark.parametrize("name", ["diplomacy.ttl", "topics.ttl", "shapes.ttl"])
def test_files_parse(name: str) -> None:
    graph = Graph().parse(ONTOLOGY_DIR / name, format="turtle")
    assert len(graph) > 50


def test_resource_paths() -> None:
    assert resources.ontology_path().name == "diplomacy.ttl"
    assert resources.topics_path().name == "topics.ttl"
    assert resources.shapes_path().name == "shapes.ttl"
    combined = resources.load_ontology()
    assert (DIP.Meeting, RDF.type, OWL.Class) in combined
    assert (TOPIC.security, RDF.type, SKOS.Concept) in combined
    # a fresh copy each time: changing one does not change the next
    combined.remove((DIP.Meeting, None, None))
    assert (DIP.Meeting, RDF.type, OWL.Class) in resources.load_ontology()


def test_missing_resource_is_a_clear_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(resources, "ontology_dir", lambda: tmp_path)
    with pytest.raises(ResourceError, match="diplomacy.ttl"):
        resources.ontology_path()
    with pytest.raises(ResourceError, match="shapes.ttl"):
        resources.load_shapes()


def test_malformed_resource_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix : <x> . :a :b", encoding="utf-8")
    with pytest.raises(ResourceError, match="bad.ttl"):
        resources.parse_turtle(bad)


def test_validate_rejects_unknown_inference_mode() -> None:
    with pytest.raises(DiplokgError, match="available: none, rdfs"):
        validate(Graph(), inference="owlrl")


def test_validate_with_missing_shapes_file_raises(tmp_path: Path) -> None:
    with pytest.raises(DiplokgError, match="not found"):
        validate(Graph(), shapes_path=tmp_path / "nope.ttl")


# --- the ontology ---------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    onto = URIRef("https://w3id.org/diplokg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(onto, DCTERMS.license) is not None
    assert {t.language for t in ontology.objects(onto, DCTERMS.title)} >= {"es", "en"}
    assert {t.language for t in ontology.objects(onto, DCTERMS.description)} >= {"es", "en"}


@pytest.mark.parametrize("term", sorted(TERM_KINDS))
def test_contract_term_is_defined(ontology: Graph, term: str) -> None:
    iri = DIP[term]
    assert (iri, RDF.type, TERM_KINDS[term]) in ontology, f"dip:{term} is not a {TERM_KINDS[term]}"
    labels = list(ontology.objects(iri, RDFS.label))
    for lang in ("es", "en"):
        assert len([lab for lab in labels if lab.language == lang]) == 1, f"dip:{term} needs one @{lang} label"
    assert all(lab.language for lab in labels), f"dip:{term} has a label without a language"
    comments = list(ontology.objects(iri, RDFS.comment))
    assert any(c.language == "en" for c in comments), f"dip:{term} needs an English comment"


def test_every_dip_term_is_labelled(ontology: Graph) -> None:
    """Not only the contract terms: anything in the dip: namespace is documented."""
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(DIP))}
    for term in terms:
        langs = sorted(lab.language for lab in ontology.objects(term, RDFS.label))
        assert langs == ["en", "es"], f"{term}: labels {langs}"


@pytest.mark.parametrize("event_class", sorted(EVENT_CAMEO))
def test_event_subclass(ontology: Graph, event_class: str) -> None:
    iri = DIP[event_class]
    assert (iri, RDFS.subClassOf, DIP.Event) in ontology
    codes = {str(code) for code in ontology.objects(iri, DIP.cameoCode)}
    assert codes == EVENT_CAMEO[event_class]


def _all_disjoint_sets(ontology: Graph) -> list[set]:
    return [
        set(Collection(ontology, ontology.value(node, OWL.members)))
        for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
    ]


def test_event_subclasses_are_pairwise_disjoint(ontology: Graph) -> None:
    wanted = {DIP[c] for c in EVENT_CAMEO}
    assert wanted in _all_disjoint_sets(ontology)


def test_country_is_not_a_place(ontology: Graph) -> None:
    assert (DIP.Country, OWL.disjointWith, DIP.Place) in ontology


def test_property_hierarchy_and_status_individuals(ontology: Graph) -> None:
    assert (DIP.actor, RDFS.subPropertyOf, DIP.participant) in ontology
    assert (DIP.counterpart, RDFS.subPropertyOf, DIP.participant) in ontology
    for status in (DIP.Occurred, DIP.Planned):
        assert (status, RDF.type, DIP.EventStatus) in ontology
    assert (DIP.cameoCode, RDF.type, OWL.AnnotationProperty) in ontology


@pytest.mark.parametrize(
    ("term", "prop", "target"),
    [
        (DIP.Person, RDFS.subClassOf, URIRef("http://xmlns.com/foaf/0.1/Person")),
        (DIP.Person, RDFS.subClassOf, URIRef("https://schema.org/Person")),
        (DIP.Country, RDFS.subClassOf, URIRef("https://schema.org/Country")),
        (DIP.Agent, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Agent")),
        (DIP.Event, RDFS.subClassOf, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")),
        (DIP.Place, RDFS.subClassOf, URIRef("https://schema.org/Place")),
        (DIP.Position, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Post")),
        (DIP.Topic, RDFS.subClassOf, SKOS.Concept),
        (DIP.Article, RDFS.subClassOf, URIRef("https://schema.org/NewsArticle")),
        (DIP.Mention, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
        (DIP.holdsPosition, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#holds")),
        (DIP.positionOf, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#postIn")),
        (DIP.participant, RDFS.subPropertyOf, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasActor")),
        (DIP.location, RDFS.subPropertyOf, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace")),
        (DIP.topic, RDFS.subPropertyOf, DCTERMS.subject),
    ],
)
def test_alignments(ontology: Graph, term, prop, target) -> None:
    assert (term, prop, target) in ontology


# --- the topic scheme ------------------------------------------------------------------


def test_topic_scheme(topics: Graph) -> None:
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in topics
    assert {lab.language for lab in topics.objects(SCHEME, SKOS.prefLabel)} == {"es", "en"}
    concepts = set(topics.subjects(RDF.type, SKOS.Concept))
    assert concepts == {TOPIC[t] for t in TOPIC_IDS}


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_topic_concept(topics: Graph, topic_id: str) -> None:
    concept = TOPIC[topic_id]
    assert (concept, RDF.type, DIP.Topic) in topics
    assert (concept, SKOS.inScheme, SCHEME) in topics
    assert (SCHEME, SKOS.hasTopConcept, concept) in topics
    assert list(topics.objects(concept, SKOS.notation)) == [Literal(topic_id)]
    pref = sorted(lab.language for lab in topics.objects(concept, SKOS.prefLabel))
    assert pref == ["en", "es"]
    assert any(d.language == "en" for d in topics.objects(concept, SKOS.definition))
    triggers = [str(t) for t in topics.objects(concept, DIP.triggerTerm)]
    assert 4 <= len(triggers) <= 15, f"{topic_id}: {len(triggers)} triggers"
    for trigger in triggers:
        assert trigger == trigger.lower().strip(), trigger
        assert "  " not in trigger, trigger
        assert "*" not in trigger[:-1], f"{trigger}: '*' only at the end"
        assert re.fullmatch(r"[\w][\w\- ]*\*?", trigger), trigger


def test_each_trigger_belongs_to_one_topic(topics: Graph) -> None:
    seen: dict[str, URIRef] = {}
    for concept, trigger in topics.subject_objects(DIP.triggerTerm):
        assert trigger.language == "es"
        assert str(trigger) not in seen, f"{trigger} in {seen.get(str(trigger))} and {concept}"
        seen[str(trigger)] = concept


def _trigger_regex(trigger: str) -> re.Pattern[str]:
    """The convention stated at the top of topics.ttl, as the extractor must implement it."""
    prefix = trigger.endswith("*")
    stem = trigger[:-1] if prefix else trigger
    body = r"\s+".join(re.escape(word) for word in stem.split(" "))
    return re.compile(r"\b" + body + (r"\w*" if prefix else r"\b"))


def _topics_of(topics: Graph, text: str) -> set[str]:
    lowered = text.lower()
    found = set()
    for concept, trigger in topics.subject_objects(DIP.triggerTerm):
        if _trigger_regex(str(trigger)).search(lowered):
            found.add(str(topics.value(concept, SKOS.notation)))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reforzar la cooperación bilateral en la lucha contra el crimen organizado transnacional "
         "y el narcotráfico", {"organized-crime", "drug-trafficking"}),
        ("la seguridad regional requiere acciones coordinadas", {"security"}),
        ("en materia de defensa y lucha contra redes criminales", {"defense", "organized-crime"}),
        ("oportunidades de cooperación aeroespacial, proyectos en infraestructura y desarrollo de "
         "minerales críticos", {"aerospace", "infrastructure", "critical-minerals"}),
        ("foros de inversión, intercambio tecnológico", {"investment", "technology"}),
        ("la Misión de Observación Electoral 2026", {"elections"}),
        ("más de 4.000 mesas de votación en el exterior", {"elections"}),
        ("peruanos habilitados para sufragar", {"elections"}),
        ("Inversiones extranjeras", {"investment"}),
        ("la lucha contra el\nnarcotráfico", {"drug-trafficking"}),
    ],
)
def test_triggers_find_topics(topics: Graph, text: str, expected: set[str]) -> None:
    assert expected <= _topics_of(topics, text)


@pytest.mark.parametrize(
    "text",
    [
        "El canciller llegó a La Paz para tender puentes con Bolivia.",
        "Estados Unidos ha impuesto sanciones.",
        "Ambos países acordaron profundizar la cooperación bilateral.",
    ],
)
def test_triggers_ignore_generic_text(topics: Graph, text: str) -> None:
    assert _topics_of(topics, text) == set()


# --- the shapes ---------------------------------------------------------------------------


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_every_shape_has_name_and_message(shapes: Graph) -> None:
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape)} | {
        s for s in shapes.subjects(RDF.type, SH.PropertyShape)
    }
    named |= set(shapes.objects(None, SH.property))
    assert len(named) > 30
    for shape in named:
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"


@pytest.mark.parametrize("event_class", sorted(EVENT_CAMEO))
def test_shapes_target_each_event_subclass(shapes: Graph, event_class: str) -> None:
    assert DIP[event_class] in set(shapes.objects(None, SH.targetClass))


def test_empty_graph_conforms() -> None:
    report = validate(Graph())
    assert isinstance(report, ValidationReport)
    assert report.conforms, report.results_text
    assert report.violations == 0


# --- a small conforming graph and broken variants -------------------------------------

ART = ID["article/dev-001"]
HUGO = ID["person/hugo-de-zela"]
RUBIO = ID["person/marco-rubio"]
PERU = ID["country/peru"]
USA = ID["country/estados-unidos"]
OEA = ID["org/oea"]
MINREL = ID["body/ministerio-de-relaciones-exteriores"]
DELEGATION = ID["delegation/delegacion-de-especialistas"]
WASHINGTON = ID["place/washington-d-c"]
LIMA = ID["place/lima"]
MEETING = ID["event/dev-001/meeting"]
VISIT = ID["event/dev-001/visit"]
STATEMENT = ID["event/dev-001/statement"]
M_MEETING = ID["mention/dev-001/13-47"]
M_VISIT = ID["mention/dev-001/900-950"]
M_POSITION = ID["mention/dev-001/3-11"]
POSITION = ID["position/canciller-peru"]
QUANTITY = ID["quantity/dev-001/1200-1240"]
HASH = "3f" * 32


def good_graph() -> Graph:
    g = Graph()
    g.bind("dip", DIP)
    g.add((ART, RDF.type, DIP.Article))
    g.add((ART, DIP.contentHash, Literal(HASH)))
    g.add((ART, DCTERMS.title, Literal("Canciller se reúne con Rubio", lang="es")))
    g.add((ART, DCTERMS.issued, Literal("2025-11-13", datatype=XSD.date)))
    g.add((ART, DCTERMS.language, Literal("es")))

    entities = [
        (HUGO, DIP.Person, "Hugo de Zela", None),
        (RUBIO, DIP.Person, "Marco Rubio", None),
        (PERU, DIP.Country, "Perú", "Peru"),
        (USA, DIP.Country, "Estados Unidos", "United States"),
        (OEA, DIP.InternationalOrganization, "Organización de los Estados Americanos", None),
        (MINREL, DIP.GovernmentBody, "Ministerio de Relaciones Exteriores", None),
        (DELEGATION, DIP.Delegation, "delegación de especialistas", None),
        (WASHINGTON, DIP.Place, "Washington D. C.", None),
        (LIMA, DIP.Place, "Lima", None),
    ]
    for iri, cls, es, en in entities:
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(es, lang="es")))
        if en:
            g.add((iri, RDFS.label, Literal(en, lang="en")))
        g.add((ART, DIP.mentions, iri))
    g.add((PERU, SKOS.altLabel, Literal("peruano", lang="es")))
    g.add((PERU, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q419")))
    g.add((USA, SKOS.altLabel, Literal("EE.UU.", lang="es")))

    for mention, start, end, text in [
        (M_MEETING, 13, 47, "sostuvo una reunión en Washington D. C."),
        (M_VISIT, 900, 950, "realizar una visita oficial al Perú en 2026"),
        (M_POSITION, 3, 11, "canciller"),
    ]:
        g.add((mention, RDF.type, DIP.Mention))
        g.add((mention, DIP.start, Literal(start)))
        g.add((mention, DIP.end, Literal(end)))
        g.add((mention, DIP.text, Literal(text)))
        g.add((mention, DIP.inArticle, ART))

    g.add((MEETING, RDF.type, DIP.Meeting))
    g.add((MEETING, DIP.actor, HUGO))
    g.add((MEETING, DIP.counterpart, RUBIO))
    g.add((MEETING, DIP.participant, HUGO))
    g.add((MEETING, DIP.participant, RUBIO))
    g.add((MEETING, DIP.status, DIP.Occurred))
    g.add((MEETING, DIP.location, WASHINGTON))
    g.add((MEETING, DIP.date, Literal("2025-11-12", datatype=XSD.date)))
    g.add((MEETING, DIP.topic, TOPIC["security"]))
    g.add((MEETING, DIP.topic, TOPIC["organized-crime"]))
    g.add((MEETING, DIP.evidence, M_MEETING))

    g.add((VISIT, RDF.type, DIP.Visit))
    g.add((VISIT, DIP.actor, RUBIO))  # actor only: participant comes from rdfs:subPropertyOf
    g.add((VISIT, DIP.status, DIP.Planned))
    g.add((VISIT, DIP.destination, PERU))
    g.add((VISIT, DIP.date, Literal("2026", datatype=XSD.gYear)))
    g.add((VISIT, DIP.timeExpression, Literal("en 2026")))
    g.add((VISIT, DIP.evidence, M_VISIT))

    g.add((STATEMENT, RDF.type, DIP.Statement))
    g.add((STATEMENT, DIP.participant, MINREL))
    g.add((STATEMENT, DIP.participant, DELEGATION))
    g.add((STATEMENT, DIP.status, DIP.Occurred))
    g.add((STATEMENT, DIP.location, PERU))
    g.add((STATEMENT, DIP.date, Literal("2025-11", datatype=XSD.gYearMonth)))
    g.add((STATEMENT, DIP.topic, TOPIC["elections"]))
    g.add((STATEMENT, DIP.evidence, M_VISIT))
    g.add((STATEMENT, DIP.quantity, QUANTITY))

    g.add((HUGO, DIP.holdsPosition, POSITION))
    g.add((POSITION, RDF.type, DIP.Position))
    g.add((POSITION, DIP.title, Literal("canciller", lang="es")))
    g.add((POSITION, DIP.positionOf, PERU))
    g.add((POSITION, DIP.evidence, M_POSITION))

    g.add((ART, DIP.quantity, QUANTITY))
    g.add((QUANTITY, RDF.type, DIP.Quantity))
    g.add((QUANTITY, DIP.value, Literal(Decimal("4000"))))
    g.add((QUANTITY, DIP.unit, Literal("mesas de votación")))
    g.add((QUANTITY, DIP.qualifier, Literal("more-than")))
    return g


def test_good_graph_conforms() -> None:
    graph = good_graph()
    size = len(graph)
    report = validate(graph)
    assert report.conforms, report.results_text
    assert report.violations == 0
    assert len(graph) == size, "validate must not modify its input"


def test_good_graph_conforms_without_inference() -> None:
    """Explicit subclass targets and the ontology's subclass axioms suffice."""
    graph = good_graph()
    graph.add((VISIT, DIP.participant, RUBIO))  # no rdfs:subPropertyOf inference here
    report = validate(graph, inference="none")
    assert report.conforms, report.results_text


def test_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    ds = Dataset()
    article_graph = ds.graph(ART)
    for triple in good_graph():
        article_graph.add(triple)
    # the entity's English label lives in another graph: fine, the union is validated
    other = ds.graph(ID["article/dev-002"])
    other.add((LIMA, RDFS.label, Literal("Lima", lang="en")))
    report = validate(ds)
    assert report.conforms, report.results_text
    # and a second Spanish label in another graph is caught in the union
    other.add((LIMA, RDFS.label, Literal("Ciudad de Lima", lang="es")))
    assert not validate(ds).conforms


def test_position_without_holder_is_only_a_warning() -> None:
    graph = good_graph()
    graph.remove((HUGO, DIP.holdsPosition, POSITION))
    report = validate(graph)
    assert report.conforms, report.results_text
    assert report.warnings == 1
    assert not validate(graph, allow_warnings=False).conforms


def _remove(*patterns) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        for pattern in patterns:
            g.remove(pattern)

    return mutate


def _add(*triples) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        for triple in triples:
            g.add(triple)

    return mutate


def _replace(s, p, o) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        g.remove((s, p, None))
        g.add((s, p, o))

    return mutate


BROKEN = {
    "event without participant": _remove(
        (MEETING, DIP.participant, None), (MEETING, DIP.actor, None), (MEETING, DIP.counterpart, None)
    ),
    "event without evidence": _remove((MEETING, DIP.evidence, None)),
    "event evidence is not a mention": _replace(MEETING, DIP.evidence, ART),
    "event without status": _remove((MEETING, DIP.status, None)),
    "event with two statuses": _add((MEETING, DIP.status, DIP.Planned)),
    "event with unknown status": _replace(MEETING, DIP.status, DIP.Cancelled),
    "event with two subclasses": _add((MEETING, RDF.type, DIP.Visit)),
    "event typed only dip:Event": _replace(MEETING, RDF.type, DIP.Event),
    "event date as plain string": _replace(MEETING, DIP.date, Literal("2025-11-12")),
    "event with two dates": _add((MEETING, DIP.date, Literal("2025", datatype=XSD.gYear))),
    "event with two locations": _add((MEETING, DIP.location, LIMA)),
    "event located at a person": _replace(MEETING, DIP.location, RUBIO),
    "participant is a place": _add((MEETING, DIP.participant, LIMA)),
    "destination on a meeting": _add((MEETING, DIP.destination, PERU)),
    "topic outside the scheme": _add((MEETING, DIP.topic, TOPIC["astrology"])),
    "mention with start >= end": _replace(M_MEETING, DIP.start, Literal(47)),
    "mention with start > end": _replace(M_MEETING, DIP.start, Literal(60)),
    "mention with negative start": _replace(M_MEETING, DIP.start, Literal(-1)),
    "mention start as string": _replace(M_MEETING, DIP.start, Literal("13")),
    "mention with two ends": _add((M_MEETING, DIP.end, Literal(48))),
    "mention without text": _remove((M_MEETING, DIP.text, None)),
    "mention text with language tag": _replace(M_MEETING, DIP.text, Literal("sostuvo", lang="es")),
    "mention without article": _remove((M_MEETING, DIP.inArticle, None)),
    "entity with two @es labels": _add((PERU, RDFS.label, Literal("República del Perú", lang="es"))),
    "entity without @es label": _replace(USA, RDFS.label, Literal("United States", lang="en")),
    "entity without label": _remove((LIMA, RDFS.label, None)),
    "entity label without language": _replace(LIMA, RDFS.label, Literal("Lima")),
    "country also typed place": _add((PERU, RDF.type, DIP.Place)),
    "person also typed organization": _add((HUGO, RDF.type, DIP.Organization)),
    "sameAs not wikidata": _add((PERU, OWL.sameAs, URIRef("https://dbpedia.org/resource/Peru"))),
    "position without evidence": _remove((POSITION, DIP.evidence, None)),
    "position without title": _remove((POSITION, DIP.title, None)),
    "position title without language": _replace(POSITION, DIP.title, Literal("canciller")),
    "position with two titles": _add((POSITION, DIP.title, Literal("ministro", lang="es"))),
    "position of a place": _replace(POSITION, DIP.positionOf, LIMA),
    "position held by a country": _add((PERU, DIP.holdsPosition, POSITION)),
    "article with bad hash": _replace(ART, DIP.contentHash, Literal("not-a-sha256")),
    "article with upper-case hash": _replace(ART, DIP.contentHash, Literal(HASH.upper())),
    "article without hash": _remove((ART, DIP.contentHash, None)),
    "article with two titles": _add((ART, DCTERMS.title, Literal("Otro título", lang="es"))),
    "article issued as string": _replace(ART, DCTERMS.issued, Literal("13/11/2025")),
    "quantity value as integer": _replace(QUANTITY, DIP.value, Literal(4000)),
    "quantity without unit": _remove((QUANTITY, DIP.unit, None)),
    "quantity with unknown qualifier": _replace(QUANTITY, DIP.qualifier, Literal("approximately")),
    "quantity that is not a quantity": _add((ART, DIP.quantity, BNode())),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_graph_does_not_conform(case: str) -> None:
    graph = good_graph()
    BROKEN[case](graph)
    report = validate(graph)
    assert not report.conforms, f"{case}: expected a violation"
    assert report.violations >= 1
    assert report.messages()
