"""Article -> Extraction: the NLP side of the seam.

The spaCy pipeline (`diplokg.nlp.load_nlp`) does the work: the model, our entity ruler,
then our components (extract/components.py) for entities, positions, time expressions,
events and quantities. `extract` turns what they leave on the Doc into plain frozen
dataclasses (diplokg.model); no spaCy object leaves this package.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from ..errors import ExtractionError
from ..model import Article, Entity, Extraction
from ..nlp import load_nlp
from .components import parse, parse_many
from .gazetteer import load_gazetteer


def extract(article: Article, nlp=None) -> Extraction:
    nlp = nlp or load_nlp()
    return extraction_from_doc(article, parse(nlp, article.text, article.published_iso))


def extract_many(articles: Iterable[Article], nlp=None,
                 on_error: Callable[[ExtractionError], None] | None = None) -> Iterator[Extraction]:
    """Extract a stream of articles in order; only the model's current batch of paragraphs
    is held at a time. With `on_error`, an article the extraction fails on is handed to it
    as an ExtractionError and skipped, instead of ending the stream."""
    nlp = nlp or load_nlp()
    failed = None if on_error is None else (lambda exc, article: on_error(extraction_error(article, exc)))
    for doc, article in parse_many(nlp, ((a.text, a.published_iso, a) for a in articles), on_error=failed):
        if on_error is None:
            yield extraction_from_doc(article, doc)
            continue
        try:
            extraction = extraction_from_doc(article, doc)
        except Exception as exc:
            on_error(extraction_error(article, exc))
            continue
        yield extraction


def extraction_error(article: Article, exc: Exception) -> ExtractionError:
    """One line naming the article and the cause; the traceback goes to the debug log."""
    logging.getLogger("diplokg").debug("extraction of %s failed", article.id, exc_info=exc)
    cause = " ".join(f"{type(exc).__name__}: {exc}".split())
    cause = cause if len(cause) <= 200 else cause[:199] + "…"
    where = f"{article.source}: article {article.id!r}" if article.source else f"article {article.id!r}"
    error = ExtractionError(f"{where}: extraction failed ({cause}); not stored")
    error.article_id = article.id
    return error


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
