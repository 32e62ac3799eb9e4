from datetime import date

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.calendar import Term
from chalicelib.domain.line_words import LineWords
from chalicelib.domain.money import Money
from chalicelib.domain.pricing import Discount, Line, PricedItem, one_time_lines, term_lines, total

NOVEMBER = Term(date(2026, 11, 1), date(2026, 12, 1))


def usd(minor):
    return Money(minor, "USD")


def plan(price_minor=10_000, name="Pro plan", code="pro", currency="USD"):
    return PricedItem(code=code, name=name, unit_price=Money(price_minor, currency), kind="plan")


def addon(price_minor=1_000, quantity=1, name="Extra seat", code="seat"):
    return PricedItem(code=code, name=name, unit_price=usd(price_minor), quantity=quantity, kind="addon")


def percent_coupon(bp=2_000, code="SAVE20"):
    return Discount(code=code, name="Launch offer", percent_off_bp=bp)


def amount_coupon(minor=1_000, currency="USD"):
    return Discount(code="TENOFF", name="Ten off", amount_off=Money(minor, currency))


# term_lines

def test_each_item_gets_a_line_naming_quantity_price_and_period():
    # Given a plan and two seats; When the term is priced
    lines = term_lines([plan(), addon(quantity=2)], None, NOVEMBER)
    # Then each line explains itself
    in_november = dict(period_start=NOVEMBER.start, period_end=NOVEMBER.end)
    assert lines == [
        Line("Pro plan (1 x 100.00) 2026-11-01 to 2026-12-01", usd(10_000), "pro", 1, usd(10_000), "charge",
             NOVEMBER, LineWords("plan", "USD", "Pro plan", 1, 10_000, **in_november)),
        Line("Extra seat (2 x 10.00) 2026-11-01 to 2026-12-01", usd(2_000), "seat", 2, usd(1_000), "charge",
             NOVEMBER, LineWords("addon", "USD", "Extra seat", 2, 1_000, **in_november)),
    ]
    assert total(lines) == usd(12_000)


def test_a_percent_coupon_adds_one_negative_discount_line_on_the_subtotal():
    lines = term_lines([plan(), addon(quantity=2)], percent_coupon(), NOVEMBER)
    assert lines[-1] == Line("Coupon SAVE20 (Launch offer): 20% off", usd(-2_400), "SAVE20", kind="discount",
                             period=NOVEMBER,
                             words=LineWords("coupon", "USD", "Launch offer", period_start=NOVEMBER.start,
                                             period_end=NOVEMBER.end, coupon_code="SAVE20", percent_off_bp=2_000))
    assert total(lines) == usd(9_600)


def test_a_percent_discount_rounds_once_on_the_subtotal_half_up():
    # Given three items of 0.05 and 10% off: 0.015 -> 0.02 once (per item it would be 3 x 0.01)
    items = [plan(5, code="a"), plan(5, code="b"), plan(5, code="c")]
    lines = term_lines(items, percent_coupon(bp=1_000), NOVEMBER)
    assert lines[-1].amount == usd(-2)


def test_a_fixed_discount_never_exceeds_the_subtotal():
    lines = term_lines([plan(600)], amount_coupon(1_000), NOVEMBER)
    assert lines[-1].amount == usd(-600)
    assert total(lines) == usd(0)


def test_a_coupon_on_a_free_term_adds_no_line():
    assert [line.kind for line in term_lines([plan(0)], percent_coupon(), NOVEMBER)] == ["charge"]


def test_no_items_make_no_lines():
    assert term_lines([], percent_coupon(), NOVEMBER) == []


def test_mixed_currencies_are_refused():
    with pytest.raises(ValueError):
        term_lines([plan(), plan(currency="EUR", code="eu")], None, NOVEMBER)
    with pytest.raises(ValueError):
        term_lines([plan()], amount_coupon(currency="EUR"), NOVEMBER)


@given(prices=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=5),
       bp=st.integers(min_value=1, max_value=10_000))
def test_a_percent_coupon_takes_off_the_subtotal_times_the_percent_rounded_once(prices, bp):
    items = [plan(price, code=f"p{i}") for i, price in enumerate(prices)]
    discount = sum(prices) - total(term_lines(items, percent_coupon(bp=bp), NOVEMBER)).amount_minor
    exact_times_2 = 2 * sum(prices) * bp
    assert discount == (exact_times_2 + 10_000) // 20_000  # half up: floor(x + 1/2)
    assert 0 <= discount <= sum(prices)


# coupons

def test_coupon_percent_is_written_without_trailing_zeros():
    def off(coupon):
        return term_lines([plan()], coupon, NOVEMBER)[-1].description.rsplit(": ", 1)[1]
    assert off(percent_coupon(bp=2_000)) == "20% off"
    assert off(percent_coupon(bp=1_250)) == "12.5% off"
    assert off(percent_coupon(bp=1)) == "0.01% off"
    assert off(amount_coupon(1_000)) == "10.00 off"


@pytest.mark.parametrize("changes", [
    dict(percent_off_bp=None, amount_off=None),
    dict(percent_off_bp=2_000, amount_off=usd(100)),
    dict(percent_off_bp=0),
    dict(percent_off_bp=10_001),
    dict(percent_off_bp=None, amount_off=usd(0)),
])
def test_discounts_are_validated(changes):
    with pytest.raises(ValueError):
        Discount(**{**dict(code="X", name="X", percent_off_bp=2_000, amount_off=None), **changes})


def test_one_time_items_bill_in_full_with_no_period():
    setup = PricedItem("setup", "Onboarding", usd(9_900), 2, "one_time")
    [line] = one_time_lines([setup])
    assert (line.description, line.amount, line.period) == ("Onboarding (one-time, 2 x 99.00)", usd(19_800), None)


def test_discount_for_is_positive_and_capped():
    assert amount_coupon(1_000).of(usd(300)) == usd(300)
    assert percent_coupon(bp=10_000).of(usd(300)) == usd(300)


# items and totals

@pytest.mark.parametrize("changes", [dict(quantity=0), dict(unit_price=usd(-1)), dict(kind="fee")])
def test_priced_items_are_validated(changes):
    with pytest.raises(ValueError):
        PricedItem(**{**dict(code="p", name="P", unit_price=usd(100), quantity=1, kind="plan"), **changes})


def test_total_of_no_lines_needs_a_currency():
    assert total([], "EUR") == Money(0, "EUR")
    with pytest.raises(ValueError):
        total([])


def test_total_of_mixed_currencies_is_refused():
    with pytest.raises(ValueError):
        total([Line("a", usd(1)), Line("b", Money(1, "EUR"))])
    with pytest.raises(ValueError):
        total([Line("a", usd(1))], "EUR")
