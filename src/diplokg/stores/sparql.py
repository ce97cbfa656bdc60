"""A store on any SPARQL 1.1 server, spoken to over HTTP with standard protocols only.

Protocols:
- reads: SPARQL 1.1 Query, URL-encoded POST to `query_url`, asking for
  `application/sparql-results+json` (SELECT, ASK) or `application/n-triples` (CONSTRUCT,
  DESCRIBE). (A POST of `application/sparql-query` would be as standard, but Virtuoso 7.2
  never answers one.)
- writes: an article's named graph is replaced with one Graph Store HTTP Protocol
  `PUT gsp_url?graph=IRI` of N-Triples when the server has that protocol, else with one
  SPARQL 1.1 Update request `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`. A
  graph is removed with GSP `DELETE` (or `DROP SILENT GRAPH`). N-Triples bodies are written by
  pyoxigraph from checked terms: an invalid IRI is refused before any request, and a body the
  server cannot parse changes nothing. Oxigraph server runs a PUT and an UPDATE request each
  in one transaction; Virtuoso 7 commits a PUT whole but not a multi-operation UPDATE request
  (a runtime failure in a later operation keeps the earlier ones), so the Graph Store endpoint
  is the safe way to write to Virtuoso.
- blank nodes go as they are through the Graph Store protocol; INSERT DATA may not hold them
  (Virtuoso refuses) and an `INSERT {...} WHERE {}` template changes literals on Virtuoso
  ("4000"^^xsd:decimal becomes an integer), so on the UPDATE path they are skolemized (fresh
  IRIs under SKOLEM_BASE) and every read turns those IRIs back into blank nodes.
- `gsp_url=None` picks the Graph Store endpoint of the two known server layouts (Oxigraph
  server: `/query` + `/update` -> `/store`; Virtuoso: `/sparql` -> `/sparql-graph-crud`,
  `/sparql-auth` -> `/sparql-graph-crud-auth`), and no GSP otherwise; `gsp_url=""` turns GSP
  off. A GSP endpoint that answers 404/405/415/501 is dropped for the UPDATE form.

Default graph: queries must see the union of all named graphs, as on the other backends.
Oxigraph server does that when started with `--union-default-graph`; Virtuoso's default graph
is always the union of every graph the user may read, its own system graphs included, so give
the query user no read access to those (the test server makes them private; see
tests/servers.py). The store's own reads (count, articles, dataset) only look at article
graphs, marked by `<article> dip:contentHash ...`, so other graphs on the server never leak in.
Virtuoso also stores typed literals by value: a non-canonical lexical form comes back
canonical ("01"^^xsd:integer as "1"; rdflib already canonicalizes most on its side) and it
writes booleans as 0/1 in JSON results (read back as false/true). It cuts results at its
ResultSetMaxRows (10000 by default) and marks that only with a header: that is a StoreError
here, never a silently short answer.

Bindings: remote endpoints have no substitution API, so `query(..., bindings)` injects a
VALUES block with Oxigraph's semantics (see sparqltext.py).

Auth and robustness: credentials (HTTP basic or digest) go with updates and Graph Store
requests, and with queries only when the query URL is the update URL (Virtuoso's
`/sparql-auth`). Connection errors and 5xx answers are retried with exponential backoff
(`retries` times: 0.2, 0.4, 0.8 s ...); a 4xx is never retried. Every request has a timeout.
Errors are one-line StoreErrors (QueryError for a query the server calls malformed) naming the
endpoint without any credentials.
"""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import rdflib
import requests
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..rdf.vocab import DIP
from .base import (
    COUNT_ARTICLE_TRIPLES,
    LIST_ARTICLES,
    ONTOLOGY_GRAPH,
    ArticleInfo,
    PutOutcome,
    QueryResult,
    Store,
    article_infos,
    graph_pairs,
    refresh_contacts,
)
from .oxigraph import _bind_prefixes, _one_line
from .sparqltext import inject_values, query_form
from .terms import RDF_LANGSTRING, XSD_STRING, from_ox, graph_to_quads

AUTH_MODES = ("basic", "digest")
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_GSP_UNSUPPORTED = {404, 405, 406, 415, 501}
_NT = {"application/n-triples", "text/plain", "text/x-nquads", "application/n-quads"}

