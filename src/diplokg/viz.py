"""The interactive viewer: an RDF graph of diplomacy news -> networkx -> one self-contained HTML file.

`network_from_graph` reads the contract terms (ONTOLOGY-CONTRACT.md) from an rdflib graph, usually
the union of the article graphs, with or without the ontology, and returns a
`networkx.MultiDiGraph` whose nodes are agents, places and events (events are nodes, linked to
their participants and places). `render_html` draws that network with vis-network through pyvis,
but in our own template: vis-network's JS and CSS are inlined from the copy that ships inside the
pyvis package, so the page needs no network at all, and every piece of text that comes from an
article travels as JSON inside ``<script type="application/json">`` and reaches the page only
through `textContent` / vis-network's plain-text tooltips, never as markup.

Node attributes: ``label``, ``kind`` (the class local name: "Person", "Meeting", ...), ``title``
(the tooltip, plain text with newlines), ``group`` (same as kind), ``iri``; agents also
``aliases``, ``posts`` ([{"title", "of", "of_label", "evidence"}]) and ``wikidata``; events also
``status`` ("Occurred"/"Planned"/None), ``date`` (the first), ``dates``, ``time`` (the time
expressions), ``topics`` (labels) and ``evidence`` ([{"text", "article"}]); ``net.graph["articles"]``
maps article IRIs to their title, date and source link (what the side panel shows).
Edge keys and attributes: ``relation`` is the contract property ("actor", "counterpart",
"participant", "location", "destination", "holdsPosition"), ``label`` the text drawn on the edge
(the post's title for holdsPosition), ``title`` the tooltip, ``directed`` whether an arrow is drawn.
Event edges are keyed by their relation; holdsPosition edges by the position's IRI.

`network_from_store` builds the same network from a store with SPARQL and narrows it (focus
and depth, dates, types, a SELECT, a node budget); `entity_edges` derives the entity network
(agents linked by the events they share). The page has both views, filters, search and a side
panel; above `PHYSICS_MAX_NODES` nodes the layout comes from `diplokg.layout` and physics is
off. `to_graphml` / `to_cytoscape` give the network to other viewers.
"""

from __future__ import annotations

import gc
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from rdflib import BNode, Graph, Literal
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .errors import DiplokgError, InputError
from .model import ENTITY_TYPES, EVENT_TYPES
from .rdf.vocab import DIP, WD

__all__ = [
    "AGENT_KINDS",
    "EVENT_KINDS",
    "KIND_STYLES",
    "KindStyle",
    "entity_edges",
    "network_from_graph",
    "network_from_store",
    "PHYSICS_MAX_NODES",
    "TripleIndex",
    "render_html",
    "to_cytoscape",
    "to_graphml",
    "write_html",
]

EVENT_KINDS = EVENT_TYPES
AGENT_KINDS = tuple(t for t in ENTITY_TYPES if t != "Place")

# Most specific first: a thing typed with several known classes (directly or through
# rdfs:subClassOf in the ontology) gets the first kind of this order.
_KIND_ORDER = (*EVENT_KINDS, *AGENT_KINDS, "Place", "Event", "Agent")
_KIND_RANK = {kind: i for i, kind in enumerate(_KIND_ORDER)}
_CLASS_KIND = {DIP[kind]: kind for kind in _KIND_ORDER}
_EVENT_KIND_SET = frozenset((*EVENT_KINDS, "Event"))


@dataclass(frozen=True)
class KindStyle:
    """How a node kind is drawn and listed in the legend."""

    label: str  # Spanish name shown in the legend
    shape: str  # a vis-network shape
    color: str  # fill
    border: str
    family: str  # legend section


_FAMILIES = {
    "agent": "Actores",
    "place": "Lugares",
    "contact": "Eventos: encuentros",
    "cooperation": "Eventos: negociación y acuerdos",
    "statement": "Eventos: declaraciones",
    "conflict": "Eventos: conflicto",
    "event": "Eventos: otros",
    "other": "Otros",
}
_EVENT_FAMILY_COLORS = {
    "contact": ("#d3e5f6", "#2f6ea5"),
    "cooperation": ("#d5eed0", "#3b8a3e"),
    "statement": ("#e9e9e9", "#666666"),
    "conflict": ("#f8d3cf", "#c0392b"),
    "event": ("#f3ecd0", "#8a7a3f"),
}


def _event_style(label: str, family: str) -> KindStyle:
    fill, border = _EVENT_FAMILY_COLORS[family]
    return KindStyle(label, "box", fill, border, family)


KIND_STYLES: dict[str, KindStyle] = {
    "Person": KindStyle("Persona", "dot", "#4e79a7", "#2d4f74", "agent"),
    "Country": KindStyle("País", "diamond", "#f28e2b", "#b05a0c", "agent"),
    "InternationalOrganization": KindStyle("Organización internacional", "hexagon", "#b07aa1", "#77486b", "agent"),
    "GovernmentBody": KindStyle("Organismo de gobierno", "square", "#76b7b2", "#3c7c77", "agent"),
    "Organization": KindStyle("Organización", "triangleDown", "#9c755f", "#664a3a", "agent"),
    "Delegation": KindStyle("Delegación", "star", "#edc948", "#a3851a", "agent"),
    "Agent": KindStyle("Actor (sin tipo)", "dot", "#bab0ac", "#7d7370", "agent"),
    "Place": KindStyle("Lugar", "triangle", "#59a14f", "#36692f", "place"),
    "Meeting": _event_style("Reunión", "contact"),
    "PhoneCall": _event_style("Llamada telefónica", "contact"),
    "Visit": _event_style("Visita", "contact"),
    "Negotiation": _event_style("Negociación", "cooperation"),
    "Agreement": _event_style("Acuerdo", "cooperation"),
    "AgreementSigning": _event_style("Firma de acuerdo", "cooperation"),
    "Invitation": _event_style("Invitación", "cooperation"),
    "Statement": _event_style("Declaración", "statement"),
    "Criticism": _event_style("Crítica", "conflict"),
    "Sanction": _event_style("Sanción", "conflict"),
    "RelationsDowngrade": _event_style("Deterioro de relaciones", "conflict"),
    "Event": _event_style("Evento", "event"),
}
_FALLBACK_STYLE = KindStyle("Otro", "ellipse", "#dddddd", "#888888", "other")

_STATUS_LABELS = {DIP.Occurred: ("Occurred", "ocurrido"), DIP.Planned: ("Planned", "previsto")}
_ROLE_LABELS = {"actor": "Actor", "counterpart": "Contraparte", "participant": "Participantes"}


