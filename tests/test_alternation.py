"""The prefix-tree alternation matches exactly what a longest-first alternation matches."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from diplokg.extract.alternation import alternation
from diplokg.extract.topics import topic_patterns, topics_in

WORDS = st.lists(st.text(alphabet="abñé .", min_size=1, max_size=6), min_size=1, max_size=12)


def plain(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


@settings(max_examples=300, deadline=None)
@given(WORDS, st.text(alphabet="abñé .x", max_size=40))
def test_same_matches_as_a_longest_first_alternation(words, text):
    tree = re.compile(alternation(words))
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain(words).finditer(text)]


@settings(max_examples=200, deadline=None)
@given(WORDS, st.text(alphabet="abñé .x", max_size=40))
def test_backtracks_to_a_shorter_word_when_the_rest_fails(words, text):
    # followed by a word boundary: the longest word may fail where a shorter one succeeds
    tree = re.compile(rf"(?:{alternation(words)})\b")
    flat = re.compile(rf"(?:{plain(words).pattern})\b")
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_prefix_words_share_a_branch():
    assert alternation(["ministro", "ministra", "ministerio"]) == "minist(?:erio|r(?:a|o))"
    assert re.fullmatch(alternation(["canciller", "cancillería"]), "cancillería")


def test_topics_found_with_overlapping_triggers():
    """Each topic whose trigger starts anywhere in the text, even where another topic's
    trigger starts at the same place; whitespace runs and case do not matter."""
    ids = [tid for tid, _ in topic_patterns()]
    text = "Firmaron un ACUERDO   comercial y hablaron de seguridad y de narcotráfico."
    found = topics_in(text)
    assert found == sorted(found, key=ids.index)
    assert found == [tid for tid, p in topic_patterns() if p.search(" ".join(text.lower().split()))]
    assert len(found) >= 2
