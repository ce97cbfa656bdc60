"""Extraction -> RDF: small pure functions, one per model class.

Each article's statements go into one graph whose IRI is the article's IRI; the store
keeps it as that named graph. Entities and positions have IRIs that do not depend on the
article, so the same person met in two articles is one node.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..model import Article, Entity, Event, Extraction, Mention, Position, Quantity, TimeExpr
from . import iris
from .vocab import DCTERMS, DIP, OWL, RDF, RDFS, SKOS, STATUS, WD

_DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


def new_graph(identifier: URIRef | None = None) -> Graph:
    """An empty article graph: rdflib's plain triple store (an article graph has no contexts
    of its own, and it fills twice as fast as the default one), with no prefixes bound
    (binding them took a sixth of the mapping time; whatever writes a graph as text binds
    the project's prefixes itself, see export.serialize_graph)."""
    return Graph(store="SimpleMemory", identifier=identifier, bind_namespaces="none")


def article_graph(extraction: Extraction, base: str = iris.DEFAULT_BASE,
                  event_iris: dict[int, URIRef] | None = None) -> Graph:
    """The named graph of one article: metadata, entities, positions, events, quantities.

    `event_iris` maps an event's index to the IRI of the same event already reported by
    another article (see pipeline.same_events), so both articles describe one node."""
    article = extraction.article
    a_iri = iris.article_iri(article.id, base)
    g = new_graph(a_iri)
    map_article(g, article, a_iri)
    for entity in extraction.entities:
        e_iri = map_entity(g, entity, base)
        g.add((a_iri, DIP.mentions, e_iri))
    for position in extraction.positions:
        map_position(g, position, article, base)
    for i, event in enumerate(extraction.events):
        map_event(g, event, article, base, (event_iris or {}).get(i))
    for quantity in extraction.quantities:
        q_iri = map_quantity(g, quantity, article, base)
        g.add((a_iri, DIP.quantity, q_iri))
    return add_contact_pairs(g, base)


def map_article(g: Graph, article: Article, a_iri: URIRef) -> None:
    g.add((a_iri, RDF.type, DIP.Article))
    g.add((a_iri, DIP.contentHash, Literal(article.content_hash)))
    g.add((a_iri, DCTERMS.language, Literal(article.language)))
    g.add((a_iri, DCTERMS.identifier, Literal(article.id)))
    if article.title:
        g.add((a_iri, DCTERMS.title, Literal(article.title, lang=article.language)))
    if article.published:
        issued = Literal(article.published_iso, datatype=_DATE_TYPES[article.published_precision])
        g.add((a_iri, DCTERMS.issued, issued))
    if article.url:
        g.add((a_iri, DCTERMS.source, URIRef(article.url)))


def map_entity(g: Graph, entity: Entity, base: str) -> URIRef:
    e_iri = iris.entity_iri(entity.key, base)
    g.add((e_iri, RDF.type, DIP[entity.type]))
    g.add((e_iri, RDFS.label, Literal(entity.label, lang="es")))
    for lang, label in entity.labels:
        if lang != "es":
            g.add((e_iri, RDFS.label, Literal(label, lang=lang)))
    for alias in entity.aliases:
        g.add((e_iri, SKOS.altLabel, Literal(alias, lang="es")))
    if entity.wikidata:
        g.add((e_iri, OWL.sameAs, WD[entity.wikidata]))
    return e_iri


def map_mention(g: Graph, mention: Mention, article: Article, base: str) -> URIRef:
    m_iri = iris.mention_iri(article.id, mention.start, mention.end, base)
    g.add((m_iri, RDF.type, DIP.Mention))
    g.add((m_iri, DIP.inArticle, iris.article_iri(article.id, base)))
    g.add((m_iri, DIP.start, Literal(mention.start, datatype=XSD.integer)))
    g.add((m_iri, DIP.end, Literal(mention.end, datatype=XSD.integer)))
    g.add((m_iri, DIP.text, Literal(mention.text)))
    return m_iri


def map_position(g: Graph, position: Position, article: Article, base: str) -> URIRef:
    p_iri = iris.position_iri(position.holder, position.title, position.of, base)
    g.add((p_iri, RDF.type, DIP.Position))
    g.add((p_iri, DIP.title, Literal(position.title, lang="es")))
    g.add((iris.entity_iri(position.holder, base), DIP.holdsPosition, p_iri))
    if position.of:
        g.add((p_iri, DIP.positionOf, iris.entity_iri(position.of, base)))
    g.add((p_iri, DIP.evidence, map_mention(g, position.evidence, article, base)))
    return p_iri


def map_time(g: Graph, e_iri: URIRef, time: TimeExpr) -> None:
    if not time.inherited:  # an inherited date has no words of its own in this event
        g.add((e_iri, DIP.timeExpression, Literal(time.text, lang="es")))
    if time.value and time.precision:
        g.add((e_iri, DIP.date, Literal(time.value, datatype=_DATE_TYPES[time.precision])))


def map_event(g: Graph, event: Event, article: Article, base: str, e_iri: URIRef | None = None) -> URIRef:
    ev = event.evidence
    e_iri = e_iri or event_iri(event, base)
    g.add((e_iri, RDF.type, DIP[event.type]))
    g.add((e_iri, DIP.status, STATUS[event.status]))
    if event.participants:
        g.add((e_iri, DIP.identityKey, Literal(iris.event_identity_key(event.type, event.status, event.participants))))
    for key in event.participants:
        g.add((e_iri, DIP.participant, iris.entity_iri(key, base)))
    for key in event.actors:
        g.add((e_iri, DIP.actor, iris.entity_iri(key, base)))
    for key in event.counterparts:
        g.add((e_iri, DIP.counterpart, iris.entity_iri(key, base)))
    if event.location:
        g.add((e_iri, DIP.location, iris.entity_iri(event.location, base)))
    if event.destination:
        g.add((e_iri, DIP.destination, iris.entity_iri(event.destination, base)))
    if event.time:
        map_time(g, e_iri, event.time)
    for topic in event.topics:
        g.add((e_iri, DIP.topic, iris.topic_iri(topic)))
    g.add((e_iri, DIP.evidence, map_mention(g, ev, article, base)))
    return e_iri


# The events that link two agents in the contact network (the `network` named query), and
# the properties that name an event's agents.
CONTACT_CLASSES = (DIP.Meeting, DIP.PhoneCall)
AGENT_ROLES = (DIP.participant, DIP.actor, DIP.counterpart)


def add_contact_pairs(g: Graph, base: str = iris.DEFAULT_BASE) -> Graph:
    """Link each meeting and phone call in `g` to every pair of its agents (a dip:AgentPair
    with its two dip:member), which the stores count as graphs are written (see
    stores.base.refresh_contacts): ranking who met whom then reads counts instead of joining
    every meeting's participants at query time. For graphs built by hand too."""
    for cls in CONTACT_CLASSES:
        for e_iri in list(g.subjects(RDF.type, cls)):
            agents = sorted({a for role in AGENT_ROLES for a in g.objects(e_iri, role)}, key=str)
            for i, a in enumerate(agents):
                for b in agents[i + 1:]:
                    p_iri = iris.pair_iri(str(a), str(b), base)
                    g.add((e_iri, DIP.pair, p_iri))
                    g.add((p_iri, RDF.type, DIP.AgentPair))
                    g.add((p_iri, DIP.member, a))
                    g.add((p_iri, DIP.member, b))
    return g


def event_iri(event: Event, base: str = iris.DEFAULT_BASE, by_words: bool = False) -> URIRef:
    """The event's IRI; `by_words`: the one for an undated event whose IRI another event
    with other words for its time already has (see pipeline.same_events)."""
    date = event.time.value if event.time else None
    words = event.time.text if by_words and event.time and not event.time.inherited else None
    place = event.destination if event.type == "Visit" else event.location
    return iris.event_iri(event.type, event.status, event.participants, date, place, base, words)


def map_quantity(g: Graph, quantity: Quantity, article: Article, base: str) -> URIRef:
    m = quantity.mention
    q_iri = iris.quantity_iri(article.id, m.start, m.end, base)
    g.add((q_iri, RDF.type, DIP.Quantity))
    g.add((q_iri, DIP.value, Literal(Decimal(quantity.value), datatype=XSD.decimal)))
    g.add((q_iri, DIP.unit, Literal(quantity.unit, lang="es")))
    g.add((q_iri, DIP.qualifier, Literal(quantity.qualifier)))
    g.add((q_iri, DIP.evidence, map_mention(g, m, article, base)))
    return q_iri
