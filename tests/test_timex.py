"""Spanish time expressions: each form found in running text and resolved to the right date."""

from datetime import date

import pytest

from diplokg.extract.timex import find_time_expressions, resolve


def one(text: str, published: str, tense: str | None = None):
    found = find_time_expressions(text)
    assert len(found) == 1, found
    t = found[0]
    assert text[t.start : t.end] == t.text
    return resolve(t, date.fromisoformat(published), tense)


@pytest.mark.parametrize(
    "text, published, tense, words, value, precision",
    [
        # absolute dates
        ("se reunirán el 2 de julio en Asunción", "2026-06-18", "future", "el 2 de julio", "2026-07-02", "day"),
        ("firmado el 15 de marzo de 2024", "2026-06-18", "past", "el 15 de marzo de 2024", "2024-03-15", "day"),
        ("el primero de mayo", "2026-04-10", "future", "el primero de mayo", "2026-05-01", "day"),
        ("los días 5 y 6 de febrero próximo", "2026-11-20", None, "los días 5 y 6 de febrero próximo", "2027-02-05", "day"),
        ("el cinco de diciembre", "2026-11-20", "future", "el cinco de diciembre", "2026-12-05", "day"),
        # weekdays
        ("llegó este jueves a Lima", "2026-03-12", None, "este jueves", "2026-03-12", "day"),
        ("sostuvo este miércoles una llamada", "2026-06-18", "past", "este miércoles", "2026-06-17", "day"),
        ("partirá el próximo martes", "2026-03-05", "future", "el próximo martes", "2026-03-10", "day"),
        ("el pasado jueves estuvo en Ginebra", "2025-11-10", "past", "el pasado jueves", "2025-11-06", "day"),
        ("viajará el jueves a Kingston", "2027-02-16", "future", "el jueves", "2027-02-18", "day"),
        ("conversó el martes por teléfono", "2026-06-25", "past", "el martes", "2026-06-23", "day"),
        ("será recibido el miércoles 11", "2026-03-05", "future", "el miércoles 11", "2026-03-11", "day"),
        # weeks, months, years
        ("se reunirá la próxima semana", "2026-06-18", "future", "la próxima semana", "2026-06", "month"),
        ("llegará la semana que viene", "2025-09-16", "future", "la semana que viene", "2025-09", "month"),
        ("a fines de marzo", "2026-03-05", "future", "a fines de marzo", "2026-03", "month"),
        ("en septiembre pasado", "2026-03-05", None, "en septiembre pasado", "2025-09", "month"),
        ("en enero de 2026", "2025-11-10", "future", "en enero de 2026", "2026-01", "month"),
        ("visitará Belém en noviembre", "2026-06-18", "future", "en noviembre", "2026-11", "month"),
        ("prevista para marzo de 2027", "2026-11-13", "future", "prevista para marzo de 2027", "2027-03", "month"),
        ("una visita oficial en 2026", "2025-11-13", "future", "en 2026", "2026", "year"),
        ("el próximo año", "2026-04-17", "future", "el próximo año", "2027", "year"),
        ("este año", "2026-04-17", None, "este año", "2026", "year"),
        # deictic
        ("retornará mañana a Santiago", "2026-03-12", "future", "mañana", "2026-03-13", "day"),
        ("anunció ayer", "2026-03-12", "past", "ayer", "2026-03-11", "day"),
        ("hoy", "2026-03-12", None, "hoy", "2026-03-12", "day"),
    ],
)
def test_forms(text, published, tense, words, value, precision):
    t = one(text, published, tense)
    assert t.text == words
    assert (t.value, t.precision) == (value, precision)


def test_no_anchor_keeps_words_only():
    [t] = find_time_expressions("llegará a Lima la próxima semana")
    r = resolve(t, None, "future")
    assert r.text == "la próxima semana" and r.value is None


@pytest.mark.parametrize("text", ["por la mañana", "esta mañana se reunió", "de lunes a viernes", "4.000 mesas"])
def test_not_dates(text):
    assert not [t for t in find_time_expressions(text) if t.text.lower() in ("mañana", "lunes", "viernes", "4.000")]


