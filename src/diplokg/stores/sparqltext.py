"""SPARQL text helpers for backends whose engine has no substitution API (rdflib in memory,
remote endpoints): find a query's form and bind variables by injecting a `VALUES` block.

Binding semantics match Oxigraph's substitutions (the oxigraph backends): the values are
joined at the very start of the query's outermost WHERE group, so they are in scope for
everything in it (OPTIONAL, FILTER EXISTS, BIND ...), and a SELECT must project each bound
variable (or use `SELECT *`), as Oxigraph requires. Values are RDF terms serialized by
pyoxigraph (properly escaped N-Triples terms), never pasted text, so a value cannot change
the query. Blank nodes cannot be bound (SPARQL's VALUES has no blank nodes).

The scanner only has to find braces, parentheses, variables and a few keywords, so it skips
strings, IRIs and comments and knows nothing else of the grammar; the engine still parses the
whole query and reports real syntax errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import BNode

from ..errors import QueryError
from .terms import value_to_ox

# What every SPARQL scanner here skips or takes whole: white space, comments, IRIs, the four
# forms of strings, variables (stores.union builds its fuller tokenizer on these).
LEXICAL = r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                | '''(?:[^'\\]|\\.|'(?!''))*'''
                | "(?:[^"\\\n\r]|\\.)*"
                | '(?:[^'\\\n\r]|\\.)*')
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
"""
_TOKEN = re.compile(
    LEXICAL + r"""
    | (?P<word>[A-Za-z_][\w\-]*(?::[\w\-.%:]*)?)
    | (?P<punct>[{}()*])
    | (?P<other>.)
    """,
    re.X | re.S,
)
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
_VARNAME = re.compile(r"[\w\u00B7\u0300-\u036F\u203F-\u2040]+")


def _tokens(text: str) -> Iterator[tuple[str, str, int, int]]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        yield kind, m.group(), m.start(), m.end()  # type: ignore[misc]


def query_form(sparql: str) -> str | None:
    """'select', 'ask', 'construct' or 'describe' (None when no form keyword is found)."""
    depth = 0
    for kind, value, _start, _end in _tokens(sparql):
        if kind == "punct" and value in "{(":
            depth += 1
        elif kind == "punct" and value in "})":
            depth -= 1
        elif kind == "word" and depth == 0 and value.upper() in _FORMS:
            return _FORMS[value.upper()]
    return None


def _where_group(sparql: str) -> tuple[str, int, set[str] | None]:
    """(form, index just after the outermost WHERE group's `{`, projected variable names or
    None for `SELECT *` / non-SELECT forms)."""
    tokens = list(_tokens(sparql))
    form = None
    i = 0
    brace = paren = 0
    while i < len(tokens):
        kind, value, _s, _e = tokens[i]
        if kind == "punct" and value == "{":
            brace += 1
        elif kind == "punct" and value == "}":
            brace -= 1
        elif kind == "word" and brace == 0 and value.upper() in _FORMS:
            form = _FORMS[value.upper()]
            i += 1
            break
        i += 1
    if form is None:
        raise QueryError("invalid SPARQL: no SELECT, ASK, CONSTRUCT or DESCRIBE form")
    projected: set[str] | None = set() if form == "select" else None
    if form == "construct":
        # CONSTRUCT { template } ... WHERE? { pattern }, or the short form CONSTRUCT WHERE { ... }
        if i < len(tokens) and tokens[i][0] == "word" and tokens[i][1].upper() == "WHERE":
            raise QueryError("cannot bind variables in the short form CONSTRUCT WHERE { ... }; write the template out")
        depth = 0
        while i < len(tokens):
            kind, value, _s, _e = tokens[i]
            i += 1
            if kind == "punct" and value == "{":
                depth += 1
            elif kind == "punct" and value == "}":
                depth -= 1
                if depth == 0:
                    break
    previous = ""
    while i < len(tokens):
        kind, value, _s, end = tokens[i]
        if kind == "punct" and value == "(":
            paren += 1
        elif kind == "punct" and value == ")":
            paren -= 1
        elif kind == "punct" and value == "{" and paren == 0:
            return form, end, projected
        elif projected is not None and kind == "punct" and value == "*" and paren == 0:
            projected = None
        elif projected is not None and kind == "var" and (paren == 0 or previous.upper() == "AS"):
            projected.add(value[1:])
        previous = value if kind == "word" else ""
        i += 1
    raise QueryError("cannot bind variables: the query has no WHERE group")


def term_text(name: str, value: object) -> str:
    """One binding value as SPARQL term text (N-Triples syntax, escaped by pyoxigraph)."""
    if isinstance(value, BNode):
        raise QueryError(f"cannot bind ?{name} to a blank node")
    try:
        return str(value_to_ox(value))
    except (TypeError, ValueError) as e:
        reason = (str(e).strip() or type(e).__name__).splitlines()[0]
        raise QueryError(f"cannot bind ?{name}: {reason}") from None


def inject_values(sparql: str, bindings: dict[str, object] | None) -> str:
    """`sparql` with `bindings` joined at the start of its outermost WHERE group."""
    if not bindings:
        return sparql
    names: list[str] = []
    terms: list[str] = []
    for raw, value in bindings.items():
        name = str(raw).lstrip("?$")
        if not _VARNAME.fullmatch(name):
            raise QueryError(f"cannot bind {raw!r}: not a SPARQL variable name")
        names.append(name)
        terms.append(term_text(name, value))
    form, at, projected = _where_group(sparql)
    if projected is not None:
        for name in names:
            if name not in projected:
                raise QueryError(f"query failed: ?{name} is bound but not in the SELECT projection")
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }} "
    return sparql[:at] + block + sparql[at:]
