"""IRI minting: stable, valid, and the same for the same thing everywhere."""

import string

from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from diplokg.rdf import iris

names = st.text(alphabet=string.ascii_letters + "áéíóúñÁÉÍÓÚÑü .-'’," + string.digits, min_size=1, max_size=60)


@given(names)
def test_slug_is_stable_ascii_kebab(name):
    s = iris.slug(name)
    assert s == iris.slug(name)
    assert s and all(c in string.ascii_lowercase + string.digits + "-" for c in s)
    assert not s.startswith("-") and not s.endswith("-") and "--" not in s


@given(names)
def test_slug_ignores_case_and_accents(name):
    assert iris.slug(name.upper()) == iris.slug(name.lower()) or any(c in name for c in "ß")


@given(names, st.sampled_from(["Person", "Country", "Place", "GovernmentBody"]))
def test_entity_iri_is_valid_and_stable(name, etype):
    key = iris.entity_key(etype, name)
    a, b = iris.entity_iri(key), iris.entity_iri(iris.entity_key(etype, name))
    assert a == b and isinstance(a, URIRef)
    assert " " not in a and a.startswith(iris.DEFAULT_BASE)


def test_examples():
    assert iris.entity_key("Person", "Hugo de Zela") == "person/hugo-de-zela"
    assert iris.entity_key("Country", "Perú") == "country/peru"
    assert iris.slug("EE.UU.") == "ee-uu"
    assert iris.slug("!!!").startswith("x")


@given(st.text(min_size=1, max_size=30), st.integers(0, 10_000), st.integers(1, 500))
def test_mention_iris_depend_on_article_and_offsets(article_id, start, length):
    end = start + length
    assert iris.mention_iri(article_id, start, end) == iris.mention_iri(article_id, start, end)
    assert iris.mention_iri(article_id, start, end) != iris.mention_iri(article_id, start, end + 1)
    assert iris.mention_iri(article_id, start, end) != iris.mention_iri(article_id + "x", start, end)


keys = st.lists(st.sampled_from(["person/a", "person/b", "country/peru", "org/oea"]), min_size=1, max_size=4, unique=True)


@given(keys, st.sampled_from(["Meeting", "Visit"]), st.sampled_from(["occurred", "planned"]), st.one_of(st.none(), st.just("2026-03-12")))
def test_event_iri_is_what_happened_not_where_it_was_read(participants, etype, status, day):
    a = iris.event_iri(etype, status, participants, day)
    assert a == iris.event_iri(etype, status, list(reversed(participants)), day)  # order does not matter
    assert a != iris.event_iri(etype, status, participants, "2027-01-01")
    assert a != iris.event_iri("Invitation", status, participants, day)
    other = "planned" if status == "occurred" else "occurred"
    assert a != iris.event_iri(etype, other, participants, day)
    assert iris.event_iri(etype, status, participants, day, "place/lima") != iris.event_iri(etype, status, participants, day, "place/quito")


def test_base_is_configurable():
    assert iris.entity_iri("country/peru", "http://example.org/kg/") == URIRef("http://example.org/kg/country/peru")
