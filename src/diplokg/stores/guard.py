"""A check of SPARQL text before any engine parses it: how deep it nests, and whether it asks
the server to fetch remote data (SERVICE in queries and updates, LOAD in updates).

Why: Oxigraph's parser recurses once per nesting level and overflows the stack (the whole
process dies) at a few thousand levels; SERVICE and LOAD make the engine send HTTP requests
wherever the text says (and rdflib reads `file:` IRIs too). `check_text` answers both in one
linear, iterative pass, so an anonymous client gets a one-line QueryError (400) or
ForbiddenQueryError (403) instead.

The scanner tokenizes as the engines do where it matters: strings (all four forms), IRIs,
`#` comments and prefixed names with `\\` escapes are skipped whole, so a `{` or a SERVICE
inside them is not counted. Whether `<` opens an IRI or is the less-than operator depends
on the context, as in Oxigraph's grammar: it is an operator only inside an expression's
parentheses right after an operand (`FILTER(?a<?b)`), so the scanner keeps a stack of what
each open bracket is (group, expression, collection, blank node, quoted triple). `\\u`
escapes, which rdflib expands before parsing, are checked in the expanded text too.

Nesting counts `{`, `(`, `[` and `<<`. It is not the only shape that can overflow an
engine's stack (very long OPTIONAL chains or path sequences do too), which is why the server
also runs each query in a child process it can lose; see serve.py.
"""

from __future__ import annotations

import re

from ..errors import ForbiddenQueryError, QueryError

__all__ = ["MAX_DEPTH", "check_text"]

