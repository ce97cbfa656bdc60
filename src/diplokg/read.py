"""Files -> Article.

Formats, by suffix:
- `.txt`/`.md`: one article per file, optionally opening with a front-matter block (`---`
  lines holding `key: value` pairs: id, title, published, url, language). A `.txt` that is
  really a saved web page (it starts with `<!doctype html` or `<html`) is read as HTML.
- `.html`/`.htm`: one article per page: trafilatura's main text, with the page's title,
  publication date and canonical URL as metadata (see html_input.py).
- `.jsonl`: one article per line (`text` required; `id, title, published, url, language`
  optional). The file is streamed line by line.
Directories are walked in sorted order (see walk.py): a file found in a folder gets the id of
its path relative to the folder, without the suffix; symlinked folders are followed, once.
An id must be unique in one run: the same id again (from another file, another JSONL line or
an explicit `id:`) is an InputError for the later article, and the first one is kept.

Real files: UTF-8 with or without a byte-order mark, UTF-16/UTF-32 with one, and otherwise
Windows-1252 / ISO-8859-15 / Latin-1 as charset-normalizer judges best. Line ends become
`\\n`, other control characters a space, and the text is NFC-normalised: `Article.text` (to
which every offset refers) is that cleaned text. NUL bytes (outside UTF-16/32 with a mark) or
more than 5% control characters is refused as binary content.

Refused, each with a one-line InputError naming the file (and line) and the reason: empty or
whitespace-only articles, binary content, a byte-order mark over invalid text, articles larger
than `DIPLOKG_MAX_ARTICLE_BYTES` (default 1 MB of UTF-8 text, what ingests within a minute on
two shared cores: bench/long_article.py; at most 8 times that is read for one article, so a
huge file is refused unread), articles declared or detected to be in another
language than Spanish (see language.py), bad metadata (a `published` that is no ISO date or
falls outside the years 1000-2999, a `url` that is not absolute, a JSON field of the wrong type).

Error policy: by default the first problem raises (library callers stay strict). Pass
`on_error=callback` to `read_articles`/`read_file` and each problem is handed to the callback
instead, the bad file or line is skipped and reading goes on: a `.jsonl` file's good lines are
still yielded around its bad ones.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from .errors import InputError
from .model import Article
from .walk import HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, InputFile, input_files  # noqa: F401

META_KEYS = ("id", "title", "published", "url", "language")
_CLOSING_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)  # a line that is only `---`

LIMIT_ENV = "DIPLOKG_MAX_ARTICLE_BYTES"
DEFAULT_MAX_ARTICLE_BYTES = 1_000_000
# At most this many times the text limit is read for one article (HTML markup, UTF-32).
RAW_FACTOR = 8
# Single-byte encodings still found on older Spanish-language sites; charset-normalizer
# picks the best of them for a file that is not UTF-8.
FALLBACK_ENCODINGS = ("cp1252", "iso8859_15", "latin_1")
# More than this share of control characters (or U+FFFD) and the text is binary content.
MAX_NOISE_RATIO = 0.05

OnError = Callable[[InputError], None]
_log = logging.getLogger("diplokg")
# A well-formed UTF-8 sequence of two to four bytes: a text that has one is UTF-8 (single-byte
# Spanish text almost never pairs a lead byte with continuation bytes).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")

_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_NOISE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_UNSAFE = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f]')


def _raise(err: InputError) -> None:
    raise err


# --------------------------------------------------------------------------- walking inputs


def read_articles(inputs: Iterable[str | Path | InputFile], *, on_error: OnError | None = None) -> Iterator[Article]:
    """Yield the articles of every file and directory in `inputs`, one at a time.

    Without `on_error` the first problem raises its InputError; with it, every problem
    (a missing path, a bad file, a bad .jsonl line, an id read before) is passed to
    `on_error` and skipped."""
    limit = max_article_bytes()
    ids: dict[str, str] = {}  # id -> where its article was read: one id, one article per run
    for found in input_files(inputs, on_error=on_error):
        yield from read_file(found.path, on_error=on_error, limit=limit, default_id=found.id, ids=ids)


def iter_input_files(inputs: Iterable[str | Path], *, on_error: OnError | None = None) -> Iterator[Path]:
    """The paths of `input_files` (see walk.py)."""
    return (found.path for found in input_files(inputs, on_error=on_error))


def max_article_bytes() -> int:
    """The size limit of one article's text in UTF-8 bytes ($DIPLOKG_MAX_ARTICLE_BYTES)."""
    value = os.environ.get(LIMIT_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_ARTICLE_BYTES
    try:
        limit = int(value.replace("_", ""))
    except ValueError:
        limit = 0
    if limit <= 0:
        raise InputError(f"{LIMIT_ENV}: not a positive number of bytes: {value!r}")
    return limit


def read_file(path: Path, *, on_error: OnError | None = None, limit: int | None = None,
              default_id: str | None = None, ids: dict[str, str] | None = None) -> Iterator[Article]:
    """The articles of one file (see the module docstring for `on_error`). `default_id` is
    the id of an article without one (default: the file's stem); `ids` maps each id already
    read in this run to where (default: this file's own)."""
    path = Path(path)
    report = on_error or _raise
    limit = limit or max_article_bytes()
    default_id = default_id or path.stem
    ids = {} if ids is None else ids
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(path, report, limit, default_id, ids)
        return
    try:
        article = _claim(_read_single(path, limit, default_id), str(path), path, ids)
    except InputError as err:
        report(err)
        return
    yield article


def _claim(article: Article, where: str, path: Path, ids: dict[str, str]) -> Article:
    """`article`, whose id is now taken; an InputError when an earlier article has it."""
    key = article.id.strip()
    first = ids.setdefault(key, where)
    if first != where:
        if first.startswith(f"{path}:") and first[len(str(path)) + 1 :].isdigit():
            first = f"line {first[len(str(path)) + 1 :]} of this file"
        raise InputError(f"{where}: duplicate id {article.id!r}, already read from {first}")
    return article


# --------------------------------------------------------------------------- bytes -> text


def decode_bytes(data: bytes, where: str) -> str:
    """Decode a whole file's bytes and clean the text (see `clean_text`); refuse binary
    content."""
    bom = _bom(data)
    if bom is not None:
        codec, name = bom
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise InputError(f"{where}: starts with a {name} byte-order mark but is not valid {name} text") from None
    else:
        if b"\x00" in data:
            raise InputError(_nul_message(data, where))
        text = _decode_unicode(data, where)
    if _noise_ratio(text) > MAX_NOISE_RATIO:
        raise InputError(f"{where}: binary content (control characters), not a text article")
    return clean_text(text)


def clean_text(text: str) -> str:
    """Line ends to `\\n`, other control characters to a space, stray byte-order marks
    dropped, lone surrogates to U+FFFD, then Unicode NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\ufeff", "")
    text = _CONTROLS.sub(" ", text)
    text = _SURROGATES.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


def _bom(data: bytes) -> tuple[str, str] | None:
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            return codec, name
    return None


def _decode_unicode(data: bytes, where: str = "<text>") -> str:
    """UTF-8; UTF-8 with some bad bytes when the text has UTF-8 characters at all (see
    `_decode_mostly_utf8`); else the best single-byte candidate by charset-normalizer; else
    Windows-1252 when it decodes (charset-normalizer turns down short texts with a stray
    control byte); else Latin-1, which decodes anything (the noise check then tells text
    from binary)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data):
        return _decode_mostly_utf8(data, where)
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(FALLBACK_ENCODINGS)).best()
    if best is not None:
        return str(best)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode_mostly_utf8(data: bytes, where: str) -> str:
    """A UTF-8 text with bad bytes, line by line: valid lines as UTF-8; a bad line that has
    UTF-8 characters keeps them and gets U+FFFD for its bad bytes, one without any is read as
    Windows-1252 (a line pasted from an older file). Each bad line is a warning with its
    byte offset; valid UTF-8 is never read as anything else ("Tomás" never "TomÃ¡s")."""
    out = []
    offset = 0
    for line in data.splitlines(keepends=True):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError as e:
            if _UTF8_SEQUENCE.search(line):
                out.append(line.decode("utf-8", errors="replace"))
                how = "replaced by U+FFFD"
            else:
                out.append(line.decode("cp1252", errors="replace"))
                how = "read as Windows-1252 (its line has no UTF-8 characters)"
            _log.warning("%s: byte %d is not UTF-8; that line's bad bytes are %s", where, offset + e.start, how)
        offset += len(line)
    return "".join(out)


