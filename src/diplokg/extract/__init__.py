"""Article -> Extraction: the NLP side of the seam.

The spaCy pipeline (`diplokg.nlp.load_nlp`) does the work: the model, our entity ruler,
then our components (extract/components.py) for entities, positions, time expressions,
events and quantities. `extract` turns what they leave on the Doc into plain frozen
dataclasses (diplokg.model); no spaCy object leaves this package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Article, Entity, Extraction
from ..nlp import load_nlp
from .components import parse, parse_many
from .gazetteer import load_gazetteer


def extract(article: Article, nlp=None) -> Extraction:
    nlp = nlp or load_nlp()
    return extraction_from_doc(article, parse(nlp, article.text, article.published_iso))


def extract_many(articles: Iterable[Article], nlp=None) -> Iterator[Extraction]:
    """Extract a stream of articles in order; only the model's current batch of paragraphs
    is held at a time."""
    nlp = nlp or load_nlp()
    for doc, article in parse_many(nlp, ((a.text, a.published_iso, a) for a in articles)):
        yield extraction_from_doc(article, doc)


def extraction_from_doc(article: Article, doc) -> Extraction:
    res = doc._.diplokg
    index = res["index"]
    events, positions = res["events"], res["positions"]
    entities = dict(index.entities)
    used = {k for e in events for k in (*e.participants, e.location, e.destination) if k}
    used |= {p.holder for p in positions} | {p.of for p in positions if p.of}
    for key in sorted(used - set(entities)):
        # A state implied but not named (the state of a named ministry): from the gazetteer.
        entities[key] = gazetteer_entity(key)
    return Extraction(article, tuple(entities.values()), tuple(positions), tuple(events), tuple(res["quantities"]))


def gazetteer_entity(key: str) -> Entity:
    entry = load_gazetteer().entry(key)
    if entry is None:
        raise AssertionError(f"internal: {key} is neither named in the article nor in the gazetteer")
    labels = (("en", entry.en),) if entry.en else ()
    return Entity(key, entry.type, entry.name, (), labels, entry.wikidata, ())
