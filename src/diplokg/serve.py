"""Serve a store over HTTP: a SPARQL 1.1 Protocol endpoint, a query page and the viewer.

`make_server(store, host, port, ...)` returns a ready (bound, not yet serving)
`DiplokgServer` (stdlib `ThreadingHTTPServer`); `serve(...)` runs one until Ctrl-C.
The `diplokg serve` command wires the options. Routes:

    /sparql          SPARQL 1.1 Protocol: GET ?query=, POST form (query= or update=),
                     POST application/sparql-query, POST application/sparql-update.
                     GET without a query: a SPARQL service description (Turtle).
    /                a small query page (textarea + the named queries as examples;
                     /?query=... or /?name=NAME fills the box and runs it)
    /viewer          the interactive network of the whole store (viz.render_html)
    /articles        JSON list: id, iri, title, issued, triples
    /articles/ID     that article's named graph (Turtle by default; 404 if unknown)

Behaviour, decided once and documented here:

- Dataset: the default graph is the union of all graphs (articles + ontology), a set (each
  distinct triple once: `stores.union`), as in `Store.query`; `GRAPH ?g` sees each article
  graph. The protocol's dataset parameters are honoured: `default-graph-uri` /
  `named-graph-uri` for queries and `using-graph-uri` / `using-named-graph-uri` for updates, each repeatable, in the URL or the form body. When a
  request gives either of a pair, the dataset is exactly what it names (the other list empty:
  named graphs only means an empty default graph) and it overrides the query's FROM / FROM
  NAMED. An update that has them and also names its graphs (USING, USING NAMED, WITH) is 400,
  as the protocol requires; so is a query with `using-*`, an update with `default-graph-uri`
  or `named-graph-uri`, and a value that is not an absolute IRI. Empty values
  (`default-graph-uri=`, which some forms send) count as not given.
- Base IRI: relative IRIs in a query or update resolve against the URL the request was sent
  to (`http://` + the Host header + the path, `/sparql` or `/sparql/`, no query string), so
  `CONSTRUCT { <s> <p> 1 } WHERE {}` sent to http://example.org/sparql has the subject
  <http://example.org/s>. The service description's `sd:endpoint` is the same URL. A Host
  header that is not `host[:port]` (or a second Host header) is 400; without one, the
  server's own address is used.
- Encodings: request bodies are UTF-8, as the protocol says. A `charset` other than UTF-8 is
  415, a body that is not valid UTF-8 is 400, and so is a %-escape in the URL or a form body
  that decodes to invalid UTF-8 (`%FF`): a query is never run with U+FFFD in place of what
  the client sent.
- XML answers (SPARQL XML results, RDF/XML) are always well-formed XML 1.0. A result holding
  a character XML 1.0 does not allow (a C0 control other than tab, newline and carriage
  return, U+FFFE, U+FFFF) cannot be written as XML at all: a character reference (`&#x1;`)
  is not well-formed either, and dropping or replacing the character would change the data.
  So XML is not offered for that result: the client gets the next type its `Accept` allows
  (e.g. JSON), else 406 naming the character and the type to ask for. Oxigraph writes such
  characters raw (a malformed document) and Jena's RDF/XML writer refuses them; this is the
  refusal, made an HTTP answer. Tab, newline and carriage return (`&#13;` in SPARQL XML)
  go through.
- RDF/XML cannot write a predicate without a valid XML local name (one ending in `/` or `#`,
  or in digits right after one, e.g. <http://example.org/1>): that graph is likewise
  answered in the next acceptable type, else 406 "this graph cannot be written as RDF/XML:
  ...; ask for text/turtle".
- Bodies on GET, HEAD, OPTIONS and other non-POST requests are read and dropped, so on a
  kept-alive connection they are never taken for the next request; one that is chunked, has
  a bad Content-Length or is over `MAX_BODY` closes the connection after the answer instead.
- Content negotiation on `Accept` (q-values and wildcards honoured; none or */* gives the
  first type): SELECT/ASK as application/sparql-results+json, application/sparql-results+xml,
  text/csv, text/tab-separated-values (application/json is answered as JSON results);
  CONSTRUCT/DESCRIBE as text/turtle, application/n-triples, application/ld+json,
  application/rdf+xml. 406 (plain text, listing the types) when nothing acceptable fits.
- Errors are plain text, one line: 400 malformed query/update (the parser's message), nested
  too deep, or bad request, 401 missing/wrong bearer token, 403 updates disabled or SERVICE/
  LOAD refused, 404 unknown path or article, 405 wrong method (with `Allow`), 406, 411, 413
  too large (request body over `MAX_BODY`, a result over the row cap, or a query over its
  memory budget), 415 unknown Content-Type or charset, 500 store failure or a crash of the query
  engine, 503 timeout or too many queries running.
- Row cap (`max_rows`, default 10,000): a result with more rows (or, for CONSTRUCT/DESCRIBE,
  triples) than the cap is refused with 413 "result has more than N rows; add LIMIT", never
  truncated, so a client cannot mistake part of an answer for all of it. The local stores
  count rows while they make the result (`stores.base.row_limit`) and stop at row N+1.
- Reads in a child process: every read of the store (a query with its serialisation,
  /articles, /articles/ID, /viewer) runs in a child forked for it (`forked.run_forked`), which
  sees a copy-on-write snapshot of the store. At the timeout (default 30 s) the child is
  killed and the request gets 503, so CPU and memory go back to idle; a child may add at most
  `max_query_memory` MB (default 1024; RLIMIT_AS) to what the server holds, past which the
  answer is 413 "query needed more than N MB; narrow it"; a child that crashes (a stack
  overflow in the engine, say) is a one-line 500. The server never forks while an update is
  inside the store (readers-writer lock below). At most `max_workers` store calls run at
  once; past that a request waits up to the timeout for a slot, then gets 503.
- Updates run in a worker thread of the server process under the write lock; one past the
  timeout gets 503 and the thread is abandoned (Python cannot stop it; it ends on its own
  and frees its slot). Only token holders can send them.
- Checked text (`stores.guard.check_text`), before any engine parses it: nesting of `{ ( [ <<`
  deeper than 64 levels is 400 (Oxigraph's recursive parser would overflow the stack), and
  SERVICE (queries and updates) and LOAD (updates) are 403 unless `allow_service=True`
  (`--allow-service`): by default the server sends no request anywhere a client names.
- Updates are refused (403) unless the server was made with `allow_update=True` and a
  non-empty `token`; then a request needs `Authorization: Bearer <token>` (else 401 with
  `WWW-Authenticate`). The token is compared in constant time and never printed or logged.
  A successful update answers 204. Updates run through the store's `update(sparql)` when the
  backend has one, else through the Oxigraph engine of Oxigraph-backed stores; other
  backends answer 501. They edit the store directly: ingest's content hashes do not see
  them, and triples written to the default graph are queryable but not part of any article
  (not exported, not counted).
- Store access is guarded by a readers-writer lock: queries run concurrently, an update
  runs alone (so backends that are not thread-safe for writes stay consistent, and no
  process forks while an update is inside the store).
- CORS: off unless configured. With `cors=ORIGIN` (`--cors ORIGIN`; `*` for any page),
  every answer to GET/HEAD and to POSTed queries carries `Access-Control-Allow-Origin:
  ORIGIN` (and `Vary: Origin` unless it is `*`), and OPTIONS answers preflights for queries.
  Without it no CORS header is ever sent (OPTIONS still answers 204 with `Allow`), so web
  pages of other origins cannot read the answers. Updates never get CORS headers and the
  preflight does not allow `Authorization`, so a web page in a browser can at most read the
  data, never write through a token it does not hold.
- Paths: only the routes above exist; nothing is ever read from the file system by path
  (`/articles/ID` looks ID up among the stored articles), so `..` or percent-encoded
  variants are just unknown pages or articles (404).
- Binding: 127.0.0.1 by default. `is_loopback(host)` tells the CLI when to warn that the
  store is reachable from other machines (the server still starts: the host was explicit).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import ipaddress
import json
import os
import re
import socket
import sys
import threading
import traceback
from base64 import b64encode
from collections.abc import Callable
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import rdflib
from rdflib import BNode, Literal, URIRef

from . import __version__
from .errors import DiplokgError, ForbiddenQueryError, QueryError, ResultTooLargeError, StoreError
from .forked import ChildCrashed, ChildOutOfMemory, ChildStuck, ChildTimeout, run_forked
from .stores.base import QueryResult, Store, row_limit
from .stores.guard import check_text

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TOKEN_ENV",
    "DiplokgServer",
    "GRAPH_TYPES",
    "MAX_BODY",
    "TABLE_TYPES",
    "is_loopback",
    "make_server",
    "serve",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TOKEN_ENV = "DIPLOKG_SERVE_TOKEN"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_QUERY_MEMORY = 1024  # MB a query's process may add to what the server holds
MAX_BODY = 16 * 1024 * 1024  # bytes of a POST body
SOCKET_TIMEOUT = 60  # seconds a connection may sit idle or trickle a request

# media type -> result format, in order of preference (the first is the default)
TABLE_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
_SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")
_SD_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
               "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
_QUERY_DATASET = ("default-graph-uri", "named-graph-uri")
_UPDATE_DATASET = ("using-graph-uri", "using-named-graph-uri")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]*")
_HOST_HEADER = re.compile(r"(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


class _HTTPError(Exception):
    """An answer other than 2xx: status, one-line message, extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def __reduce__(self):  # raised in a query's child process, re-raised in the server
        return type(self), (self.status, self.message, self.headers)


