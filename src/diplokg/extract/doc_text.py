"""The text of a parsed article, computed once.

spaCy's `Doc.text` joins every token's text on each access (about 0.4 ms for a 300-word
article); our stages read it a dozen times per article, so `parse` keeps it in the Doc's
user data.
"""

from __future__ import annotations


def doc_text(doc) -> str:
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text
