"""SPARQL over a store: ad-hoc queries, named queries shipped with diplokg, result formatting.

Named queries are the files `queries/*.rq`. Each begins with a header of comment lines:

    # name: meetings
    # description: Who met whom, where and when.
    # param: person (optional) IRI of a participant: keeps only their meetings
    # param: country (required) IRI of the country ...

The header ends at the first line that is not a comment. `name` defaults to the file stem;
`description` is required. Other comment lines are free text. The rest of the file is a
SPARQL template, refilled on every run (`NamedQuery.render`) through comment markers, so that
the file with its written defaults is itself a valid query:

* `VALUES ?p { UNDEF }` for a declared parameter `p`: a given value is written there as one
  RDF term (serialized by pyoxigraph, so it is data and never query text); left out, the
  parameter stays unbound. The author puts it where the value narrows the search first.
* `... 100  # page: EXPR`: the last integer before the marker becomes EXPR, computed from
  `limit` and `offset` (integers, `+`, `*`, parentheses). With no limit (`limit` 0 = every
  row) a line `LIMIT n  # page: ...limit...` is left out.
* `#[COND ...` ... `#]` (each on a line of its own): the lines between are kept only when every
  COND holds: a parameter name (it is given), `window` (the windowed form, below), `all` (no
  limit), or any of these negated with `!`.
* `VALUES ?v { dip:A ... }  # subclasses of dip:X` and `IN (dip:A, ...)  # subclasses of
  dip:X`: the list is refilled with every subclass the ontology declares under dip:X.

Every named query answers one page: `limit` rows (default DEFAULT_LIMIT; 0 = all) after
`offset`, in a total order, so that pages are the same on every backend. The page is chosen
first, on the few triples that order it, and what is shown of it (labels, participants,
evidence) is looked up for that page only.

A query with `window` blocks has a fast form: the page is looked for among the events of the
newest dates only, the dates that hold a few times as many events as rows asked for (one pass
over the dates counts them), instead of sorting every event in the store. The window is a top
segment of the query's order, so when it yields the rows asked for (and one more, which tells
whether more follow), they are the exact answer; when it yields fewer, run_named runs the exact
form (the same query without the window) instead. The fast form is used when every given
parameter has a slot in it. `NamedQuery.sparql` is the exact form of the default page: a query
that stands on its own.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from .errors import QueryError
from .rdf.vocab import DEFAULT_BASE, PREFIXES
from .stores.base import QueryResult, Store
from .stores.sparqltext import term_text

QUERY_DIR = Path(__file__).parent / "queries"
FORMATS = ("table", "csv", "json")
DEFAULT_LIMIT = 100

# Longest namespace first so the most specific prefix wins.
_SHORT = sorted(
    [(str(ns), prefix) for prefix, ns in PREFIXES.items()] + [(DEFAULT_BASE, "id")],
    key=lambda item: -len(item[0]),
)
_HEADER_LINE = re.compile(r"#\s*(\w+)\s*:\s*(.*)")
_PARAM = re.compile(r"(\w+)\s*(?:\((optional|required)\))?\s*(.*)")
_BLOCK_OPEN = re.compile(r"\s*#\[(.*)")
_BLOCK_CLOSE = re.compile(r"\s*#\]\s*")
_COND = re.compile(r"!?\w+")
_PAGE = re.compile(r"\s#\s*page:\s*(.*?)\s*$")
_PAGE_EXPR = re.compile(r"(?:\d+|limit|offset|[-+*()\s])+")
_INTEGER = re.compile(r"\d+")
_PARAM_VALUES = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}")


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
    template: str
    path: Path
    sparql: str = field(init=False)  # the exact form of the default page (see the module docstring)
    windowed: bool = field(init=False)  # whether it has a fast windowed form (`#[window` blocks)

    def __post_init__(self) -> None:
        _check_template(self)
        object.__setattr__(self, "sparql", self.render())
        object.__setattr__(self, "windowed", any("window" in (_block_conds(line) or ()) for line in self.template.splitlines()))

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def render(self, values: Mapping[str, Node] | None = None, *, limit: int = DEFAULT_LIMIT, offset: int = 0,
               window: bool = False) -> str:
        """The SPARQL text for one page: `values` (RDF terms by parameter name) written into the
        query's `VALUES ?p { UNDEF }` slots, `limit` rows (0 = all) from `offset`."""
        values = dict(values or {})
        given = set(values) | ({"window"} if window else set()) | ({"all"} if not limit else set())
        lines: list[str] = []
        keep: list[bool] = []
        for line in self.template.splitlines():
            conds = _block_conds(line)
            if conds is not None:
                keep.append(all((c[1:] not in given) if c.startswith("!") else (c in given) for c in conds))
                continue
            if _BLOCK_CLOSE.fullmatch(line):
                keep.pop()
                continue
            if not all(keep):
                continue
            page = _PAGE.search(line)
            if page:
                line = _paged(line, page, limit, offset)
                if line is None:
                    continue
            lines.append(line)
        text = "\n".join(lines) + "\n"

        def fill(m: re.Match) -> str:
            name = m.group(1)
            if name not in values:
                return m.group(0)
            return f"VALUES ?{name} {{ {term_text(name, values[name])} }}"

        return _PARAM_VALUES.sub(fill, with_subclasses(text))


