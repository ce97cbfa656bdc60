"""A bad byte in a UTF-8 article costs that byte, not the article (issue 15, defect 1).

Before, one invalid byte made the whole file be read as Windows-1252: "Tomás Pérez" became
"TomÃ¡s PÃ©rez", a wrong person IRI was minted, and nothing was said. Now valid UTF-8 is
never read as anything else, each bad line is a warning naming the file and the byte, and
a line without any UTF-8 character (pasted from an older file) is read as Windows-1252.
"""

from __future__ import annotations

import logging
from pathlib import Path

from diplokg.cli import main
from diplokg.read import read_file

GOOD = "La canciller Tomás Pérez se reunió en Lima con su par de Ecuador.\n".encode()


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "nota.txt"
    path.write_bytes(data)
    return path


def test_one_bad_byte_is_replaced_and_the_rest_stays_utf8(tmp_path, caplog):
    path = write(tmp_path, GOOD + b"Dijo que el acuerdo \xff se firmar\xc3\xa1 pronto.\n")
    with caplog.at_level(logging.WARNING, logger="diplokg"):
        article = next(read_file(path))
    assert "Tomás Pérez" in article.text and "firmará" in article.text
    assert "\ufffd" in article.text and "Ã" not in article.text
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: byte {len(GOOD) + 20} is not UTF-8; that line's bad bytes are replaced by U+FFFD"]


def test_a_windows_1252_line_in_a_utf8_file_is_read_as_such(tmp_path, caplog):
    legacy = "El ministro habló después con la prensa.\n".encode("cp1252")
    path = write(tmp_path, GOOD + legacy)
    with caplog.at_level(logging.WARNING, logger="diplokg"):
        article = next(read_file(path))
    assert "Tomás Pérez" in article.text and "habló después" in article.text
    assert "Windows-1252" in caplog.records[0].getMessage()


def test_a_whole_windows_1252_file_is_still_read_without_a_word(tmp_path, caplog):
    path = write(tmp_path, GOOD.decode().encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="diplokg"):
        article = next(read_file(path))
    assert "Tomás Pérez" in article.text and not caplog.records


def test_the_cli_says_which_file_and_byte_and_stores_the_article(tmp_path, capsys):
    path = write(tmp_path, GOOD + b"Otra frase \xff aqu\xc3\xad.\n")
    assert main(["ingest", str(path), "--store", "memory:"]) == 0
    err = capsys.readouterr().err
    assert f"diplokg: warning: {path}: byte {len(GOOD) + 11} is not UTF-8" in err
    assert err.count("\n") == 1


def test_a_nul_byte_costs_its_jsonl_line_wherever_it_is(tmp_path, capsys):
    """Issue 15, defect 7: a NUL in line 2 used to refuse the whole file (no line number),
    the same byte after 8 KB was let through. Now one rule, per line."""
    good = '{"id": "a%d", "text": "El canciller de Chile se reunió en Lima con su par del Perú."}\n'
    for filler in (0, 9000):  # the bad line in the first 8 KB, then after it (blank lines between)
        path = tmp_path / f"feed{filler}.jsonl"
        lines = [good % 1] + ["\n"] * filler + ['{"text": "x\x00y"}\n', good % 2]
        path.write_bytes("".join(lines).encode())
        assert main(["ingest", str(path), "--store", "memory:"]) == 2
        out, err = capsys.readouterr()
        assert err == f"diplokg: {path}:{filler + 2}: binary content (NUL bytes), not a JSON line\n"
        assert "a1" in out and "a2" in out
