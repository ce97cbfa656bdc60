"""Article -> Extraction: the NLP side of the seam.

`extract(article)` runs the spaCy pipeline and the stages in order: entity mentions and
their resolution, titles and positions, time expressions, events, quantities. What comes
out is plain frozen dataclasses (diplokg.model); no spaCy object leaves this package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Article, Extraction
from ..nlp import load_nlp
from . import entities as entities_stage
from . import positions as positions_stage
from .events import extract_events
from .gazetteer import load_gazetteer
from .quantities import find_quantities
from .timex import find_time_expressions


def extract(article: Article, nlp=None) -> Extraction:
    nlp = nlp or load_nlp()
    return extract_doc(article, nlp(article.text))


def extract_many(articles: Iterable[Article], nlp=None, batch_size: int = 16) -> Iterator[Extraction]:
    """Stream articles through spaCy's `pipe`, carrying each article along with its Doc."""
    nlp = nlp or load_nlp()
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield extract_doc(article, doc)


def extract_doc(article: Article, doc) -> Extraction:
    gaz = load_gazetteer()
    text = article.text
    spans = entities_stage.detect(doc, gaz)
    index = entities_stage.resolve(doc, spans, gaz)
    titles = positions_stage.find_titles(text, index, gaz)
    positions_stage.attach_holders(titles, index, text)
    positions = positions_stage.positions_from_titles(titles, index, text, gaz)
    times = find_time_expressions(text)
    events = extract_events(doc, index, titles, times, positions, article.published)
    quantities = find_quantities(text)
    used = {k for e in events for k in (*e.participants, e.location, e.destination) if k}
    used |= {p.holder for p in positions} | {p.of for p in positions if p.of}
    entities = tuple(e for e in index.entities.values())
    missing = used - {e.key for e in entities}
    if missing:  # a participant must be an entity of the article
        raise AssertionError(f"internal: events name unknown entities {sorted(missing)}")
    return Extraction(article, entities, tuple(positions), tuple(events), tuple(quantities))
