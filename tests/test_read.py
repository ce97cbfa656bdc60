"""read.py: files -> Article, on real files in tmp_path.

Every bad input is an InputError (exit code 2) whose message starts with the file path
(and line, for .jsonl and front matter) and says why, on one line. By default the first
problem raises; with `on_error` every problem is collected and the good articles (and the
good lines of a .jsonl file) are still yielded.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from diplokg.errors import InputError
from diplokg.model import Article
from diplokg.read import iter_input_files, parse_date, parse_published, read_articles, split_front_matter

BODY = "El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))  # bytes: no newline translation
    return path


def read(*paths: Path | str) -> list[Article]:
    return list(read_articles(paths))


def read_one(path: Path) -> Article:
    articles = read(path)
    assert len(articles) == 1
    return articles[0]


def input_error(path: Path | str, *why: str) -> InputError:
    """Read `path`, expecting an InputError; check the message shape and return the error."""
    with pytest.raises(InputError) as info:
        read(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message and "\r" not in message, message
    for word in why:
        assert word in message, message
    assert info.value.exit_code == 2
    return info.value


# --------------------------------------------------------------------------- .txt / .md


def test_txt_with_front_matter(tmp_path):
    path = write(
        tmp_path / "nota.txt",
        "---\n"
        "id: chile-peru-2024\n"
        "title: Cancilleres se reúnen en Lima\n"
        "published: 2024-03-05\n"
        "url: https://example.org/noticias/chile-peru?x=1\n"
        "language: es\n"
        "---\n" + BODY,
    )
    article = read_one(path)
    assert article.id == "chile-peru-2024"
    assert article.title == "Cancilleres se reúnen en Lima"
    assert article.published == date(2024, 3, 5)
    assert article.url == "https://example.org/noticias/chile-peru?x=1"  # value keeps its own colons
    assert article.language == "es"
    assert article.source == str(path)
    # The text is the body only: offsets count from the first character after the block.
    assert article.text == BODY
    assert article.text.index("Chile") == BODY.index("Chile")


def test_txt_without_front_matter(tmp_path):
    path = write(tmp_path / "sin-metadatos.txt", BODY)
    article = read_one(path)
    assert article.id == "sin-metadatos"  # the file stem
    assert article.text == BODY
    assert article.title is None
    assert article.published is None
    assert article.url is None
    assert article.language == "es"
    assert article.source == str(path)


def test_front_matter_details(tmp_path):
    path = write(
        tmp_path / "detalles.txt",
        "---\n"
        "# a comment line\n"
        "\n"
        'Title: "Entre comillas"\n'
        "published: '2024-03-05T10:30:00Z'\n"
        "autor: ignored key\n"
        "---\n"
        "\n\n" + BODY,
    )
    article = read_one(path)
    assert article.id == "detalles"  # no id key: the stem
    assert article.title == "Entre comillas"  # keys are case-insensitive, quotes stripped
    assert article.published == date(2024, 3, 5)  # the date part of an ISO datetime
    assert article.text == BODY  # blank lines between the block and the body are dropped


@pytest.mark.parametrize("fence", ["---", "---  ", "---\t"])
def test_closing_fence_may_have_trailing_blanks(tmp_path, fence):
    path = write(tmp_path / "f.txt", f"---\nid: x\n{fence}\n{BODY}")
    article = read_one(path)
    assert article.id == "x"
    assert article.text == BODY


def test_closing_fence_is_a_whole_line(tmp_path):
    # `---` inside a value or a longer rule does not close the block; a later `---` line does.
    meta, body = split_front_matter("---\ntitle: a --- b\n---\nx\n---\ny\n", "p")
    assert meta == {"title": "a --- b"}
    assert body == "x\n---\ny\n"


def test_empty_front_matter_block(tmp_path):
    article = read_one(write(tmp_path / "vacio.txt", "---\n---\n" + BODY))
    assert article.id == "vacio"
    assert article.text == BODY


def test_dashes_not_at_start_are_text(tmp_path):
    text = "Primera línea.\n---\nSegunda parte.\n"
    article = read_one(write(tmp_path / "rule.txt", text))
    assert article.text == text


def test_md_file(tmp_path):
    path = write(tmp_path / "nota.md", "---\nid: md-1\ntitle: Markdown\n---\n# Titular\n\n" + BODY)
    article = read_one(path)
    assert article.id == "md-1"
    assert article.title == "Markdown"
    assert article.text == "# Titular\n\n" + BODY


def test_suffix_is_case_insensitive(tmp_path):
    assert read_one(write(tmp_path / "MAYUS.TXT", BODY)).id == "MAYUS"


# --------------------------------------------------------------------------- .jsonl


def test_jsonl_several_lines(tmp_path):
    lines = [
        json.dumps({"text": "Primer artículo."}, ensure_ascii=False),
        json.dumps(
            {
                "id": "explicit",
                "text": "Segundo artículo.",
                "title": "Título",
                "published": "2024-01-31",
                "url": "https://example.org/2",
                "language": "es-PE",
                "extra": "ignored",
            },
            ensure_ascii=False,
        ),
        "",  # blank lines are skipped but still count for line numbers
        json.dumps({"text": "Cuarto.", "title": None, "published": None}),
    ]
    path = write(tmp_path / "lote.jsonl", "\n".join(lines) + "\n")
    a, b, c = read(path)

    assert (a.id, a.text, a.title, a.published, a.url, a.language) == ("lote-1", "Primer artículo.", None, None, None, "es")
    assert (b.id, b.text, b.title, b.published, b.url, b.language) == (
        "explicit",
        "Segundo artículo.",
        "Título",
        date(2024, 1, 31),
        "https://example.org/2",
        "es",  # any spelling of Spanish is stored as "es"
    )
    assert c.id == "lote-4"  # physical line number
    assert c.title is None and c.published is None
    assert {x.source for x in (a, b, c)} == {str(path)}


def test_jsonl_crlf_lines(tmp_path):
    path = write(tmp_path / "crlf.jsonl", b'{"text": "uno"}\r\n{"text": "dos"}\r\n')
    assert [(a.id, a.text) for a in read(path)] == [("crlf-1", "uno"), ("crlf-2", "dos")]


# --------------------------------------------------------------------------- directories


def test_directory_walk_sorted_recursive_and_filtered(tmp_path):
    root = tmp_path / "corpus"
    write(root / "b.txt", "B.")
    write(root / "a.md", "A.")
    write(root / "sub" / "c.jsonl", '{"text": "C1."}\n{"text": "C2."}\n')
    write(root / "sub" / "deeper" / "d.txt", "D.")
    # Not articles: gold annotations, other formats, no suffix.
    write(root / "a.gold.json", '{"entities": []}')
    write(root / "sub" / "c.gold.json", '{"entities": []}')
    write(root / "notes.json", "{}")
    write(root / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(root / "README", "not an article")
    (root / "empty-dir").mkdir()

    files = list(iter_input_files([root]))
    assert files == sorted(files)
    assert [p.relative_to(root).as_posix() for p in files] == ["a.md", "b.txt", "sub/c.jsonl", "sub/deeper/d.txt"]
    # ids: the path in the folder without its suffix (a file directly in it: its stem)
    assert [a.id for a in read(root)] == ["a", "b", "sub/c-1", "sub/c-2", "sub/deeper/d"]


def test_inputs_keep_their_order(tmp_path):
    z = write(tmp_path / "z.txt", "Z.")
    d = tmp_path / "dir"
    write(d / "a.txt", "A.")
    assert [a.id for a in read(z, d)] == ["z", "a"]


def test_empty_directory_yields_nothing(tmp_path):
    assert read(tmp_path) == []


def test_string_inputs(tmp_path):
    path = write(tmp_path / "s.txt", BODY)
    assert read_one(str(path)).id == "s"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- encodings


def test_crlf_and_cr_normalised(tmp_path):
    path = write(tmp_path / "win.txt", b"---\r\nid: win\r\ntitle: Windows\r\n---\r\nL\xc3\xadnea uno.\r\nL\xc3\xadnea dos.\rTres.\r\n")
    article = read_one(path)
    assert article.id == "win"
    assert article.title == "Windows"
    assert article.text == "Línea uno.\nLínea dos.\nTres.\n"
    assert "\r" not in article.text


def test_utf8_bom(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf---\nid: bom\n---\n" + BODY.encode("utf-8"))
    article = read_one(path)
    assert article.id == "bom"  # the front matter is found behind the BOM
    assert article.text == BODY
    assert "\ufeff" not in article.text


def test_utf8_bom_without_front_matter(tmp_path):
    article = read_one(write(tmp_path / "bom2.txt", b"\xef\xbb\xbf" + BODY.encode("utf-8")))
    assert article.text == BODY


def test_cp1252_fallback(tmp_path):
    text = "Declaración del “canciller” en España: 5 € por año — fin.\n"
    raw = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    path = write(tmp_path / "latin.txt", b"---\ntitle: Se\xf1or\n---\n" + raw)
    article = read_one(path)
    assert article.title == "Señor"
    assert article.text == text


def test_cp1252_jsonl(tmp_path):
    path = write(tmp_path / "latin.jsonl", '{"text": "Perú y España"}\n'.encode("cp1252"))
    assert read_one(path).text == "Perú y España"


# --------------------------------------------------------------------------- dates


def test_parse_date():
    assert parse_date("2024-03-05") == date(2024, 3, 5)
    assert parse_date(" 2024-03-05T23:59:59+02:00 ") == date(2024, 3, 5)
    assert parse_date(date(2020, 1, 2)) == date(2020, 1, 2)
    with pytest.raises(InputError, match=r"^where: 'published' is not an ISO date"):
        parse_date("5 de marzo", "where")


@pytest.mark.parametrize(
    "value, anchor, precision",
    [("2024-03-05", date(2024, 3, 5), "day"), ("2020-10", date(2020, 10, 1), "month"), ("2019", date(2019, 1, 1), "year"),
     (2019, date(2019, 1, 1), "year"), (" 2020-7 ", date(2020, 7, 1), "month"), (date(2021, 2, 3), date(2021, 2, 3), "day")],
)
def test_parse_published_partial_dates(value, anchor, precision):
    assert parse_published(value, "w") == (anchor, precision)


@pytest.mark.parametrize("value, reason", [("2020-13", "has no month 13: '2020-13'"), ("0999", r"is not a plausible publication date \(years 1000-2999\): '0999'"),
                                           ("20201", "is not an ISO date")])
def test_parse_published_refuses(value, reason):
    with pytest.raises(InputError, match=rf"^w: 'published' {reason}"):
        parse_published(value, "w")


def test_jsonl_with_partial_publication_dates(tmp_path):
    """Real metadata often gives only the year or the month: the article is read, not refused."""
    lines = [{"id": "a", "text": "El canciller viajó a Lima.", "published": "2020-10"},
             {"id": "b", "text": "El canciller viajó a Quito.", "published": "2019"}]
    path = write(tmp_path / "lote.jsonl", "".join(json.dumps(x) + "\n" for x in lines).encode())
    a, b = read_articles([path])
    assert (a.published, a.published_precision, a.published_iso) == (date(2020, 10, 1), "month", "2020-10")
    assert (b.published, b.published_precision, b.published_iso) == (date(2019, 1, 1), "year", "2019")


@pytest.mark.parametrize("value", ["0833-11-25", "9999-12-30", "0001-01-01", "3000-01-01"])
def test_parse_date_implausible_years(value):
    with pytest.raises(InputError, match=r"^w: 'published' is not a plausible publication date \(years 1000-2999\)"):
        parse_date(value, "w")


# --------------------------------------------------------------------------- errors


def test_missing_path(tmp_path):
    input_error(tmp_path / "no-such-file.txt", "no such file")


def test_missing_directory(tmp_path):
    input_error(tmp_path / "no-such-dir", "no such file or directory")


@pytest.mark.parametrize("name", ["article.pdf", "notes.json", "x.gold.json", "README"])
def test_unsupported_suffix_given_explicitly(tmp_path, name):
    path = write(tmp_path / name, "text")
    input_error(path, "unsupported file type", ".txt")


@pytest.mark.parametrize(
    "content",
    ["", "   \n\n\t\n", "---\nid: x\n---\n", "---\nid: x\n---\n\n   \n"],
    ids=["empty", "blank", "front-matter-only", "front-matter-then-blank"],
)
def test_empty_file(tmp_path, content):
    input_error(write(tmp_path / "empty.txt", content), "empty article")


def test_binary_file(tmp_path):
    path = write(tmp_path / "binary.txt", b"GIF89a\x00\x01\x02\x00text")
    input_error(path, "binary content", "NUL")


def test_utf16_without_bom_is_binary(tmp_path):
    path = write(tmp_path / "utf16.txt", BODY.encode("utf-16-le"))
    input_error(path, "binary content", "NUL", "byte-order mark")


def test_invalid_utf8_not_cp1252_is_binary(tmp_path):
    raw = b"hola \x81 mundo \x8d"  # 0x81 and 0x8D are undefined in Windows-1252: Latin-1 C1 controls
    with pytest.raises(UnicodeDecodeError):
        raw.decode("cp1252")
    input_error(write(tmp_path / "bad-enc.txt", raw), "binary content")


def test_unclosed_front_matter(tmp_path):
    input_error(write(tmp_path / "open.txt", "---\nid: x\ntitle: y\n" + BODY), "never closed")


def test_front_matter_line_without_colon(tmp_path):
    path = write(tmp_path / "nocolon.txt", "---\nid: x\njust words here\n---\n" + BODY)
    err = input_error(path, "front matter line is not 'key: value'")
    assert str(err).startswith(f"{path}:3:")  # the file's line number


def test_bad_published_date_txt(tmp_path):
    path = write(tmp_path / "date.txt", "---\npublished: 5 de marzo de 2024\n---\n" + BODY)
    input_error(path, "'published' is not an ISO date", "5 de marzo de 2024")


def test_bad_published_date_jsonl(tmp_path):
    path = write(tmp_path / "date.jsonl", '{"text": "ok"}\n{"text": "x", "published": "2024-13-45"}\n')
    err = input_error(path, "'published' is not an ISO date")
    assert str(err).startswith(f"{path}:2:")


def test_jsonl_invalid_json(tmp_path):
    path = write(tmp_path / "bad.jsonl", '{"text": "uno"}\n{"text": "dos",\n{"text": "tres"}\n')
    err = input_error(path, "invalid JSON")
    assert str(err).startswith(f"{path}:2: ")


def test_jsonl_line_not_an_object(tmp_path):
    path = write(tmp_path / "array.jsonl", '["text", "uno"]\n')
    err = input_error(path, "JSON object")
    assert str(err).startswith(f"{path}:1: ")


@pytest.mark.parametrize(
    "line",
    ['{"title": "sin texto"}', '{"text": ""}', '{"text": "  \\n "}', '{"text": 42}', '{"text": null}'],
    ids=["missing", "empty", "blank", "number", "null"],
)
def test_jsonl_without_text(tmp_path, line):
    path = write(tmp_path / "notext.jsonl", '{"text": "bien"}\n' + line + "\n")
    err = input_error(path, "'text'")
    assert str(err).startswith(f"{path}:2: ")


@pytest.mark.parametrize("content", ["", "\n\n  \n"], ids=["empty", "blank-lines"])
def test_empty_jsonl(tmp_path, content):
    input_error(write(tmp_path / "empty.jsonl", content), "no articles")


def test_error_names_the_bad_file_in_a_directory(tmp_path):
    write(tmp_path / "a-good.txt", BODY)
    bad = write(tmp_path / "b-bad.jsonl", '{"text": "ok"}\nnot json\n')
    with pytest.raises(InputError) as info:
        read(tmp_path)
    assert str(info.value).startswith(f"{bad}:2: invalid JSON")


def test_errors_are_raised_lazily_but_in_file_order(tmp_path):
    good = write(tmp_path / "a.txt", BODY)
    write(tmp_path / "b.txt", "")
    articles = read_articles([tmp_path])
    assert next(articles).source == str(good)
    with pytest.raises(InputError, match="empty article"):
        next(articles)


# --------------------------------------------------------------------------- real files: encodings and cleaning

LONG_ES = (
    "El canciller de Chile, Tomás Pérez, se reunió el martes en Lima con el presidente del Perú "
    "para reforzar la cooperación fronteriza, el comercio bilateral y la lucha contra el crimen "
    "organizado. Ambos gobiernos acordaron crear una comisión mixta que se reunirá cada tres meses.\n"
)
LONG_EN = (
    "The foreign minister of Chile met the president of Peru in Lima on Tuesday to strengthen "
    "border cooperation, bilateral trade and the fight against organized crime. Both governments "
    "agreed to set up a joint commission that will meet every three months.\n"
)
LONG_FR = (
    "Le ministre des Affaires étrangères du Chili a rencontré mardi à Lima le président du Pérou "
    "pour renforcer la coopération frontalière, le commerce bilatéral et la lutte contre le crime "
    "organisé. Les deux gouvernements ont convenu de créer une commission mixte.\n"
)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path, codec):
    data = ("\ufeff" if codec == "utf-16-be" else "") + "---\nid: wide\n---\n" + LONG_ES
    article = read_one(write(tmp_path / "wide.txt", data.encode(codec)))
    assert article.id == "wide"
    assert article.text == LONG_ES


def test_latin1_long_text_keeps_accents(tmp_path):
    article = read_one(write(tmp_path / "latin1.txt", LONG_ES.encode("latin-1")))
    assert article.text == LONG_ES
    assert "Tomás Pérez" in article.text and "reunió" in article.text


def test_control_characters_become_spaces(tmp_path):
    raw = ("Línea\x07 uno\x1b[0m.\tTab\x0cfin\x7f.\u2028Otra\x85línea.\n" + LONG_ES).encode("utf-8")
    article = read_one(write(tmp_path / "ctl.txt", raw))
    assert article.text == "Línea  uno [0m.\tTab fin .\nOtra línea.\n" + LONG_ES


def test_text_is_nfc(tmp_path):
    decomposed = "Perú y Bogotá".replace("ú", "u\u0301").replace("á", "a\u0301")
    assert decomposed != "Perú y Bogotá"
    assert read_one(write(tmp_path / "nfd.txt", decomposed)).text == "Perú y Bogotá"


def test_stray_bom_inside_text_dropped(tmp_path):
    assert read_one(write(tmp_path / "b.txt", "Uno.\ufeff Dos.")).text == "Uno. Dos."


def test_mostly_control_characters_is_binary(tmp_path):
    input_error(write(tmp_path / "ctl.txt", bytes(range(1, 32)) * 4 + b"abc"), "binary content")


def test_bom_but_invalid(tmp_path):
    input_error(write(tmp_path / "bad16.txt", codecs_bom_utf16() + b"\x00\xd8"), "UTF-16 byte-order mark")


def codecs_bom_utf16() -> bytes:
    import codecs

    return codecs.BOM_UTF16_LE


# --------------------------------------------------------------------------- size limit


def test_size_limit_default_message(tmp_path):
    path = write(tmp_path / "huge.txt", "palabra " * 300_000)  # 2.4 MB
    err = input_error(path, "article is 2.4 MB; the limit is 1 MB (DIPLOKG_MAX_ARTICLE_BYTES)")
    assert str(err) == f"{path}: article is 2.4 MB; the limit is 1 MB (DIPLOKG_MAX_ARTICLE_BYTES)"


def test_size_limit_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOKG_MAX_ARTICLE_BYTES", "1000")
    ok = write(tmp_path / "a.txt", "x" * 1000)
    big = write(tmp_path / "b.txt", "x" * 1001)
    assert read_one(ok).id == "a"
    input_error(big, "article is 1,001 bytes; the limit is 1 kB (DIPLOKG_MAX_ARTICLE_BYTES)")


def test_size_limit_far_beyond_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOKG_MAX_ARTICLE_BYTES", "100")
    path = write(tmp_path / "big.txt", b"x" * 5000)
    input_error(path, "article is 5 kB; the limit is 100 bytes")


def test_size_limit_jsonl_line(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOKG_MAX_ARTICLE_BYTES", "100")
    lines = ['{"text": "corto"}', json.dumps({"text": "y" * 150}), json.dumps({"text": "z" * 5000}), '{"text": "fin"}']
    path = write(tmp_path / "l.jsonl", "\n".join(lines) + "\n")
    errors: list[InputError] = []
    assert [a.text for a in read_articles([path], on_error=errors.append)] == ["corto", "fin"]
    assert [str(e).split(": ")[0] for e in errors] == [f"{path}:2", f"{path}:3"]
    assert str(errors[0]) == f"{path}:2: article is 150 bytes; the limit is 100 bytes (DIPLOKG_MAX_ARTICLE_BYTES)"
    assert "article is 5 kB" in str(errors[1])  # longer than 8 x the limit: skipped unread


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_size_limit_bad_environment(tmp_path, monkeypatch, value):
    monkeypatch.setenv("DIPLOKG_MAX_ARTICLE_BYTES", value)
    with pytest.raises(InputError, match="DIPLOKG_MAX_ARTICLE_BYTES: not a positive number"):
        read(write(tmp_path / "a.txt", BODY))


# --------------------------------------------------------------------------- language


def test_english_text_refused(tmp_path):
    path = write(tmp_path / "english.txt", LONG_EN)
    err = input_error(path, "the text is in English (en); only Spanish (es) is supported for now")
    assert str(err) == f"{path}: the text is in English (en); only Spanish (es) is supported for now"


def test_french_markdown_refused(tmp_path):
    input_error(write(tmp_path / "f.md", LONG_FR), "French (fr)", "only Spanish (es)")


def test_declared_language_refused_even_when_short(tmp_path):
    input_error(write(tmp_path / "d.txt", "---\nlanguage: en\n---\nHola."), "the 'language' field says English (en)")


@pytest.mark.parametrize("declared", ["es", "ES", "es-MX", "es_AR", "spa", "Español", "castellano"])
def test_declared_spanish_spellings(tmp_path, declared):
    assert read_one(write(tmp_path / "d.txt", f"---\nlanguage: {declared}\n---\n{LONG_ES}")).language == "es"


def test_declared_spanish_but_text_english_refused(tmp_path):
    input_error(write(tmp_path / "d.txt", f"---\nlanguage: es\n---\n{LONG_EN}"), "English (en)")


def test_short_foreign_text_is_not_refused(tmp_path):
    assert read_one(write(tmp_path / "s.txt", "The minister met his counterpart.")).text


def test_dev_articles_and_seed_are_spanish(root):
    from diplokg.language import detect

    paths = sorted((root / "tests" / "data" / "dev").glob("*.txt")) + sorted((root / "seeds").glob("*.txt"))
    assert len(paths) >= 13
    for path in paths:
        code, probability = detect(path.read_text(encoding="utf-8"))
        assert code == "es" and probability > 0.99, path
    assert len(read(*paths)) == len(paths)


def test_extract_stage_sentences_are_spanish(root):
    import ast
    import re

    from diplokg.language import detect

    source = (root / "tests" / "test_extract_stages.py").read_text(encoding="utf-8")
    sentences = [ast.literal_eval(m.group(1)) for m in re.finditer(r'text = (".*?")\n', source)]
    assert len(sentences) > 20
    for text in sentences:
        found = detect(" ".join([text] * 4))  # repeated past the short-text threshold
        assert found is not None and found[0] == "es", text


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">
<title>Cancilleres se reúnen en Lima | Diario</title>
<meta property="og:title" content="Cancilleres se reúnen en Lima">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://example.org/noticias/lima">
<script>var tracking = "no es texto";</script></head>
<body><nav>Inicio | Política | Economía | Deportes</nav><article><h1>Cancilleres se reúnen en Lima</h1>
<p>El canciller de Chile, Tomás Pérez, se reunió en Lima con el presidente del Perú para discutir la agenda bilateral.</p>
<p>Ambos acordaron reforzar la cooperación fronteriza y la lucha contra el crimen organizado en la región.</p></article>
<footer>© 2024 Diario. Todos los derechos reservados.</footer></body></html>"""