# --------------------------------------------------------------------------- helpers


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _one_line(text: str) -> str:
    return (str(text).strip().splitlines() or [""])[0]


def _utf8(data: bytes, where: str) -> str:
    """`data` as UTF-8, or 400 (a request is never decoded by guessing)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _HTTPError(400, f"{where} is not valid UTF-8 (byte 0x{data[e.start]:02X} at offset {e.start}); "
                         "send UTF-8") from None


def _form_fields(text: str, where: str) -> dict[str, list[str]]:
    """Fields of a URL query or form body; a %-escape that decodes to invalid UTF-8 is 400
    rather than a silent U+FFFD in the query."""
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as e:
        raise _HTTPError(400, f"{where} has %-escapes that are not UTF-8 ({e.reason}); percent-encode UTF-8") from None


def _dataset(params: dict[str, list[str]], names: tuple[str, str],
             others: tuple[str, str]) -> tuple[list[str], list[str]] | None:
    """The protocol's dataset from the two parameters `names` (default graphs, named graphs):
    None when the request gives neither (the store's dataset: the union default graph), else
    both lists, either possibly empty. Empty values count as not given (some forms send
    `default-graph-uri=`); the other operation's parameters are a 400."""
    for name in others:
        if any(v.strip() for v in params.get(name, [])):
            kind = "updates" if name.startswith("using") else "queries"
            raise _HTTPError(400, f"{name} is for {kind}; this request's dataset goes in {' and '.join(names)}")
    graphs = tuple([_graph_iri(v.strip(), name) for v in params.get(name, []) if v.strip()] for name in names)
    if not any(graphs):
        return None
    return graphs[0], graphs[1]


def _graph_iri(value: str, name: str) -> str:
    if not _ABSOLUTE_IRI.fullmatch(value):
        raise _HTTPError(400, f"{name} {value[:200]!r} is not an absolute IRI")
    return value


def _parse_accept(header: str | None) -> list[tuple[str, float]]:
    """`Accept` -> [(media range, q)]; a missing or empty header accepts everything."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers (most specific matching range sets its q;
    ties go to the earlier offer), or None when none is acceptable."""
    ranges = _parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        major = offer.split("/", 1)[0]
        q, specificity = 0.0, -1
        for media, mq in ranges:
            if media == offer:
                s = 2
            elif media == f"{major}/*":
                s = 1
            elif media == "*/*":
                s = 0
            else:
                continue
            if s > specificity:
                specificity, q = s, mq
        if q > best_q:
            best, best_q = offer, q
    return best


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


def _nt_term(term: Any) -> str:
    """A term as in N-Triples (SPARQL TSV cells)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = (str(term).replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    out = f'"{text}"'
    if isinstance(term, Literal):
        if term.language:
            out += f"@{term.language}"
        elif term.datatype is not None:
            out += f"^^<{term.datatype}>"
    return out


def _xml_term(term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{xml_escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{xml_escape(str(term))}</bnode>"
    text = xml_escape(str(term)).replace("\r", "&#13;")
    if isinstance(term, Literal) and term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{text}</literal>"
    if isinstance(term, Literal) and term.datatype is not None:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{text}</literal>"
    return f"<literal>{text}</literal>"


def _xml_results(result: QueryResult) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        lines += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(v)}/>" for v in result.vars]
        lines += ["  </head>", "  <results>"]
        for row in result.rows:
            lines.append("    <result>")
            for name, term in zip(result.vars, row):
                if term is not None:
                    lines.append(f"      <binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _tsv_results(result: QueryResult) -> str:
    if result.kind == "ask":
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_nt_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


class UnwritableError(ValueError):
    """The result exists but this format cannot carry it (the client may ask for another)."""


# XML 1.0's Char production: other characters are refused even as character references
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_char_problem(terms: Any) -> str | None:
    """Why these terms cannot go into an XML 1.0 document, or None. A character outside XML
    1.0's Char production makes the document malformed, and so does its character reference
    (`&#x1;`, XML 1.0 section 2.2), so no escaping can carry it."""
    for term in terms:
        if term is None:
            continue
        for text in (str(term), getattr(term, "language", None) or "", str(getattr(term, "datatype", None) or "")):
            found = _NOT_XML_CHAR.search(text)
            if found:
                return f"it holds the character U+{ord(found.group()):04X}, which XML 1.0 does not allow"
    return None


def serialize_table(result: QueryResult, fmt: str) -> bytes:
    """A SELECT/ASK result in one of the SPARQL result formats: json, xml, csv, tsv."""
    from .query import format_result

    if fmt in ("json", "csv"):
        return format_result(result, fmt).encode("utf-8")
    if fmt == "xml":
        problem = _xml_char_problem(term for row in result.rows for term in row)
        if problem:
            raise UnwritableError(f"this result cannot be written as SPARQL XML: {problem}")
        return _xml_results(result).encode("utf-8")
    if fmt == "tsv":
        return _tsv_results(result).encode("utf-8")
    raise ValueError(f"unknown result format {fmt!r}")


def serialize_rdf(graph: rdflib.Graph, fmt: str) -> bytes:
    """A graph as turtle (the project's lossless pretty Turtle), nt, json-ld or xml."""
    if fmt == "turtle":
        from .export import serialize_graph

        return serialize_graph(graph, "ttl")
    if fmt == "nt":
        return graph.serialize(format="nt11", encoding="utf-8")
    if fmt == "xml":
        return _rdf_xml(graph)
    return graph.serialize(format=fmt, encoding="utf-8")


def _rdf_xml(graph: rdflib.Graph) -> bytes:
    """RDF/XML, or UnwritableError for what it cannot write: characters outside XML 1.0, and
    predicates without a valid XML local name (one ending in `/` or `#`, or in digits right
    after one)."""
    problem = _xml_char_problem(term for triple in graph for term in triple)
    if problem is None:
        try:
            return graph.serialize(format="xml", encoding="utf-8")
        except ValueError as e:  # rdflib: "Can't split ...", "no valid way to shorten ..."
            problem = _one_line(str(e))
    raise UnwritableError(f"this graph cannot be written as RDF/XML: {problem}")


def _written(accept: str | None, types: dict[str, str], write: Callable[[str], bytes], fallback: str) -> tuple[bytes, str]:
    """(body, media type) in the acceptable type the client prefers among those that can carry
    the result: one that cannot (UnwritableError) gives way to the next acceptable one, and
    when none is left the answer is 406 with the reason and the type to ask for instead."""
    offers = list(types)
    reason = ""
    for _ in range(len(types)):  # each failed pass drops one offer
        media = negotiate(accept, offers)
        if media is None:
            break
        try:
            return write(types[media]), media
        except UnwritableError as e:
            reason = str(e)
            offers = [o for o in offers if types[o] != types[media]]
    raise _HTTPError(406, f"{reason}; ask for {fallback}")


class _RWLock:
    """Many readers or one writer. Readers never wait for a queued writer, so a writer stuck
    behind a long (abandoned) query cannot stall the other queries."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def read(self, timeout: float | None = None):
        """Hold the lock as a reader; TimeoutError when a writer keeps it past `timeout` s."""
        with self._cond:
            if not self._cond.wait_for(lambda: not self._writing, timeout):
                raise TimeoutError
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self):
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


# --------------------------------------------------------------------------- the server


class DiplokgServer(ThreadingHTTPServer):
    """A threading HTTP server over one store. Attributes hold the configuration."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, store: Store, allow_update: bool, token: str | None,
                 timeout: float | None, max_rows: int | None, quiet: bool, max_workers: int,
                 cors: str | None = None, allow_service: bool = False,
                 max_query_memory: int | None = DEFAULT_MAX_QUERY_MEMORY) -> None:
        self.store = store
        self.cors = cors.strip() if cors and cors.strip() else None
        self.allow_update = allow_update
        self.allow_service = allow_service
        self.max_query_memory = max_query_memory if max_query_memory and max_query_memory > 0 else None
        self._token = token
        self.query_timeout = timeout if timeout and timeout > 0 else None
        self.max_rows = max_rows if max_rows and max_rows > 0 else None
        self.quiet = quiet
        self.host = address[0]
        self._slots = threading.BoundedSemaphore(max_workers)
        self._lock = _RWLock()
        _preload_serializers()
        super().__init__(address, _Handler)

    def __repr__(self) -> str:  # never shows the token
        return f"<DiplokgServer {self.url} store={self.store!r} updates={'on' if self.allow_update else 'off'}>"

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, ending in `/` (the SPARQL endpoint is `url + "sparql"`)."""
        host = self.host or DEFAULT_HOST
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def check_token(self, header: str | None) -> None:
        """Raise the 401 for a missing or wrong `Authorization: Bearer` token."""
        challenge = {"WWW-Authenticate": 'Bearer realm="diplokg"'}
        scheme, _, given = (header or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise _HTTPError(401, "updates need an 'Authorization: Bearer <token>' header", challenge)
        expected = (self._token or "").encode("utf-8")
        if not expected or not hmac.compare_digest(given.strip().encode("utf-8"), expected):
            raise _HTTPError(401, "wrong bearer token", {"WWW-Authenticate": 'Bearer realm="diplokg", error="invalid_token"'})

    def run(self, operation: Callable[[], Any], *, write: bool = False) -> Any:
        """Run a store operation within the timeout, at most `max_workers` at once (503 when
        no slot frees up in time). Reads run in a child process (`_run_forked`); writes in a
        worker thread of this process (`_run_in_thread`)."""
        timeout = self.query_timeout
        if not self._slots.acquire(timeout=timeout):
            raise _HTTPError(503, f"server busy: every query slot stayed taken for {timeout:g} s; try again later",
                             {"Retry-After": "5"})
        if write or not _CAN_FORK:
            return self._run_in_thread(operation, write)
        try:
            return self._run_forked(operation)
        finally:
            self._slots.release()

    def _run_forked(self, operation: Callable[[], Any]) -> Any:
        """Run a read in a forked child under the read lock (so no update is inside the store
        when the process forks): killed at the timeout (503), limited to `max_query_memory`
        MB more than the server holds (413), a crash answered 500. CPU and memory go back to
        idle when the answer, whatever it is, has been given."""
        timeout = self.query_timeout
        memory = None if self.max_query_memory is None else self.max_query_memory << 20
        try:
            for attempt in range(_FORKS):
                try:
                    with self._lock.read(timeout):
                        return run_forked(operation, timeout=timeout, memory=memory, probe=self.store.probe)
                except ChildStuck:  # RocksDB's mutex came over held: let the store settle, fork again
                    if attempt == _FORKS - 1:
                        raise
                    with self._lock.write():
                        self.store.settle()
        except (TimeoutError, ChildTimeout):
            raise _timed_out("query", timeout) from None
        except ChildStuck:
            raise _HTTPError(503, "the store stayed busy with its own background work; try again",
                             {"Retry-After": "1"}) from None
        except ChildOutOfMemory:
            raise _HTTPError(413, f"query needed more than {self.max_query_memory} MB; narrow it (LIMIT, more "
                             "specific patterns, fewer joins)") from None
        except ChildCrashed as e:
            raise _HTTPError(500, f"the query engine crashed on this query ({e}); the server is unharmed; "
                             "simplify the query") from None
        except ForbiddenQueryError as e:
            raise _HTTPError(403, str(e)) from None
        except ResultTooLargeError as e:
            raise _HTTPError(413, str(e), {"X-Diplokg-Max-Rows": str(e.limit)}) from None

    def _run_in_thread(self, operation: Callable[[], Any], write: bool) -> Any:
        """Run an operation in a worker thread under the lock (the caller holds a slot, which
        the thread gives back when it ends). On timeout the request gets 503 and the thread
        is abandoned: Python cannot stop it; it ends on its own, and updates (the only
        operations run this way where processes can fork) are for token holders."""
        timeout = self.query_timeout
        box: dict[str, Any] = {}
        done = threading.Event()
        lock = self._lock.write if write else self._lock.read

        def work() -> None:
            try:
                with lock():
                    box["value"] = operation()
            except BaseException as exc:  # handed to the request thread
                box["error"] = exc
            finally:
                self._slots.release()
                done.set()

        threading.Thread(target=work, name="diplokg-store", daemon=True).start()
        if not done.wait(timeout):
            raise _timed_out("update" if write else "query", timeout)
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def check_text(self, sparql: str, *, update: bool = False) -> None:
        """Refuse what this server does not run: nesting past the parser's safe depth (400),
        SERVICE, or LOAD in an update, unless `allow_service` (403)."""
        try:
            check_text(sparql, allow_service=self.allow_service, update=update)
        except ForbiddenQueryError as e:
            raise _HTTPError(403, str(e)) from None

    def query(self, sparql: str, **options: Any) -> QueryResult:
        """Check and run a client's query, its result capped at `max_rows` while it is made;
        called in the query's child process. `options` are the store's (base_iri,
        default_graphs, named_graphs)."""
        self.check_text(sparql)
        with row_limit(self.max_rows):
            return self.store.query(sparql, **options)

    def apply_update(self, sparql: str, **options: Any) -> None:
        """Check and run an update alone; `options` are the store's (base_iri, using_graphs,
        using_named_graphs)."""
        self.check_text(sparql, update=True)

        self.run(lambda: self.store.update(sparql, **options), write=True)


_CAN_FORK = hasattr(os, "fork")
# A child whose store came over locked (RocksDB's mutex, held by a background thread of this
# process at the fork: it happens to about one query in seven right after a write) is caught
# by its probe in half a second; the store settles and the query is forked again.
_FORKS = 3


def _preload_serializers() -> None:
    """Import what serialising an answer imports lazily, once, in the server: a query's child
    process would otherwise import it anew for every query (20 ms each)."""
    from . import export, query  # noqa: F401


def _timed_out(what: str, timeout: float | None) -> _HTTPError:
    return _HTTPError(503, f"{what} timed out after {timeout:g} s; narrow it (LIMIT, more specific "
                      f"patterns) or start the server with a longer --timeout", {"Retry-After": "5"})


def make_server(store: Store, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, allow_update: bool = False,
                token: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                max_rows: int | None = DEFAULT_MAX_ROWS, quiet: bool = False, max_workers: int = 8,
                cors: str | None = None, allow_service: bool = False,
                max_query_memory: int | None = DEFAULT_MAX_QUERY_MEMORY) -> DiplokgServer:
    """A server bound to `host:port` (port 0 picks a free one; see `server.url`), not yet
    serving: call `serve_forever()` (in a thread if you like), then `shutdown()` and
    `server_close()`. The store stays open; closing it is the caller's business.

    `timeout` (seconds) and `max_rows` of None or 0 mean no limit. `allow_update=True` needs
    a non-empty `token` (clients send it as `Authorization: Bearer <token>`). `cors` is the
    origin allowed to read answers from a browser (`*` for any); None (the default) sends no
    CORS headers at all. `allow_service=True` lets queries use SERVICE and updates LOAD (the
    server then fetches whatever they name). `max_query_memory` (MB; None or 0: no limit) is
    what one query's process may add to the server's memory.
    """
    if allow_update and not token:
        raise DiplokgError("updates need a token: pass token=... (the CLI reads it from --token-env)")
    if max_workers < 1:
        raise DiplokgError("max_workers must be at least 1")
    server_class = DiplokgServer
    if ":" in host.strip("[]"):
        server_class = type("DiplokgServer6", (DiplokgServer,), {"address_family": socket.AF_INET6})
    try:
        return server_class((host.strip("[]"), int(port)), store=store, allow_update=allow_update, token=token,
                            timeout=timeout, max_rows=max_rows, quiet=quiet, max_workers=max_workers, cors=cors,
                            allow_service=allow_service, max_query_memory=max_query_memory)
    except OSError as e:
        raise DiplokgError(f"cannot listen on {host}:{port}: {e.strerror or _one_line(str(e))}") from None


def serve(store: Store, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **options: Any) -> None:
    """Serve `store` until interrupted (Ctrl-C raises KeyboardInterrupt to the caller after
    the socket is closed). Options as for `make_server`."""
    server = make_server(store, host, port, **options)
    try:
        server.serve_forever()
    finally:
        server.server_close()


# --------------------------------------------------------------------------- requests


class _Handler(BaseHTTPRequestHandler):
    server: DiplokgServer
    protocol_version = "HTTP/1.1"
    server_version = f"diplokg/{__version__}"
    sys_version = ""
    timeout = SOCKET_TIMEOUT

    def version_string(self) -> str:
        return self.server_version

    # -- plumbing ------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.quiet:
            return
        text = format % args
        if len(text) > 300:
            text = text[:297] + "..."
        sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] {text}\n")

    def _cors(self) -> bool:
        if self.server.cors is None:
            return False
        return self.command in ("GET", "HEAD", "OPTIONS") or getattr(self, "_is_query_post", False)

    def _cors_headers(self) -> None:
        origin = self.server.cors
        self.send_header("Access-Control-Allow-Origin", origin)
        if origin != "*":
            self.send_header("Vary", "Origin")

    def _send(self, status: int, body: bytes, media: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self._cors():
            self._cors_headers()
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if status >= 400 or self.close_connection:
            self.close_connection = True  # an unread body must not become the next request
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (message.rstrip("\n") + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _dispatch(self) -> None:
        self._is_query_post = False  # the handler lives as long as the (keep-alive) connection
        try:
            if self.command != "POST":
                self._drop_body()
            path = urlsplit(self.path).path
            for route, handler, methods in _ROUTES:
                match = route(path)
                if match is None:
                    continue
                if self.command not in methods:
                    raise _HTTPError(405, f"{self.command} is not allowed on {path}; use {', '.join(methods)}",
                                     {"Allow": ", ".join(methods)})
                if self.command == "OPTIONS":
                    return self._preflight(methods)
                return handler(self, *match)
            raise _HTTPError(404, f"no such page: {path} (try /, /sparql, /viewer, /articles)")
        except _HTTPError as e:
            self._error(e.status, e.message, e.headers)
        except QueryError as e:
            self._error(400, str(e))
        except StoreError as e:
            self._error(500, str(e))
        except DiplokgError as e:
            self._error(500, str(e))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # one request's bug must not take the server down
            if not self.server.quiet:
                traceback.print_exc(file=sys.stderr)
            self._error(500, f"internal error: {type(e).__name__}: {_one_line(str(e))}")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _dispatch

    def _preflight(self, methods: tuple[str, ...]) -> None:
        self.send_response(204)
        self.send_header("Allow", ", ".join(methods))
        if self.server.cors is not None:
            self._cors_headers()
            self.send_header("Access-Control-Allow-Methods", ", ".join(m for m in methods if m != "OPTIONS"))
            self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
            self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _drop_body(self) -> None:
        """Read and drop a body sent with GET, HEAD and the like (nothing uses it), so that a
        kept-alive connection does not take it for the next request; a chunked body, a bad
        Content-Length or one over MAX_BODY closes the connection after the answer instead."""
        length = self.headers.get("Content-Length")
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
        elif length is not None:
            n = int(length) if length.strip().isdigit() else -1
            if 0 <= n <= MAX_BODY:
                while n > 0:  # in pieces: bounded memory; ends early if the client stops sending
                    piece = self.rfile.read(min(n, 65536))
                    if not piece:
                        break
                    n -= len(piece)
            else:
                self.close_connection = True

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise _HTTPError(411, "send the request body with a Content-Length (chunked bodies are not supported)")
        length = self.headers.get("Content-Length")
        if length is None:
            raise _HTTPError(411, "a POST needs a Content-Length header")
        try:
            n = int(length)
        except ValueError:
            raise _HTTPError(400, f"bad Content-Length {length!r}") from None
        if n < 0:
            raise _HTTPError(400, f"bad Content-Length {length!r}")
        if n > MAX_BODY:
            raise _HTTPError(413, f"request body of {n} bytes is over the limit of {MAX_BODY} bytes")
        return self.rfile.read(n)

    # -- /sparql -------------------------------------------------------------------------

    def _sparql(self) -> None:
        params = _form_fields(_utf8(urlsplit(self.path).query.encode("latin-1"), "the URL"), "the URL")
        operation: str | None = None
        text: str | None = None
        if self.command == "POST":
            media, decoded = self._sparql_body()
            if media == "application/x-www-form-urlencoded":
                for key, values in _form_fields(decoded, "the form body").items():
                    params.setdefault(key, []).extend(values)
            else:
                operation = "query" if media == "application/sparql-query" else "update"
                if "query" in params or "update" in params:
                    raise _HTTPError(400, f"the {operation} is in the body; do not also send query= or update=")
                text = decoded
        if operation is None:
            given = [k for k in ("query", "update") if k in params]
            if len(given) > 1:
                raise _HTTPError(400, "send either query= or update=, not both")
            if not given:
                if self.command in ("GET", "HEAD") and not params:
                    return self._service_description()
                raise _HTTPError(400, "no query: send query=... (GET or POST form) or a POST body of type "
                                 "application/sparql-query; the page at / helps write one")
            operation = given[0]
            if len(params[operation]) != 1:
                raise _HTTPError(400, f"give exactly one {operation}= parameter")
            text = params[operation][0]
            if operation == "update" and self.command != "POST":
                raise _HTTPError(405, "updates must be sent with POST", {"Allow": "POST"})
        assert text is not None
        if operation == "update":
            return self._update(text, _dataset(params, _UPDATE_DATASET, _QUERY_DATASET))
        self._is_query_post = self.command == "POST"
        return self._query(text, _dataset(params, _QUERY_DATASET, _UPDATE_DATASET))

    def _sparql_body(self) -> tuple[str, str]:
        """(media type, text) of a POSTed query, update or form. The protocol's bodies are
        UTF-8: another charset is 415, bytes that are not UTF-8 are 400 (never guessed at)."""
        media, _, rest = (self.headers.get("Content-Type") or "").partition(";")
        media = media.strip().lower()
        if media not in ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"):
            shown = media or "none"
            raise _HTTPError(415, f"unsupported Content-Type {shown}; use application/sparql-query, "
                             "application/sparql-update or application/x-www-form-urlencoded")
        for param in rest.split(";"):
            key, _, value = param.partition("=")
            charset = value.strip().strip('"').lower()
            if key.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
                raise _HTTPError(415, f"unsupported charset {charset or 'none'}: SPARQL 1.1 Protocol request "
                                 "bodies are UTF-8; send them as UTF-8 (charset=utf-8 or no charset)")
        return media, _utf8(self._body(), "the request body")

    def _query(self, text: str, dataset: tuple[list[str], list[str]] | None) -> None:
        accept = self.headers.get("Accept")
        table_type = negotiate(accept, list(TABLE_TYPES))
        graph_type = negotiate(accept, list(GRAPH_TYPES))
        if table_type is None and graph_type is None:
            raise _HTTPError(406, _not_acceptable(accept))
        server = self.server
        options: dict[str, Any] = {"base_iri": self._endpoint_url()}
        if dataset is not None:
            options["default_graphs"], options["named_graphs"] = dataset

        def answer() -> tuple[bytes, str]:  # in the query's child process, serialisation included
            result: QueryResult = server.query(text, **options)
            if result.kind == "graph":
                graph = result.graph if result.graph is not None else rdflib.Graph()
                self._check_rows(len(graph), "triples")
                if graph_type is None:
                    raise _HTTPError(406, _not_acceptable(accept, "CONSTRUCT/DESCRIBE", GRAPH_TYPES))
                return _written(accept, GRAPH_TYPES, lambda fmt: serialize_rdf(graph, fmt), "text/turtle")
            if result.kind == "select":
                self._check_rows(len(result.rows), "rows")
            if table_type is None:
                raise _HTTPError(406, _not_acceptable(accept, "SELECT/ASK", TABLE_TYPES))
            return _written(accept, TABLE_TYPES, lambda fmt: serialize_table(result, fmt),
                            "application/sparql-results+json")

        body, media = server.run(answer)
        self._send(200, body, _content_type(media), {"Vary": "Accept"})

    def _check_rows(self, n: int, unit: str) -> None:
        cap = self.server.max_rows
        if cap is not None and n > cap:
            raise _HTTPError(413, f"result has more than {cap} {unit} ({n}); add LIMIT (and OFFSET to page)",
                             {"X-Diplokg-Max-Rows": str(cap)})

    def _update(self, text: str, dataset: tuple[list[str], list[str]] | None) -> None:
        server = self.server
        if not server.allow_update:
            raise _HTTPError(403, "updates are disabled; start the server with --allow-update (and a token)")
        server.check_token(self.headers.get("Authorization"))
        options: dict[str, Any] = {"base_iri": self._endpoint_url()}
        if dataset is not None:
            from .stores.union import declares_dataset

            if declares_dataset(text):
                raise _HTTPError(400, "the update names its graphs itself (USING, USING NAMED or WITH); "
                                 "do not also send using-graph-uri or using-named-graph-uri")
            options["using_graphs"], options["using_named_graphs"] = dataset
        server.apply_update(text, **options)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _endpoint_url(self) -> str:
        """The URL this request was sent to, without its query string: the base IRI of its query
        or update and the service description's sd:endpoint. Built from the Host header (400
        when that is not a host[:port]); without one, from the server's own address."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            raise _HTTPError(400, "more than one Host header")
        authority = hosts[0].strip() if hosts else self.server.url[len("http://"):].rstrip("/")
        if not _HOST_HEADER.fullmatch(authority):
            raise _HTTPError(400, f"bad Host header {authority[:100]!r}: give host or host:port")
        return f"http://{authority}{urlsplit(self.path).path}"

    def _service_description(self) -> None:
        accept = self.headers.get("Accept")
        graph_type = negotiate(accept, list(GRAPH_TYPES))
        if graph_type is None:
            raise _HTTPError(406, _not_acceptable(accept, "the service description", GRAPH_TYPES))
        endpoint = URIRef(self._endpoint_url())
        g = rdflib.Graph()
        g.bind("sd", _SD)
        g.bind("formats", _FORMATS)
        service = BNode()
        g.add((service, rdflib.RDF.type, _SD.Service))
        g.add((service, _SD.endpoint, endpoint))
        g.add((service, _SD.supportedLanguage, _SD.SPARQL11Query))
        if self.server.allow_update:
            g.add((service, _SD.supportedLanguage, _SD.SPARQL11Update))
        g.add((service, _SD.feature, _SD.UnionDefaultGraph))
        for name in _SD_FORMATS:
            g.add((service, _SD.resultFormat, _FORMATS[name]))
        body = g.serialize(format=GRAPH_TYPES[graph_type], encoding="utf-8")
        self._send(200, body, _content_type(graph_type), {"Vary": "Accept"})

    # -- pages -----------------------------------------------------------------------------

    def _index(self) -> None:
        page, script = _index_page(self.server.allow_update)
        digest = b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
               "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        self._send(200, page.encode("utf-8"), "text/html; charset=utf-8", {"Content-Security-Policy": csp})

    def _viewer(self) -> None:
        from .viz import network_from_graph, render_html

        store = self.server.store

        def build() -> str:
            union = rdflib.Graph()
            for s, p, o, _g in store.dataset().quads((None, None, None, None)):
                union.add((s, p, o))
            return render_html(network_from_graph(union), title="diplokg")

        self._send(200, self.server.run(build).encode("utf-8"), "text/html; charset=utf-8")

    def _articles(self) -> None:
        infos = self.server.run(self.server.store.articles)
        data = [{"id": a.id, "iri": a.iri, "title": a.title, "issued": a.issued, "triples": a.triples} for a in infos]
        body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
        self._send(200, body, "application/json")

    def _article(self, wanted: str) -> None:
        accept = self.headers.get("Accept")
        graph_type = negotiate(accept, list(GRAPH_TYPES))
        if graph_type is None:
            raise _HTTPError(406, _not_acceptable(accept, "an article graph", GRAPH_TYPES))
        store = self.server.store

        def find() -> rdflib.Graph | None:
            for info in store.articles():
                if unquote(wanted) in (info.id, info.iri):  # ids are listed as given (decoded)
                    return store.graph_of(info.iri)
            return None

        graph = self.server.run(find)
        if graph is None:
            raise _HTTPError(404, f"no article {unquote(wanted)!r} in the store (see /articles)")
        body, media = _written(accept, GRAPH_TYPES, lambda fmt: serialize_rdf(graph, fmt), "text/turtle")
        self._send(200, body, _content_type(media), {"Vary": "Accept"})


