"""diplokg's own spaCy components, run after the model's NER and our entity ruler.

`parse` runs the model paragraph by paragraph (the small parser otherwise hangs the first
word of a paragraph on the line break before it; a very long one in pieces) and then our
stages on the whole text.

Each stage stores its plain-data result on the Doc (`doc._.diplokg[stage]`), so a Doc that
leaves the pipeline carries everything `extract` needs. The publication date, needed to
resolve relative dates, travels in `doc.user_data["published"]` (with its precision in
`doc.user_data["published_precision"]`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from ..model import anchor_of
from . import entities as entities_stage
from . import positions as positions_stage
from .doc_text import doc_text
from .events import extract_events
from .gazetteer import load_gazetteer
from .pieces import paragraphs, piece_chars, pieces  # noqa: F401 (paragraphs: for bench/)
from .quantities import find_quantities
from .timex import find_time_expressions

T = TypeVar("T")

if not Doc.has_extension("diplokg"):
    Doc.set_extension("diplokg", default=None)

STAGES = ("diplokg_entities", "diplokg_positions", "diplokg_time", "diplokg_events", "diplokg_quantities")


def _results(doc: Doc) -> dict:
    if doc._.diplokg is None:
        doc._.diplokg = {}
    return doc._.diplokg


@Language.component("diplokg_entities")
def entities_component(doc: Doc) -> Doc:
    gaz = load_gazetteer()
    _results(doc)["index"] = entities_stage.resolve(doc, entities_stage.detect(doc, gaz), gaz)
    return doc


@Language.component("diplokg_positions")
def positions_component(doc: Doc) -> Doc:
    gaz = load_gazetteer()
    res, text = _results(doc), doc_text(doc)
    titles = positions_stage.find_titles(text, res["index"], gaz)
    positions_stage.attach_holders(titles, res["index"], text)
    res["titles"] = titles
    res["positions"] = positions_stage.positions_from_titles(titles, res["index"], text, gaz)
    return doc


@Language.component("diplokg_time")
def time_component(doc: Doc) -> Doc:
    _results(doc)["times"] = find_time_expressions(doc_text(doc))
    return doc


@Language.component("diplokg_events")
def events_component(doc: Doc) -> Doc:
    res = _results(doc)
    published = doc.user_data.get("published")
    res["events"] = extract_events(doc, res["index"], res["titles"], res["times"], res["positions"], published)
    return doc


@Language.component("diplokg_quantities")
def quantities_component(doc: Doc) -> Doc:
    verbs = frozenset(t.idx for t in doc if t.pos_ in ("VERB", "AUX"))
    _results(doc)["quantities"] = find_quantities(doc_text(doc), verbs)
    return doc


def parse(nlp: Language, text: str, published=None) -> Doc:
    """The model over each paragraph, one Doc for the whole text, then our stages."""
    return next(parse_many(nlp, [(text, published, None)]))[0]


def parse_many(nlp: Language, items: Iterable[tuple[str, object, T]], batch_size: int | None = None,
               on_error: Callable[[Exception, T], None] | None = None) -> Iterator[tuple[Doc, T]]:
    """`parse` over a stream of (text, publication date, context) triples, in order; the
    context (the article, say) comes back with its Doc.

    The model's batches mix paragraphs of consecutive texts, as a plain `nlp.pipe` over the
    corpus would (one short article a batch leaves the model's matrix products small);
    nlp.pipe reads its input lazily, so only a batch of paragraphs is held at a time. A long
    paragraph is read in pieces (extract/pieces.py). With `on_error`, a text the model or
    our stages fail on is handed to it with its error and skipped, and the others go on."""
    ours = [name for name in STAGES if name in nlp.pipe_names]
    limit = piece_chars(nlp.max_length)
    items = iter(items)
    while True:
        fed: deque = deque()  # the texts given to the model and not yet out, in order
        upstream: list[BaseException] = []

        def feed():
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    return
                except BaseException as exc:  # the input's own error is not a text's
                    upstream.append(exc)
                    raise
                fed.append(item)
                parts = pieces(item[0], limit)
                for i, part in enumerate(parts):
                    yield part, i == len(parts) - 1

        docs: list[Doc] = []
        try:
            for doc, last in nlp.pipe(feed(), as_tuples=True, disable=ours, batch_size=batch_size):
                docs.append(_lean(doc))
                if last:
                    yield from _finished(nlp, docs, fed.popleft(), on_error)
                    docs = []
            return
        except Exception:
            if upstream or on_error is None:
                raise
        # The model failed on a text of its batch: each of them alone, then the rest anew.
        while fed:
            item = fed.popleft()
            try:
                docs = [_lean(doc) for doc in nlp.pipe(pieces(item[0], limit), disable=ours)]
            except Exception as exc:
                on_error(exc, item[2])
                continue
            yield from _finished(nlp, docs, item, on_error)


def _lean(doc: Doc) -> Doc:
    """The Doc without the model's hidden vectors (96 floats a token, which no stage of
    ours reads and Doc.from_docs would copy): a long text's memory is its tokens."""
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


def _finished(nlp: Language, docs: list[Doc], item: tuple, on_error) -> Iterator[tuple[Doc, object]]:
    """Our stages over the text's Docs; the pieces are let go before the Doc goes on."""
    text, published, context = item
    try:
        doc = _our_stages(nlp, docs, text, published)
    except Exception as exc:
        if on_error is None:
            raise
        on_error(exc, context)
        return
    finally:
        docs.clear()
    yield doc, context


def _our_stages(nlp: Language, docs: list[Doc], text: str, published) -> Doc:
    doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
    doc.user_data["text"] = text
    # The publication date: a date, or ISO text at day, month or year precision ("2020-10").
    doc.user_data["published"], doc.user_data["published_precision"] = anchor_of(published)
    for name in STAGES:
        doc = nlp.get_pipe(name)(doc)
    return doc


def add_components(nlp: Language) -> None:
    for name in STAGES:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
