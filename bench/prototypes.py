"""Prototypes the benchmarks measure against the shipped code (nothing here changes diplokg).

- `entities_layout`: a store layout with each entity's description in one shared graph
  (the query benchmark's "prototype layout" rows).
- `import_fast`: import through the store API with `extend`/`bulk_extend` batches (rows of
  the import benchmark).

(`same_events_fast` and the streaming `--jobs` pool, measured here earlier, are now in
src/diplokg/pipeline.py.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import URIRef


ENTITIES_GRAPH = "https://w3id.org/diplokg/graph/entities"
_DESCRIPTION = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#label",
                "http://www.w3.org/2004/02/skos/core#altLabel", "http://www.w3.org/2002/07/owl#sameAs"}
_ENTITY_FOLDERS = ("person/", "country/", "org/", "body/", "organization/", "delegation/", "place/")


def entities_layout(quads, base: str = "https://w3id.org/diplokg/id/"):
    """A store layout to try (not a drop-in fix): the article-independent description of each
    entity (its rdf:type, labels, altLabels, owl:sameAs) stored once, in one shared graph,
    instead of once per article that mentions it. Oxigraph's union default graph is a bag,
    so with the shipped layout a country named in 2,000 articles has 2,000 copies of each
    label, and every OPTIONAL { ?x rdfs:label ?l } in the named queries multiplies rows by
    that much before DISTINCT/GROUP BY. (Removing an article then leaves its entities'
    descriptions; a periodic sweep or reference count would drop orphans.)"""
    import pyoxigraph as ox

    shared = ox.NamedNode(ENTITIES_GRAPH)
    seen = set()
    for q in quads:
        s = q.subject
        if (isinstance(s, ox.NamedNode) and q.predicate.value in _DESCRIPTION and s.value.startswith(base)
                and s.value[len(base):].startswith(_ENTITY_FOLDERS)):
            t = q.triple
            if t not in seen:
                seen.add(t)
                yield ox.Quad(t.subject, t.predicate, t.object, shared)
        else:
            yield q


def import_fast(store, path, *, bulk: bool = False, batch_quads: int = 200_000) -> int:
    """lifecycle.import_file without rdflib: pyoxigraph parses the file and the quads go to the
    store's own pyoxigraph Store, whole articles at a time.

    bulk=False: `extend` per batch of whole articles, one transaction per batch, so an article
    is still stored whole or not at all. bulk=True: `bulk_extend` (no transaction, as fast as
    bulk_load) for articles the store does not hold yet; for an import into an empty or new
    store, where a failure can simply be retried. Articles already stored go through
    `put_article` (replace in one transaction) either way. Same checks as import_file: each
    named graph needs `<g> dip:contentHash ?h`; ontology and inferred graphs are skipped."""
    from pathlib import Path

    import pyoxigraph as ox
    from rdflib import Graph, Literal, URIRef

    from diplokg.errors import InputError
    from diplokg.lifecycle import INFERRED_GRAPH
    from diplokg.rdf.vocab import DIP
    from diplokg.stores import ONTOLOGY_GRAPH

    path = Path(path)
    formats = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS}
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: import needs TriG (.trig) or N-Quads (.nq)")
    native = store.native
    content_hash = str(DIP.contentHash)
    skip = {ONTOLOGY_GRAPH, INFERRED_GRAPH}
    graphs: dict[str, list] = {}
    hashes: dict[str, str] = {}
    imported = 0
    pending: list = []

    def flush() -> None:
        if pending:
            (native.bulk_extend if bulk else native.extend)(pending)
            pending.clear()

    def finish(name: str) -> None:
        nonlocal imported
        quads = graphs.pop(name)
        h = hashes.pop(name, None)
        if h is None:
            raise InputError(f"{path}: graph <{name}> is not an article graph (no dip:contentHash on <{name}>)")
        if store.has_article(name):
            g = Graph(identifier=URIRef(name))
            for q in quads:
                g.add(tuple(_from_ox(t) for t in (q.subject, q.predicate, q.object)))
            store.put_article(name, g, h)
        else:
            pending.extend(quads)
            if len(pending) >= batch_quads:
                flush()
        imported += 1

    current = None
    done: set[str] = set()
    try:
        for quad in ox.parse(path=str(path), format=fmt):
            g = quad.graph_name
            if not isinstance(g, ox.NamedNode) or g.value in skip or g.value.startswith("urn:x-rdflib:"):
                continue
            name = g.value
            if name != current:
                # a graph is complete when the next one starts (diplokg export writes each graph's
                # quads together); only then is it checked and stored, so memory holds one graph.
                if current is not None:
                    finish(current)
                    done.add(current)
                if name in done:
                    raise InputError(f"{path}: the quads of graph <{name}> are not contiguous")
                current = name
            graphs.setdefault(name, []).append(quad)
            if quad.predicate.value == content_hash and quad.subject == g:
                hashes[name] = quad.object.value
    except SyntaxError as exc:
        raise InputError(f"{path}: cannot parse ({str(exc).splitlines()[0][:200]})") from None
    if current is not None:
        finish(current)
    flush()
    return imported


def _from_ox(term):
    from rdflib import BNode, Literal, URIRef
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))
