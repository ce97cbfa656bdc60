"""Files -> Article.

`.txt`/`.md` files may open with a front-matter block (`---` lines holding `key: value`
pairs: id, title, published, url, language); `.jsonl` files hold one article per line
(`text` required; `id, title, published, url, language` optional). Directories are walked
in sorted order. Every problem is an InputError naming the file (and line) and the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from .errors import InputError
from .model import Article

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)
META_KEYS = ("id", "title", "published", "url", "language")
_NOT_ARTICLES = {"README", "LICENSE", "CHANGELOG", "NOTES"}
_CLOSING_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)  # a line that is only `---`


def read_articles(inputs: Iterable[str | Path]) -> Iterator[Article]:
    """Yield the articles of every file and directory in `inputs`, one at a time."""
    for path in iter_input_files(inputs):
        yield from read_file(path)


def iter_input_files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _readable_suffix(p))
            # A folder's README or LICENSE describes the corpus; it is no article.
            yield from (p for p in found if p.stem.upper() not in _NOT_ARTICLES and not p.name.endswith(".gold.json"))
        elif path.is_file():
            if not _readable_suffix(path):
                raise InputError(f"{path}: unsupported file type {path.suffix!r} (use .txt, .md or .jsonl)")
            yield path
        else:
            raise InputError(f"{path}: no such file or directory")


def _readable_suffix(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES


def read_file(path: Path) -> Iterator[Article]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(path)
    else:
        yield _read_text(path)


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Spanish sites still publish Latin-1/Windows-1252.
        text = data.decode("cp1252", errors="strict") if _is_cp1252(data) else None
        if text is None:
            raise InputError(f"{path}: not UTF-8 or Windows-1252 text") from None
    if "\x00" in text:
        raise InputError(f"{path}: binary content (NUL bytes), not a text article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _read_text(path: Path) -> Article:
    raw = _decode(path)
    meta, text = split_front_matter(raw, path)
    if not text.strip():
        raise InputError(f"{path}: empty article (no text)")
    return make_article(meta, text, path, default_id=path.stem)


def split_front_matter(raw: str, path: Path | str = "<text>") -> tuple[dict[str, str], str]:
    """Split a leading `---` block of `key: value` lines from the text."""
    if not raw.startswith("---\n"):
        return {}, raw
    fence = _CLOSING_FENCE.search(raw, 4)
    if fence is None:
        raise InputError(f"{path}: front matter opened with '---' is never closed")
    meta: dict[str, str] = {}
    for lineno, line in enumerate(raw[4 : fence.start()].splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise InputError(f"{path}:{lineno}: front matter line is not 'key: value'")
        meta[key.strip().lower()] = value.strip().strip('"').strip("'")
    body = raw[fence.end() :]
    return meta, body.lstrip("\n")


def _read_jsonl(path: Path) -> Iterator[Article]:
    text = _decode(path)
    seen = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{path}:{lineno}: each line must be a JSON object")
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            raise InputError(f"{path}:{lineno}: missing or empty 'text'")
        meta = {k: obj[k] for k in META_KEYS if obj.get(k) is not None}
        seen += 1
        yield make_article(meta, body, path, default_id=f"{path.stem}-{lineno}", where=f"{path}:{lineno}")
    if not seen:
        raise InputError(f"{path}: no articles (empty .jsonl)")


def make_article(meta: dict, text: str, path: Path | None, *, default_id: str, where: str | None = None) -> Article:
    where = where or str(path)
    published = meta.get("published")
    return Article(
        id=str(meta.get("id") or default_id),
        text=text,
        title=_opt_str(meta.get("title")),
        published=parse_date(published, where) if published else None,
        url=_opt_str(meta.get("url")),
        language=str(meta.get("language") or "es"),
        source=str(path) if path else None,
    )


def _opt_str(value) -> str | None:
    return str(value) if value not in (None, "") else None


def parse_date(value, where: str = "<input>") -> date:
    """An ISO date (YYYY-MM-DD, or the date part of an ISO datetime)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"{where}: 'published' is not an ISO date (YYYY-MM-DD): {value!r}") from None
