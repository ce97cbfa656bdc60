"""SPARQL over a store: ad-hoc queries, named queries shipped with diplokg, result formatting.

Named queries are the files `queries/*.rq`. Each begins with a header of comment lines:

    # name: meetings
    # description: Who met whom, where and when.
    # param: person (optional) IRI of a participant: keeps only their meetings
    # param: country (required) IRI of the country ...

The header ends at the first line that is not a comment. `name` defaults to the file stem;
`description` is required. Each `param` names a query variable that must appear in the
SELECT clause; a given value is bound to it as an RDF term (Oxigraph substitution, never
pasted into the text) and an optional param left out stays unbound. Other comment lines are
free text.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from .errors import QueryError
from .rdf.vocab import DEFAULT_BASE, PREFIXES
from .stores.base import QueryResult, Store

QUERY_DIR = Path(__file__).parent / "queries"
FORMATS = ("table", "csv", "json")

# Longest namespace first so the most specific prefix wins.
_SHORT = sorted(
    [(str(ns), prefix) for prefix, ns in PREFIXES.items()] + [(DEFAULT_BASE, "id")],
    key=lambda item: -len(item[0]),
)
_HEADER_LINE = re.compile(r"#\s*(\w+)\s*:\s*(.*)")
_PARAM = re.compile(r"(\w+)\s*(?:\((optional|required)\))?\s*(.*)")


@dataclass(frozen=True)
class Param:
    name: str
    optional: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    path: Path

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_named_query(text: str, path: Path) -> NamedQuery:
    """Read the header of one .rq file (format in the module docstring)."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.fullmatch(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "param":
            pm = _PARAM.fullmatch(value)
            if not pm:
                raise QueryError(f"{path.name}: bad param line {line!r}")
            params.append(Param(pm.group(1), pm.group(2) != "required", pm.group(3).strip()))
        else:
            fields[key] = value
    if not fields.get("description"):
        raise QueryError(f"{path.name}: the header has no '# description:' line")
    return NamedQuery(fields.get("name") or path.stem, fields["description"], tuple(params), with_subclasses(text), path)


# "VALUES ?type { dip:Meeting ... }  # subclasses of dip:Event": the list in the file is a valid
# default; on loading it is refilled with every subclass the ontology declares (transitively),
# so the named queries follow the ontology without property paths, which some engines
# (Virtuoso 7) evaluate incompletely over a union default graph.
_SUBCLASS_VALUES = re.compile(r"VALUES\s+\?(\w+)\s*\{[^}]*\}(\s*#\s*subclasses of dip:(\w+))")


def with_subclasses(text: str) -> str:
    def refill(m: re.Match) -> str:
        members = " ".join(f"dip:{name}" for name in ontology_subclasses(m.group(3)))
        return f"VALUES ?{m.group(1)} {{ {members} }}{m.group(2)}"

    return _SUBCLASS_VALUES.sub(refill, text)


@functools.cache
def ontology_subclasses(cls: str) -> tuple[str, ...]:
    """Local names of every class the ontology places under dip:`cls` (not `cls` itself)."""
    from .resources import load_ontology
    from .rdf.vocab import DIP

    graph = load_ontology()
    found = set(graph.transitive_subjects(RDFS.subClassOf, DIP[cls])) - {DIP[cls]}
    return tuple(sorted(str(c).rsplit("#", 1)[-1] for c in found if str(c).startswith(str(DIP))))


def named_queries(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """The named queries shipped in `directory`, by name."""
    queries = (parse_named_query(p.read_text(encoding="utf-8"), p) for p in sorted(directory.glob("*.rq")))
    return {q.name: q for q in queries}


def run_query(store: Store, sparql: str, bindings: dict[str, object] | None = None) -> QueryResult:
    """Run SPARQL on `store`; bindings are bound as terms (see Store.query)."""
    return store.query(sparql, bindings)


def parse_value(text: str) -> Node:
    """A `k=v` value from the command line -> an RDF term.

    `<...>` or `http(s)://...` -> IRI; `prefix:local` with a known prefix (dip:, id:, topic:,
    wd: ...) -> IRI; anything else -> a plain string literal.
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    prefix, sep, local = text.partition(":")
    if sep and " " not in text:
        for namespace, short in _SHORT:
            if short == prefix:
                return URIRef(namespace + local)
    return Literal(text)


def run_named(store: Store, name: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run the named query `name`, binding `params` (strings, converted by parse_value)."""
    queries = named_queries()
    query = queries.get(name)
    if query is None:
        raise QueryError(f"no query named {name!r}; available: {', '.join(sorted(queries))}")
    params = params or {}
    for key in params:
        if query.param(key) is None:
            known = ", ".join(p.name for p in query.params)
            hint = f"parameters: {known}" if known else "it takes no parameters"
            raise QueryError(f"query {name!r} has no parameter {key!r}; {hint}")
    missing = [p.name for p in query.params if not p.optional and p.name not in params]
    if missing:
        raise QueryError(f"query {name!r} needs parameter(s): {', '.join(missing)}")
    return store.query(query.sparql, {k: parse_value(v) for k, v in params.items()})


# -- formatting ---------------------------------------------------------------------------


def shorten(iri: str) -> str:
    """`https://w3id.org/diplokg/ontology#Meeting` -> `dip:Meeting`; base IRIs -> `id:...`."""
    for namespace, prefix in _SHORT:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _cell(term: Node | None, short: bool) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return shorten(str(term)) if short else str(term)
    return str(term)


def _tabular(result: QueryResult) -> tuple[list[str], list[tuple[Node | None, ...]]]:
    """Rows of a SELECT, or of a graph result as subject/predicate/object."""
    if result.kind == "graph":
        assert result.graph is not None
        return ["subject", "predicate", "object"], sorted(result.graph, key=lambda t: tuple(map(str, t)))
    return result.vars, result.rows


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned text table, SPARQL CSV or SPARQL 1.1 JSON results.

    ASK gives true/false; CONSTRUCT/DESCRIBE results are shown as subject/predicate/object
    rows (use `export` for RDF serializations).
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; available: {', '.join(FORMATS)}")
    if result.kind == "ask":
        value = "true" if result.boolean else "false"
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
        return f"_askResult\r\n{value}\r\n" if fmt == "csv" else value + "\n"
    names, rows = _tabular(result)
    if fmt == "json":
        bindings = [
            {name: _json_term(term) for name, term in zip(names, row) if term is not None} for row in rows
        ]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quoting as needed
        writer.writerow(names)
        writer.writerows([_cell(term, short=False) for term in row] for row in rows)
        return buffer.getvalue()
    cells = [[_cell(term, short=True).replace("\n", " ") for term in row] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]
    lines = [names, ["-" * w for w in widths], *cells]
    table = "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines)
    return table + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