MAX_DEPTH = 64  # brackets open at once; real queries stay under 15

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
                | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)
                | "(?:[^"\\\n\r]|\\.)*(?:"|(?=[\n\r])|\Z)
                | '(?:[^'\\\n\r]|\\.)*(?:'|(?=[\n\r])|\Z))
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
    | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>(?:[^\W\d][\w\-]*(?:\.+[\w\-]+)*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%\\]))*
              | [^\W\d][\w\-]*(?:\.+[\w\-]+)*)
    | (?P<lt><)
    | (?P<triple_end>>>)
    | (?P<open>\{+|\(+|\[+)
    | (?P<close>[})\]]+)
    | (?P<escape>\\.)
    | (?P<other>.)
    | (?P<end>\Z))
    """,
    re.X | re.S,
)
# an IRI as the engines read it (UCHAR escapes included)
_IRI = re.compile(r"""<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>""")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4}(?:[0-9a-fA-F]{4})?)")

# what an open bracket is; a collection also stands for VALUES lists and quoted triples' parts
_GROUP, _SUBQUERY, _EXPR, _COLL, _BNODE, _TRIPLE = "group", "subquery", "expr", "coll", "bnode", "triple"
_OPERANDS = frozenset({"var", "number", "string", "langtag", "pname", "iri"})
_NOT_FUNCTIONS = frozenset({"A", "VALUES", "UNDEF", "TRUE", "FALSE"})

SERVICE_OFF = ("SERVICE is off on this server: it does not fetch remote data; "
               "start it with --allow-service to allow federated queries")
LOAD_OFF = ("LOAD is off on this server: it does not fetch remote data; "
            "start it with --allow-service to allow LOAD")


def check_text(text: str, *, allow_service: bool = False, max_depth: int = MAX_DEPTH, update: bool = False) -> None:
    """Raise QueryError when `text` nests more than `max_depth` brackets deep, and
    ForbiddenQueryError when it uses SERVICE (or, for an `update`, LOAD) and
    `allow_service` is off. Linear in the length of the text; never recursive."""
    _scan(text, allow_service, max_depth, update)
    if "\\u" in text or "\\U" in text:
        _scan(_expand_escapes(text), allow_service, max_depth, update)


def _expand_escapes(text: str) -> str:
    """`\\uXXXX` and `\\UXXXXXXXX` replaced by their characters, as rdflib does before parsing."""

    def char(m: re.Match) -> str:
        try:
            return chr(int(m.group(1), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _UNICODE_ESCAPE.sub(char, text)


def _forbidden(word: str, allow_service: bool, update: bool) -> str | None:
    """The refusal for a keyword (or a prefixed name whose prefix is one, which Oxigraph may
    read as the keyword followed by a name: `SERVICE:x`), None when it is allowed."""
    head = word.split(":", 1)[0].upper()
    if allow_service:
        return None
    if head == "SERVICE":
        return SERVICE_OFF if head == word.upper() else SERVICE_OFF + " (a prefix named service: counts too)"
    if update and head == "LOAD":
        return LOAD_OFF if head == word.upper() else LOAD_OFF + " (a prefix named load: counts too)"
    return None


def _scan(text: str, allow_service: bool, max_depth: int, update: bool) -> None:
    stack: list[str] = []
    prev_kind, prev_word, before_prev_word = "", "", ""
    pos, end = 0, len(text)
    while pos < end:
        m = _TOKEN.match(text, pos)
        assert m is not None  # `other` matches any character
        kind = m.lastgroup
        value = m.group(kind)
        pos = m.end()
        if kind in ("comment", "end"):
            continue
        top = stack[-1] if stack else None
        if kind == "lt":
            kind, pos = _less_than(text, m.start(kind), top, prev_kind, stack)
        elif kind == "triple_end":
            if top == _TRIPLE:
                stack.pop()
                kind = "iri"  # a quoted triple is an operand
            else:
                kind = "other"
        elif kind == "open":  # a run of one bracket: each opens what the first does
            stack.extend([_opened(value[0], top, prev_kind, prev_word, before_prev_word)] * len(value))
        elif kind == "close":
            del stack[max(0, len(stack) - len(value)):]
            value = value[-1]
        elif kind == "word":
            kind, value = _word(value, allow_service, update)
            if value == "SELECT" and top == _GROUP:
                stack[-1] = _SUBQUERY
        if len(stack) > max_depth:
            raise QueryError(f"query nests more than {max_depth} levels deep (brackets and << >>); "
                             f"the limit is {max_depth}: flatten it")
        before_prev_word = prev_word
        prev_word = value if kind == "word" else ""
        prev_kind = "operand" if kind in _OPERANDS or value in ("TRUE", "FALSE", ")") else kind


def _word(value: str, allow_service: bool, update: bool) -> tuple[str, str]:
    """(kind, value) of a word token: ("pname", name) for a prefixed name or blank node,
    else ("word", the last of its dot-separated words in capitals). A run such as
    `true.SERVICE` is one token here, so that no text is scanned twice, but holds words
    the engine reads one by one: each is checked."""
    if ":" in value:
        refusal = _forbidden(value, allow_service, update)
        if refusal:
            raise ForbiddenQueryError(refusal)
        return "pname", value
    words = [w for w in value.split(".") if w]
    for word in words:
        refusal = _forbidden(word, allow_service, update)
        if refusal:
            raise ForbiddenQueryError(refusal)
    return "word", words[-1].upper()


def _less_than(text: str, at: int, top: str | None, prev_kind: str, stack: list[str]) -> tuple[str, int]:
    """(token kind, position after it) for a `<` at `at`: the operator inside an expression
    right after an operand; else `<<` opening a quoted triple, an IRI, or a lone `<`."""
    if top == _EXPR and prev_kind == "operand":
        return "other", at + 1
    if text.startswith("<<", at):
        stack.append(_TRIPLE)
        return "open", at + 2
    iri = _IRI.match(text, at)
    if iri is not None:
        return "iri", iri.end()
    return "other", at + 1


def _opened(bracket: str, top: str | None, prev_kind: str, prev_word: str, before_prev_word: str) -> str:
    """What an opening bracket starts, from what encloses it and the token before it."""
    if bracket == "{":
        return _GROUP
    if bracket == "[":
        return _BNODE
    if top == _EXPR:
        return _EXPR
    if top in (_COLL, _TRIPLE):
        return _COLL
    if top is None or top == _SUBQUERY:  # projection, GROUP BY, ORDER BY, HAVING; VALUES lists
        return _COLL if prev_word == "VALUES" else _EXPR
    # in a group or a blank node: FILTER(, BIND(, a built-in call, FILTER <fn>( are
    # expressions; after a subject or predicate, `(` is a collection
    if prev_kind == "word":
        return _COLL if prev_word in _NOT_FUNCTIONS else _EXPR
    if prev_kind == "operand" and before_prev_word == "FILTER":
        return _EXPR
    return _COLL
