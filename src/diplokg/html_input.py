"""HTML pages -> main text and metadata.

trafilatura finds the main text of a page (no navigation, footers or reader comments) and
its title, publication date and canonical URL. When it keeps nothing (a very short page, an
odd layout), the text of <body> without scripts and styles is used instead; a page with no
text at all is refused. The date is taken from the page's markup only (meta tags, <time>,
the URL), never guessed from dates quoted in the body text.

A page nested deeper than libxml2 builds trees (256 levels) would lose everything below that
depth in both, so its text is read by a streaming tokenizer instead (no tree, no depth limit):
the text of the whole page and its <title>, without the main-text selection.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from .errors import InputError

# Libraries whose log records would otherwise reach stderr through logging's last-resort
# handler and break the CLI's one-line messages. Only silenced when nobody configured them.
_QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")
_BLOCK_TAGS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    url: str | None = None


def _quiet_libraries() -> None:
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET and not logger.handlers:
            logger.setLevel(logging.CRITICAL + 1)


def extract_page(html: str, where: str) -> Page:
    """The main text, title, date and URL of an HTML page (already decoded to str)."""
    _quiet_libraries()
    if too_deep(html):
        text, title = streamed_text(html)
        if not text.strip():
            raise InputError(f"{where}: no text found in the HTML page")
        return Page(text=text, title=title or None)
    text = title = date = url = None
    try:
        import trafilatura
        from trafilatura.settings import set_date_params

        doc = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=set_date_params(False),
        )
    except (ValueError, TypeError, RecursionError, LookupError, AttributeError):
        doc = None  # trafilatura gives up on some broken markup; the fallback below copes
    if doc is not None:
        text = getattr(doc, "text", None)
        title = getattr(doc, "title", None)
        date = getattr(doc, "date", None)
        url = getattr(doc, "url", None)
    if not text or not text.strip():
        text = body_text(html)
    if not text or not text.strip():
        raise InputError(f"{where}: no text found in the HTML page")
    return Page(text=text, title=title or None, date=date or None, url=url or None)


def body_text(html: str) -> str:
    """Plain text of <body> (or of the whole document) without scripts and styles."""
    try:
        import lxml.etree
        import lxml.html

        root = lxml.html.document_fromstring(html)
    except (ValueError, TypeError, LookupError, lxml.etree.LxmlError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    body = root.find("body")
    node = body if body is not None else root
    lines = [" ".join(line.split()) for line in node.text_content().splitlines()]
    text = "\n".join(line for line in lines if line)
    return _BLOCK_TAGS.sub("\n\n", text)


def too_deep(html: str) -> bool:
    """True when libxml2 stops building the page's tree at its depth limit (lxml and
    trafilatura would then see only the text above it)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        lxml.html.document_fromstring(html, parser=parser)
    except (ValueError, TypeError, LookupError, lxml.etree.LxmlError):
        pass
    return any("Excessive depth" in entry.message for entry in parser.error_log)


# Inside a tag: quoted attribute values may hold '>'; nothing runs past the next '<', so a
# stray quote costs one tag, not a scan of the rest of the page per tag.
_ATTRS = r"""(?:[^<>"']|"[^"<]*"|'[^'<]*')*"""
_BLOCKS = ("p|div|br|li|ul|ol|tr|td|th|table|section|article|header|footer|main|aside|nav|blockquote|pre"
           "|h[1-6]|dd|dt|figcaption|hr")
_TITLE = re.compile(r"<title\b[^>]*>([^<]*)", re.IGNORECASE)
_NO_TEXT = re.compile(r"<!--.*?(?:-->|$)|<(script|style|noscript|template|title)\b" + _ATTRS + r">.*?(?:</\1\s*>|$)",
                      re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(f"</?(?:{_BLOCKS})\\b{_ATTRS}>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b" + _ATTRS + r">|<![^>]*>")


def streamed_text(html: str) -> tuple[str, str]:
    """(text, title) of a page read by regular expressions, left to right, without building
    its tree: nesting costs nothing."""
    import html as html_module

    title = _TITLE.search(html)
    body = _ANY_TAG.sub("", _BLOCK_TAG.sub("\n", _NO_TEXT.sub(" ", html)))
    lines = [" ".join(line.split()) for line in html_module.unescape(body).splitlines()]
    text = _BLOCK_TAGS.sub("\n\n", "\n".join(line for line in lines if line))
    return text, " ".join(html_module.unescape(title.group(1)).split()) if title else ""


def looks_like_html(text: str) -> bool:
    """A .txt file that is really a saved web page (starts with a doctype or <html>)."""
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")
