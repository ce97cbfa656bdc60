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
(the tooltip, plain text with newlines), ``group`` (same as kind), ``iri``; persons and other
agents also ``aliases``; events also ``status`` ("Occurred"/"Planned"/None) and ``date``.
Edge keys and attributes: ``relation`` is the contract property ("actor", "counterpart",
"participant", "location", "destination", "holdsPosition"), ``label`` the text drawn on the edge
(the post's title for holdsPosition), ``title`` the tooltip, ``directed`` whether an arrow is drawn.
Event edges are keyed by their relation; holdsPosition edges by the position's IRI.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from rdflib import BNode, Graph, Literal
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .errors import DiplokgError
from .model import ENTITY_TYPES, EVENT_TYPES
from .rdf.vocab import DIP, WD

__all__ = [
    "AGENT_KINDS",
    "EVENT_KINDS",
    "KIND_STYLES",
    "KindStyle",
    "network_from_graph",
    "render_html",
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
        for mention in self.g.objects(term, DIP.evidence):
            text = self.literal(mention, DIP.text)
            if text is None:
                continue
            article = self.g.value(mention, DIP.inArticle)
            source = ""
            if article is not None:
                source = self.literal(article, DCTERMS.title) or _local_name(article)
            start = self.g.value(mention, DIP.start)
            try:
                offset = int(start) if start is not None else -1
            except (TypeError, ValueError):
                offset = -1
            line = f"“{text}”" + (f" — {source}" if source else "")
            found.append((source, offset, line))
        return [line for _, _, line in sorted(set(found))]


def network_from_graph(graph: Graph) -> nx.MultiDiGraph:
    """The network that the viewer draws: agents, places and events of `graph` as nodes.

    Events link to their agents (``actor``: agent -> event, ``counterpart``: event -> agent,
    ``participant``: event -> agent for the other participants) and to their places
    (``location``, ``destination``). A person's posts become ``holdsPosition`` edges to whose
    post it is, labelled with the title. Topics, dates, status and evidence go into tooltips.
    Things used as participants or places but untyped get the kind "Agent" or "Place".

    `graph` is read with plain triple look-ups, so pass the union of the article graphs: a
    Graph, a ConjunctiveGraph, or a Dataset made with ``default_union=True``.
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
    holders: dict = defaultdict(list)  # whose post -> [(title, person)]
    for person in sorted((t for t, k in kinds.items() if k not in _EVENT_KIND_SET), key=_node_id):
        for position in sorted(graph.objects(person, DIP.holdsPosition), key=_node_id):
            title = r.literal(position, DIP.title) or r.label(position)
            owners = sorted((o for o in graph.objects(position, DIP.positionOf) if ensure(o, "Agent")), key=_node_id)
            evidence = r.evidence(position)
            if not owners:
                posts[person].append((title, None))
            for owner in owners:
                posts[person].append((title, owner))
                holders[owner].append((title, person))
                edges.append(
                    (person, owner, _node_id(position), {"directed": True, "relation": "holdsPosition",
                                                         "label": title, "evidence": evidence})
                )

    labels = {term: r.label(term) for term in kinds}
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
    return net


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
        "topics": topics,
    }


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


def _vis_data(net: nx.MultiDiGraph) -> tuple[list, list, dict]:
    """Nodes, edges and options for vis-network, produced through pyvis."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    n_nodes = net.number_of_nodes()
    vis = Network(directed=True, height="100%", width="100%")
    vis.barnes_hut(
        gravity=-5000, central_gravity=0.25, spring_length=130, spring_strength=0.04, damping=0.12, overlap=0.2
    )
    vis.toggle_stabilization(True)
    vis.set_edge_smooth("continuous")
    vis.inherit_edge_colors(False)

    degree = dict(net.degree())
    for node_id, attrs in sorted(net.nodes(data=True), key=lambda item: str(item[0])):
        kind = attrs.get("kind") or "Other"
        style = KIND_STYLES.get(kind, _FALLBACK_STYLE)
        label = str(attrs.get("label") or node_id)
        options = {
            "title": str(attrs.get("title") or label),
            "kind": kind,
            "aliases": [str(a) for a in attrs.get("aliases") or []],
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
        }
        if style.shape in ("box", "ellipse"):
            options["font"] = {"color": "#1c2530", "size": 13}
            options["margin"] = 7
            options["widthConstraint"] = {"maximum": 170}
            if attrs.get("status") == "Planned":
                options["shapeProperties"] = {"borderDashes": [5, 4], "borderRadius": 6}
            else:
                options["shapeProperties"] = {"borderRadius": 6}
        else:
            options["size"] = round(11 + 4 * math.sqrt(degree.get(node_id, 0)), 1)
            options["font"] = {"color": "#1c2530", "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}
        color = {
            "background": style.color,
            "border": style.border,
            "highlight": {"background": style.color, "border": "#111111"},
            "hover": {"background": style.color, "border": "#111111"},
        }
        # Network.add_node/add_edge check membership in a list (quadratic on big graphs);
        # networkx already guarantees unique ids and existing ends, so append pyvis's own objects.
        node = Node(str(node_id), style.shape, label=label, color=color, **options)
        vis.nodes.append(node.options)
        vis.node_ids.append(str(node_id))
        vis.node_map[str(node_id)] = node.options

    for i, (source, target, key, attrs) in enumerate(net.edges(keys=True, data=True)):
        relation = str(attrs.get("relation") or key)
        options = {
            "id": f"e{i}",
            "label": str(attrs.get("label") or relation),
            "title": str(attrs.get("title") or relation),
            "relation": relation,
            "arrows": "to" if attrs.get("directed", True) else "",
            "color": {"color": _EDGE_COLORS.get(relation, "#8a8a8a"), "highlight": "#111111", "hover": "#111111"},
            "width": 1.6 if relation in ("actor", "counterpart") else 1.1,
        }
        if relation in ("location", "destination"):
            options["dashes"] = [6, 5]
        elif relation == "holdsPosition":
            options["dashes"] = [2, 4]
        vis.edges.append(Edge(str(source), str(target), directed=True, **options).options)

    nodes, edges, _heading, _height, _width, options_json = vis.get_network_data()
    options = json.loads(options_json)
    options.pop("configure", None)
    options["physics"]["solver"] = "barnesHut"
    options["physics"]["minVelocity"] = 0.75
    options["physics"]["stabilization"].update({"iterations": 600 if n_nodes > 500 else 1000, "updateInterval": 25})
    options["edges"].update(
        {
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}},
            "font": {"size": 10, "color": "#5b5b5b", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
            "selectionWidth": 1.5,
        }
    )
    options["nodes"] = {"font": {"face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"}}
    options["interaction"].update({"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_nodes > 400})
    options["layout"] = {"randomSeed": 7, "improvedLayout": n_nodes <= 150}
    return nodes, edges, options


def render_html(net: nx.MultiDiGraph, *, title: str = "diplokg") -> str:
    """One self-contained HTML page (no network access needed) that draws `net`."""
    nodes, edges, options = _vis_data(net)
    version, vis_js, vis_css = _vis_assets()
    data = {"nodes": nodes, "edges": edges, "options": options}
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
        node_count=len(nodes),
        edge_count=len(edges),
        vis_version=version,
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        graph_json=Markup(_json_for_script(data)),
    )


def write_html(net: nx.MultiDiGraph, path: Path, *, title: str = "diplokg") -> Path:
    """Write `render_html(net, title=title)` to `path` (UTF-8) and return the path."""
    path = Path(path)
    html = render_html(net, title=title)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise DiplokgError(f"cannot write the viewer to {path}: {exc.strerror or exc}") from exc
    return path
