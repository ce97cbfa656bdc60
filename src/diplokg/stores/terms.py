"""rdflib <-> pyoxigraph terms: small pure functions, because rdflib is the model at the edges
and pyoxigraph the engine inside.

`xsd:string` literals come back as plain rdflib literals (no datatype): in RDF 1.1 they are the
same literal, and rdflib compares `Literal("a")` and `Literal("a", datatype=XSD.string)` as
different, so this keeps round trips isomorphic.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node, bnodes: dict[BNode, ox.BlankNode] | None = None) -> OxTerm:
    """rdflib term -> pyoxigraph term. With `bnodes`, each rdflib blank node gets a fresh
    pyoxigraph one (kept in the dict), so blank nodes of different articles never merge."""
    if isinstance(term, URIRef):
        return named_node(str(term))
    if isinstance(term, BNode):
        if bnodes is None:
            return ox.BlankNode(str(term))
        if term not in bnodes:
            bnodes[term] = ox.BlankNode()
        return bnodes[term]
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=named_node(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {type(term).__name__} {term!r} in an RDF store")


@lru_cache(maxsize=4096)
def named_node(iri: str) -> ox.NamedNode:
    """IRIs repeat across an article's triples (classes, properties, entities): each is
    parsed and checked once."""
    return ox.NamedNode(iri)


def from_ox(term: OxTerm | None) -> Node | None:
    """pyoxigraph term -> rdflib term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (XSD_STRING, RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported pyoxigraph term {term!r}")


def value_to_ox(value: object) -> OxTerm:
    """A query binding -> pyoxigraph term: rdflib terms as they are; Python values through
    rdflib.Literal (str -> xsd:string, int -> xsd:integer, date -> xsd:date, bool, float ...)."""
    if isinstance(value, (URIRef, BNode, Literal)):
        return to_ox(value)
    return to_ox(Literal(value))


def graph_to_quads(
    triples: Iterable[tuple[Node, Node, Node]], graph_name: ox.NamedNode
) -> Iterator[ox.Quad]:
    """Triples of one rdflib graph -> quads in `graph_name`, with fresh blank nodes."""
    bnodes: dict[BNode, ox.BlankNode] = {}
    for s, p, o in triples:
        yield ox.Quad(to_ox(s, bnodes), to_ox(p, bnodes), to_ox(o, bnodes), graph_name)


def quad_triple(quad: ox.Quad) -> tuple[Node, Node, Node]:
    """The (s, p, o) of a pyoxigraph quad as rdflib terms."""
    return from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)  # type: ignore[return-value]