def _not_acceptable(accept: str | None, what: str | None = None, types: dict[str, str] | None = None) -> str:
    if what is None:
        return (f"cannot answer with any type in Accept: {accept}; SELECT/ASK: {', '.join(TABLE_TYPES)}; "
                f"CONSTRUCT/DESCRIBE: {', '.join(GRAPH_TYPES)}")
    return f"cannot answer {what} with any type in Accept: {accept}; available: {', '.join(types or {})}"


def _exact(path: str) -> Callable[[str], tuple | None]:
    return lambda p: () if p in (path, path + "/") else None


def _article_route(p: str) -> tuple | None:
    if p.startswith("/articles/") and len(p) > len("/articles/"):
        return (p[len("/articles/"):],)
    return None


_READ = ("GET", "HEAD", "OPTIONS")
_ROUTES: list[tuple[Callable[[str], tuple | None], Callable[..., None], tuple[str, ...]]] = [
    (lambda p: () if p in ("/sparql", "/sparql/") else None, _Handler._sparql, ("GET", "HEAD", "POST", "OPTIONS")),
    (lambda p: () if p in ("/", "/index.html") else None, _Handler._index, _READ),
    (_exact("/viewer"), _Handler._viewer, _READ),
    (lambda p: () if p == "/articles" else None, _Handler._articles, _READ),
    (_article_route, _Handler._article, _READ),
]


