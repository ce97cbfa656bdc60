from decimal import Decimal

import pytest

from diplokg.extract.quantities import find_quantities, parse_number


@pytest.mark.parametrize(
    "text, value, unit, qualifier",
    [
        ("se instalarán más de 4.000 mesas de votación en el exterior", 4000, "mesas de votación", "more-than"),
        ("la participación de 1,2 millones de peruanos habilitados", 1200000, "peruanos habilitados", "exact"),
        ("transitan unas 15.000 personas al día", 15000, "personas al día", "about"),
        ("superó los 4.800 millones de dólares en 2025", 4800000000, "dólares", "more-than"),
        ("cerca de 200 efectivos por país", 200, "efectivos por país", "about"),
        ("menos de 50 observadores", 50, "observadores", "less-than"),
    ],
)
def test_quantities(text, value, unit, qualifier):
    [q] = find_quantities(text)
    assert q.value == Decimal(value)
    assert q.unit == unit
    assert q.qualifier == qualifier
    assert text[q.mention.start : q.mention.end] == q.mention.text


@pytest.mark.parametrize("text", ["LIMA, 12 mar (Agencia)", "el 12 de marzo", "desde 2023", "el artículo 5 del tratado", "a las 10:30 horas", "el 56.º período"])
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_parse_number_spanish_separators():
    assert parse_number("4.000") == 4000
    assert parse_number("1,2") == Decimal("1.2")
