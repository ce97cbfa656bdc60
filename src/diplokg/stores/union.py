"""The default graph as a set: rewrite SPARQL so that the union of the named graphs counts
each distinct triple once.

SPARQL's default graph is an RDF merge, a set. Oxigraph 0.5 (and most quad stores)
evaluates a union default graph as a bag: a triple stated in four article graphs matches
four times, so `COUNT(*)`, `SUM`, OPTIONAL and sub-queries multiply. Storing the union a
second time would double the store, so the query is rewritten instead. A basic graph
pattern over the bag yields each of its solutions once per choice of graph for each
triple; over the set, once. So each triples block that reads the default graph becomes a
DISTINCT sub-select of all its variables, run on the engine's union:

    ?e a dip:Meeting ; dip:date ?d   ->   { SELECT DISTINCT ?e ?d WHERE { ?e a dip:Meeting . ?e dip:date ?d . } }

Blank nodes become variables of the block (SPARQL counts their bindings apart), and
property paths are split as the SPARQL algebra splits them (a sequence's middle node and a
negated set's predicate become variables; alternatives a UNION), so DISTINCT merges nothing
the standard keeps apart; `*`, `+` and `?` paths are sets already. `FROM` / `FROM NAMED` are
taken out of the text and given to the engine as the dataset (the protocol's parameters win
over them, SPARQL Protocol 2.1.4). The added variables start with FRESH; results drop them,
and `SELECT *` names the user's own.

The block is evaluated on its own, so bindings from outside it no longer narrow its scans:
a query that is already immune to duplicates (DISTINCT, COUNT(DISTINCT ...)) runs faster
as written (`Store.query(..., set_union=False)`), as the named queries do.

Updates have no union to read (the engine's update evaluates WHERE on the stored default
graph), so their blocks name the graph: `{ SELECT DISTINCT <vars> WHERE { GRAPH ?g1 { t1 }
GRAPH ?g2 { t2 } } }`, restricted by USING / the protocol's `using-graph-uri`. Triples an
update inserts outside `GRAPH` go into the named graph `DEFAULT_WRITES_GRAPH` (the union is
the only default graph there is), and triples it deletes outside `GRAPH` are deleted from
every graph that holds them, as a user who sees the union expects.

The rewriter knows the grammar of graph patterns and triples; expressions, solution
modifiers and templates are copied as written, white space and comments included. Text it
does not follow is run as written: the engine parses it and reports syntax errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from .sparqltext import LEXICAL

DEFAULT_WRITES_GRAPH = "https://w3id.org/diplokg/default"
FRESH = "_dk"  # prefix of the variables the rewrite adds; results drop them

_TOKEN = re.compile(
    LEXICAL + r"""
    | (?P<bnode>_:[\w\-.\u00B7]*[\w\-\u00B7])
    | (?P<pname>(?:[^\W\d_][\w\-.]*[\w\-]|[^\W\d_])?:(?:(?:[\w\-:%]|\\[^\s]|\.(?=[\w\-:%\\]))*))
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[A-Za-z_][\w]*)
    | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;|/^*+?!=<>\-])
    | (?P<other>.)
    """,
    re.X | re.S,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    def word(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    def is_(self, *texts: str) -> bool:
        return (self.kind == "punct" and self.text in texts) or (self.kind == "word" and self.text.upper() in texts)


_END = Token("end", "", -1, -1)


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL text, without white space and comments."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start(), m.end()))
    return out


def declares_dataset(text: str) -> bool:
    """True when a query or update names its own dataset (FROM, FROM NAMED, USING, WITH)."""
    return any(t.is_("FROM", "USING", "WITH") for t in tokens(text))


@dataclass(frozen=True)
class Rewritten:
    """A rewritten query or update and the dataset the engine must run it with.

    `default_graphs`: None means the engine's union default graph (only property paths
    with `*`, `+` or `?` still read it), a tuple means exactly those graphs.
    `named_graphs`: None means every graph (the rewritten text restricts them itself).
    `changed` is False when the text is run as written.
    """

    text: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    changed: bool = False


# --------------------------------------------------------------------------- the parser


class _Unsupported(Exception):
    """The text is not what the rewriter understands: leave it to the engine as written."""


@dataclass
class _Triple:
    s: str
    p: object  # str for a plain predicate (IRI, prefixed name, `a`, variable) or a path tuple
    o: str


@dataclass
class _Scope:
    in_default: bool  # patterns here read the default graph
    vars: list[str] = field(default_factory=list)

    def add(self, *names: str) -> None:
        for name in names:
            if name not in self.vars and not name[1:].startswith(FRESH):
                self.vars.append(name)


class _Rewriter:
    def __init__(self, text: str, default: tuple[str, ...] | None, named: tuple[str, ...] | None, base: str | None) -> None:
        self.text = text
        self.toks = tokens(text)
        self.i = 0
        self.out: list[str] = []
        self.default = default
        self.named = named
        self.base = base or ""
        self.prefixes: dict[str, str] = {}
        self.fresh_n = 0
        self.template = False  # parsing an update's template: blank nodes stay blank nodes
        self.wrap_blocks = True  # False: duplicates cannot change the answer, blocks run as written
        self.in_update = False
        self.block_vars: list[str] = []
        self.emitted = 0  # triples blocks rewritten: their fresh variables are visible to SELECT *
        self.changed = False
        self.bnodes: dict[str, str] = {}
        self.from_default: list[str] = []
        self.from_named: list[str] = []
        self.saw_from = False

    # -- token plumbing -----------------------------------------------------------------

    def peek(self, k: int = 0) -> Token:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else _END

    def take(self) -> Token:
        tok = self.peek()
        if tok is _END:
            raise _Unsupported("unexpected end")
        self.i += 1
        return tok

    def copy(self) -> Token:
        """Copy a token with the white space and comments before it: the engine's parser is
        strict about spacing in places (`COALESCE (` is an error in Oxigraph 0.5)."""
        gap_from = self.toks[self.i - 1].end if self.i else 0
        tok = self.take()
        self.out.append(self.text[gap_from:tok.start] + tok.text)  # copied
        return tok

    def emit(self, text: str) -> None:
        self.out.append(" " + text + " ")

    def expect(self, *texts: str) -> Token:
        if not self.peek().is_(*texts):
            raise _Unsupported(f"expected {texts}")
        return self.copy()

    def fresh(self, kind: str) -> str:
        self.fresh_n += 1
        return f"?{FRESH}{kind}{self.fresh_n}"

    def fresh_node(self) -> str:
        """A blank node of the text: a variable in a pattern, a blank node in a template."""
        if self.template:
            self.fresh_n += 1
            return f"_:{FRESH}{self.fresh_n}"
        return self.fresh("b")

    def resolve(self, tok: Token) -> str:
        """The IRI a token names (prefixed names through the prologue)."""
        if tok.kind == "iri":
            return urljoin(self.base, tok.text[1:-1]) if self.base else tok.text[1:-1]
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            if prefix not in self.prefixes:
                raise _Unsupported(f"unknown prefix {prefix}")
            return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        raise _Unsupported("not an IRI")

    # -- prologue, forms, dataset ---------------------------------------------------------

    def prologue(self) -> None:
        while True:
            tok = self.peek()
            if tok.word() == "BASE":
                self.copy()
                iri = self.copy()
                self.base = urljoin(self.base, iri.text[1:-1]) if iri.kind == "iri" else self.base
            elif tok.word() == "PREFIX":
                self.copy()
                name = self.copy()
                iri = self.copy()
                if name.kind != "pname" or iri.kind != "iri":
                    raise _Unsupported("bad PREFIX")
                self.prefixes[name.text[:-1]] = self.resolve(iri)
            else:
                return

    def dataset_clauses(self) -> None:
        while self.peek().word() == "FROM":
            self.take()
            self.saw_from = True
            if self.peek().word() == "NAMED":
                self.take()
                self.from_named.append(self.resolve(self.take()))
            else:
                self.from_default.append(self.resolve(self.take()))

    def settle_dataset(self) -> None:
        """The protocol's dataset wins over the query's FROM clauses (SPARQL Protocol 2.1.4)."""
        if self.default is None and self.named is None and self.saw_from:
            self.default = tuple(self.from_default)
            self.named = tuple(self.from_named)

    def query(self) -> None:
        self.prologue()
        form = self.peek().word()
        star_at: int | None = None
        if form == "SELECT":
            star_at, _projected = self.select_clause()
        elif form == "ASK":
            self.copy()
        elif form == "DESCRIBE":
            self.copy()
            if self.peek().is_("*"):
                star_at = len(self.out)
                self.copy()
            while self.peek().kind in ("var", "iri", "pname"):
                self.copy()
        elif form == "CONSTRUCT":
            self.copy()
            if self.peek().is_("{"):
                self.copy_balanced()
            else:  # CONSTRUCT WHERE { T }: the template is T as written
                self.dataset_clauses()
                self.settle_dataset()
                if self.peek().word() != "WHERE":
                    raise _Unsupported("expected WHERE")
                self.take()
                start = self.i
                self.skip_balanced()
                template = self.text[self.toks[start].start:self.toks[self.i - 1].end]
                self.emit(template + " WHERE")
                self.i = start
                self.where_group(None)
                self.rest()
                return
        else:
            raise _Unsupported("not a query")
        self.dataset_clauses()
        self.settle_dataset()
        if self.peek().word() == "WHERE":
            self.copy()
        if self.peek().is_("{"):
            self.where_group(star_at)
        self.rest()

    def where_group(self, star_at: int | None) -> None:
        """The query's WHERE group; `SELECT *` (at `star_at` in the output) becomes the user's
        variables when the rewrite added its own."""
        scope = _Scope(in_default=True)
        before = self.emitted
        self.group(scope)
        if star_at is not None and self.emitted != before and scope.vars:
            self.out[star_at] = " " + " ".join(scope.vars) + " "

    def rest(self) -> None:
        """Solution modifiers and a trailing VALUES: copied, with EXISTS groups rewritten."""
        while self.peek() is not _END:
            self.expression_token(_Scope(in_default=True))

    def select_clause(self) -> tuple[int | None, list[str]]:
        self.expect("SELECT")
        if self.peek().is_("DISTINCT", "REDUCED"):
            self.copy()
        if self.peek().is_("*"):
            at = len(self.out)
            self.copy()
            return at, []
        names: list[str] = []
        while True:
            tok = self.peek()
            if tok.kind == "var":
                names.append(self.copy().text)
            elif tok.is_("("):
                names.extend(self.copy_parenthesised(_Scope(in_default=True)))
            else:
                return None, names

    # -- groups -----------------------------------------------------------------------------

    def group(self, scope: _Scope) -> None:
        self.expect("{")
        if self.peek().word() == "SELECT":
            self.subselect(scope)
            self.expect("}")
            return
        while not self.peek().is_("}"):
            tok = self.peek()
            word = tok.word()
            if tok is _END:
                raise _Unsupported("unclosed group")
            if tok.is_("{"):
                self.group(scope)
                while self.peek().word() == "UNION":
                    self.copy()
                    self.group(scope)
            elif word in ("OPTIONAL",):
                self.copy()
                self.group(scope)
            elif word == "MINUS":
                self.copy()
                self.group(_Scope(scope.in_default))
            elif word == "GRAPH":
                self.graph_pattern(scope)
            elif word == "SERVICE":
                self.copy()
                if self.peek().word() == "SILENT":
                    self.copy()
                term = self.copy()
                if term.kind == "var":
                    scope.add(term.text)
                self.copy_balanced()
            elif word == "FILTER":
                self.copy()
                self.constraint(scope)
            elif word == "BIND":
                self.copy()
                scope.add(*self.copy_parenthesised(scope)[-1:])
            elif word == "VALUES":
                self.values(scope)
            elif tok.is_("."):
                self.copy()
            else:
                self.triples_block(scope)
        self.expect("}")

    def subselect(self, scope: _Scope) -> None:
        star_at, names = self.select_clause()
        if self.peek().word() == "WHERE":
            self.copy()
        inner = _Scope(scope.in_default)
        before = self.emitted
        self.group(inner)
        if star_at is not None:
            if self.emitted != before and inner.vars:
                self.out[star_at] = " " + " ".join(inner.vars) + " "
            names = inner.vars
        scope.add(*names)
        while self.peek() is not _END and not self.peek().is_("}"):
            if self.peek().word() == "VALUES":
                self.values(scope)
            else:
                self.expression_token(scope)

    def graph_pattern(self, scope: _Scope) -> None:
        self.take()
        term = self.take()
        if term.kind == "var":
            scope.add(term.text)
        inner = _Scope(in_default=False)
        restrict = self.in_update and self.named is not None  # a query's named graphs go to the engine
        if restrict:
            self.changed = True
            if term.kind == "var":
                self.emit("{ VALUES " + term.text + " { " + " ".join(f"<{g}>" for g in self.named) + " }")
            elif self.resolve(term) in self.named:
                self.emit("{")
            else:  # not among the named graphs: no solution (FILTER, as rdflib fails on an empty VALUES and ignores FILTER(false))
                self.emit("{ FILTER(0 = 1)")
        self.emit("GRAPH " + term.text)
        self.group(inner)
        scope.add(*inner.vars)
        if restrict:
            self.emit("}")

    def values(self, scope: _Scope) -> None:
        self.copy()
        if self.peek().kind == "var":
            scope.add(self.copy().text)
        else:
            self.expect("(")
            while self.peek().kind == "var":
                scope.add(self.copy().text)
            self.expect(")")
        self.copy_balanced()

    def constraint(self, scope: _Scope) -> None:
        tok = self.peek()
        if tok.is_("("):
            self.copy_parenthesised(scope)
        elif tok.word() == "NOT" or tok.word() == "EXISTS":
            self.expression_token(scope)
            if tok.word() == "NOT":
                self.expression_token(scope)
        else:  # a function call: NAME( ... ) or <iri>( ... )
            self.copy()
            self.copy_parenthesised(scope)

    # -- opaque parts ----------------------------------------------------------------------

    def expression_token(self, scope: _Scope) -> None:
        """Copy one token of an expression; an EXISTS group inside is a graph pattern."""
        tok = self.copy()
        if tok.word() == "EXISTS":
            self.group(_Scope(scope.in_default))

    def copy_parenthesised(self, scope: _Scope) -> list[str]:
        """Copy `( ... )`; returns the variables after AS (a projection or BIND)."""
        self.expect("(")
        depth = 1
        named: list[str] = []
        while depth:
            tok = self.peek()
            if tok is _END:
                raise _Unsupported("unbalanced parentheses")
            if tok.is_("("):
                depth += 1
            elif tok.is_(")"):
                depth -= 1
            elif tok.word() == "AS" and self.peek(1).kind == "var":
                named.append(self.peek(1).text)
            self.expression_token(scope)
        return named

    def skip_balanced(self) -> None:
        depth = 0
        while True:
            tok = self.take()
            if tok.is_("{", "(", "["):
                depth += 1
            elif tok.is_("}", ")", "]"):
                depth -= 1
            if depth == 0:
                return

    def copy_balanced(self) -> None:
        """Copy a bracketed span as written (`copy`, token by token)."""
        start = self.i
        self.skip_balanced()
        end, self.i = self.i, start
        while self.i < end:
            self.copy()

    # -- triples ---------------------------------------------------------------------------

    def triples_block(self, scope: _Scope) -> None:
        start = self.i
        triples: list[_Triple] = []
        while True:
            self.triples_same_subject(triples)
            if self.peek().is_(".") and self._starts_triples(self.peek(1)):
                self.take()
                continue
            break
        for t in triples:
            scope.add(*(x for x in (t.s, t.p, t.o) if isinstance(x, str) and x.startswith(("?", "$"))))
        if not scope.in_default or not self.wrap_blocks:
            self.emit(self.text[self.toks[start].start:self.toks[self.i - 1].end])
            return
        self.changed = True
        self.emitted += 1
        for part in _connected(triples):  # a product of parts is deduplicated part by part,
            outside, self.out, self.block_vars = self.out, [], []  # so its rows still stream
            for t in part:
                self.emit_path(t.s, t.p, t.o)
            body, self.out = "".join(self.out), outside
            self.emit(f"{{ SELECT DISTINCT {' '.join(self.block_vars) or '*'} WHERE {{ {body} }} }}")

    @staticmethod
    def _starts_triples(tok: Token) -> bool:
        if tok is _END or tok.is_("}", "{", "."):
            return False
        return tok.word() not in ("OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES")

    def triples_same_subject(self, triples: list[_Triple]) -> None:
        tok = self.peek()
        if tok.is_("[") and not self.peek(1).is_("]"):
            subject = self.blank_property_list(triples)
            if self.peek().is_(".", "}") or not self._starts_triples(self.peek()):
                return
        elif tok.is_("(") and not self.peek(1).is_(")"):
            subject = self.collection(triples)
            if self.peek().is_(".", "}") or not self._starts_triples(self.peek()):
                return
        else:
            subject = self.term()
        self.property_list(subject, triples)

    def property_list(self, subject: str, triples: list[_Triple]) -> None:
        while True:
            predicate = self.verb()
            while True:
                triples.append(_Triple(subject, predicate, self.object(triples)))
                if self.peek().is_(","):
                    self.take()
                    continue
                break
            if self.peek().is_(";"):
                while self.peek().is_(";"):
                    self.take()
                if self.peek().is_(".", "]", "}") or not self._starts_triples(self.peek()):
                    return
                continue
            return

    def verb(self) -> object:
        tok = self.peek()
        if tok.kind == "var":
            return self.take().text
        path = self.path_alternative()
        return path[1] if path[0] == "link" else path

    def object(self, triples: list[_Triple]) -> str:
        tok = self.peek()
        if tok.is_("[") and not self.peek(1).is_("]"):
            return self.blank_property_list(triples)
        if tok.is_("(") and not self.peek(1).is_(")"):
            return self.collection(triples)
        return self.term()

    def blank_property_list(self, triples: list[_Triple]) -> str:
        self.take()
        node = self.fresh_node()
        self.property_list(node, triples)
        if not self.take().is_("]"):
            raise _Unsupported("unclosed [")
        return node

    def collection(self, triples: list[_Triple]) -> str:
        self.take()
        rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        head = node = self.fresh_node()
        first = True
        while not self.peek().is_(")"):
            if not first:
                nxt = self.fresh_node()
                triples.append(_Triple(node, f"<{rdf}rest>", nxt))
                node = nxt
            triples.append(_Triple(node, f"<{rdf}first>", self.object(triples)))
            first = False
        self.take()
        triples.append(_Triple(node, f"<{rdf}rest>", f"<{rdf}nil>"))
        return head

    def term(self) -> str:
        tok = self.take()
        if tok.kind in ("var", "iri", "pname", "number"):
            return tok.text
        if tok.kind == "bnode":
            return tok.text if self.template else self.bnodes.setdefault(tok.text, self.fresh("b"))
        if tok.is_("[") and self.peek().is_("]"):
            self.take()
            return self.fresh_node()
        if tok.is_("(") and self.peek().is_(")"):
            self.take()
            return "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>"
        if tok.is_("+", "-") and self.peek().kind == "number":
            return tok.text + self.take().text
        if tok.word() in ("TRUE", "FALSE"):
            return tok.text.lower()
        if tok.kind == "string":
            if self.peek().kind == "lang":
                return tok.text + self.take().text
            if self.peek().is_("^^"):
                self.take()
                return tok.text + "^^" + self.take().text
            return tok.text
        raise _Unsupported(f"not a term: {tok.text}")

    # -- property paths: ("link", text) ("inv", p) ("seq", [p...]) ("alt", [p...])
    #    ("nps", [(inverse, text)...]) ("mod", text) where text is the path as written

    def path_alternative(self) -> tuple:
        parts = [self.path_sequence()]
        while self.peek().is_("|"):
            self.take()
            parts.append(self.path_sequence())
        return parts[0] if len(parts) == 1 else ("alt", parts)

    def path_sequence(self) -> tuple:
        parts = [self.path_elt_or_inverse()]
        while self.peek().is_("/"):
            self.take()
            parts.append(self.path_elt_or_inverse())
        return parts[0] if len(parts) == 1 else ("seq", parts)

    def path_elt_or_inverse(self) -> tuple:
        if self.peek().is_("^"):
            self.take()
            return ("inv", self.path_elt())
        return self.path_elt()

    def path_elt(self) -> tuple:
        start = self.i
        tok = self.take()
        if tok.kind in ("iri", "pname"):
            primary: tuple = ("link", tok.text)
        elif tok.kind == "word" and tok.text == "a":
            primary = ("link", "a")
        elif tok.is_("!"):
            primary = ("nps", self.negated_set())
        elif tok.is_("("):
            primary = self.path_alternative()
            if not self.take().is_(")"):
                raise _Unsupported("unclosed path group")
        else:
            raise _Unsupported(f"not a path: {tok.text}")
        if self.peek().is_("*", "+", "?"):
            self.take()
            return ("mod", "(" + self.text[self.toks[start].start:self.toks[self.i - 1].end] + ")")
        return primary

    def negated_set(self) -> list[tuple[bool, str]]:
        def one() -> tuple[bool, str]:
            inverse = False
            if self.peek().is_("^"):
                self.take()
                inverse = True
            tok = self.take()
            if tok.kind not in ("iri", "pname") and tok.text != "a":
                raise _Unsupported("bad negated property set")
            return inverse, tok.text

        if not self.peek().is_("("):
            return [one()]
        self.take()
        items = []
        while not self.peek().is_(")"):
            items.append(one())
            if self.peek().is_("|"):
                self.take()
        self.take()
        return items

    # -- emitting set-semantics patterns -------------------------------------------------

    def emit_path(self, s: str, p: object, o: str) -> None:
        if isinstance(p, str):
            return self.emit_triple(s, p, o)
        kind = p[0]
        if kind == "link":
            self.emit_triple(s, p[1], o)
        elif kind == "inv":
            self.emit_path(o, p[1], s)
        elif kind == "seq":
            left = s
            for k, part in enumerate(p[1]):
                right = o if k == len(p[1]) - 1 else self.fresh("v")
                self.emit_path(left, part, right)
                left = right
        elif kind == "alt":
            for k, part in enumerate(p[1]):
                if k:
                    self.emit("UNION")
                self.emit("{")
                self.emit_path(s, part, o)
                self.emit("}")
        elif kind == "nps":
            forward = [t for inverse, t in p[1] if not inverse]
            backward = [t for inverse, t in p[1] if inverse]
            branches = [(s, o, forward)] if forward or not backward else []
            if backward:
                branches.append((o, s, backward))
            for k, (a, b, excluded) in enumerate(branches):
                if len(branches) > 1:
                    self.emit(("UNION {" if k else "{"))
                pred = self.fresh("p")
                self.emit_triple(a, pred, b)
                if excluded:
                    self.emit(f"FILTER({pred} NOT IN ({', '.join(_rdf_type(t) for t in excluded)}))")
                if len(branches) > 1:
                    self.emit("}")
        elif kind == "mod":  # ALP paths are sets already: the engine's default graph answers them
            self.emit_triple(s, p[1], o)

    def emit_triple(self, s: str, p: str, o: str) -> None:
        """One triple of a block. A query reads the engine's default graph (the union, or the
        dataset's graphs); an update's WHERE has no union to read, so it names the graph."""
        for term in (s, p, o):
            if term[:1] in "?$" and term not in self.block_vars:
                self.block_vars.append(term)
        triple = f"{s} {p} {o}"
        graphs = self.default
        if not self.in_update:
            self.emit(f"{triple} .")
        elif graphs is not None and len(graphs) == 1:
            self.emit(f"GRAPH <{graphs[0]}> {{ {triple} }}")
        else:
            g = self.fresh("g")
            among = "" if graphs is None else f"VALUES {g} {{ " + " ".join(f"<{x}>" for x in graphs) + " } "
            self.emit(f"{among if graphs != () else 'FILTER(0 = 1) '}GRAPH {g} {{ {triple} }}")


def _connected(triples: list[_Triple]) -> list[list[_Triple]]:
    """The triples grouped by shared variables, in their order: the solutions of a block are
    the product of its groups' solutions."""
    parent = list(range(len(triples)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for i, t in enumerate(triples):
        for term in (t.s, t.p, t.o):
            if isinstance(term, str) and term[:1] in "?$":
                if term in seen:
                    parent[root(i)] = root(seen[term])
                else:
                    seen[term] = i
    groups: dict[int, list[_Triple]] = {}
    for i, t in enumerate(triples):
        groups.setdefault(root(i), []).append(t)
    return list(groups.values())


def _rdf_type(text: str) -> str:
    return "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" if text == "a" else text


# --------------------------------------------------------------------------- entry points


@lru_cache(maxsize=512)
def rewrite_query(text: str, default_graphs: tuple[str, ...] | None = None,
                  named_graphs: tuple[str, ...] | None = None, base_iri: str | None = None) -> Rewritten:
    """The query with set semantics over the union, under the given dataset (None: the
    query's FROM clauses if any, else every graph). Text the rewriter does not understand
    comes back unchanged, with the dataset left to the engine."""
    rewriter = _Rewriter(text, default_graphs, named_graphs, base_iri)
    rewriter.wrap_blocks = not duplicates_cannot_matter(rewriter.toks)
    try:
        rewriter.query()
    except (_Unsupported, RecursionError):
        return as_written(text, default_graphs, named_graphs)
    if not (rewriter.changed or rewriter.saw_from):
        return as_written(text, default_graphs, named_graphs)
    return Rewritten("".join(rewriter.out), rewriter.default, rewriter.named, True)


_AGGREGATES = frozenset({"COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT", "GROUP"})


def duplicates_cannot_matter(toks: list[Token]) -> bool:
    """Whether the bag union answers this query as the set would: ASK (existence),
    CONSTRUCT and DESCRIBE (their answer is a graph, a set) and SELECT DISTINCT, when no
    aggregate and no sub-query counts rows. Every operator then keeps the same distinct
    solutions whatever their multiplicities, so the text runs as written, at full speed."""
    words = [t.word() for t in toks if t.kind == "word"]
    if any(w in _AGGREGATES for w in words):
        return False
    form = next((w for w in words if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    selects = words.count("SELECT")
    if form == "SELECT":
        return selects == 1 and words[words.index("SELECT") + 1:words.index("SELECT") + 2] == ["DISTINCT"]
    return form is not None and selects == 0


@lru_cache(maxsize=128)
def rewrite_update(text: str, using_graphs: tuple[str, ...] | None = None,
                   using_named_graphs: tuple[str, ...] | None = None, base_iri: str | None = None) -> Rewritten:
    """The update with the union read as a set in its WHERE clauses, default-graph inserts
    kept in DEFAULT_WRITES_GRAPH and default-graph deletes applied to every graph."""
    rewriter = _UpdateRewriter(text, using_graphs, using_named_graphs, base_iri)
    try:
        rewriter.update()
    except (_Unsupported, RecursionError):
        return Rewritten(text)
    return Rewritten("".join(rewriter.out), changed=True)


def as_written(text: str, default: tuple[str, ...] | None = None, named: tuple[str, ...] | None = None) -> Rewritten:
    """The text unchanged, with a protocol dataset for the engine (the other part empty)."""
    if default is None and named is not None:
        default = ()
    if named is None and default is not None:
        named = ()
    return Rewritten(text, default, named, False)


class _UpdateRewriter(_Rewriter):
    """SPARQL Update: each operation in turn; graph management operations are copied."""

    def update(self) -> None:
        self.in_update = True
        protocol = (self.default, self.named)
        while True:
            self.prologue()
            if self.peek() is _END:
                return
            self.default, self.named = protocol
            self.operation()
            if self.peek() is _END:
                return
            self.expect(";")

    def operation(self) -> None:
        word = self.peek().word()
        if word in ("LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"):
            while self.peek() is not _END and not self.peek().is_(";"):
                self.copy()
        elif word == "INSERT" and self.peek(1).word() == "DATA":
            self.take(), self.take()
            blocks, triples = self.quads()
            self.emit("INSERT DATA {" + blocks + self._into_default(triples) + "}")
        elif word == "DELETE" and self.peek(1).word() == "DATA":
            self.take(), self.take()
            blocks, triples = self.quads()
            plain = " ".join(f"{t.s} {t.p} {t.o} ." for t in triples)
            self.emit("DELETE DATA {" + blocks + plain + "}")
            for t in triples:
                self.emit(f"; DELETE WHERE {{ GRAPH {self.fresh('d')} {{ {t.s} {t.p} {t.o} }} }}")
        elif word == "DELETE" and self.peek(1).word() == "WHERE":
            self.take(), self.take()
            start = self.i
            blocks, triples = self.quads()
            self.modify(blocks, triples, "", [], start)
        elif word in ("WITH", "DELETE", "INSERT"):
            self.modify_operation()
        else:
            raise _Unsupported(f"unknown operation {word}")

    def modify_operation(self) -> None:
        if self.peek().word() == "WITH":  # one graph: no union to read, nothing to rewrite
            while self.peek() is not _END and not self.peek().is_(";"):
                if self.peek().is_("{"):
                    self.copy_balanced()
                else:
                    self.copy()
            return
        delete_blocks, delete_triples, insert_blocks, insert_triples = "", [], "", []
        if self.peek().word() == "DELETE":
            self.take()
            delete_blocks, delete_triples = self.quads()
        if self.peek().word() == "INSERT":
            self.take()
            insert_blocks, insert_triples = self.quads()
        using_default: list[str] = []
        using_named: list[str] = []
        saw_using = False
        while self.peek().word() == "USING":
            self.take()
            saw_using = True
            if self.peek().word() == "NAMED":
                self.take()
                using_named.append(self.resolve(self.take()))
            else:
                using_default.append(self.resolve(self.take()))
        if saw_using and self.default is None and self.named is None:
            self.default, self.named = tuple(using_default), tuple(using_named)
        if self.peek().word() == "WHERE":
            self.take()
        start = self.i
        self.skip_balanced()
        self.modify(delete_blocks, delete_triples, insert_blocks, insert_triples, start)

    def modify(self, delete_blocks: str, delete_triples: list[_Triple], insert_blocks: str,
               insert_triples: list[_Triple], pattern_start: int) -> None:
        """DELETE { blocks, plain triples, each triple in every graph } INSERT { ... } WHERE
        { { rewritten pattern } {} UNION { GRAPH ?d1 { t1 } } UNION ... }."""
        saved_out, saved_i = self.out, self.i
        self.out, self.i = [], pattern_start
        self.group(_Scope(in_default=True))
        where_out, self.out, self.i = self.out, saved_out, saved_i
        graph_vars = [self.fresh("d") for _ in delete_triples]
        deletes = delete_blocks + " ".join(f"{t.s} {t.p} {t.o} . GRAPH {d} {{ {t.s} {t.p} {t.o} }}"
                                           for t, d in zip(delete_triples, graph_vars))
        every_graph = "".join(f" UNION {{ GRAPH {d} {{ {t.s} {t.p} {t.o} }} }}" for t, d in zip(delete_triples, graph_vars))
        text = ""
        if deletes.strip():
            text += "DELETE {" + deletes + "} "
        if insert_blocks or insert_triples:
            text += "INSERT {" + insert_blocks + self._into_default(insert_triples) + "} "
        text += "WHERE { " + "".join(where_out) + (" {}" + every_graph if every_graph else "") + " }"
        self.emit(text)

    def _into_default(self, triples: list[_Triple]) -> str:
        if not triples:
            return ""
        return f" GRAPH <{DEFAULT_WRITES_GRAPH}> {{ " + " ".join(f"{t.s} {t.p} {t.o} ." for t in triples) + " }"

    def quads(self) -> tuple[str, list[_Triple]]:
        """A `{ ... }` of quads: the GRAPH blocks as written and the triples outside them."""
        if not self.take().is_("{"):
            raise _Unsupported("expected {")
        blocks: list[str] = []
        triples: list[_Triple] = []
        self.template = True
        while not self.peek().is_("}"):
            if self.peek().word() == "GRAPH":
                start = self.i
                self.take(), self.take()
                self.skip_balanced()
                blocks.append(self.text[self.toks[start].start:self.toks[self.i - 1].end])
            elif self.peek().is_("."):
                self.take()
            else:
                self.triples_same_subject(triples)
        self.take()
        self.template = False
        if any(isinstance(t.p, tuple) for t in triples):
            raise _Unsupported("paths in a template")
        return " ".join(blocks) + " ", triples