def test_html_page(tmp_path):
    path = write(tmp_path / "pagina.html", PAGE)
    article = read_one(path)
    assert article.id == "pagina"
    assert article.title == "Cancilleres se reúnen en Lima"
    assert article.published == date(2024, 3, 5)
    assert article.url == "https://example.org/noticias/lima"
    assert "Tomás Pérez, se reunió en Lima" in article.text
    assert "tracking" not in article.text and "Deportes" not in article.text and "derechos" not in article.text
    assert article.source == str(path)


def test_html_latin1_page(tmp_path):
    page = PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">').replace("©", "(c)")
    article = read_one(write(tmp_path / "latin.htm", page.encode("cp1252")))
    assert "Tomás Pérez" in article.text


def test_html_fallback_when_trafilatura_keeps_nothing(tmp_path):
    article = read_one(write(tmp_path / "corta.html", "<html><body><p>El canciller viajó a Lima.</p><script>x()</script>"))
    assert article.text.strip() == "El canciller viajó a Lima."


def test_html_without_text_refused(tmp_path):
    input_error(write(tmp_path / "vacia.html", "<html><head><title>x</title></head><body><script>1</script></body></html>"),
                "no text found in the HTML page")


def test_txt_that_is_a_saved_page_is_read_as_html(tmp_path):
    article = read_one(write(tmp_path / "guardada.txt", PAGE))
    assert article.title == "Cancilleres se reúnen en Lima"
    assert "<p>" not in article.text