def test_week_spanning_two_months_falls_back_to_year():
    [t] = find_time_expressions("la próxima semana")
    r = resolve(t, date(2026, 4, 27), "future")  # next week: 4-10 May
    assert r.value == "2026-05"
    r = resolve(t, date(2026, 4, 22), "future")  # next week: 27 Apr - 3 May
    assert (r.value, r.precision) == ("2026", "year")


@pytest.mark.parametrize("text, value", [("en 2026", "2026"), ("el 5 de marzo de 2026", "2026-03-05"), ("en enero de 2027", "2027-01")])
def test_explicit_year_resolves_without_publication_date(text, value):
    [t] = find_time_expressions(text)
    assert resolve(t, None, "future").value == value


@pytest.mark.parametrize(
    "text, published, tense, value",
    [
        # words counted in days resolve to the month or year the metadata gives
        ("se reunió este lunes con el canciller", "2020-10", "past", "2020-10"),
        ("llegó ayer a Lima", "2020-10", "past", "2020-10"),
        ("viajará la próxima semana", "2020", "future", "2020"),
        ("se reunieron el viernes 9", "2020-10", "past", "2020-10-09"),
        # words that name the day or the month still do
        ("se reunió el 15 de octubre", "2020-10", "past", "2020-10-15"),
        ("viajará el 15 de octubre", "2020-10", "future", "2020-10-15"),
        ("se reunió el 3 de julio", "2020-10", "past", "2020-07-03"),
        ("firmaron en diciembre", "2020-10", "past", "2019-12"),
        ("firmaron en diciembre", "2020", "past", "2020-12"),
        ("visitará Lima el 3 de julio", "2020", "future", "2020-07-03"),
        ("se reunió el 5 de marzo de 2018", "2020", "past", "2018-03-05"),
    ],
)
def test_resolve_against_a_partial_publication_date(text, published, tense, value):
    from diplokg.read import parse_published

    (t,) = find_time_expressions(text)
    anchor, precision = parse_published(published)
    assert resolve(t, anchor, tense, precision).value == value


@pytest.mark.parametrize(
    "text, published, tense, words, value",
    [
        ("aterrizó en Quito la tarde del jueves", "2024-08-23", "past", "la tarde del jueves", "2024-08-22"),
        ("lo reafirmaron esta noche en Bruselas", "2021-05-25", "past", "esta noche", "2021-05-25"),
        ("llegó anoche a Quito", "2021-05-25", "past", "anoche", "2021-05-24"),
        ("viajará a comienzos de 2026", "2025-12-10", "future", "a comienzos de 2026", "2026"),
        ("el viernes 19 de abril 2024 en Bogotá", "2024-04-20", "past", "el viernes 19 de abril 2024", "2024-04-19"),
    ],
)
def test_parts_of_the_day_and_years_without_month(text, published, tense, words, value):
    t = one(text, published, tense)
    assert (t.text, t.value) == (words, value)


# ---------------------------------------------------------------- counted back from publication


@pytest.mark.parametrize(
    "text, published, words, value, precision",
    [
        ("firmaron hace cinco días un memorando", "2025-03-20", "hace cinco días", "2025-03-15", "day"),
        ("se vieron hace una semana en Quito", "2025-03-20", "hace una semana", "2025-03", "month"),
        ("se vieron hace dos semanas en Quito", "2025-03-05", "hace dos semanas", "2025-02", "month"),
        ("rompió relaciones hace tres meses", "2025-02-10", "hace tres meses", "2024-11", "month"),
        ("lo visitó hace 2 años", "2025-02-10", "hace 2 años", "2023", "year"),
        ("la embajada cerró hace apenas un mes", "2025-01-08", "hace apenas un mes", "2024-12", "month"),
    ],
)
def test_hace_counts_back_from_publication(text, published, words, value, precision):
    t = one(text, published, "past")
    assert (t.text, t.value, t.precision) == (words, value, precision)


