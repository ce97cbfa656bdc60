"""Prototypes of fixes the benchmarks found, for the main engineer to port into src/.

Nothing here changes diplokg unless `patch()` is called (the benchmarks do so only in the
runs labelled "patched", through `bench/diplokg_patched.py`).

1. `same_events_fast`: pipeline.same_events with the participants bound first.
   The shipped query starts from `GRAPH ?g { ?e a dip:<Type> ; dip:status <S> }`, i.e. every
   stored event of that type, and checks participants in FILTER NOT EXISTS afterwards, so
   each call costs O(events of that type in the store) and an ingest of N articles costs
   O(N^2). Binding `?e dip:participant <m1>, <m2> ...` first makes Oxigraph start from the
   participants' index entries. Same rows, same order (ORDER BY ?e); measured 280x faster
   on a 2,000-article store (see results.md, "Where ingest time goes").

2. `extract_parallel_streaming`: pipeline._extract_parallel without the lock-step batches.
   The shipped version maps a chunk of 16*jobs articles with pool.map and only then lets
   the parent map and write them, so the workers idle while the parent writes, and the
   parent idles while the workers parse. `imap` with a bounded window keeps both busy;
   results still come back in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import URIRef


def same_events_fast(extraction, store, base=None) -> dict[int, URIRef]:
    from diplokg.rdf import iris
    from diplokg.rdf.vocab import DIP, STATUS

    base = base or iris.DEFAULT_BASE
    found: dict[int, URIRef] = {}
    this_graph = iris.article_iri(extraction.article.id, base)
    for i, event in enumerate(extraction.events):
        members = sorted(iris.entity_iri(k, base) for k in event.participants)
        if not members:
            continue
        date = event.time.value if event.time else None
        place = event.destination if event.type == "Visit" else event.location
        place_prop = DIP.destination if event.type == "Visit" else DIP.location
        listed = ", ".join(m.n3() for m in members)
        query = f"""
            SELECT DISTINCT ?e ?date ?place WHERE {{
              ?e {DIP.participant.n3()} {listed} .
              GRAPH ?g {{ ?e a {DIP[event.type].n3()} ; {DIP.status.n3()} {STATUS[event.status].n3()} }}
              FILTER(?g != {this_graph.n3()})
              FILTER NOT EXISTS {{ ?e {DIP.participant.n3()} ?other . FILTER(?other NOT IN ({listed})) }}
              OPTIONAL {{ ?e {DIP.date.n3()} ?date }}
              OPTIONAL {{ ?e {place_prop.n3()} ?place }}
            }} ORDER BY ?e"""
        for row in store.query(query).rows:
            e_iri, other_date, other_place = row
            if date and other_date is not None and str(other_date) != date:
                continue
            if place and other_place is not None and other_place != iris.entity_iri(place, base):
                continue
            found[i] = URIRef(str(e_iri))
            break
    return found


def _extract_batch(articles: list) -> list:
    from diplokg.extract import extract

    return [extract(a) for a in articles]


def extract_parallel_streaming(articles: Iterable, jobs: int, batch: int = 4, ahead: int = 4) -> Iterator:
    """Ordered results from `jobs` forked workers, with a sliding window of `ahead` batches per
    worker in flight: the parent maps and writes article k while the workers parse k+1...,
    and memory stays bounded (the window, not the corpus)."""
    import collections
    import itertools
    import multiprocessing

    from diplokg.nlp import load_nlp

    load_nlp()  # forked workers share the loaded pipeline
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    iterator = iter(articles)
    pending: collections.deque = collections.deque()
    with context.Pool(jobs) as pool:
        def submit() -> bool:
            chunk = list(itertools.islice(iterator, batch))
            if chunk:
                pending.append(pool.apply_async(_extract_batch, (chunk,)))
            return bool(chunk)

        for _ in range(jobs * ahead):
            if not submit():
                break
        while pending:
            done = pending.popleft().get()
            submit()
            yield from done


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


def patch(same_events: bool = True, parallel: bool = False) -> None:
    import diplokg.pipeline as pipeline

    if same_events:
        pipeline.same_events = same_events_fast
    if parallel:
        pipeline._extract_parallel = lambda articles, jobs, batch=16: extract_parallel_streaming(articles, jobs)


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