SKOLEM_BASE = "https://w3id.org/diplokg/.well-known/genid/"

_COUNT, _ARTICLES = COUNT_ARTICLE_TRIPLES, LIST_ARTICLES
_DATASET = (
    f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?g <{DIP.contentHash}> ?h }} GRAPH ?g {{ ?s ?p ?o }} }}"
)


def public_url(url: str) -> str:
    """`url` without user:password@ (what error messages may show)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _check_url(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"the {what} must be an http:// or https:// URL, not {public_url(url)!r}")
    return url


def guess_gsp_url(query_url: str, update_url: str) -> str:
    """The Graph Store endpoint of the known server layouts ('' when the layout is unknown)."""
    q, u = urlsplit(query_url), urlsplit(update_url)
    base = (u.scheme, u.netloc)
    if (q.scheme, q.netloc) == base and q.path.endswith("/query") and u.path.endswith("/update"):
        root = u.path[: -len("/update")]
        if q.path[: -len("/query")] == root:
            return urlunsplit((u.scheme, u.netloc, root + "/store", "", ""))  # Oxigraph server
    for suffix, gsp in (("/sparql-auth", "/sparql-graph-crud-auth"), ("/sparql", "/sparql-graph-crud")):
        if u.path.endswith(suffix):
            return urlunsplit((u.scheme, u.netloc, u.path[: -len(suffix)] + gsp, "", ""))  # Virtuoso
    return ""


def _first_line(text: str, limit: int = 300) -> str:
    """The first non-blank line of an error body; of an HTML page, its message text."""
    if re.match(r"\s*<(!DOCTYPE|html)", text, re.I):
        message = re.search(r"<(xmp|pre|p)>(.*?)</\1>", text, re.S | re.I)
        text = html.unescape(message.group(2) if message else re.sub(r"<[^>]+>", "\n", text))
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:limit]
    return ""


def skolemize(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Each blank node replaced by a fresh skolem IRI under SKOLEM_BASE."""
    names: dict[ox.BlankNode, ox.NamedNode] = {}

    def fix(term):
        if isinstance(term, ox.BlankNode):
            if term not in names:
                names[term] = ox.NamedNode(SKOLEM_BASE + uuid.uuid4().hex)
            return names[term]
        return term

    return [ox.Quad(fix(q.subject), q.predicate, fix(q.object), q.graph_name) for q in quads]


def deskolemize(term: Node | None) -> Node | None:
    """A skolem IRI written by `skolemize` back as the blank node it stands for."""
    if isinstance(term, URIRef) and term.startswith(SKOLEM_BASE):
        return BNode(term[len(SKOLEM_BASE):])
    return term


def _bnode(label: str) -> BNode:
    """A result's blank node label as a usable rdflib id (Virtuoso gives `nodeID://b10001`)."""
    return BNode(re.sub(r"\W", "_", label))


def json_term(cell: dict) -> Node:
    """A SPARQL 1.1 JSON results term (also Virtuoso's `typed-literal`) as an rdflib term."""
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return deskolemize(URIRef(value))  # type: ignore[return-value]
    if kind == "bnode":
        return _bnode(value)
    if kind in ("literal", "typed-literal"):
        lang = cell.get("xml:lang")
        if lang:
            return Literal(value, lang=lang)
        datatype = cell.get("datatype")
        if datatype and datatype not in (XSD_STRING, RDF_LANGSTRING):
            if datatype == _XSD_BOOLEAN and value in ("0", "1"):  # Virtuoso writes booleans as 0/1
                value = "true" if value == "1" else "false"
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise ValueError(f"unsupported term type {kind!r} in SPARQL results")


