"""Fuzzing read -> extract -> map -> validate with hypothesis.

Arbitrary bytes in files of every supported suffix, arbitrary Unicode mixed into Spanish news
sentences (with front matter, in several encodings), random JSON lines and broken HTML. The
only exception allowed is InputError (a refusal, reported through `on_error`); every article
that is read is extracted and mapped, and every graph produced

- passes the SHACL shapes (`diplokg.validate.validate`), and
- serializes to N-Triples that Oxigraph (the store) parses back to the same number of triples.

Validation is the slow part (pySHACL with RDFS inference, ~0.3 s per call), so each test
collects its graphs and validates them in one call at the end: every graph's own IRIs (those
under the id base) are first moved under a per-graph prefix, so the graphs share no node and the
union conforms exactly when each graph does. On a failure each graph is validated alone and
the input that produced the first non-conforming one is reported. Bounded: at most 50
examples per test, no deadline, the whole file in well under a minute.
"""

from __future__ import annotations

import json
import os
import re
import string
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from diplokg.errors import InputError
from diplokg.extract import extract
from diplokg.rdf.mapping import article_graph
from diplokg.rdf.vocab import DEFAULT_BASE
from diplokg.read import PUBLISHED_YEARS, read_articles
from diplokg.validate import validate

PLAUSIBLE = (date(PUBLISHED_YEARS[0], 1, 1), date(PUBLISHED_YEARS[1], 12, 31))
# The default run is small and the same every time (CI); DIPLOKG_FUZZ_EXAMPLES=500 makes a
# longer, random one for hunting.
_EXAMPLES = int(os.environ.get("DIPLOKG_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(max_examples=_EXAMPLES or 50, deadline=None, derandomize=not _EXAMPLES, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SPANISH = [
    "El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú.",
    "La ministra Lucía Ortega Mendoza llegó a Bogotá el martes.",
    "El presidente Gonzalo Herrera Paz sostuvo una conversación telefónica con la primera ministra Irene Castell Roig.",
    "La vicepresidenta Rosa Elena Quintana viajará a Madrid la próxima semana.",
    "El Gobierno de Canadá impuso sanciones contra funcionarios de Venezuela.",
    "Guatemala rompió relaciones diplomáticas con Nicaragua.",
    "Más de 3.500 observadores internacionales llegaron a Caracas para los comicios.",
    "El secretario general de la ONU, Rodrigo Salcedo Paz, pidió calma a las partes.",
    "La OEA expresó su preocupación por la crisis institucional.",
    "Perú y Brasil firmaron el 5 de marzo de 2024 un acuerdo de cooperación fronteriza.",
    "El embajador peruano Carlos Ruiz presentó sus cartas credenciales en Brasilia.",
    "EE.UU. anunció nuevos aranceles para el acero.",
]
WEIRD = [
    "\x00", "\x01", "\x07", "\x1b[0m", "\x7f", "\x85", "\x9f", "\r", "\r\n", "\n\n", "\t", "\x0b", "\x0c",
    "\u2028", "\u2029", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\u200b", "\u200f", "\u202e", "\u0301",
    "\u0300\u0301\u0302", "🇵🇪", "👩🏽‍⚖️", "\U0010ffff", "\U000e0001", "ﬁ", "Å", "İ", "ß", "---", "---\n",
    "<", ">", "&", '"', "\\", "{", "}", "@", "%", "https://", "\u00a0", "\u3000", "ǅ", "ꙮ",
]
TAGS = [
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<p>", "</p>", "<div>", "</div>",
    "<article>", "</article>", "<b>", "<i>", "</span>", "<br>", "<h1>", "</h1>", "<script>", "</script>",
    "<style>", "</style>", "<title>", "</title>", "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>",
    "<meta charset='utf-16'>", "<meta charset='bogus'>", "&nbsp;", "&amp", "&#x1;", "&#0;", "&#xd800;",
    "&#1114112;", "&bogus;", "<a href='", "'>", "<time datetime='2024-13-45'>", "</time>",
    "<meta property='article:published_time' content='", "<meta property='og:title' content='",
    "<link rel='canonical' href='", "' />", "<table><tr><td>", "</td></tr></table>", "<li>", "<ul>",
    "<svg><text>", "</svg>", "<noscript>", "<template>", "<iframe>", "<?xml version='1.0'?>",
]

# SHACL violations from known extraction bugs, each pinned by an xfail(strict=True) case of
# test_known_extraction_bugs below; the fuzz tests tolerate exactly these until they are fixed
# (then that case XPASSes, fails as strict, and its entry here goes).
KNOWN_VIOLATIONS: tuple[str, ...] = ()

unicode_text = st.text(max_size=40)
sentence = st.sampled_from(SPANISH)
spanish_with_junk = st.lists(  # mostly sentences, so that extraction has work to do
    st.one_of(sentence, sentence, sentence, st.sampled_from(WEIRD), unicode_text),
    min_size=1, max_size=12,
).map(" ".join)
meta_value = st.one_of(
    st.sampled_from(["es", "es-PE", "en", "fr", "", "2024-03-05", "2024-02-30", "https://example.org/a b",
                     "/relative", "http://[::1", "urn:x", "mailto:a@b", "título: con: dos puntos"]),
    st.text(string.printable, max_size=20), unicode_text,
)


def _move(graph: Graph, n: int) -> Graph:
    """The graph with every IRI under the id base moved under `<base>fuzz-n/`."""
    prefix = f"{DEFAULT_BASE}fuzz-{n}/"

    def term(t):
        return URIRef(prefix + t[len(DEFAULT_BASE):]) if isinstance(t, URIRef) and t.startswith(DEFAULT_BASE) else t

    moved = Graph()
    for s, p, o in graph:
        moved.add((term(s), p, term(o)))
    return moved


class Pipeline:
    """read -> extract -> map for one input; graphs collected for one validation at the end."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.graphs: list[tuple[str, Graph]] = []
        self.refusals = 0
        self.articles = 0

    def run(self, path: Path, described: str) -> None:
        problems: list[InputError] = []
        for article in read_articles([path], on_error=problems.append):
            self.articles += 1
            assert article.text.strip()
            extraction = extract(article, self.nlp)
            for mention in _mentions(extraction):
                assert article.text[mention.start:mention.end] == mention.text
            graph = article_graph(extraction)
            nt = graph.serialize(format="nt")
            parsed = list(pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES))
            assert len(parsed) == len(graph), described
            self.graphs.append((f"{described} -> article {article.id!r}: {article.text[:300]!r}", graph))
        for problem in problems:
            message = str(problem)
            assert message.startswith(str(path)), message
            assert "\n" not in message and "\r" not in message, message
            self.refusals += 1

    def check(self) -> None:
        if not self.graphs:
            return
        union = Graph()
        for n, (_, graph) in enumerate(self.graphs):
            union += _move(graph, n)
        report = validate(union)
        if report.conforms:
            return
        unexpected = [m for m in report.messages() if "Violation" in m and not any(k in m for k in KNOWN_VIOLATIONS)]
        if not unexpected:
            return  # only known extraction bugs, pinned by test_known_extraction_bugs
        found = re.search(r"/fuzz-(\d+)/", unexpected[0])
        if found:
            described = self.graphs[int(found.group(1))][0]
            raise AssertionError(f"{described}\n" + "\n".join(unexpected[:10]))
        for described, graph in self.graphs:
            messages = [m for m in validate(graph).messages() if "Violation" in m and not any(k in m for k in KNOWN_VIOLATIONS)]
            assert not messages, f"{described}\n" + "\n".join(messages[:10])
        raise AssertionError("the union of the graphs does not conform though each graph does:\n" + "\n".join(unexpected[:10]))


def _mentions(extraction):
    for entity in extraction.entities:
        yield from entity.mentions
    for event in extraction.events:
        yield event.evidence
    for position in extraction.positions:
        yield position.evidence
    for quantity in extraction.quantities:
        yield quantity.mention
    for event in extraction.events:
        if event.time is not None and not event.time.inherited:
            yield event.time


def _write(folder: str, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


def test_fuzz_random_bytes(nlp):
    pipeline = Pipeline(nlp)
    with TemporaryDirectory() as folder:
        @FUZZ
        @given(data=st.one_of(st.binary(max_size=400),
                              st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b""]),
                                        st.binary(max_size=300)).map(b"".join)),
               suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl"]))
        def run(data, suffix):
            pipeline.run(_write(folder, "fuzz" + suffix, data), f"bytes {data!r} as {suffix}")

        run()
    pipeline.check()


def test_fuzz_unicode_in_spanish_text(nlp):
    pipeline = Pipeline(nlp)
    with TemporaryDirectory() as folder:
        @FUZZ
        @given(text=spanish_with_junk,
               meta=st.one_of(st.just({}), st.dictionaries(
                   st.sampled_from(["id", "title", "published", "url", "language", "otro"]), meta_value, max_size=4)),
               encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"]),
               suffix=st.sampled_from([".txt", ".md"]))
        def run(text, meta, encoding, suffix):
            if meta:
                block = "".join(f"{k}: {v}\n" for k, v in meta.items() if "\n" not in v and "\r" not in v)
                text = f"---\n{block}---\n{text}"
            data = text.encode(encoding, errors="replace" if encoding in ("cp1252", "latin-1") else "surrogatepass")
            pipeline.run(_write(folder, "fuzz" + suffix, data), f"{text!r} in {encoding} as {suffix}")

        run()
    pipeline.check()
    assert pipeline.articles > 15  # many accepted: this test exercises extraction, not refusals


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | unicode_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(unicode_text, inner, max_size=3),
    max_leaves=8,
)
article_object = st.fixed_dictionaries(
    {"text": st.one_of(spanish_with_junk, json_value)},
    optional={"id": st.one_of(meta_value, st.integers(), json_value), "title": st.one_of(meta_value, json_value),
              "published": st.one_of(meta_value, st.dates().map(date.isoformat), json_value),
              "url": meta_value, "language": meta_value},
)
good_object = st.fixed_dictionaries({"text": spanish_with_junk}, optional={"id": meta_value, "title": meta_value})
json_line = st.one_of(
    good_object.map(lambda o: json.dumps(o, ensure_ascii=False)),
    article_object.map(lambda o: json.dumps(o, ensure_ascii=False)),
    article_object.map(json.dumps),  # \\u escapes, lone surrogates included
    json_value.map(json.dumps),
    st.text(max_size=60),  # not JSON at all
    st.sampled_from(["", "   ", "{", "[" * 3000, '{"text": "a"', '{"text": "\\ud800"}', '{"text": 1e400}', "1" * 5000]),
)


def test_fuzz_json_lines(nlp):
    pipeline = Pipeline(nlp)
    with TemporaryDirectory() as folder:
        @FUZZ
        @given(lines=st.lists(json_line, max_size=5), newline=st.sampled_from(["\n", "\r\n", "\r"]))
        def run(lines, newline):
            data = newline.join(lines).encode("utf-8", errors="surrogatepass")
            pipeline.run(_write(folder, "fuzz.jsonl", data), f"jsonl {lines!r} joined by {newline!r}")

        run()
    pipeline.check()


def test_fuzz_broken_html(nlp):
    pipeline = Pipeline(nlp)
    with TemporaryDirectory() as folder:
        @FUZZ
        @given(parts=st.lists(st.one_of(st.sampled_from(TAGS), st.sampled_from(SPANISH), st.sampled_from(WEIRD), unicode_text),
                              max_size=25),
               encoding=st.sampled_from(["utf-8", "cp1252"]))
        def run(parts, encoding):
            html = "".join(parts)
            data = html.encode(encoding, errors="replace")
            pipeline.run(_write(folder, "fuzz.html", data), f"html {html!r} in {encoding}")

        run()
    pipeline.check()


def test_fuzz_extract_any_cleaned_text(nlp):
    """What read hands on is cleaned text; extraction and mapping must cope with any of it,
    including the texts read refuses for other reasons (control-character noise, language).
    Publication dates stay in the years read accepts (see test_extract_far_dates below)."""
    from diplokg.model import Article
    from diplokg.read import clean_text

    pipeline = Pipeline(nlp)

    @FUZZ
    @given(text=spanish_with_junk, published=st.one_of(st.none(), st.dates(PLAUSIBLE[0], PLAUSIBLE[1])))
    def run(text, published):
        text = clean_text(text)
        if not text.strip():
            return
        article = Article(id="fuzz", text=text, published=published)
        extraction = extract(article, nlp)
        for mention in _mentions(extraction):
            assert text[mention.start:mention.end] == mention.text
        graph = article_graph(extraction)
        assert len(list(pyoxigraph.parse(graph.serialize(format="nt"), format=pyoxigraph.RdfFormat.N_TRIPLES))) == len(graph)
        pipeline.graphs.append((f"cleaned text {text!r}, published {published}", graph))

    run()
    assert len(pipeline.graphs) > 40
    pipeline.check()


BUGS = {
    "far-past-date": pytest.param(
        # fixed in extract/timex: years are written with four digits ('0833'^^xsd:gYear)
        "La vicepresidenta Rosa Elena Quintana viajará a Madrid la próxima semana.", date(833, 11, 25),
        id="far-past-date"),
    "far-future-date": pytest.param(
        # fixed in extract/timex: words that fall beyond the calendar stay unresolved
        "La vicepresidenta Rosa Elena Quintana viajará a Madrid la próxima semana.", date(9999, 12, 30),
        id="far-future-date"),
    # Found by test_fuzz_extract_any_cleaned_text, fixed in iris.event_iri (the place is part of
    # an event's identity): the second sentence's Visit takes the first one's participant, and
    # both visits got one IRI with two dip:destination.
    "merged-visits": pytest.param(
        "La ministra Lucía Ortega Mendoza llegó a Bogotá el martes. "
        "Más de 3.500 observadores internacionales llegaron a Caracas para los comicios.", None,
        id="merged-visits"),
}


@pytest.mark.parametrize("text, published", list(BUGS.values()))
def test_known_extraction_bugs(nlp, text, published):
    """Minimal inputs for the extraction bugs the fuzz tests found (src/diplokg/extract/ is not
    fixed from here): each must extract, map and conform; the open ones are xfail(strict)."""
    from diplokg.model import Article

    graph = article_graph(extract(Article(id="bug", text=text, published=published), nlp))
    report = validate(graph)
    assert report.conforms, report.messages()
