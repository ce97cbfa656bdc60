"""A synthetic diplomacy graph of a chosen size, shaped like the real one (ONTOLOGY-CONTRACT.md terms).

About 36 % agents (persons, countries, organizations, government bodies, delegations), 4 % places
and 60 % events. Agents are drawn with Zipf-like weights, so a few countries and ministers take
part in thousands of events as in real news, and most people in one or two; agents belong to
regions; an event happens in a region and four participants in five come from it, so the graph has
neighbourhoods as real news does. Every event has a
status, most have a date (xsd:date, gYearMonth or gYear), one to three topics and an evidence
mention in an article (one article per ten events) with title, date and source URL. A third of the
persons hold a post of a country of their region.

`synthetic_articles(n_nodes)` yields (article IRI, rdflib Graph) pairs; `synthetic_store(n_nodes, dir)`
puts them into a store with the ontology; `synthetic_graph(n_nodes)` is their union.
Deterministic for a given size and seed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from diplokg.rdf.vocab import DEFAULT_BASE, DIP, TOPIC

EVENT_CLASSES = (
    ("Meeting", 30), ("PhoneCall", 8), ("Visit", 14), ("Negotiation", 6), ("Agreement", 8),
    ("AgreementSigning", 5), ("Invitation", 5), ("Statement", 14), ("Criticism", 6), ("Sanction", 2),
    ("RelationsDowngrade", 2),
)
AGENT_CLASSES = (
    ("Person", 62), ("Country", 6), ("InternationalOrganization", 2), ("GovernmentBody", 14),
    ("Organization", 10), ("Delegation", 6),
)
TOPICS = ("security", "trade", "elections", "migration", "climate", "energy", "health", "investment",
          "defense", "technology", "drug-trafficking", "human-rights")
GIVEN = ("Ana", "Luis", "María", "José", "Carmen", "Jorge", "Lucía", "Pedro", "Elena", "Raúl", "Sofía", "Diego")
FAMILY = ("García", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Díaz", "Torres", "Ramos",
          "Flores", "Vargas", "Castro", "Rojas", "Mendoza", "Silva")
TITLES = ("canciller", "embajador", "ministro de defensa", "presidente", "viceministro", "secretario de estado")


def _iri(path: str) -> URIRef:
    return URIRef(DEFAULT_BASE + path)


def _pick(rng: random.Random, table) -> str:
    return rng.choices([name for name, _ in table], weights=[w for _, w in table])[0]


def synthetic_articles(n_nodes: int, seed: int = 7) -> Iterator[tuple[str, Graph]]:
    rng = random.Random(seed * 1_000_003 + n_nodes)
    n_events = max(1, round(n_nodes * 0.60))
    n_places = max(1, round(n_nodes * 0.04))
    n_agents = max(2, n_nodes - n_events - n_places)
    agents = []
    for i in range(n_agents):
        kind = _pick(rng, AGENT_CLASSES) if i >= 3 else "Country"
        if kind == "Person":
            label = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {rng.choice(FAMILY)} {i}"
        else:
            label = f"{kind} {i}"
        agents.append((_iri(f"{kind.lower()}/a{i}"), kind, label))
    places = [(_iri(f"place/p{i}"), f"Ciudad {i}") for i in range(n_places)]
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(n_agents)]
    # regions: most events stay within one region (a neighbourhood of the graph), some cross
    n_regions = max(1, round(n_agents ** 0.5 / 3))
    region_of = [rng.randrange(n_regions) for _ in range(n_agents)]
    members: list[list[int]] = [[] for _ in range(n_regions)]
    for idx, region in enumerate(region_of):
        members[region].append(idx)
    member_weights = [[weights[i] for i in m] for m in members]
    countries = [a for a in agents if a[1] == "Country"]

    declared: set = set()
    per_article = 10
    for first in range(0, n_events, per_article):
        a = first // per_article
        article = _iri(f"article/s{a}")
        g = Graph()
        year = 2020 + a % 7
        issued = f"{year}-{1 + a % 12:02d}-{1 + a % 28:02d}"
        g.add((article, RDF.type, DIP.Article))
        g.add((article, DCTERMS.title, Literal(f"Noticia sintética {a}", lang="es")))
        g.add((article, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
        g.add((article, DCTERMS.source, URIRef(f"https://example.org/noticias/{a}")))

        def declare(term, kind, label):
            g.add((term, RDF.type, DIP[kind]))
            g.add((term, RDFS.label, Literal(label, lang="es")))
            g.add((article, DIP.mentions, term))
            if term not in declared and kind == "Person" and rng.random() < 0.33:
                post = URIRef(str(term).replace("/person/", "/position/"))
                idx = int(str(term).rsplit("/a", 1)[1])
                local = [agents[i] for i in members[region_of[idx]] if agents[i][1] == "Country"]
                owner = rng.choice(local or countries)
                g.add((term, DIP.holdsPosition, post))
                g.add((post, RDF.type, DIP.Position))
                g.add((post, DIP.title, Literal(rng.choice(TITLES), lang="es")))
                g.add((post, DIP.positionOf, owner[0]))
                g.add((owner[0], RDF.type, DIP.Country))
                g.add((owner[0], RDFS.label, Literal(owner[2], lang="es")))
            declared.add(term)

        offset = 0
        for e in range(first, min(first + per_article, n_events)):
            event = _iri(f"event/e{e}")
            kind = _pick(rng, EVENT_CLASSES)
            g.add((event, RDF.type, DIP[kind]))
            g.add((event, DIP.status, DIP.Planned if rng.random() < 0.2 else DIP.Occurred))
            k = rng.random()
            if k < 0.55:
                g.add((event, DIP.date, Literal(f"{issued[:8]}{1 + e % 28:02d}", datatype=XSD.date)))
            elif k < 0.7:
                g.add((event, DIP.date, Literal(issued[:7], datatype=XSD.gYearMonth)))
            elif k < 0.8:
                g.add((event, DIP.date, Literal(issued[:4], datatype=XSD.gYear)))
            for topic in rng.sample(TOPICS, rng.choice((1, 1, 2, 3))):
                g.add((event, DIP.topic, TOPIC[topic]))
            # event agents: an unseen agent now and then (so every agent shows up), else by weight
            size = rng.choice((2, 2, 2, 3, 3, 4))
            region = rng.randrange(n_regions)
            if rng.random() < 0.8 and members[region]:
                chosen = rng.choices(members[region], weights=member_weights[region], k=1)
            else:
                chosen = rng.choices(range(n_agents), weights=weights, k=1)
            for _ in range(size - 1):
                if rng.random() < 0.75 and len(members[region]) > 1:
                    chosen += rng.choices(members[region], weights=member_weights[region], k=1)
                else:
                    chosen += rng.choices(range(n_agents), weights=weights, k=1)
            if e < n_agents:
                chosen[-1] = e
            if e + n_events < n_agents:
                chosen.append(e + n_events)
            chosen = list(dict.fromkeys(chosen))
            for i, idx in enumerate(chosen):
                term, akind, label = agents[idx]
                declare(term, akind, label)
                prop = DIP.actor if i == 0 else DIP.counterpart if i == 1 else DIP.participant
                g.add((event, prop, term))
                g.add((event, DIP.participant, term))
            if rng.random() < 0.5 or e < n_places:
                place, plabel = places[e % n_places] if e < n_places else rng.choice(places)
                g.add((place, RDF.type, DIP.Place))
                g.add((place, RDFS.label, Literal(plabel, lang="es")))
                g.add((event, DIP.location, place))
            text = f"{agents[chosen[0]][2]} y {agents[chosen[-1]][2]} ({kind}, evento {e})."
            mention = _iri(f"mention/s{a}/{offset}-{offset + len(text)}")
            g.add((event, DIP.evidence, mention))
            g.add((mention, RDF.type, DIP.Mention))
            g.add((mention, DIP.inArticle, article))
            g.add((mention, DIP.start, Literal(offset)))
            g.add((mention, DIP.end, Literal(offset + len(text))))
            g.add((mention, DIP.text, Literal(text)))
            offset += len(text) + 1
        yield str(article), g


def synthetic_store(n_nodes: int, location, seed: int = 7):
    """A store at `location` (a directory: embedded Oxigraph; see `diplokg.stores.open_store`)
    holding the synthetic articles and the ontology. The caller closes it."""
    from diplokg.pipeline import ensure_ontology
    from diplokg.stores import open_store

    store = open_store(location)
    ensure_ontology(store)
    for iri, g in synthetic_articles(n_nodes, seed):
        store.put_article(iri, g, hashlib.sha256(iri.encode()).hexdigest())
    return store


def synthetic_graph(n_nodes: int, seed: int = 7) -> Graph:
    union = Graph()
    for _iri_, g in synthetic_articles(n_nodes, seed):
        union += g
    return union
