"""stores/guard.py: the check of SPARQL text before an engine parses it.

The refused texts are ones the real engine does act on: each SERVICE case below makes
pyoxigraph send a request to a loopback listener, and each nesting case is valid SPARQL
Oxigraph parses (at a depth that does not yet crash it), so a scanner that missed them
would let the real thing through.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
from test_serve_hostile import Listener

from diplokg.errors import ForbiddenQueryError, QueryError
from diplokg.stores.guard import MAX_DEPTH, check_text

HIDDEN_SERVICE = [  # {url} is the listener
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent<{url}> {{ ?s ?p ?o }} }}",
    "PREFIX : <{url}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",  # the keyword, then the name :x
    "SELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p true.SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <http://a/> SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ex:p\\#x ?x }} SERVICE <{url}> {{ ?s ?p ?o }} }}",  # \\# is no comment
    # `<` is less-than here, so `#` starts a comment for the engine and the string never opens
    "SELECT * WHERE {{ ?s ?p ?o FILTER(!(?o<?o))#> \"\"\"\nSERVICE <{url}> {{ ?a ?b ?c }}\n#\"\"\"\n }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ ?s ?p ?o }} }} SERVICE <{url}> {{ ?s ?p ?o }} }}",
]
NESTED = [
    "ASK " + "{ " * 100 + "?s ?p ?o" + " }" * 100,
    "ASK { FILTER(" + "(" * 100 + "true" + ")" * 100 + ") }",
    # less-than, then brackets: not an IRI `<((...?b>`
    "ASK { ?a ?b ?c FILTER(?a<" + "(" * 100 + "?b>?c" + ")" * 100 + ") }",
    "ASK { ?s ?p " + "[ ?p " * 100 + "?o" + " ]" * 100 + " }",
    "ASK { ?s ?p " + "( " * 100 + "?o" + " )" * 100 + " }",
    "ASK { " + "<< " * 70 + "?s ?p ?o" + " >> ?p ?o" * 70 + " }",
    # an IRI full of `)` inside a triple term must not close anything
    "ASK { ?s ?p ?o FILTER(?s = <<( <http://a> <http://b)))))))))))))> <http://c> )>>) "
    + "{ " * 70 + "}" * 70 + " }",
]
HARMLESS = [
    "SELECT * WHERE { ?s ?p \"SERVICE { { {\" . <http://x/SERVICE> ?p ?o # SERVICE {{{\n }",
    "SELECT * WHERE { ?s <http://dbpedia.org/resource/Foo_(bar)> ?o }" * 1,
    "SELECT * WHERE { " + "?s <http://dbpedia.org/resource/Foo_(bar)> ?o . " * 200 + "}",
    "SELECT * WHERE { " + "?s ?p ?o FILTER(?s < <http://x(>) " * 200 + "}",
    "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n) LIMIT 5",
    "PREFIX dip: <https://w3id.org/diplokg/ontology#> SELECT * WHERE { ?s dip:service ?o ; ?p 'LOAD' }",
]


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


@pytest.mark.parametrize("template", HIDDEN_SERVICE)
def test_service_the_engine_would_run_is_refused(template, listener):
    text = template.format(url=listener.url)
    store = ox.Store()
    for value in (ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ox.Literal(True)):
        store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), value))
    try:
        list(store.query(text))  # solutions are computed as they are read
    except (OSError, RuntimeError, SyntaxError):
        pass
    assert listener.count > 0, "pyoxigraph did not fetch: this case proves nothing"
    with pytest.raises(ForbiddenQueryError, match="^SERVICE is off on this server"):
        check_text(text)
    check_text(text, allow_service=True)


def test_unicode_escapes_are_checked_as_rdflib_expands_them():
    with pytest.raises(ForbiddenQueryError):
        check_text(r"SELECT * WHERE { SERV\u0049CE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="levels deep"):
        check_text(r"ASK " + r"\u007B " * 100 + r"\u007D " * 100)


@pytest.mark.parametrize("target", ["http://127.0.0.1:9/data.ttl", "file:///etc/passwd"])
def test_load_is_refused_in_updates(target):
    for text in (f"LOAD <{target}>", f"load silent <{target}> into graph <http://g>", f"PREFIX : <{target}> LOAD:x"):
        with pytest.raises(ForbiddenQueryError, match="^LOAD is off on this server"):
            check_text(text, update=True)
        check_text(text, update=True, allow_service=True)


@pytest.mark.parametrize("text", NESTED)
def test_deep_nesting_the_engine_parses_is_refused(text):
    ox.Store().query(text)  # valid, and not yet deep enough to crash it
    with pytest.raises(QueryError, match=f"more than {MAX_DEPTH} levels deep.*the limit is {MAX_DEPTH}"):
        check_text(text)
    check_text(text, max_depth=1000)


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_queries_pass(text):
    check_text(text)


@pytest.mark.parametrize("text", [
    "ASK " + "{" * 1_000_000,  # a bomb: refused at once
    "a.a." * 100_000,  # dotted words: each character looked at a bounded number of times
    "<a" * 200_000,  # IRI starts that never end
    "'''" + "a" * 1_000_000,  # an unterminated long string
    "?a " * 200_000,
])
def test_the_scan_is_linear_and_never_recursive(text):
    started = time.monotonic()
    try:
        check_text(text)
    except QueryError:
        pass
    assert time.monotonic() - started < 3