def _noise_ratio(text: str) -> float:
    if not text:
        return 0.0
    return (len(text) - len(_NOISE.sub("", text))) / len(text)


def _nul_message(data: bytes, where: str) -> str:
    message = f"{where}: binary content (NUL bytes), not a text article"
    if _looks_like_utf16(data):
        message += " (UTF-16 text needs a byte-order mark, or save it as UTF-8)"
    return message


def _looks_like_utf16(data: bytes) -> bool:
    """NUL in most even or most odd bytes: UTF-16 text of a Latin script."""
    half = len(data) // 2
    return bool(half) and max(data[0::2].count(0), data[1::2].count(0)) > half * 0.6


def _size(n: int) -> str:
    """2400000 -> '2.4 MB', 5000 -> '5 kB', 100 -> '100 bytes' (decimal units)."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= scale:
            return f"{n / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} bytes"


def too_large(where: str, size: int, limit: int) -> InputError:
    shown = _size(size)
    if shown == _size(limit):  # 2000001 bytes is not "2 MB; the limit is 2 MB"
        shown = f"{size:,} bytes"
    return InputError(f"{where}: article is {shown}; the limit is {_size(limit)} ({LIMIT_ENV})")


def _read_bytes(path: Path, limit: int, *, html: bool = False) -> bytes:
    cap = limit * RAW_FACTOR
    try:
        size = path.stat().st_size
        if size <= cap:
            with path.open("rb") as f:
                data = f.read(cap + 1)
            size = len(data)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size > cap:
        if html:
            raise InputError(f"{path}: HTML page is {_size(size)}; the limit for a page is {_size(cap)} "
                             f"({RAW_FACTOR} x {LIMIT_ENV})")
        raise too_large(str(path), size, limit)
    return data


# --------------------------------------------------------------------------- .txt .md .html


def _read_single(path: Path, limit: int, default_id: str) -> Article:
    suffix = path.suffix.lower()
    is_html = suffix in HTML_SUFFIXES
    data = _read_bytes(path, limit, html=is_html)
    raw = decode_bytes(data, str(path))
    if is_html or _looks_like_html(raw):
        return _read_html(path, raw, limit, default_id)
    meta, text = split_front_matter(raw, path)
    if not text.strip():
        raise InputError(f"{path}: empty article (no text)")
    return make_article(meta, text, path, default_id=default_id, limit=limit)


def _looks_like_html(text: str) -> bool:
    from .html_input import looks_like_html

    return looks_like_html(text)


def _read_html(path: Path, raw: str, limit: int, default_id: str) -> Article:
    from .html_input import extract_page

    if not raw.strip():
        raise InputError(f"{path}: empty article (no text)")
    page = extract_page(raw, str(path))
    text = clean_text(page.text)
    if not text.strip():
        raise InputError(f"{path}: no text found in the HTML page")
    meta: dict = {}
    if page.title:
        meta["title"] = clean_text(page.title)
    if page.date:
        try:
            meta["published"] = parse_date(page.date, str(path))
        except InputError:
            pass  # the page's own metadata is best effort
    if page.url and _iri_or_none(clean_text(page.url)):
        meta["url"] = _iri_or_none(clean_text(page.url))
    return make_article(meta, text, path, default_id=default_id, limit=limit)


def split_front_matter(raw: str, path: Path | str = "<text>") -> tuple[dict[str, str], str]:
    """Split a leading `---` block of `key: value` lines from the text."""
    if not raw.startswith("---\n"):
        return {}, raw
    fence = _CLOSING_FENCE.search(raw, 4)
    if fence is None:
        raise InputError(f"{path}: front matter opened with '---' is never closed")
    meta: dict[str, str] = {}
    for lineno, line in enumerate(raw[4 : fence.start()].split("\n"), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise InputError(f"{path}:{lineno}: front matter line is not 'key: value'")
        meta[key.strip().lower()] = value.strip().strip('"').strip("'")
    body = raw[fence.end() :]
    return meta, body.lstrip("\n")


# --------------------------------------------------------------------------- .jsonl


def _read_jsonl(path: Path, report: OnError, limit: int, id_stem: str, ids: dict[str, str]) -> Iterator[Article]:
    nonblank = 0
    try:
        for lineno, line in _jsonl_lines(path, limit):
            where = f"{path}:{lineno}"
            if isinstance(line, InputError):
                nonblank += 1
                report(line)
                continue
            if not line.strip():
                continue
            nonblank += 1
            try:
                article = _claim(_jsonl_article(line, path, lineno, where, limit, id_stem), where, path, ids)
            except InputError as err:
                report(err)
                continue
            yield article
    except InputError as err:  # the whole file (or the rest of it) cannot be read
        report(err)
        return
    if not nonblank:
        report(InputError(f"{path}: no articles (empty .jsonl)"))


def _jsonl_lines(path: Path, limit: int) -> Iterator[tuple[int, str | InputError]]:
    """(line number, decoded line) for every line; an InputError in place of a line that
    cannot be decoded or is too long. Raises InputError when the file cannot be read."""
    cap = limit * RAW_FACTOR
    try:
        with path.open("rb") as f:
            head = f.read(8192)
            f.seek(0)
            bom = _bom(head)
            if bom is not None and bom[0] != "utf-8-sig":
                yield from _wide_lines(f, bom, path, limit)
                return
            if _looks_like_utf16(head):  # a whole file without its byte-order mark
                raise InputError(_nul_message(head, str(path)))
            lineno = 0
            while True:
                chunk = f.readline(cap + 1)
                if not chunk:
                    break
                if len(chunk) > cap and not chunk.endswith(b"\n"):
                    size = len(chunk)
                    while True:  # skip the rest of the over-long line without keeping it
                        rest = f.readline(1 << 20)
                        size += len(rest)
                        if not rest or rest.endswith(b"\n"):
                            break
                    lineno += 1
                    yield lineno, too_large(f"{path}:{lineno}", size, limit)
                    continue
                if chunk.endswith(b"\n"):
                    chunk = chunk[:-1]
                if chunk.endswith(b"\r"):
                    chunk = chunk[:-1]
                for part in chunk.split(b"\r"):  # a lone CR ends a line too
                    lineno += 1
                    if lineno == 1 and part.startswith(codecs.BOM_UTF8):
                        part = part[len(codecs.BOM_UTF8) :]
                    if b"\x00" in part:  # one rule for every line, wherever it is in the file
                        yield lineno, InputError(f"{path}:{lineno}: binary content (NUL bytes), not a JSON line")
                        continue
                    yield lineno, _decode_unicode(part, f"{path}:{lineno}")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _wide_lines(f, bom: tuple[str, str], path: Path, limit: int) -> Iterator[tuple[int, str | InputError]]:
    codec, name = bom
    cap = limit * RAW_FACTOR
    stream = io.TextIOWrapper(f, encoding=codec, errors="strict", newline=None)
    lineno = 0
    try:
        while True:
            line = stream.readline(cap + 1)
            if not line:
                break
            lineno += 1
            if len(line) > cap and not line.endswith("\n"):
                size = len(line)
                while True:
                    rest = stream.readline(1 << 20)
                    size += len(rest)
                    if not rest or rest.endswith("\n"):
                        break
                yield lineno, too_large(f"{path}:{lineno}", size, limit)
                continue
            yield lineno, line.rstrip("\n")
    except UnicodeDecodeError:
        raise InputError(f"{path}:{lineno + 1}: not valid {name} text (the rest of the file is skipped)") from None
    finally:
        stream.detach()


def _jsonl_article(line: str, path: Path, lineno: int, where: str, limit: int, id_stem: str) -> Article:
    try:
        obj = json.loads(line, strict=False)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer too long, nesting too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else "a number too large"
        raise InputError(f"{where}: invalid JSON ({reason})") from None
    if not isinstance(obj, dict):
        raise InputError(f"{where}: each line must be a JSON object")
    body = obj.get("text")
    if not isinstance(body, str) or not clean_text(body).strip():
        raise InputError(f"{where}: missing or empty 'text'")
    meta = {}
    for key in META_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise InputError(f"{where}: '{key}' must be a string, not {type(value).__name__}")
        meta[key] = clean_text(value)
    return make_article(meta, clean_text(body), path, default_id=f"{id_stem}-{lineno}", where=where, limit=limit)


# --------------------------------------------------------------------------- metadata


def make_article(meta: dict, text: str, path: Path | None, *, default_id: str, where: str | None = None,
                 limit: int | None = None) -> Article:
    """An Article from cleaned text and its metadata; refuses what the module docstring lists."""
    from .language import SPANISH, check_spanish, normalise_declared

    where = where or str(path)
    limit = limit or max_article_bytes()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise too_large(where, size, limit)
    declared = meta.get("language")
    language = normalise_declared(declared, where) if declared not in (None, "") else SPANISH
    published, precision = parse_published(meta["published"], where) if meta.get("published") else (None, "day")
    url = _url(meta.get("url"), where)
    check_spanish(text, where)
    return Article(
        id=_one_line(meta.get("id")) or default_id,
        text=text,
        title=_one_line(meta.get("title")),
        published=published,
        published_precision=precision,
        url=url,
        language=language,
        source=str(path) if path else None,
    )


def _one_line(value) -> str | None:
    if value in (None, ""):
        return None
    value = " ".join(clean_text(str(value)).split())
    return value or None


def _url(value, where: str) -> str | None:
    value = _one_line(value)
    if value is None:
        return None
    iri = _iri_or_none(value)
    if iri is None:
        raise InputError(f"{where}: 'url' is not an absolute URL: {value[:80]!r}")
    return iri


def _iri_or_none(value: str | None) -> str | None:
    """`value` as an absolute IRI (spaces and other unsafe characters percent-encoded), or
    None when it is not one."""
    if not value:
        return None
    value = value.strip()
    if not _SCHEME.match(value):
        return None
    value = _IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), value)
    try:
        from pyoxigraph import NamedNode

        NamedNode(value)
    except (ValueError, TypeError):
        return None
    return value


# A publication date outside these years is a typo or garbage, not news.
PUBLISHED_YEARS = (1000, 2999)


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?")


def parse_published(value, where: str = "<input>") -> tuple[date, str]:
    """A publication date at the precision real metadata gives: a full ISO date (or datetime),
    YYYY-MM or YYYY. A partial date is anchored at its period's first day; the precision says
    how much of it is known, so relative words resolve only as far as it allows."""
    partial = None if isinstance(value, date) else _PARTIAL_DATE.fullmatch(str(value).strip())
    if partial is None:
        return parse_date(value, where), "day"
    year, month = int(partial[1]), int(partial[2] or 1)
    if not 1 <= month <= 12:
        raise InputError(f"{where}: 'published' has no month {month}: {value!r}")
    return _plausible(date(year, month, 1), value, where), "month" if partial[2] else "year"


def parse_date(value, where: str = "<input>") -> date:
    """An ISO date (YYYY-MM-DD, or the date of a whole ISO datetime, as written) in
    PUBLISHED_YEARS. All of the value must be one: "2019-12-31garbage" is none."""
    if isinstance(value, date):
        parsed = value
    else:
        try:
            text = str(value).strip()
            parsed = date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text).date()
        except ValueError:
            raise InputError(f"{where}: 'published' is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY): {value!r}") from None
    return _plausible(parsed, value, where)


def _plausible(parsed: date, value, where: str) -> date:
    low, high = PUBLISHED_YEARS
    if not low <= parsed.year <= high:
        raise InputError(f"{where}: 'published' is not a plausible publication date (years {low}-{high}): {value!r}")
    return parsed
