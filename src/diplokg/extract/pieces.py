"""The pieces the model reads a text in: its paragraphs, and a paragraph too long for one
run of the model cut at a sentence end, else at a space, else anywhere.

spaCy refuses a text over `nlp.max_length` (1,000,000 characters) and its memory grows
with the length of what it reads at once; a news paragraph is a few hundred characters,
but a text without line breaks is one paragraph. The pieces join back to the text exactly,
so `Doc.from_docs` gives offsets into the original text.
"""

from __future__ import annotations

import os
import re

PIECE_ENV = "DIPLOKG_NLP_PIECE_CHARS"
DEFAULT_PIECE_CHARS = 100_000  # a tenth of spaCy's max_length; far above any real paragraph

_PARAGRAPH = re.compile(r".*?(?:\n+|$)", re.S)
_SENTENCE_END = re.compile(r"[.!?…;:][\"'»”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def piece_chars(max_length: int | None = None) -> int:
    """The longest piece ($DIPLOKG_NLP_PIECE_CHARS), always below the model's max_length."""
    try:
        limit = int(os.environ.get(PIECE_ENV) or DEFAULT_PIECE_CHARS)
    except ValueError:
        limit = DEFAULT_PIECE_CHARS
    if max_length:
        limit = min(limit, max_length - 1)
    return max(limit, 1)


def paragraphs(text: str) -> list[str]:
    """The text cut after each run of line breaks; the pieces join back to the text exactly."""
    return [p for p in _PARAGRAPH.findall(text) if p]


def pieces(text: str, limit: int) -> list[str]:
    """`paragraphs(text)`, a paragraph over `limit` characters cut further (`cut`)."""
    out: list[str] = []
    for paragraph in paragraphs(text) or [text]:
        out.extend(cut(paragraph, limit) if len(paragraph) > limit else [paragraph])
    return out


def cut(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, each ending after the last sentence
    end (else white space) of its second half, or at `limit` when it has neither."""
    out, start = [], 0
    while len(text) - start > limit:
        end = _last_end(_SENTENCE_END, text, start + limit // 2, start + limit) \
            or _last_end(_SPACE, text, start + limit // 2, start + limit) or start + limit
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def _last_end(pattern: re.Pattern, text: str, lo: int, hi: int) -> int | None:
    """The end of the last match of `pattern` that ends in (lo, hi]."""
    last = None
    for m in pattern.finditer(text, lo, hi):
        last = m.end()
    return last