def test_directory_walk_includes_html(tmp_path):
    write(tmp_path / "a.html", PAGE)
    write(tmp_path / "b.htm", PAGE)
    assert [p.name for p in iter_input_files([tmp_path])] == ["a.html", "b.htm"]


# --------------------------------------------------------------------------- metadata


def test_url_with_spaces_is_percent_encoded(tmp_path):
    article = read_one(write(tmp_path / "u.txt", "---\nurl: https://example.org/a b\n---\nHola."))
    assert article.url == "https://example.org/a%20b"


def test_relative_url_refused(tmp_path):
    input_error(write(tmp_path / "u.txt", "---\nurl: /noticias/1\n---\nHola."), "'url' is not an absolute URL")


def test_jsonl_metadata_types(tmp_path):
    path = write(tmp_path / "m.jsonl", '{"text": "a", "id": 7}\n{"text": "b", "title": ["x"]}\n{"text": "c", "id": "  "}\n')
    errors: list[InputError] = []
    articles = list(read_articles([path], on_error=errors.append))
    assert [a.id for a in articles] == ["7", "m-3"]  # a blank id falls back to file-line
    assert [str(e) for e in errors] == [f"{path}:2: 'title' must be a string, not list"]


def test_jsonl_escaped_surrogates_and_controls_cleaned(tmp_path):
    path = write(tmp_path / "s.jsonl", '{"text": "a\\ud800b\\u0001c\\r\\nd", "title": "T\\n1"}\n')
    article = read_one(path)
    assert article.text == "a\ufffdb c\nd"
    assert article.title == "T 1"


