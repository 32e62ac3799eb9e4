"""Money: integer minor units of one currency, rounded once, half up, and written with the
currency's decimals."""
from fractions import Fraction

import pytest

from chalicelib.domain.currencies import exponent
from chalicelib.domain.money import Money


def test_money_adds_only_the_same_currency_and_rounds_once_half_up():
    assert Money(999, "USD") + Money(1, "USD") == Money(1000, "USD")
    assert Money(5, "USD").times(Fraction(1, 2)) == Money(3, "USD")
    assert Money(-5, "USD").times(Fraction(1, 2)) == Money(-3, "USD")
    with pytest.raises(ValueError):
        Money(1, "USD") + Money(1, "EUR")


def test_money_refuses_floats_and_formats_by_the_currency_exponent():
    with pytest.raises(TypeError):
        Money(1.5, "USD")
    assert Money(123456, "USD").format() == "1234.56"
    assert Money(500, "JPY").format() == "500" and exponent("JPY") == 0
    assert Money(1234, "KWD").format() == "1.234"


def test_money_is_labelled_with_its_currency_code_as_the_activity_timeline_writes_it():
    assert Money(123456, "USD").labelled() == "USD 1234.56"
    assert Money(500, "JPY").labelled() == "JPY 500"
    assert Money(-1234, "KWD").labelled() == "KWD -1.234"