# --------------------------------------------------------------------------- the query page


def _script_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


_DEFAULT_QUERY = """PREFIX dip: <https://w3id.org/diplokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?type (COUNT(DISTINCT ?s) AS ?n)
WHERE { ?s a ?type }
GROUP BY ?type
ORDER BY DESC(?n)
LIMIT 50
"""

_SCRIPT = """
(function () {
  "use strict";
  var queries = JSON.parse(document.getElementById("named-queries").textContent);
  var text = document.getElementById("query");
  var out = document.getElementById("out");
  var status = document.getElementById("status");
  var run = document.getElementById("run");

  function el(tag, content, cls) {
    var node = document.createElement(tag);
    if (content !== undefined) node.textContent = content;
    if (cls) node.className = cls;
    return node;
  }
  function cell(term) {
    if (!term) return "";
    if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }
  function showTable(data) {
    out.replaceChildren();
    if (typeof data.boolean === "boolean") {
      out.appendChild(el("p", "ASK: " + data.boolean, "ask"));
      status.textContent = "";
      return;
    }
    var vars = data.head.vars || [];
    var rows = data.results.bindings || [];
    var table = el("table");
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(el("td", cell(row[v]))); });
      body.appendChild(tr);
    });
    out.appendChild(table);
    status.textContent = rows.length + (rows.length === 1 ? " row" : " rows");
  }
  function execute() {
    status.textContent = "running…";
    run.disabled = true;
    var form = new URLSearchParams();
    form.set("query", text.value);
    fetch("sparql", {
      method: "POST",
      headers: {"Accept": "application/sparql-results+json, text/turtle;q=0.9",
                "Content-Type": "application/x-www-form-urlencoded"},
      body: form
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (body) {
        if (!response.ok) {
          out.replaceChildren(el("pre", response.status + " " + response.statusText + ": " + body, "error"));
          status.textContent = "";
        } else if (type.indexOf("json") >= 0) {
          showTable(JSON.parse(body));
        } else {
          out.replaceChildren(el("pre", body));
          status.textContent = "";
        }
      });
    }).catch(function (error) {
      out.replaceChildren(el("pre", String(error), "error"));
      status.textContent = "";
    }).finally(function () { run.disabled = false; });
  }
  run.addEventListener("click", execute);
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); execute(); }
  });
  document.querySelectorAll("button[data-query]").forEach(function (button) {
    button.addEventListener("click", function () {
      text.value = queries[button.getAttribute("data-query")];
      text.focus();
    });
  });
  // /?query=... or /?name=<named query> fills the box and runs it (links can be shared)
  var params = new URLSearchParams(window.location.search);
  var named = params.get("name");
  if (named !== null && Object.prototype.hasOwnProperty.call(queries, named)) text.value = queries[named];
  if (params.get("query") !== null) text.value = params.get("query");
  if (params.get("query") !== null || named !== null) execute();
}());
"""

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 70em; padding: 0 1em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
nav a { margin-right: 1em; }
textarea { width: 100%; height: 16em; font: 13px/1.4 ui-monospace, monospace; box-sizing: border-box; }
button { font: inherit; }
#run { margin: .4em 0; padding: .2em 1.2em; }
#status { margin-left: 1em; color: #555; }
table { border-collapse: collapse; margin-top: .6em; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
pre { background: #f7f7f7; padding: .6em; overflow: auto; white-space: pre-wrap; }
pre.error { background: #fbe9e7; color: #8c1d18; }
dl.queries dt { margin-top: .5em; }
dl.queries dd { margin-left: 1.5em; color: #444; }
.params { color: #777; font-size: .9em; }
"""


def _index_page(allow_update: bool) -> tuple[str, str]:
    """(the HTML of /, its one inline script); every piece of text is escaped."""
    from .query import named_queries

    queries = named_queries()
    esc = html.escape
    items = []
    for name, q in queries.items():
        params = ""
        if q.params:
            listed = ", ".join(f"{p.name} ({'optional' if p.optional else 'required'})" for p in q.params)
            params = f' <span class="params">parameters (left unbound here): {esc(listed)}</span>'
        items.append(
            f'<dt><button type="button" data-query="{esc(name)}">{esc(name)}</button></dt>'
            f"<dd>{esc(q.description)}{params}</dd>"
        )
    updates = "enabled (with the bearer token)" if allow_update else "disabled"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>diplokg SPARQL</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>diplokg SPARQL</h1>
<nav><a href="viewer">Graph viewer</a><a href="articles">Articles (JSON)</a><a href="sparql">Service description</a></nav>
<p>The SPARQL endpoint is <code>/sparql</code> (SPARQL 1.1 Protocol). The default graph is the union of
every article graph; use <code>GRAPH ?g {{ ... }}</code> for one article. Updates are {esc(updates)}.</p>
<label for="query">Query</label>
<textarea id="query" spellcheck="false">{esc(_DEFAULT_QUERY)}</textarea>
<div><button type="button" id="run">Run</button> <small>Ctrl+Enter</small><span id="status"></span></div>
<div id="out"></div>
<h2>Named queries</h2>
<p>Click a name to load its query into the box. Links: <code>/?query=...</code> or
<code>/?name=NAME</code> open the page with that query and run it.</p>
<dl class="queries">
{"".join(items)}
</dl>
<script type="application/json" id="named-queries">{_script_json({n: q.sparql for n, q in queries.items()})}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
    return page, _SCRIPT