@contextmanager
def _collector_paused():
    """Build a big network without CPython's cycle collector running again and again.

    A 20,000-node network is hundreds of thousands of new terms, tuples and dicts, none of
    them garbage until the end; each burst of allocations would start a collection that scans
    them all (a fifth of the time of `network_from_store` and `render_html`). Nothing is lost:
    the collector is back on afterwards, if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- reading RDF


def _local_name(term) -> str:
    text = str(term)
    for sep in ("#", "/", ":"):
        if sep in text.rstrip(sep):
            text = text.rstrip(sep).rsplit(sep, 1)[1]
            break
    return text or str(term)


def _node_id(term) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _lang_rank(lit: Literal) -> int:
    lang = (lit.language or "").lower()
    if lang == "es" or lang.startswith("es-"):
        return 0
    if not lang:
        return 1
    if lang == "en" or lang.startswith("en-"):
        return 2
    return 3


def _pick(values) -> str | None:
    """The preferred literal of `values`: Spanish, then no language, then English, then any."""
    lits = [v for v in values if isinstance(v, Literal)]
    if not lits:
        return None
    return str(min(lits, key=lambda lit: (_lang_rank(lit), str(lit))))


class _Reader:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self._class_kinds: dict = {}
        self._articles: dict = {}

    # kinds ---------------------------------------------------------------

    def kinds_of_class(self, cls) -> frozenset[str]:
        """Known kinds of `cls` itself or of any of its rdfs:subClassOf ancestors."""
        cached = self._class_kinds.get(cls)
        if cached is not None:
            return cached
        found: set[str] = set()
        seen = {cls}
        todo = [cls]
        while todo:
            current = todo.pop()
            kind = _CLASS_KIND.get(current)
            if kind is not None:
                found.add(kind)
                continue  # a known class: its ancestors are more general
            for parent in self.g.objects(current, RDFS.subClassOf):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        result = frozenset(found)
        self._class_kinds[cls] = result
        return result

    def kind(self, term) -> str | None:
        best = None
        for cls in self.g.objects(term, RDF.type):
            for kind in self.kinds_of_class(cls):
                if best is None or _KIND_RANK[kind] < _KIND_RANK[best]:
                    best = kind
        return best

    # text ----------------------------------------------------------------

    def label(self, term) -> str:
        return (
            _pick(self.g.objects(term, RDFS.label))
            or _pick(self.g.objects(term, SKOS.prefLabel))
            or _local_name(term)
        )

    def literal(self, term, prop) -> str | None:
        return _pick(self.g.objects(term, prop))

    def literals(self, term, prop) -> list[str]:
        return sorted({str(v) for v in self.g.objects(term, prop) if isinstance(v, Literal)})

    def aliases(self, term, label: str) -> list[str]:
        others = {str(v) for v in self.g.objects(term, RDFS.label) if isinstance(v, Literal)}
        others |= {str(v) for v in self.g.objects(term, SKOS.altLabel) if isinstance(v, Literal)}
        others.discard(label)
        return sorted(others, key=lambda s: (s.casefold(), s))

    def evidence(self, term) -> list[str]:
        """'“span” — article title' for each dip:evidence Mention of `term`, in reading order."""
        found = []
        for text, article, offset in self.evidence_records(term):
            source = self.article(article)["title"] if article is not None else ""
            found.append((source, offset, f"“{text}”" + (f" — {source}" if source else "")))
        return [line for _, _, line in sorted(set(found))]

    def evidence_records(self, term) -> list[tuple[str, object, int]]:
        """(text, article term or None, start offset) of each dip:evidence Mention of `term`."""
        found = set()
        for mention in self.g.objects(term, DIP.evidence):
            text = self.literal(mention, DIP.text)
            if text is None:
                continue
            article = self.g.value(mention, DIP.inArticle)
            start = self.g.value(mention, DIP.start)
            try:
                offset = int(start) if start is not None else -1
            except (TypeError, ValueError):
                offset = -1
            found.add((text, article, offset))
        return sorted(found, key=lambda r: (str(r[1]), r[2], r[0]))

    def article(self, term) -> dict:
        """Title, date, source link and id of an article (what the side panel shows)."""
        cached = self._articles.get(term)
        if cached is None:
            source = self.g.value(term, DCTERMS.source)
            cached = {
                "title": self.literal(term, DCTERMS.title) or self.literal(term, DCTERMS.identifier) or _local_name(term),
                "date": self.literal(term, DCTERMS.issued),
                "source": str(source) if source is not None and not isinstance(source, BNode) else None,
            }
            self._articles[term] = cached
        return cached


def network_from_graph(graph: Graph) -> nx.MultiDiGraph:
    """The network that the viewer draws: agents, places and events of `graph` as nodes.

    Events link to their agents (``actor``: agent -> event, ``counterpart``: event -> agent,
    ``participant``: event -> agent for the other participants) and to their places
    (``location``, ``destination``). A person's posts become ``holdsPosition`` edges to whose
    post it is, labelled with the title. Topics, dates, status and evidence go into tooltips.
    Things used as participants or places but untyped get the kind "Agent" or "Place".

    `graph` is read with plain triple look-ups (``subjects``, ``objects``, ``value``), so pass
    the union of the article graphs: a Graph, a Dataset made with ``default_union=True``, or a
    `TripleIndex` of (s, p, o) rows (what `network_from_store` does).
    """
    r = _Reader(graph)
    kinds: dict = {}  # rdflib term -> kind
    for subject in set(graph.subjects(RDF.type, None)):
        if isinstance(subject, Literal):
            continue
        kind = r.kind(subject)
        if kind is not None:
            kinds[subject] = kind

    def ensure(term, default: str) -> bool:
        if isinstance(term, Literal):
            return False
        if term not in kinds:
            kinds[term] = r.kind(term) or default
        return True

    # (source term, target term, key, attributes) collected before labels are known
    edges: list[tuple] = []
    events = sorted((t for t, k in kinds.items() if k in _EVENT_KIND_SET), key=_node_id)
    roles: dict = {}
    for event in events:
        actors = sorted((a for a in graph.objects(event, DIP.actor) if ensure(a, "Agent")), key=_node_id)
        counterparts = sorted(
            (c for c in graph.objects(event, DIP.counterpart) if ensure(c, "Agent")), key=_node_id
        )
        taken = set(actors) | set(counterparts)
        others = sorted(
            (p for p in set(graph.objects(event, DIP.participant)) - taken if ensure(p, "Agent")), key=_node_id
        )
        roles[event] = {"actor": actors, "counterpart": counterparts, "participant": others}
        for agent in actors:
            edges.append((agent, event, "actor", {"directed": True}))
        for agent in counterparts:
            edges.append((event, agent, "counterpart", {"directed": True}))
        for agent in others:
            edges.append((event, agent, "participant", {"directed": False}))
        for prop in ("location", "destination"):
            for place in sorted(graph.objects(event, DIP[prop]), key=_node_id):
                if ensure(place, "Place"):
                    edges.append((event, place, prop, {"directed": True}))

    # posts: person -> (title, whose post, evidence lines)
    posts: dict = defaultdict(list)
    post_records: dict = defaultdict(list)  # person -> [{"title", "of", "evidence"}] for the side panel
    holders: dict = defaultdict(list)  # whose post -> [(title, person)]
    for person in sorted((t for t, k in kinds.items() if k not in _EVENT_KIND_SET), key=_node_id):
        for position in sorted(graph.objects(person, DIP.holdsPosition), key=_node_id):
            title = r.literal(position, DIP.title) or r.label(position)
            owners = sorted((o for o in graph.objects(position, DIP.positionOf) if ensure(o, "Agent")), key=_node_id)
            evidence = r.evidence(position)
            records = _evidence_dicts(r, r.evidence_records(position))
            if not owners:
                posts[person].append((title, None))
                post_records[person].append({"title": title, "of": None, "evidence": records})
            for owner in owners:
                posts[person].append((title, owner))
                post_records[person].append({"title": title, "of": _node_id(owner), "evidence": records})
                holders[owner].append((title, person))
                edges.append(
                    (person, owner, _node_id(position), {"directed": True, "relation": "holdsPosition",
                                                         "label": title, "evidence": evidence})
                )

    labels = {term: r.label(term) for term in kinds}
    label_of_id = {_node_id(term): label for term, label in labels.items()}
    for records in post_records.values():
        for record in records:
            if record["of"] is not None:
                record["of_label"] = label_of_id.get(record["of"], record["of"])
    net = nx.MultiDiGraph()
    event_count: dict = defaultdict(int)
    for source, target, _key, _attrs in edges:
        if source in roles:
            event_count[target] += 1
        elif target in roles:
            event_count[source] += 1

    for term in sorted(kinds, key=_node_id):
        kind = kinds[term]
        label = labels[term]
        style = KIND_STYLES.get(kind, _FALLBACK_STYLE)
        attrs = {"label": label, "kind": kind, "group": kind, "iri": _node_id(term)}
        if kind in _EVENT_KIND_SET:
            attrs.update(_event_attrs(r, term, kind, roles.get(term, {}), labels))
        else:
            aliases = r.aliases(term, label)
            attrs["aliases"] = aliases
            if post_records.get(term):
                attrs["posts"] = post_records[term]
            lines = [f"{style.label}: {label}"]
            if aliases:
                lines.append("También: " + ", ".join(aliases))
            if posts.get(term):
                lines.append("Cargos:")
                for title, owner in posts[term]:
                    lines.append(f"• {title} — {labels[owner]}" if owner is not None else f"• {title}")
            if holders.get(term):
                lines.append("Cargos de este actor:")
                for title, person in sorted(holders[term], key=lambda tp: (tp[0], labels[tp[1]])):
                    lines.append(f"• {title}: {labels[person]}")
            wikidata = sorted(str(s)[len(str(WD)):] for s in graph.objects(term, OWL.sameAs) if str(s).startswith(str(WD)))
            if wikidata:
                attrs["wikidata"] = wikidata
                lines.append("Wikidata: " + ", ".join(wikidata))
            if event_count.get(term):
                lines.append(f"Eventos: {event_count[term]}")
            attrs["title"] = "\n".join(lines)
        net.add_node(_node_id(term), **attrs)

    for source, target, key, attrs in edges:
        relation = attrs.get("relation", key)
        label = attrs.get("label", relation)
        title = f"{labels[source]} —{relation}→ {labels[target]}"
        if relation == "holdsPosition":
            title = f"{labels[source]}: {label} — {labels[target]}"
            if attrs.get("evidence"):
                title += "\n" + "\n".join(attrs["evidence"])
        net.add_edge(
            _node_id(source), _node_id(target), key=key,
            relation=relation, label=label, title=title, directed=attrs["directed"],
        )
    net.graph["articles"] = {
        _node_id(term): info for term, info in sorted(r._articles.items(), key=lambda item: _node_id(item[0]))
    }
    return net


def _evidence_dicts(r: _Reader, records) -> list[dict]:
    out = []
    for text, article, _offset in records:
        if article is not None:
            r.article(article)  # registers the article for net.graph["articles"]
        out.append({"text": text, "article": _node_id(article) if article is not None else None})
    return out


def _event_attrs(r: _Reader, event, kind: str, roles: dict, labels: dict) -> dict:
    style = KIND_STYLES.get(kind, _FALLBACK_STYLE)
    g = r.g
    status_term = g.value(event, DIP.status)
    status = status_label = None
    if status_term is not None:
        status, status_label = _STATUS_LABELS.get(status_term, (_local_name(status_term), r.label(status_term)))
    dates = r.literals(event, DIP.date)
    expressions = r.literals(event, DIP.timeExpression)
    own_label = _pick(g.objects(event, RDFS.label))

    head = style.label + (f" · {status_label}" if status_label else "")
    lines = [head]
    if own_label:
        lines.append(own_label)
    when = ", ".join(dates)
    if expressions:
        quoted = ", ".join(f"“{e}”" for e in expressions)
        when = f"{when} ({quoted})" if when else quoted
    if when:
        lines.append(f"Fecha: {when}")
    for role in ("actor", "counterpart", "participant"):
        if roles.get(role):
            lines.append(f"{_ROLE_LABELS[role]}: " + ", ".join(labels[a] for a in roles[role]))
    for prop, name in (("location", "Lugar"), ("destination", "Destino")):
        places = [labels[p] for p in sorted(g.objects(event, DIP[prop]), key=_node_id) if p in labels]
        if places:
            lines.append(f"{name}: " + ", ".join(places))
    topics = sorted({r.label(t) for t in g.objects(event, DIP.topic)}, key=lambda s: (s.casefold(), s))
    if topics:
        lines.append("Temas: " + ", ".join(topics))
    evidence = r.evidence(event)
    if evidence:
        lines.append("Evidencia:")
        lines.extend(evidence)
    records = _evidence_dicts(r, r.evidence_records(event))

    node_label = own_label or style.label
    if dates:
        node_label += "\n" + dates[0]
    elif expressions:
        node_label += "\n" + expressions[0]
    return {
        "label": node_label,
        "title": "\n".join(lines),
        "status": status,
        "date": dates[0] if dates else None,
        "dates": dates,
        "time": expressions,
        "topics": topics,
        "evidence": records,
    }


# --------------------------------------------------------------------------- the entity network

AGENT_KIND_SET = frozenset((*AGENT_KINDS, "Agent"))
_ROLE_RELATIONS = ("actor", "counterpart", "participant")


def entity_edges(net: nx.MultiDiGraph) -> list[dict]:
    """The links of the entity network: two agents are linked by the events they share.

    One dict per pair of agents that take part (as actor, counterpart or other participant) in
    at least one common event: ``source``, ``target`` (sorted node ids), ``events`` (the event
    ids, sorted) and ``weight`` (how many). Pairs come sorted by ids.
    """
    pairs: dict[tuple[str, str], set] = defaultdict(set)
    for event, kind in net.nodes(data="kind"):
        if kind not in _EVENT_KIND_SET:
            continue
        agents = set()
        for u, v, relation in net.in_edges(event, data="relation"):
            if relation in _ROLE_RELATIONS:
                agents.add(u)
        for u, v, relation in net.out_edges(event, data="relation"):
            if relation in _ROLE_RELATIONS:
                agents.add(v)
        agents = sorted(a for a in agents if net.nodes[a].get("kind") not in _EVENT_KIND_SET)
        for i, a in enumerate(agents):
            for b in agents[i + 1:]:
                pairs[(a, b)].add(event)
    return [
        {"source": a, "target": b, "events": sorted(events), "weight": len(events)}
        for (a, b), events in sorted(pairs.items())
    ]


# --------------------------------------------------------------------------- from a store

# Only what the viewer shows is fetched from the store (no dip:mentions, quantities, hashes).
_VIEW_PREDICATES = (
    RDF.type, RDFS.label, RDFS.subClassOf, SKOS.altLabel, SKOS.prefLabel, OWL.sameAs,
    DIP.actor, DIP.counterpart, DIP.participant, DIP.location, DIP.destination,
    DIP.date, DIP.timeExpression, DIP.status, DIP.topic, DIP.evidence,
    DIP.holdsPosition, DIP.title, DIP.positionOf,
    DIP.text, DIP.inArticle, DIP.start,
    DCTERMS.title, DCTERMS.issued, DCTERMS.source, DCTERMS.identifier,
)
VIEW_QUERY = (
    "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { "
    + " ".join(f"<{p}>" for p in _VIEW_PREDICATES)
    + " } ?s ?p ?o }"
)


class TripleIndex:
    """The three look-ups `network_from_graph` makes (``subjects``, ``objects``, ``value``), over
    (s, p, o) rows of rdflib terms: several times faster to fill and to read than an rdflib
    Graph, which matters at 20,000 nodes."""

    def __init__(self, rows) -> None:
        self._sp: dict = defaultdict(list)
        self._po: dict = defaultdict(list)
        self._p: dict = defaultdict(list)
        seen = set()
        for triple in rows:
            if triple in seen or None in triple:
                continue
            seen.add(triple)
            s, p, o = triple
            self._sp[(s, p)].append(o)
            self._po[(p, o)].append(s)
            self._p[p].append(s)
        self._size = len(seen)

    def __len__(self) -> int:
        return self._size

    def objects(self, subject, predicate):
        return iter(self._sp.get((subject, predicate), ()))

    def subjects(self, predicate, obj=None):
        if obj is None:
            return iter(dict.fromkeys(self._p.get(predicate, ())))
        return iter(self._po.get((predicate, obj), ()))

    def value(self, subject, predicate):
        found = self._sp.get((subject, predicate))
        return found[0] if found else None
QUERY_COLUMNS = ("event", "node", "s", "o")


@_collector_paused()
def network_from_store(
    store,
    *,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    types: Iterable[str] | None = None,
    query: str | None = None,
) -> nx.MultiDiGraph:
    """The viewer's network of what `store` holds, narrowed by the options (all optional).

    The graph is read with one SPARQL SELECT that fetches only the terms the viewer shows
    (`VIEW_QUERY`), over the union of the article graphs and the ontology (for class
    hierarchy and topic labels). Then, in this order:

    * `query`: a SPARQL SELECT whose results choose what to draw. Every IRI bound to a column
      named ``event``, ``node``, ``s`` or ``o`` that is a node of the network is kept (so
      ``SELECT ?s ?p ?o`` rows keep their subjects and objects, ``SELECT ?event`` rows their
      events); a kept event brings its participants and places along. Other columns and
      literals are ignored. A query that is not a SELECT, or that has none of these columns,
      is an error.
    * `date_from` / `date_to` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, both ends included):
      events whose ``dip:date`` falls in the range are kept (a ``2026`` date overlaps any day
      of 2026); undated events are left out, and so are agents and places that had events but
      have none left.
    * `focus` (an IRI, a prefixed ``id:...`` name, or a label or alias, matched case- and
      accent-insensitively) and `depth`: only nodes at most `depth` links away from the focus
      (an agent's events are one link away, the other participants of those events two).
    * `types`: kinds to draw (class local names, case-insensitive: ``Person``, ``Country``,
      ``Meeting``...; ``Event`` stands for every event class, ``Agent`` for every agent class).
      The entity network is made before this step, so ``--types Person Country`` still links
      persons and countries by the events they share.
    * `max_nodes`: when more nodes remain, the most connected part is kept: nodes nearest to
      the focus first (by distance, then degree), or, without a focus, a connected region
      grown from the busiest node, each step taking the node with most links into it.

    ``net.graph`` records what was left out (``omitted``: counts by kind, edges and why),
    the focus node (``focus``), the options used (``filters``) and the entity network
    (``entity_edges``) for `render_html`.
    """
    if depth is not None and depth < 0:
        raise InputError("--depth must be 0 or more")
    if max_nodes is not None and max_nodes < 1:
        raise InputError("--max-nodes must be at least 1")
    wanted = _parse_types(types)
    start, end = _date_bound(date_from, "start"), _date_bound(date_to, "end")
    if start and end and start > end:
        raise InputError(f"empty date range: {date_from} is after {date_to}")

    net = network_from_graph(TripleIndex(store.query(VIEW_QUERY, set_union=False).rows))  # DISTINCT
    total = net.number_of_nodes()
    dropped: dict[str, int] = defaultdict(int)
    reasons = []

    def drop(nodes, reason):
        nodes = [n for n in nodes if n in net]
        if not nodes:
            return
        for n in nodes:
            dropped[net.nodes[n].get("kind") or "Other"] += 1
        net.remove_nodes_from(nodes)
        reasons.append((reason, len(nodes)))

    if query is not None:
        selected = _select_by_query(store, query, net)
        drop([n for n in net if n not in selected], "la consulta --query")
    if start or end:
        had_events = {n for n in net if _event_neighbours(net, n)}
        out = [n for n, kind in net.nodes(data="kind")
               if kind in _EVENT_KIND_SET and not _date_overlaps(net.nodes[n].get("dates") or [], start, end)]
        drop(out, "el intervalo de fechas")
        drop([n for n in had_events if n in net and not _event_neighbours(net, n)], "el intervalo de fechas")
    focus_id = None
    if focus is not None:
        focus_id = _resolve_focus(net, focus)
        near = nx.single_source_shortest_path_length(net.to_undirected(as_view=True), focus_id, cutoff=depth)
        drop([n for n in net if n not in near], f"la distancia a «{net.nodes[focus_id]['label']}» (--depth {depth})")
    entities = entity_edges(net)
    if wanted is not None:
        drop([n for n, kind in net.nodes(data="kind") if (kind or "Other") not in wanted], "los tipos elegidos (--types)")
    if max_nodes is not None and net.number_of_nodes() > max_nodes:
        keep = _most_connected(net, entities, max_nodes, focus_id)
        drop([n for n in net if n not in keep], f"el límite de {max_nodes} nodos (--max-nodes)")
    entities = [e for e in entities if e["source"] in net and e["target"] in net]

    net.graph["entity_edges"] = entities
    net.graph["focus"] = focus_id
    net.graph["filters"] = {
        k: v for k, v in (("focus", focus), ("depth", depth if focus is not None else None), ("max_nodes", max_nodes),
                          ("from", date_from), ("to", date_to),
                          ("types", sorted(wanted) if wanted is not None else None),
                          ("query", "sí" if query is not None else None)) if v is not None
    }
    if dropped:
        net.graph["omitted"] = {
            "nodes": sum(dropped.values()),
            "total": total,
            "by_kind": dict(sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))),
            "reasons": [reason for reason, _n in reasons],
        }
    return net


def _event_neighbours(net: nx.MultiDiGraph, node) -> bool:
    return any(net.nodes[m].get("kind") in _EVENT_KIND_SET for m in nx.all_neighbors(net, node))


def _parse_types(types) -> frozenset[str] | None:
    if types is None:
        return None
    names = [t.strip() for item in ([types] if isinstance(types, str) else types) for t in str(item).split(",")]
    names = [n for n in names if n]
    if not names:
        return None
    known = {k.casefold(): k for k in KIND_STYLES}
    out: set[str] = set()
    for name in names:
        key = name.removeprefix("dip:").casefold()
        if key == "event":
            out |= set(EVENT_KINDS) | {"Event"}
        elif key == "agent":
            out |= set(AGENT_KINDS) | {"Agent"}
        elif key in known:
            out.add(known[key])
        else:
            raise InputError(f"unknown node type {name!r}; available: {', '.join(KIND_STYLES)}")
    return frozenset(out)


_DATE_RX = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _date_interval(text: str) -> tuple[str, str] | None:
    """First and last day (ISO) that an xsd:date, gYearMonth or gYear lexical form covers."""
    m = _DATE_RX.match(str(text).strip())
    if not m:
        return None
    year, month, day = m.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        import calendar

        last = calendar.monthrange(int(year), int(month))[1] if 1 <= int(month) <= 12 else 31
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def _date_bound(text: str | None, side: str) -> str | None:
    if text is None or str(text).strip() == "":
        return None
    if not _DATE_RX.fullmatch(str(text).strip()):
        raise InputError(f"invalid date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    first, last = _date_interval(text)
    return first if side == "start" else last


def _date_overlaps(dates, start: str | None, end: str | None) -> bool:
    for text in dates:
        interval = _date_interval(text)
        if interval is None:
            continue
        first, last = interval
        if (start is None or last >= start) and (end is None or first <= end):
            return True
    return False


def _norm(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _resolve_focus(net: nx.MultiDiGraph, focus: str) -> str:
    """The node that `focus` names: an IRI, ``id:...``, or a label / alias."""
    from .rdf.vocab import DEFAULT_BASE

    text = focus.strip()
    for candidate in (text, text.strip("<>"), DEFAULT_BASE + text[3:] if text.startswith("id:") else None):
        if candidate and candidate in net:
            return candidate
    q = _norm(text)
    best, best_score = None, None
    degree = net.degree()
    for node, attrs in net.nodes(data=True):
        names = [str(attrs.get("label") or node).replace("\n", " ")] + [str(a) for a in attrs.get("aliases") or []]
        for i, name in enumerate(names):
            t = _norm(name)
            rank = 0 if t == q else 1 if t.startswith(q) else 2 if q in t else None
            if rank is None:
                continue
            score = (rank, i > 0, -degree[node], str(node))
            if best_score is None or score < best_score:
                best, best_score = node, score
    if best is None:
        raise InputError(f"no node named {focus!r} in the graph (give a label, an alias or an IRI)")
    return best


def _select_by_query(store, sparql: str, net: nx.MultiDiGraph) -> set:
    from rdflib import URIRef

    result = store.query(sparql)
    if result.kind != "select":
        raise InputError("--query needs a SELECT query (with ?event, ?node, or ?s ?p ?o columns)")
    columns = [i for i, name in enumerate(result.vars) if name in QUERY_COLUMNS]
    if not columns:
        raise InputError(
            f"the --query SELECT has columns {', '.join('?' + v for v in result.vars) or '(none)'}; "
            "it needs ?event, ?node, ?s or ?o"
        )
    chosen: set = set()
    for row in result.rows:
        for i in columns:
            term = row[i]
            if term is None or isinstance(term, Literal):
                continue
            node = _node_id(term) if not isinstance(term, URIRef) else str(term)
            if node in net:
                chosen.add(node)
    for node in list(chosen):
        if net.nodes[node].get("kind") in _EVENT_KIND_SET:
            chosen.update(nx.all_neighbors(net, node))
    return chosen


def _most_connected(net: nx.MultiDiGraph, entities: list[dict], limit: int, focus) -> set:
    """`limit` nodes: around `focus` nearest first, else a dense region grown from the busiest node.

    Connectivity is that of the drawn graph (events link their agents); when no events are
    drawn, agents connect through the entity network instead.
    """
    import heapq

    simple = nx.Graph()
    simple.add_nodes_from(net)
    simple.add_edges_from((u, v) for u, v in net.edges() if u != v)
    if not any(kind in _EVENT_KIND_SET for _, kind in net.nodes(data="kind")):
        # no events drawn (--types without events): agents connect through the events they share
        simple.add_edges_from((e["source"], e["target"]) for e in entities if e["source"] in net and e["target"] in net)
    degree = dict(simple.degree())
    if focus is not None and focus in simple:
        dist = nx.single_source_shortest_path_length(simple, focus)
        order = sorted(simple, key=lambda n: (dist.get(n, math.inf), -degree[n], str(n)))
        return set(order[:limit])
    keep: set = set()
    links: dict = defaultdict(int)
    by_degree = sorted(simple, key=lambda n: (-degree[n], str(n)))
    next_seed = 0
    heap: list = []
    while len(keep) < limit:
        if not heap:
            while by_degree[next_seed] in keep:
                next_seed += 1
            seed = by_degree[next_seed]
            heapq.heappush(heap, (0, -degree[seed], str(seed), seed))
        neg_links, _neg_deg, _name, node = heapq.heappop(heap)
        if node in keep or -neg_links != links[node]:
            continue
        keep.add(node)
        for other in simple[node]:
            if other not in keep:
                links[other] += 1
                heapq.heappush(heap, (-links[other], -degree[other], str(other), other))
    return keep


# --------------------------------------------------------------------------- HTML

_TEMPLATES = Path(__file__).parent / "templates"
_EDGE_COLORS = {
    "actor": "#4a4a4a",
    "counterpart": "#4a4a4a",
    "participant": "#a0a0a0",
    "location": "#59a14f",
    "destination": "#59a14f",
    "holdsPosition": "#8a6bbf",
}


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str, str]:
    """(version, js, css) of the newest vis-network that the installed pyvis package ships."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib"
    found = []
    for js in lib.glob("vis-*/vis-network.min.js"):
        numbers = tuple(int(n) for n in re.findall(r"\d+", js.parent.name.removeprefix("vis-")))
        if (js.parent / "vis-network.css").is_file():
            found.append((numbers, js.parent))
    if not found:
        raise DiplokgError(f"no vis-network copy found in {lib}; reinstall pyvis")
    _, folder = max(found)
    js_text = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css_text = (folder / "vis-network.css").read_text(encoding="utf-8")
    return folder.name.removeprefix("vis-"), _inline_script(js_text), _inline_style(css_text)


def _inline_script(js: str) -> str:
    """`js` made safe to sit between <script> and </script>: no source map, no tag-like text."""
    js = re.sub(r"//[#@] sourceMappingURL=\S*", "", js)
    # vis-network has "<script>" inside a string literal (a core-js helper): write it as \x3C
    js = re.sub(r"""(["'`])<(/?script)""", lambda m: m.group(1) + "\\x3C" + m.group(2), js, flags=re.I)
    if re.search(r"<(/?script|!--)", js, flags=re.I):
        raise DiplokgError("the vis-network script contains tag-like text that cannot be inlined safely")
    return js


def _inline_style(css: str) -> str:
    css = re.sub(r"/\*[#@] sourceMappingURL=[^*]*\*/", "", css)
    if re.search(r"</style|@import|url\(\s*(?!['\"]?data:)", css, flags=re.I):
        raise DiplokgError("the vis-network stylesheet refers to outside resources or cannot be inlined")
    return css


def _json_for_script(data) -> str:
    """JSON that cannot end or open a tag inside <script type="application/json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


PHYSICS_MAX_NODES = 300
"""Above this many nodes the layout is computed in Python (`diplokg.layout`) and physics is off."""

_ENTITY_EDGE_COLOR = "#6d7f99"


def _legend(net: nx.MultiDiGraph) -> list[dict]:
    counts: dict[str, int] = defaultdict(int)
    for _, kind in net.nodes(data="kind"):
        counts[kind or "Other"] += 1
    order = list(KIND_STYLES)
    sections: dict[str, list] = {}
    for kind in sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k)):
        style = KIND_STYLES.get(kind, _FALLBACK_STYLE)
        label = style.label if kind in KIND_STYLES else kind
        sections.setdefault(style.family, []).append(
            {"kind": kind, "label": label, "shape": style.shape, "color": style.color,
             "border": style.border, "count": counts[kind]}
        )
    families = list(_FAMILIES)
    return [
        {"family": fam, "title": _FAMILIES.get(fam, fam), "entries": sections[fam]}
        for fam in sorted(sections, key=lambda f: families.index(f) if f in families else len(families))
    ]


def _facets(net: nx.MultiDiGraph) -> dict:
    """Topics (with counts), statuses and the date span of the events, for the filters."""
    topics: dict[str, int] = defaultdict(int)
    statuses: dict[str, int] = defaultdict(int)
    firsts, lasts = [], []
    events = 0
    for _, attrs in net.nodes(data=True):
        if attrs.get("kind") not in _EVENT_KIND_SET:
            continue
        events += 1
        for topic in attrs.get("topics") or ["(sin tema)"]:
            topics[topic] += 1
        statuses[attrs.get("status") or "Unknown"] += 1
        for text in attrs.get("dates") or []:
            interval = _date_interval(text)
            if interval:
                firsts.append(interval[0])
                lasts.append(interval[1])
    status_names = {"Occurred": "ocurrido", "Planned": "previsto", "Unknown": "sin estado"}
    return {
        "events": events,
        "topics": [{"label": t, "count": topics[t]}
                   for t in sorted(topics, key=lambda t: (t == "(sin tema)", t.casefold(), t))],
        "statuses": [{"value": k, "label": status_names.get(k, k), "count": statuses[k]}
                     for k in sorted(statuses, key=lambda k: (list(status_names).index(k) if k in status_names else 9, k))],
        "date_min": min(firsts) if firsts else None,
        "date_max": max(lasts) if lasts else None,
    }


def _edge_style(relation: str) -> dict:
    style = {"color": {"color": _EDGE_COLORS.get(relation, "#8a8a8a")},
             "width": 1.6 if relation in ("actor", "counterpart") else 1.1}
    if relation in ("location", "destination"):
        style["dashes"] = [6, 5]
    elif relation == "holdsPosition":
        style["dashes"] = [2, 4]
    elif relation == "shared":
        style = {"color": {"color": _ENTITY_EDGE_COLOR}, "width": 1.0}
    return style


def _group_style(kind: str) -> dict:
    """What every node of a kind shares (colour, font, box margins): a vis-network group."""
    style = KIND_STYLES.get(kind, _FALLBACK_STYLE)
    group = {
        "shape": style.shape,
        "color": {
            "background": style.color,
            "border": style.border,
            "highlight": {"background": style.color, "border": "#111111"},
            "hover": {"background": style.color, "border": "#111111"},
        },
        "borderWidth": 1.5,
        "borderWidthSelected": 3,
    }
    if style.shape in ("box", "ellipse"):
        group.update({"font": {"color": "#1c2530", "size": 13}, "margin": 7, "widthConstraint": {"maximum": 170},
                      "shapeProperties": {"borderRadius": 6}})
    else:
        group["font"] = {"color": "#1c2530", "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}
    return group


def _vis_data(net: nx.MultiDiGraph, entities: list[dict], positions: dict | None) -> tuple[list, list, list, dict]:
    """Nodes, event-graph edges, entity-network edges and options for vis-network (via pyvis).

    Kept small, since a 20,000-node page carries them all: what a kind's nodes share is a
    vis-network group (``options.groups``), what a relation's edges share is in
    ``options.edgeStyles`` (the page applies it), entity-network edges name their events by
    index into the node list, and evidence names its article by index into ``articles``.
    """
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    n_nodes = net.number_of_nodes()
    fixed = positions is not None
    vis = Network(directed=True, height="100%", width="100%")
    vis.barnes_hut(
        gravity=-5000, central_gravity=0.25, spring_length=130, spring_strength=0.04, damping=0.12, overlap=0.2
    )
    vis.toggle_stabilization(not fixed)
    vis.set_edge_smooth("continuous")
    vis.inherit_edge_colors(False)

    degree = dict(net.degree())
    articles = net.graph.get("articles") or {}
    article_index = {iri: i for i, iri in enumerate(articles)}
    kinds = set()

    def evidence(records):
        return [{"text": r["text"], "article": article_index.get(r.get("article"))} for r in records or []]

    ordered = sorted(net.nodes(data=True), key=lambda item: str(item[0]))
    for node_id, attrs in ordered:
        kind = attrs.get("kind") or "Other"
        kinds.add(kind)
        style = KIND_STYLES.get(kind, _FALLBACK_STYLE)
        label = str(attrs.get("label") or node_id)
        options = {"title": str(attrs.get("title") or label), "kind": kind, "group": kind}
        if attrs.get("aliases"):
            options["aliases"] = [str(a) for a in attrs["aliases"]]
        for key in ("wikidata", "status", "date", "time", "topics"):
            if attrs.get(key) not in (None, [], ""):
                options[key] = attrs[key]
        if len(attrs.get("dates") or []) > 1:
            options["dates"] = attrs["dates"]
        if attrs.get("evidence"):
            options["evidence"] = evidence(attrs["evidence"])
        if attrs.get("posts"):
            options["posts"] = [dict(post, evidence=evidence(post.get("evidence"))) for post in attrs["posts"]]
        if attrs.get("iri") and str(attrs["iri"]) != str(node_id):
            options["iri"] = str(attrs["iri"])
        if style.shape in ("box", "ellipse"):
            if attrs.get("status") == "Planned":
                options["shapeProperties"] = {"borderDashes": [5, 4], "borderRadius": 6}
        else:
            options["size"] = round(11 + 4 * math.sqrt(degree.get(node_id, 0)), 1)
        if fixed:
            options["x"], options["y"] = positions[node_id]
        # Network.add_node/add_edge check membership in a list (quadratic on big graphs);
        # networkx already guarantees unique ids and existing ends, so append pyvis's own objects.
        node = Node(str(node_id), style.shape, label=label, **options)
        node.options.pop("color", None)  # the group's colour applies
        vis.nodes.append(node.options)
        vis.node_ids.append(str(node_id))
        vis.node_map[str(node_id)] = node.options

    relations = set()
    for i, (source, target, key, attrs) in enumerate(net.edges(keys=True, data=True)):
        relation = str(attrs.get("relation") or key)
        relations.add(relation)
        options = {
            "id": f"e{i}",
            "label": str(attrs.get("label") or relation),
            "relation": relation,
            "arrows": "to" if attrs.get("directed", True) else "",
        }
        if relation == "holdsPosition" and attrs.get("title"):
            options["title"] = str(attrs["title"])  # carries the post's evidence
        edge = Edge(str(source), str(target), directed=True, **options).options
        edge.pop("color", None)
        vis.edges.append(edge)

    position = {str(node_id): i for i, (node_id, _attrs) in enumerate(ordered)}
    position.update((node_id, i) for i, (node_id, _attrs) in enumerate(ordered))
    entity_list = [
        {
            "id": f"n{i}",
            "from": str(link["source"]),
            "to": str(link["target"]),
            "weight": int(link["weight"]),
            # by index when the event is in the page, by IRI when it is not drawn (--types)
            "events": [position[e] if e in position else str(e) for e in link["events"]],
        }
        for i, link in enumerate(entities)
    ]

    nodes, edges, _heading, _height, _width, options_json = vis.get_network_data()
    options = json.loads(options_json)
    options.pop("configure", None)
    options["physics"]["solver"] = "barnesHut"
    options["physics"]["minVelocity"] = 0.75
    options["physics"]["stabilization"].update({"iterations": 600 if n_nodes > 500 else 1000, "updateInterval": 25})
    if fixed:
        options["physics"]["enabled"] = False
        options["physics"]["stabilization"]["enabled"] = False
    options["edges"].update(
        {
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}},
            "color": {"highlight": "#111111", "hover": "#111111", "inherit": False},
            "font": {"size": 0, "color": "#5b5b5b", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
            "selectionWidth": 1.5,
        }
    )
    if fixed:
        options["edges"]["smooth"] = False
    options["nodes"] = {"font": {"face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"}}
    options["groups"] = {kind: _group_style(kind) for kind in sorted(kinds)}
    options["interaction"].update({
        "hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_nodes > 400, "hideEdgesOnZoom": n_nodes > 3000,
    })
    options["layout"] = {"randomSeed": 7, "improvedLayout": (not fixed) and n_nodes <= 150}
    edge_styles = {relation: _edge_style(relation) for relation in sorted(relations | {"shared"})}
    return nodes, edges, entity_list, options, edge_styles


def _positions(net: nx.MultiDiGraph, entities: list[dict]) -> dict:
    """Positions from `diplokg.layout` for the event graph and the entity network together."""
    from itertools import chain

    from .layout import layout

    links = chain(net.edges(), ((e["source"], e["target"]) for e in entities))
    return layout(sorted(net.nodes, key=str), links)


@_collector_paused()
def render_html(net: nx.MultiDiGraph, *, title: str = "diplokg", layout: str = "auto", view: str | None = None) -> str:
    """One self-contained HTML page (no network access needed) that draws `net`.

    `layout`: "physics" lets vis-network lay the network out in the browser, "python"
    computes positions here (`diplokg.layout`) and turns physics off; "auto" (the default)
    picks "python" above `PHYSICS_MAX_NODES` nodes. `view` ("events" or "entities") is the
    view the page opens with; by default the event graph, or the entity network when there
    are no events. What `network_from_store` recorded in ``net.graph`` (entity network,
    focus, omitted nodes) is used when present.
    """
    if layout not in ("auto", "physics", "python"):
        raise DiplokgError(f"unknown layout {layout!r}; available: auto, physics, python")
    entities = net.graph.get("entity_edges")
    if entities is None:
        entities = entity_edges(net)
    fixed = layout == "python" or (layout == "auto" and net.number_of_nodes() > PHYSICS_MAX_NODES)
    positions = _positions(net, entities) if fixed and net.number_of_nodes() else None
    nodes, edges, entity_list, options, edge_styles = _vis_data(net, entities, positions)
    version, vis_js, vis_css = _vis_assets()
    facets = _facets(net)
    if view is None:
        view = "events" if facets["events"] or not entity_list else "entities"
    if view not in ("events", "entities"):
        raise DiplokgError(f"unknown view {view!r}; available: events, entities")
    focus = net.graph.get("focus")
    omitted = net.graph.get("omitted")
    data = {
        "nodes": nodes,
        "edges": edges,
        "entityEdges": entity_list,
        "options": options,
        "edgeStyles": edge_styles,
        "articles": [dict(info, id=iri) for iri, info in (net.graph.get("articles") or {}).items()],
        "kindLabels": {k: s.label for k, s in KIND_STYLES.items()},
        "eventKinds": sorted(_EVENT_KIND_SET),
        "placeKinds": ["Place"],
        "meta": {
            "layout": "python" if fixed else "physics",
            "view": view,
            "focus": str(focus) if focus is not None and focus in net else None,
            "dateMin": facets["date_min"],
            "dateMax": facets["date_max"],
        },
    }
    env = Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("viewer.html.j2")
    return template.render(
        title=title,
        legend=_legend(net),
        facets=facets,
        omitted=_omitted_text(omitted, net),
        node_count=len(nodes),
        edge_count=len(edges),
        entity_edge_count=len(entity_list),
        view=view,
        fixed=fixed,
        vis_version=version,
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        graph_json=Markup(_json_for_script(data)),
    )


def _omitted_text(omitted: dict | None, net: nx.MultiDiGraph) -> dict | None:
    """What the page says about the nodes left out (plain text; the template escapes it)."""
    if not omitted:
        return None
    kinds = [f"{n} × {KIND_STYLES[k].label if k in KIND_STYLES else k}" for k, n in omitted["by_kind"].items()]
    return {
        "summary": f"Se muestran {net.number_of_nodes()} de {omitted['total']} nodos: "
                   f"se omitieron {omitted['nodes']} ({', '.join(kinds)}).",
        "reasons": "Por " + ", ".join(dict.fromkeys(omitted["reasons"])) + ".",
    }


def write_html(net: nx.MultiDiGraph, path: Path, *, title: str = "diplokg", layout: str = "auto",
               view: str | None = None) -> Path:
    """Write `render_html(net, title=title, ...)` to `path` (UTF-8) and return the path."""
    path = Path(path)
    html = render_html(net, title=title, layout=layout, view=view)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise DiplokgError(f"cannot write the viewer to {path}: {exc.strerror or exc}") from exc
    return path


# --------------------------------------------------------------------------- other viewers


def _flat(value) -> str | int | float | bool:
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_graphml(net: nx.MultiDiGraph) -> bytes:
    """The network as GraphML (for Gephi, yEd, Cytoscape desktop).

    Node attributes: label, kind, iri, and where known status, date, topics and aliases
    (lists joined with "; "), plus r/g/b colour of the kind (Gephi reads them). Edges: relation
    and label. The tooltips and evidence stay in the HTML viewer.
    """
    out = nx.MultiDiGraph()
    for node, attrs in sorted(net.nodes(data=True), key=lambda item: str(item[0])):
        kind = attrs.get("kind") or "Other"
        style = KIND_STYLES.get(kind, _FALLBACK_STYLE)
        data = {"label": str(attrs.get("label") or node).replace("\n", " "), "kind": kind, "iri": str(attrs.get("iri") or node)}
        for key in ("status", "date", "topics", "aliases"):
            if attrs.get(key) not in (None, [], ""):
                data[key] = _flat(attrs[key])
        data["r"], data["g"], data["b"] = (int(style.color[i:i + 2], 16) for i in (1, 3, 5))
        out.add_node(str(node), **data)
    for source, target, key, attrs in net.edges(keys=True, data=True):
        relation = str(attrs.get("relation") or key)
        out.add_edge(str(source), str(target), key=str(key), relation=relation, label=str(attrs.get("label") or relation))
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_cytoscape(net: nx.MultiDiGraph, *, name: str = "diplokg") -> dict:
    """The network as Cytoscape.js JSON: ``{"elements": {"nodes": [...], "edges": [...]}}``.

    Each element's ``data`` has ``id`` (and ``source``/``target`` for edges), ``label``,
    ``kind`` and the other attributes; ``classes`` is the kind, so a stylesheet can say
    ``node.Person { shape: ellipse }``. Loads with ``cytoscape({elements: data.elements})`` and
    in Cytoscape desktop (File > Import > Network from file, .cyjs).
    """
    nodes = []
    for node, attrs in sorted(net.nodes(data=True), key=lambda item: str(item[0])):
        kind = attrs.get("kind") or "Other"
        style = KIND_STYLES.get(kind, _FALLBACK_STYLE)
        data = {"id": str(node), "label": str(attrs.get("label") or node).replace("\n", " "), "kind": kind,
                "iri": str(attrs.get("iri") or node), "color": style.color, "shape": style.shape}
        for key in ("aliases", "status", "date", "topics", "title"):
            if attrs.get(key) not in (None, [], ""):
                data[key] = attrs[key]
        nodes.append({"data": data, "classes": kind})
    edges = []
    for i, (source, target, key, attrs) in enumerate(net.edges(keys=True, data=True)):
        relation = str(attrs.get("relation") or key)
        edges.append({"data": {"id": f"e{i}", "source": str(source), "target": str(target), "relation": relation,
                               "label": str(attrs.get("label") or relation), "directed": bool(attrs.get("directed", True))},
                      "classes": relation})
    return {
        "format_version": "1.0",
        "generated_by": "diplokg",
        "target_cytoscapejs_version": "~3.0",
        "data": {"name": name},
        "elements": {"nodes": nodes, "edges": edges},
    }
