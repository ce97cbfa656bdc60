"""diplokg's own spaCy components, run after the model's NER and our entity ruler.

`parse` runs the model paragraph by paragraph (the small parser otherwise hangs the first
word of a paragraph on the line break before it) and then our stages on the whole text.

Each stage stores its plain-data result on the Doc (`doc._.diplokg[stage]`), so a Doc that
leaves the pipeline carries everything `extract` needs. The publication date, needed to
resolve relative dates, travels in `doc.user_data["published"]`.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from . import entities as entities_stage
from . import positions as positions_stage
from .events import extract_events
from .gazetteer import load_gazetteer
from .quantities import find_quantities
from .timex import find_time_expressions

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
    res = _results(doc)
    titles = positions_stage.find_titles(doc.text, res["index"], gaz)
    positions_stage.attach_holders(titles, res["index"], doc.text)
    res["titles"] = titles
    res["positions"] = positions_stage.positions_from_titles(titles, res["index"], doc.text, gaz)
    return doc


@Language.component("diplokg_time")
def time_component(doc: Doc) -> Doc:
    _results(doc)["times"] = find_time_expressions(doc.text)
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
    _results(doc)["quantities"] = find_quantities(doc.text, verbs)
    return doc


_PARAGRAPH = re.compile(r".*?(?:\n+|$)", re.S)


def paragraphs(text: str) -> list[str]:
    """The text cut after each run of line breaks; the pieces join back to the text exactly."""
    return [p for p in _PARAGRAPH.findall(text) if p]


def parse(nlp: Language, text: str, published=None) -> Doc:
    """The model over each paragraph, one Doc for the whole text, then our stages."""
    model_pipes = [name for name in nlp.pipe_names if name not in STAGES]
    with nlp.select_pipes(enable=model_pipes):
        docs = list(nlp.pipe(paragraphs(text)))
    doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
    doc.user_data["published"] = published
    for name in STAGES:
        doc = nlp.get_pipe(name)(doc)
    return doc


def add_components(nlp: Language) -> None:
    for name in STAGES:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