def _block_conds(line: str) -> list[str] | None:
    m = _BLOCK_OPEN.fullmatch(line)
    return m.group(1).split() if m else None


def _paged(line: str, page: re.Match, limit: int, offset: int) -> str | None:
    """`line` with its `# page: EXPR` number computed; None when the line is a LIMIT to leave out."""
    expr = page.group(1)
    code = line[: page.start()]
    if limit == 0 and "limit" in expr:
        return None
    value = eval(expr, {"__builtins__": {}}, {"limit": limit, "offset": offset})  # checked: digits, names, + * ( )
    numbers = list(_INTEGER.finditer(code))
    last = numbers[-1]
    return code[: last.start()] + str(value) + code[last.end():] + line[page.start():]


def _check_template(query: NamedQuery) -> None:
    """Refuse a template whose markers cannot work (named in the error, at load time)."""
    where = f"{query.path.name}"
    names = {p.name for p in query.params}
    depth = 0
    for number, line in enumerate(query.template.splitlines(), 1):
        conds = _block_conds(line)
        if conds is not None:
            depth += 1
            bad = [c for c in conds if not _COND.fullmatch(c) or c.lstrip("!") not in names | {"window", "all"}]
            if bad or not conds:
                raise QueryError(f"{where}:{number}: a block needs conditions among: window, all, "
                                 f"{', '.join(sorted(names))} (got {line.strip()!r})")
        elif _BLOCK_CLOSE.fullmatch(line):
            depth -= 1
            if depth < 0:
                raise QueryError(f"{where}:{number}: '#]' closes no block")
        page = _PAGE.search(line)
        if page and (not _PAGE_EXPR.fullmatch(page.group(1)) or not _INTEGER.search(line[: page.start()])):
            raise QueryError(f"{where}:{number}: bad page marker {page.group(0).strip()!r}")
    if depth:
        raise QueryError(f"{where}: a '#[' block is not closed")
    slots = set(_PARAM_VALUES.findall(query.template))
    missing = [p for p in names if p not in slots]
    if missing:
        raise QueryError(f"{where}: no 'VALUES ?{missing[0]} {{ UNDEF }}' slot for parameter {missing[0]!r}")


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
    return NamedQuery(fields.get("name") or path.stem, fields["description"], tuple(params), text, path)


# "VALUES ?type { dip:Meeting ... }  # subclasses of dip:Event": the list in the file is a valid
# default; on loading it is refilled with every subclass the ontology declares (transitively),
# so the named queries follow the ontology without property paths, which some engines
# (Virtuoso 7) evaluate incompletely over a union default graph. `IN (dip:Meeting, ...)` lists
# are refilled the same way.
_SUBCLASS_VALUES = re.compile(r"VALUES\s+\?(\w+)\s*\{[^}]*\}(\s*#\s*subclasses of dip:(\w+))")
_SUBCLASS_IN = re.compile(r"\bIN\s*\([^)]*\)([^#\n]*#\s*subclasses of dip:(\w+))")


def with_subclasses(text: str) -> str:
    def refill(m: re.Match) -> str:
        members = " ".join(f"dip:{name}" for name in ontology_subclasses(m.group(3)))
        return f"VALUES ?{m.group(1)} {{ {members} }}{m.group(2)}"

    def refill_in(m: re.Match) -> str:
        members = ", ".join(f"dip:{name}" for name in ontology_subclasses(m.group(2)))
        return f"IN ({members}){m.group(1)}"

    return _SUBCLASS_IN.sub(refill_in, _SUBCLASS_VALUES.sub(refill, text))