class SparqlStore(Store):
    """The store protocol over a remote SPARQL 1.1 endpoint (see the module docstring)."""

    name = "sparql"
    persistent = True  # the data lives on the server; `location` is the query URL

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str | None = "basic",
        timeout: float = 30,
        retries: int = 3,
        backoff: float = 0.2,
    ) -> None:
        query_url = _check_url(str(query_url), "SPARQL query URL")
        update_url = _check_url(str(update_url), "SPARQL update URL") if update_url else query_url
        for url in (query_url, update_url):  # credentials written into a URL
            parts = urlsplit(url)
            if parts.username and user is None:
                user, password = parts.username, parts.password
        self.query_url, self.update_url = public_url(query_url), public_url(update_url)
        if gsp_url is None:
            gsp_url = guess_gsp_url(self.query_url, self.update_url)
        self.gsp_url = public_url(_check_url(gsp_url, "Graph Store URL")) if gsp_url else ""
        self.location = self.query_url
        mode = (auth or "basic").lower()
        if mode not in AUTH_MODES:
            raise StoreError(f"no HTTP auth named {auth!r}; available: {', '.join(AUTH_MODES)}")
        self.user = user
        self._auth: requests.auth.AuthBase | None = None
        if user:
            cls = requests.auth.HTTPDigestAuth if mode == "digest" else requests.auth.HTTPBasicAuth
            self._auth = cls(user, password or "")
        self.auth_mode = mode
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self._session: requests.Session | None = requests.Session()
        self._session.headers["User-Agent"] = "diplokg"

    def __repr__(self) -> str:
        return f"<SparqlStore {self.query_url}>"

    # -- HTTP -----------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, authed: bool, **kwargs) -> requests.Response:
        """One request, retried on connection errors and 5xx answers with exponential backoff."""
        if self._session is None:
            raise StoreError(f"store {self.location} is closed")
        tries = self.retries + 1
        delay = self.backoff
        for attempt in range(1, tries + 1):
            try:
                response = self._session.request(
                    method, url, auth=self._auth if authed else None, timeout=self.timeout, **kwargs
                )
            except requests.exceptions.ConnectionError as e:  # includes connect timeouts
                if attempt == tries:
                    reason = type(e).__name__
                    raise StoreError(f"cannot reach SPARQL endpoint {url} ({reason}) after {tries} tries") from None
            except requests.exceptions.Timeout:
                raise StoreError(f"SPARQL endpoint {url} did not answer within {self.timeout:g} s") from None
            except requests.exceptions.RequestException as e:
                raise StoreError(f"request to SPARQL endpoint {url} failed: {type(e).__name__}") from None
            else:
                if response.status_code < 500 or attempt == tries:
                    response.tries = attempt  # type: ignore[attr-defined]
                    return response
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _fail(self, response: requests.Response, url: str, *, query: str | None = None) -> None:
        """Raise the one-line error for a non-2xx answer (`query`: 'query' or 'update' text)."""
        code = response.status_code
        detail = _first_line(response.text)
        if code == 401:
            if self.user:
                raise StoreError(f"SPARQL endpoint {url} refused the credentials of user {self.user!r} (401 Unauthorized)")
            raise StoreError(
                f"SPARQL endpoint {url} requires authentication (401 Unauthorized): give a user "
                "(DIPLOKG_SPARQL_USER) and the password in DIPLOKG_SPARQL_PASSWORD"
            )
        if code == 403:
            who = f"user {self.user!r}" if self.user else "anonymous requests"
            raise StoreError(f"SPARQL endpoint {url} forbids this to {who} (403 Forbidden){': ' + detail if detail else ''}")
        if code == 400 and query == "query":
            raise QueryError(f"invalid SPARQL (endpoint {url}): {detail or 'Bad Request'}")
        if code == 400 and query == "update":
            raise QueryError(f"invalid SPARQL update (endpoint {url}): {detail or 'Bad Request'}")
        tries = getattr(response, "tries", 1)
        after = f" after {tries} tries" if tries > 1 else ""
        raise StoreError(f"SPARQL endpoint {url} answered {code} {response.reason or ''}{after}: {detail}".rstrip(": "))

    def _update(self, sparql: str, *, user_text: bool = False) -> None:
        response = self._send(
            "POST",
            self.update_url,
            authed=True,
            data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        if not response.ok:
            self._fail(response, self.update_url, query="update" if user_text else None)

    def update(self, sparql: str, *, using_graphs: Sequence[str] | None = None,
               using_named_graphs: Sequence[str] | None = None, base_iri: str | None = None) -> None:
        """The endpoint's own update semantics; a dataset is sent as USING clauses cannot be
        added to a request's text safely, so it is refused here."""
        if using_graphs is not None or using_named_graphs is not None:
            raise QueryError("a remote SPARQL store takes USING clauses in the update text, not as parameters")
        self._update(_with_base(sparql, base_iri), user_text=True)

    def _query(self, sparql: str, form: str | None, dataset: dict[str, list[str]] | None = None) -> requests.Response:
        accept = _GRAPH_ACCEPT if form in ("construct", "describe") else _RESULTS_JSON
        response = self._send(
            "POST",
            self.query_url,
            authed=self.query_url == self.update_url,
            data={"query": sparql, **(dataset or {})},
            headers={"Accept": accept},
        )
        if not response.ok:
            self._fail(response, self.query_url, query="query")
        limit = response.headers.get("X-SPARQL-MaxRows")
        if limit:
            raise StoreError(
                f"SPARQL endpoint {self.query_url} cut the result at {limit} rows "
                "(its result size limit: Virtuoso's ResultSetMaxRows in virtuoso.ini)"
            )
        return response

    # -- reading --------------------------------------------------------------------------

    def query(self, sparql: str, bindings: dict[str, object] | None = None, *,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              base_iri: str | None = None, set_union: bool = True) -> QueryResult:
        """The endpoint answers with its own union default graph; a dataset travels as the
        protocol's default-graph-uri / named-graph-uri parameters."""
        text = _with_base(inject_values(sparql, bindings), base_iri)
        form = query_form(text)
        dataset = None
        if default_graphs is not None or named_graphs is not None:
            dataset = {"default-graph-uri": list(default_graphs or []), "named-graph-uri": list(named_graphs or [])}
        response = self._query(text, form, dataset)
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            if media in (_RESULTS_JSON, "application/json"):
                return self._json_result(json.loads(response.content.decode("utf-8")))
            return self._graph_result(response.content, media)
        except (ValueError, KeyError, TypeError, SyntaxError) as e:
            raise StoreError(f"SPARQL endpoint {self.query_url} sent an unreadable {media or 'answer'}: {_one_line(e)}") from None

    @staticmethod
    def _json_result(data: dict) -> QueryResult:
        if "boolean" in data:
            return QueryResult(kind="ask", boolean=bool(data["boolean"]))
        variables = list(data["head"].get("vars", []))
        rows = []
        for binding in data["results"]["bindings"]:
            rows.append(tuple(json_term(binding[v]) if v in binding else None for v in variables))
        return QueryResult(kind="select", vars=variables, rows=rows)

    @staticmethod
    def _graph_result(body: bytes, media: str) -> QueryResult:
        if media in _NT:
            fmt = ox.RdfFormat.N_TRIPLES
        else:
            fmt = ox.RdfFormat.from_media_type(media)
            if fmt is None:
                raise ValueError(f"unexpected content type {media!r}")
        graph = _bind_prefixes(rdflib.Graph())
        for triple in ox.parse(body, format=fmt):
            graph.add((deskolemize(from_ox(triple.subject)), from_ox(triple.predicate), deskolemize(from_ox(triple.object))))
        return QueryResult(kind="graph", graph=graph)

    def _rows(self, sparql: str) -> list[tuple[Node | None, ...]]:
        return self.query(sparql).rows

    def has_article(self, article_iri: str) -> bool:
        node = self._article_node(article_iri)
        return bool(self.query(f"ASK {{ GRAPH {node} {{ ?s ?p ?o }} }}").boolean)

    def article_hash(self, article_iri: str) -> str | None:
        node = self._article_node(article_iri)
        rows = self._rows(f"SELECT ?h WHERE {{ GRAPH {node} {{ {node} <{DIP.contentHash}> ?h }} }}")
        values = sorted(str(r[0]) for r in rows if r[0] is not None)
        return values[0] if values else None

    def articles(self) -> list[ArticleInfo]:
        return article_infos(self._rows(_ARTICLES))  # type: ignore[arg-type]

    def count(self) -> int:
        rows = self._rows(_COUNT)
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0  # type: ignore[arg-type]

    def dataset(self) -> rdflib.Dataset:
        ds = _bind_prefixes(rdflib.Dataset())
        graphs: dict[Node, rdflib.Graph] = {}
        for g, s, p, o in self._rows(_DATASET):
            if g not in graphs:
                graphs[g] = ds.graph(g)  # type: ignore[arg-type]
            graphs[g].add((s, p, o))  # type: ignore[arg-type]
        return ds

    def graph_of(self, article_iri: str) -> rdflib.Graph:
        node = self._article_node(article_iri)
        graph = _bind_prefixes(rdflib.Graph(identifier=URIRef(node.value)))
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}")
        for triple in result.graph or ():
            graph.add(triple)
        return graph

    # -- writing --------------------------------------------------------------------------

    def _article_node(self, article_iri: str) -> ox.NamedNode:
        if str(article_iri) == ONTOLOGY_GRAPH:
            raise StoreError(f"{ONTOLOGY_GRAPH} is the ontology graph, not an article")
        return self._node(article_iri, "article")

    @staticmethod
    def _node(iri: str, what: str = "graph") -> ox.NamedNode:
        try:
            return ox.NamedNode(str(iri))
        except ValueError as e:
            raise StoreError(f"invalid {what} IRI {iri!r}: {_one_line(e)}") from None

    def _replace(self, node: ox.NamedNode, triples, what: str) -> None:
        """Replace graph `node` by `triples` whole: one GSP PUT, or one UPDATE request."""
        try:
            quads = list(graph_to_quads(triples, node))
            body = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
        except (TypeError, ValueError) as e:
            raise StoreError(f"cannot store {what}: {_one_line(e)}") from None
        if self.gsp_url:
            response = self._send(
                "PUT",
                self.gsp_url,
                authed=True,
                params={"graph": node.value},
                data=body,
                headers={"Content-Type": "application/n-triples"},
            )
            if response.ok:
                return
            if response.status_code not in _GSP_UNSUPPORTED:
                self._fail(response, self.gsp_url)
            self.gsp_url = ""  # no Graph Store protocol there: use SPARQL Update from now on
        if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
            # INSERT DATA may not hold blank nodes (Virtuoso refuses them) and an INSERT template
            # changes literals on Virtuoso ("4000"^^xsd:decimal becomes an integer), so blank
            # nodes are written as skolem IRIs, read back as blank nodes (see `deskolemize`).
            quads = skolemize(quads)
            body = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
        text = body.decode("utf-8")
        self._update(f"DROP SILENT GRAPH {node} ;\nINSERT DATA {{ GRAPH {node} {{\n{text}}} }}")

    def put_article(self, article_iri: str, graph: rdflib.Graph, content_hash: str) -> PutOutcome:
        node = self._article_node(article_iri)
        stored = self.article_hash(article_iri)
        if stored is not None and stored == content_hash:
            return "unchanged"
        existed = stored is not None or self.has_article(article_iri)
        article = URIRef(node.value)
        triples = [(s, p, o) for s, p, o in graph if not (s == article and p == DIP.contentHash)]
        triples.append((article, DIP.contentHash, Literal(str(content_hash))))
        pairs = graph_pairs(graph) | (self.pairs_of(node.value) if existed else set())
        self._replace(node, triples, f"article {node.value}")
        self._recount(pairs)
        return "replaced" if existed else "added"

    def _recount(self, pairs: set[str]) -> None:
        """A request of its own after the write: a Graph Store PUT cannot carry it. If it
        fails, the counts of these pairs lag until an article that links them is written."""
        if pairs:
            self._update(refresh_contacts(pairs))

    def remove_article(self, article_iri: str) -> bool:
        node = self._article_node(article_iri)
        if not self.has_article(article_iri):
            return False
        pairs = self.pairs_of(node.value)
        self._drop(node)
        self._recount(pairs)
        return True

    def _drop(self, node: ox.NamedNode) -> None:
        if self.gsp_url:
            response = self._send("DELETE", self.gsp_url, authed=True, params={"graph": node.value})
            if response.ok:
                return
            if response.status_code not in _GSP_UNSUPPORTED:
                self._fail(response, self.gsp_url)
        self._update(f"DROP SILENT GRAPH {node}")

    def load_ontology(self, graph: rdflib.Graph) -> None:
        self._replace(ox.NamedNode(ONTOLOGY_GRAPH), graph, "the ontology")

    def put_graph(self, graph_iri: str, graph: rdflib.Graph) -> None:
        node = self._node(graph_iri)
        self._replace(node, graph, f"graph <{node.value}>")

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def _with_base(sparql: str, base_iri: str | None) -> str:
    """The text with a BASE declaration in front (the protocol has no base parameter)."""
    return sparql if not base_iri else f"BASE <{base_iri}>\n{sparql}"
