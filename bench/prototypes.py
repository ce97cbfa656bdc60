"""Prototypes the benchmarks measure against the shipped code (nothing here changes diplokg).

- `entities_layout`: a store layout with each entity's description in one shared graph
  (the query benchmark's "prototype layout" rows).

(`same_events_fast` and the streaming `--jobs` pool, measured here earlier, are now in
src/diplokg/pipeline.py; `import_fast`, a bulk_extend import, in stores/oxigraph.py.)
"""

from __future__ import annotations


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
