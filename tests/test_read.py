"""read.py: files -> Article, on real files in tmp_path.

Every bad input is an InputError (exit code 2) whose message starts with the file path
(and line, for .jsonl and front matter) and says why, on one line.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from diplokg.errors import InputError
from diplokg.model import Article
from diplokg.read import iter_input_files, parse_date, read_articles, split_front_matter

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
                "language": "en",
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
        "en",
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
    assert [a.id for a in read(root)] == ["a", "b", "c-1", "c-2", "d"]


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


def test_utf16_file_is_binary(tmp_path):
    path = write(tmp_path / "utf16.txt", BODY.encode("utf-16"))
    input_error(path, "binary content")


def test_invalid_utf8_not_cp1252(tmp_path):
    raw = b"hola \x81 mundo \x8d"  # 0x81 and 0x8D are undefined in Windows-1252
    with pytest.raises(UnicodeDecodeError):
        raw.decode("cp1252")
    input_error(write(tmp_path / "bad-enc.txt", raw), "not UTF-8 or Windows-1252")


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