@pytest.mark.parametrize("line, why", [
    ("1" * 5000, "invalid JSON (a number too large)"),
    ("[" * 100_000, "invalid JSON"),
])
def test_jsonl_pathological_json(tmp_path, line, why):
    err = input_error(write(tmp_path / "p.jsonl", line + "\n"), why)
    assert str(err).startswith(f"{tmp_path / 'p.jsonl'}:1: ")


def test_jsonl_binary_file(tmp_path):
    input_error(write(tmp_path / "b.jsonl", b'{"text": "a"}\n\x00\x01\x02'), "binary content")


def test_jsonl_utf16_with_bom(tmp_path):
    path = write(tmp_path / "w.jsonl", '{"text": "Perú"}\r\n{"text": "Chile"}\n'.encode("utf-16"))
    assert [a.text for a in read(path)] == ["Perú", "Chile"]


# --------------------------------------------------------------------------- on_error: collect and go on


def test_on_error_collects_every_bad_line_and_keeps_the_good(tmp_path):
    path = write(tmp_path / "mixed.jsonl", "\n".join([
        '{"text": "uno"}',
        '{"text": "dos",',
        '["no", "objeto"]',
        '{"text": "cuatro"}',
        '{"titulo": "sin texto"}',
        '{"text": "seis", "published": "ayer"}',
        '{"text": "siete"}',
    ]) + "\n")
    errors: list[InputError] = []
    assert [a.id for a in read_articles([path], on_error=errors.append)] == ["mixed-1", "mixed-4", "mixed-7"]
    assert [str(e).split(": ", 1)[0] for e in errors] == [f"{path}:{n}" for n in (2, 3, 5, 6)]
    for e in errors:
        assert "\n" not in str(e) and e.exit_code == 2


def test_on_error_skips_whole_bad_files_and_goes_on(tmp_path):
    write(tmp_path / "a.txt", BODY)
    write(tmp_path / "b.txt", "")
    write(tmp_path / "c.txt", b"\x00\x01binary")
    write(tmp_path / "d.txt", LONG_EN)
    write(tmp_path / "e.txt", BODY)
    missing = tmp_path / "missing.txt"
    errors: list[InputError] = []
    ids = [a.id for a in read_articles([tmp_path, missing], on_error=errors.append)]
    assert ids == ["a", "e"]
    assert [str(e).split(": ", 1)[1].split(" (")[0].split(";")[0] for e in errors] == [
        "empty article", "binary content", "the text is in English", "no such file or directory"]


def test_unreadable_file_reported(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.txt", BODY)
    real_open = Path.open

    def fake_open(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", fake_open)
    input_error(path, "cannot read (Permission denied)")