@pytest.mark.parametrize("text", ["mantienen relaciones desde hace dos años", "hace unos días", "hace falta un acuerdo"])
def test_hace_as_a_duration_or_vague_is_no_date(text):
    assert find_time_expressions(text) == []


@pytest.mark.parametrize(
    "text, published, precision, value",
    [
        ("se vieron hace una semana", "2025-03", "month", "2025-03"),
        ("rompió relaciones hace dos meses", "2025-03", "month", "2025-01"),
        ("rompió relaciones hace dos meses", "2025", "year", "2025"),
        ("lo visitó hace un año", "2025", "year", "2024"),
    ],
)
def test_hace_against_a_partial_publication_date(text, published, precision, value):
    from diplokg.model import anchor_of

    (t,) = find_time_expressions(text)
    anchor, prec = anchor_of(published)
    assert prec == precision
    assert resolve(t, anchor, "past", prec).value == value


# ---------------------------------------------------------------- dated from another date of the story


@pytest.mark.parametrize(
    "text, words, ref, value",
    [
        ("Un día antes, el ministro habló con la prensa", "Un día antes", "2025-07-01", "2025-06-30"),
        ("la cancillería protestó el mismo día", "el mismo día", "2025-07-01", "2025-07-01"),
        ("ese mismo día llegó a Quito", "ese mismo día", "2025-07-01", "2025-07-01"),
        ("al día siguiente viajó a Lima", "al día siguiente", "2025-07-31", "2025-08-01"),
        ("el día anterior había firmado", "el día anterior", "2025-07-01", "2025-06-30"),
        ("tres días después firmaron", "tres días después", "2025-12-30", "2026-01-02"),
        ("dos semanas más tarde se reunieron", "dos semanas más tarde", "2025-07-01", "2025-07-15"),
    ],
)
def test_anaphoric_words_count_from_their_reference(text, words, ref, value):
    from diplokg.extract.timex import is_anaphoric, shift_from

    (t,) = find_time_expressions(text)
    assert t.text == words and is_anaphoric(t)
    assert resolve(t, date(2025, 9, 1), "past").value is None  # not from publication
    assert shift_from(t, ref, "day").value == value


def test_anaphoric_words_need_a_day_to_count_days_from():
    from diplokg.extract.timex import shift_from

    (same,) = find_time_expressions("el mismo día")
    (before,) = find_time_expressions("un día antes")
    assert (shift_from(same, "2025-07", "month").value, shift_from(same, "2025-07", "month").precision) == ("2025-07", "month")
    assert shift_from(before, "2025-07", "month").value is None


@pytest.mark.parametrize("text", ["dos días después de la cumbre", "la víspera de la votación", "un día antes de que llegara"])
def test_a_span_counted_from_a_named_thing_is_not_anaphoric(text):
    assert find_time_expressions(text) == []


# ---------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    "text, words, value",
    [
        ("Martes 3 marzo 2026.\nEl canciller llegó a Lima.", "Martes 3 marzo 2026", "2026-03-03"),
        ("Quito, Jueves 5 de Febrero de 2026.- La ministra", "Jueves 5 de Febrero de 2026", "2026-02-05"),
    ],
)
def test_a_capitalised_dateline_is_a_date(text, words, value):
    found = find_time_expressions(text)
    assert [t.text for t in found] == [words]
    assert resolve(found[0], date(2026, 3, 10), "past").value == value


def test_capitalised_month_without_a_day_is_still_a_name():
    assert find_time_expressions("Julio César y Abril Soto") == []


@pytest.mark.parametrize("text, found", [
    ("En una calurosa mañana en Lima, el ministro recibió a su homólogo.", []),
    ("Cada mañana el canciller repasa la agenda.", []),
    ("El canciller viajará mañana a Lima.", ["mañana"]),
    ("Esta mañana llegó a Quito.", ["Esta mañana"]),
])
def test_the_morning_is_not_tomorrow(text, found):
    assert [t.text for t in find_time_expressions(text)] == found
