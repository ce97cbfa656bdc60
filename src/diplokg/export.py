"""Write the stored article graphs as RDF files.

trig / nq keep one named graph per article; ttl / nt give their union (each triple once);
jsonld keeps the named graphs too (JSON-LD can carry them). The ontology graph is not exported.
On Oxigraph-backed stores, ttl / trig / nq / nt are written by pyoxigraph's serializers
(10x faster than rdflib's): trig and nq one article graph at a time with its statements
sorted so they group and diff well, ttl and nt as the union grouped by subject. Other
stores, and jsonld, go through rdflib. Every format keeps literals exactly as
stored (see `_LosslessLiterals`), so an export parses back isomorphic to the store.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO

import pyoxigraph as ox
import rdflib
from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer

from .errors import DiplokgError, StoreError
from .rdf.vocab import DEFAULT_BASE, PREFIXES
from .stores.base import CONTACTS_GRAPH, ONTOLOGY_GRAPH, Store
from .stores.oxigraph import PyoxigraphStore

FORMATS = ("ttl", "trig", "nq", "nt", "jsonld")
# Not RDF: the viewer's network (agents, places and events; `viz.network_from_store`) for other
# viewers. graphml: Gephi, yEd, Cytoscape desktop; cytoscape: Cytoscape.js JSON (viz.to_cytoscape).
NETWORK_FORMATS = ("graphml", "cytoscape")
_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()} | {"id": DEFAULT_BASE}
# Oxigraph would write `id:article\/x` (escaped slashes); full IRIs read better.
_OX_PREFIXES = {k: v for k, v in _PREFIXES.items() if k != "id"}
_OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES}
# The union of the article graphs, each triple once. Over the union default graph Oxigraph
# scans its subject-first index, so a subject's statements come together (Turtle groups
# them) without an ORDER BY, which took 8x longer than the export itself.
_UNION = (f"SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o MINUS {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }} "
          f"MINUS {{ GRAPH <{CONTACTS_GRAPH}> {{ ?s ?p ?o }} }} }}")

# Turtle shorthand tokens and the datatype a parser gives them.
_SHORTHAND = (
    (re.compile(r"[+-]?\d+"), XSD.integer),
    (re.compile(r"[+-]?\d*\.\d+"), XSD.decimal),
    (re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"), XSD.double),
    (re.compile(r"true|false"), XSD.boolean),
)


class _LosslessLiterals:
    """rdflib's pretty Turtle/TriG, except that a number is written bare only when that reads
    back as the same literal: rdflib writes "4000"^^xsd:decimal as `4000.0` and doubles as
    `1.5e+00`, which change the lexical form (and break isomorphism with the store)."""

    def label(self, node, position):
        text = super().label(node, position)
        if isinstance(node, Literal) and not text.startswith(('"', "'")):
            if not any(rx.fullmatch(text) and dt == node.datatype for rx, dt in _SHORTHAND) or text != str(node):
                return node.n3(self.store.namespace_manager)
        return text


class _LosslessTurtle(_LosslessLiterals, TurtleSerializer):
    pass


class _LosslessTrig(_LosslessLiterals, TrigSerializer):
    pass


def _serialize(serializer, graph) -> bytes:
    buffer = io.BytesIO()
    serializer(graph).serialize(buffer, encoding="utf-8")
    return buffer.getvalue()


def _article_graph_names(native: ox.Store) -> list[ox.NamedNode]:
    names = [g for g in native.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in (ONTOLOGY_GRAPH, CONTACTS_GRAPH)]
    return sorted(names, key=lambda g: g.value)


def _with_oxigraph(store: PyoxigraphStore, fmt: str) -> bytes:
    native = store.native
    if fmt in ("ttl", "nt"):
        items = (ox.Triple(s, p, o) for s, p, o in native.query(_UNION, use_default_graph_as_union=True))
    else:
        items = (
            quad
            for g in _article_graph_names(native)
            for quad in sorted(native.quads_for_pattern(None, None, None, g), key=lambda q: str(q.triple))
        )
    return ox.serialize(items, format=_OX_FORMATS[fmt], prefixes=_OX_PREFIXES)


def _with_rdflib(store: Store, fmt: str) -> bytes:
    ds = store.dataset()
    if fmt in ("ttl", "nt"):
        union = rdflib.Graph()
        for prefix, namespace in _PREFIXES.items():
            union.bind(prefix, namespace)
        for s, p, o, _g in ds.quads((None, None, None, None)):
            union.add((s, p, o))
        if fmt == "nt":
            return union.serialize(format="nt11", encoding="utf-8")
        return _serialize(_LosslessTurtle, union)
    if fmt == "trig":
        return _serialize(_LosslessTrig, ds)
    if fmt == "jsonld":
        return ds.serialize(format="json-ld", encoding="utf-8", auto_compact=True)
    return ds.serialize(format="nquads", encoding="utf-8")


def serialize_graph(graph: rdflib.Graph, fmt: str = "ttl") -> bytes:
    """One graph as pretty Turtle with the project's prefixes (numbers kept lossless)."""
    if fmt != "ttl":
        return graph.serialize(format=fmt, encoding="utf-8")
    out = rdflib.Graph()
    for prefix, namespace in _PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in graph:
        out.add(triple)
    return _serialize(_LosslessTurtle, out)


def _network(store: Store, fmt: str) -> bytes:
    import json

    from . import viz

    net = viz.network_from_store(store)
    if fmt == "graphml":
        return viz.to_graphml(net)
    return (json.dumps(viz.to_cytoscape(net), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def export(store: Store, fmt: str, out: Path | str | IO | None = None) -> str | None:
    """Serialize the store's article graphs as `fmt`.

    `out` may be a path, a text or binary file object, or None to get the text back.
    """
    if fmt not in FORMATS + NETWORK_FORMATS:
        raise DiplokgError(f"unknown export format {fmt!r}; available: {', '.join(FORMATS + NETWORK_FORMATS)}")
    try:
        if fmt in NETWORK_FORMATS:
            data = _network(store, fmt)
        elif isinstance(store, PyoxigraphStore) and fmt in _OX_FORMATS:
            data = _with_oxigraph(store, fmt)
        else:
            data = _with_rdflib(store, fmt)
    except OSError as e:
        raise StoreError(f"cannot read store {store.location}: {str(e).splitlines()[0]}") from None
    if out is None:
        return data.decode("utf-8")
    if isinstance(out, (str, Path)):
        try:
            Path(out).write_bytes(data)
        except OSError as e:
            raise DiplokgError(f"cannot write {out}: {e.strerror or e}") from None
    elif isinstance(out, io.TextIOBase):
        out.write(data.decode("utf-8"))
    else:
        out.write(data)
    return None
