"""Per-Doc values our stages read many times, computed once and kept in the Doc's user data.

spaCy's `Doc.text` joins every token's text on each access (about 0.4 ms for a 300-word
article), and a Python loop over the tokens makes a Token object for each; our stages
read both a dozen times per article.
"""

from __future__ import annotations


def doc_text(doc) -> str:
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def token_starts(doc) -> list[int]:
    """The character offset of every token, in order (read from the Doc's array, without
    making Token objects)."""
    starts = doc.user_data.get("token_starts")
    if starts is None:
        from spacy.attrs import IDX

        starts = doc.user_data["token_starts"] = doc.to_array(IDX).tolist() if len(doc) else []
    return starts


def token_at_char(doc) -> dict[int, int]:
    """Token index by the character offset where the token starts."""
    index = doc.user_data.get("token_at_char")
    if index is None:
        index = doc.user_data["token_at_char"] = {start: i for i, start in enumerate(token_starts(doc))}
    return index

