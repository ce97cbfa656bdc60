"""The smaller input items of issue 15 (their input files are in tests/hostile/ too:
english-header.txt, garbage-date.txt, deep-divs.html).

- The language was judged on the first 2,000 characters only: an English boilerplate header
  over a Spanish article refused it. Windows spread over the whole text are judged now.
- "2019-12-31garbage" was accepted as 2019-12-31 (only the first ten characters were read).
- A page nested deeper than libxml2's 256 levels lost all the text below that depth (100,000
  nested divs: "no text found"); its text is now read without building a tree.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from diplokg.errors import InputError
from diplokg.html_input import extract_page
from diplokg.language import SAMPLE_CHARS, check_spanish, detect, samples
from diplokg.read import parse_date, parse_published, read_articles

ES = ("La ministra de Relaciones Exteriores recibió a su homólogo en la capital para hablar de comercio, "
      "de seguridad en la frontera y de la próxima cumbre regional, que se celebrará a fin de año. ")
EN = ("The foreign minister received her counterpart in the capital to discuss trade, border security "
      "and the next regional summit, which will be held at the end of the year. ")


def _repeat(sentence: str, chars: int) -> str:
    return (sentence * (chars // len(sentence) + 1))[:chars]


def test_an_english_header_does_not_make_a_spanish_article_english():
    text = _repeat(EN, 2_100) + "\n\n" + _repeat(ES, 6_000)
    assert detect(text[:SAMPLE_CHARS])[0] == "en"  # what the first 2,000 characters alone say
    assert detect(text)[0] == "es"
    check_spanish(text, "nota.txt")


def test_a_mostly_english_text_is_still_refused():
    for text in (_repeat(EN, 6_000) + "\n\n" + _repeat(ES, 1_500),   # a Spanish tail
                 _repeat(ES, 300) + "\n\n" + _repeat(EN, 9_000)):    # a Spanish opening
        with pytest.raises(InputError, match=r"^nota\.txt: the text is in English \(en\)"):
            check_spanish(text, "nota.txt")


def test_samples_reach_the_end_and_stay_few():
    text = "".join(f"{i:07d} " for i in range(50_000))  # 400,000 characters
    windows = samples(text)
    assert len(windows) == 5 and all(len(w) == SAMPLE_CHARS for w in windows)
    assert windows[0] == text[:SAMPLE_CHARS] and windows[-1] == text[-SAMPLE_CHARS:]
    assert samples("corto") == ["corto"]


@pytest.mark.parametrize("value", ["2019-12-31garbage", "2019-12-31 y algo", "2019-12-31T25:00", "2019-12-310"])
def test_a_date_with_anything_after_it_is_refused(value):
    with pytest.raises(InputError, match=r"^f\.txt: 'published' is not an ISO date"):
        parse_published(value, "f.txt")


@pytest.mark.parametrize("value, expected", [
    ("2019-12-31", date(2019, 12, 31)), (" 2019-12-31 ", date(2019, 12, 31)),
    ("2019-12-31T23:30:00Z", date(2019, 12, 31)), ("2019-12-31T23:30:00.250+05:00", date(2019, 12, 31)),
    ("2019-12-31 23:30", date(2019, 12, 31)),
])
def test_whole_iso_dates_and_datetimes_are_accepted(value, expected):
    assert parse_date(value, "f.txt") == expected


def test_a_garbage_date_in_a_jsonl_line_costs_that_line(tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": ES, "published": "2019-12-31garbage"}) + "\n"
                    + json.dumps({"text": ES, "published": "2019-12-31"}) + "\n", encoding="utf-8")
    errors: list[InputError] = []
    assert [a.id for a in read_articles([feed], on_error=errors.append)] == ["feed-2"]
    assert [str(e) for e in errors] == [
        f"{feed}:1: 'published' is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY): '2019-12-31garbage'"]


@pytest.mark.parametrize("depth", [300, 100_000])
def test_text_below_the_parser_depth_limit_is_kept(depth):
    page = ("<html><head><title>Muy anidada</title><script>var x = '<div>';</script></head><body>"
            "<p>Arriba: el canciller viajó a Lima.</p>" + "<div class=\"c\">" * depth
            + "<p>Abajo: la ministra &amp; su homólogo firmaron el acuerdo.</p>" + "</div>" * depth + "</body></html>")
    found = extract_page(page, "anidada.html")
    assert "Arriba: el canciller viajó a Lima." in found.text
    assert "Abajo: la ministra & su homólogo firmaron el acuerdo." in found.text
    assert "var x" not in found.text and found.title == "Muy anidada"


def test_a_deep_page_without_text_is_still_refused():
    with pytest.raises(InputError, match=r"^vacia\.html: no text found in the HTML page$"):
        extract_page("<html><body>" + "<div>" * 1000 + "</div>" * 1000 + "</body></html>", "vacia.html")