@functools.cache
def ontology_subclasses(cls: str) -> tuple[str, ...]:
    """Local names of every class the ontology places under dip:`cls` (not `cls` itself)."""
    from .resources import load_ontology
    from .rdf.vocab import DIP

    graph = load_ontology()
    found = set(graph.transitive_subjects(RDFS.subClassOf, DIP[cls])) - {DIP[cls]}
    return tuple(sorted(str(c).rsplit("#", 1)[-1] for c in found if str(c).startswith(str(DIP))))


@functools.cache
def _load(directory: Path) -> dict[str, NamedQuery]:
    queries = (parse_named_query(p.read_text(encoding="utf-8"), p) for p in sorted(directory.glob("*.rq")))
    return {q.name: q for q in queries}


def named_queries(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """The named queries shipped in `directory`, by name (read once per process)."""
    return dict(_load(directory))


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


@dataclass
class NamedResult(QueryResult):
    """A named query's page: `more` says whether rows follow the last one shown."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    more: bool = False


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    query = queries.get(name)
    if query is None:
        raise QueryError(f"no query named {name!r}; available: {', '.join(sorted(queries))}")
    return query


def named_values(query: NamedQuery, params: Mapping[str, object] | None) -> dict[str, Node]:
    """Check `params` against the query's declared parameters; RDF terms by name (strings go
    through parse_value)."""
    params = params or {}
    for key in params:
        if query.param(key) is None:
            known = ", ".join(p.name for p in query.params)
            hint = f"parameters: {known}" if known else "it takes no parameters"
            raise QueryError(f"query {query.name!r} has no parameter {key!r}; {hint}")
    missing = [p.name for p in query.params if not p.optional and p.name not in params]
    if missing:
        raise QueryError(f"query {query.name!r} needs parameter(s): {', '.join(missing)}")
    return {k: v if isinstance(v, (URIRef, Literal, BNode)) else parse_value(str(v)) for k, v in params.items()}


def page_texts(query: NamedQuery, values: Mapping[str, Node], limit: int, offset: int) -> tuple[str, str | None]:
    """(first query, exact query to run when the first answers fewer than `limit` + 1 rows, or
    None): the texts run_named sends, one row more than the page to tell whether more follow."""
    if limit < 0 or offset < 0:
        raise QueryError("limit and offset must be 0 or more (limit 0 = every row)")
    ask = limit + 1 if limit else 0
    key = tuple(sorted(values.items(), key=lambda item: item[0]))
    exact = _rendered(query, key, ask, offset, False)
    if query.windowed and limit:
        windowed = _rendered(query, key, ask, offset, True)
        if all(re.search(rf"VALUES\s+\?{name}\s*\{{", windowed) for name in values):  # it honours every value
            return windowed, exact
    return exact, None


@functools.lru_cache(maxsize=512)
def _rendered(query: NamedQuery, values: tuple[tuple[str, Node], ...], limit: int, offset: int, window: bool) -> str:
    """NamedQuery.render, remembered: a page asked for again costs no rendering."""
    return query.render(dict(values), limit=limit, offset=offset, window=window)


def run_named(store: Store, name: str, params: Mapping[str, object] | None = None, *,
              limit: int | None = None, offset: int = 0) -> NamedResult:
    """Run the named query `name`: one page of `limit` rows (default DEFAULT_LIMIT, 0 = all)
    after `offset`, parameters bound as RDF terms (strings are converted by parse_value)."""
    query = named_query(name)
    values = named_values(query, params)
    limit = DEFAULT_LIMIT if limit is None else limit
    first, exact = page_texts(query, values, limit, offset)
    # written with DISTINCT where duplicates could count: run as written, at the engine's speed
    # (tests/test_union.py checks they answer as over the set union)
    result = store.query(first, set_union=False)
    if exact is not None and len(result.rows) <= limit:  # the window held too few rows
        result = store.query(exact, set_union=False)
    more = bool(limit) and len(result.rows) > limit
    rows = result.rows[:limit] if more else result.rows
    return NamedResult(kind=result.kind, vars=result.vars, rows=rows, limit=limit, offset=offset, more=more)


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
