"""Regex alternations of literal words (gazetteer names, title forms, month names).

Python's engine tries a plain alternation word by word at every position of the text; a
prefix tree ("ministro|ministra|ministerio" becomes "minist(?:erio|r(?:a|o))") tries a
letter at a time. With a few hundred words that is what made entity and title search the
slowest of our stages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of the words, preferring the longest (as a longest-first
    alternation would: two words that match at one place are a word and its prefix, and
    the tree tries the longer first), built once per word list."""
    return _alternation(tuple(words))


@cache
def _alternation(words: tuple[str, ...]) -> str:
    trie: dict = {}
    for word in filter(None, words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    if len(branches) > 1:
        body = "(?:" + "|".join(branches) + ")"
    else:
        body = branches[0] if len(branches[0]) == 1 or not ends else "(?:" + branches[0] + ")"
    # where a word ends, the longer words are tried first (greedy), then this one
    return body + "?" if ends else body
