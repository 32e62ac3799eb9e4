from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.calendar import Term, add_periods
from chalicelib.domain.line_words import LineWords
from chalicelib.domain.money import Money
from chalicelib.domain.pricing import Discount, Line, PricedItem, term_lines, total
from chalicelib.domain.proration import prorate_change, prorated_lines

JANUARY = Term(date(2026, 1, 1), date(2026, 2, 1))  # 31 days
APRIL = Term(date(2026, 4, 1), date(2026, 5, 1))  # 30 days
JAN_17 = date(2026, 1, 17)  # 16 days used, 15 unused (Jan 17..31)
REST_OF_JANUARY = Term(JAN_17, JANUARY.end)


def unused_time(items, coupon, term, day):
    """The credit for the unused days of a term from `day` on."""
    return prorated_lines(items, coupon, day, term, time="unused", kind="credit")


def usd(minor):
    return Money(minor, "USD")


def plan(price_minor=10_000, name="Pro plan", code="pro"):
    return PricedItem(code=code, name=name, unit_price=usd(price_minor), kind="plan")


def seats(quantity, price_minor=1_000):
    return PricedItem(code="seat", name="Extra seat", unit_price=usd(price_minor), quantity=quantity, kind="addon")


def percent_off(bp=2_000):
    return Discount(code="SAVE20", name="Launch offer", percent_off_bp=bp)


def amount_off(minor):
    return Discount(code="TENOFF", name="Ten off", amount_off=usd(minor))


def minors(lines):
    return [line.amount.amount_minor for line in lines]


# The cases worked by hand

def test_upgrade_100_to_200_after_16_of_31_days_credits_48_39_and_charges_96_77():
    # Given a January term of Pro at 100.00; When the customer moves to 200.00 on Jan 17
    quote = prorate_change([plan(10_000)], None, [plan(20_000, "Business plan", "biz")], None, JANUARY, JAN_17)
    # Then credit = 100.00 x 15/31 = 48.387.. -> 48.39; charge = 200.00 x 15/31 = 96.774.. -> 96.77
    days = dict(period_start=JAN_17, period_end=JANUARY.end, days=15, days_in_term=31)
    assert quote.credit_lines == [Line("Unused time on Pro plan 100.00 x 15/31 days", usd(4_839), "pro",
                                       kind="credit", period=REST_OF_JANUARY,
                                       words=LineWords("unused_time", "USD", "Pro plan", 1, 10_000, **days))]
    assert quote.charge_lines == [Line("Remaining time on Business plan 200.00 x 15/31 days", usd(9_677), "biz",
                                       kind="proration", period=REST_OF_JANUARY,
                                       words=LineWords("remaining_time", "USD", "Business plan", 1, 20_000, **days))]
    assert (quote.credit_total, quote.charge_total, quote.net) == (usd(4_839), usd(9_677), usd(4_838))
    assert (quote.days_remaining, quote.days_in_term) == (15, 31)


def test_downgrade_200_to_100_after_16_of_31_days_nets_a_credit_of_48_38():
    # credit = 200.00 x 15/31 -> 96.77; charge = 100.00 x 15/31 -> 48.39; net = -48.38
    quote = prorate_change([plan(20_000)], None, [plan(10_000)], None, JANUARY, JAN_17)
    assert (quote.credit_total, quote.charge_total, quote.net) == (usd(9_677), usd(4_839), usd(-4_838))


def test_a_yearly_plan_is_prorated_over_365_days():
    # Given 2026 (365 days) at 1200.00; When it changes on Jul 1 (184 days left: Jul..Dec)
    year = Term(date(2026, 1, 1), date(2027, 1, 1))
    quote = prorate_change([plan(120_000)], None, [plan(240_000)], None, year, date(2026, 7, 1))
    # Then credit = 1200.00 x 184/365 = 604.9315.. -> 604.93; charge = 2400.00 x 184/365 = 1209.863.. -> 1209.86
    assert quote.credit_lines[0].description == "Unused time on Pro plan 1200.00 x 184/365 days"
    assert (quote.credit_total, quote.charge_total) == (usd(60_493), usd(120_986))


def test_a_leap_year_plan_is_prorated_over_366_days():
    # 1200.00 x 184/366 = 603.278.. -> 603.28
    leap_year = Term(date(2028, 1, 1), date(2029, 1, 1))
    credit = unused_time([plan(120_000)], None, leap_year, date(2028, 7, 1))
    second_half = Term(date(2028, 7, 1), date(2029, 1, 1))
    assert credit == [Line("Unused time on Pro plan 1200.00 x 184/366 days", usd(60_328), "pro", kind="credit",
                           period=second_half,
                           words=LineWords("unused_time", "USD", "Pro plan", 1, 120_000, second_half.start,
                                           second_half.end, days=184, days_in_term=366))]


def test_a_20_percent_coupon_prorates_the_discounted_price_on_its_own_line():
    # Given both plans with 20% off; When upgraded on Jan 17
    quote = prorate_change([plan(10_000)], percent_off(), [plan(20_000)], percent_off(), JANUARY, JAN_17)
    # Then credit = 48.39 - 20.00 x 15/31 (9.677.. -> 9.68) = 38.71
    assert quote.credit_lines[1] == Line(
        "Coupon SAVE20 (20% off) on unused time -20.00 x 15/31 days", usd(-968), "SAVE20", kind="discount",
        period=REST_OF_JANUARY,
        words=LineWords("coupon_on_unused_time", "USD", "Launch offer", period_start=JAN_17, period_end=JANUARY.end,
                        days=15, days_in_term=31, coupon_code="SAVE20", percent_off_bp=2_000, discount_minor=2_000))
    # And charge = 96.77 - 40.00 x 15/31 (19.354.. -> 19.35) = 77.42
    assert minors(quote.charge_lines) == [9_677, -1_935]
    assert (quote.credit_total, quote.charge_total, quote.net) == (usd(3_871), usd(7_742), usd(3_871))


def test_a_fixed_coupon_is_prorated_from_what_it_took_off_the_term():
    # Given 10.00 off a 6.00 plan (it took 6.00 off), and 10.00 off a 100.00 plan
    quote = prorate_change([plan(600)], amount_off(1_000), [plan(10_000)], amount_off(1_000), JANUARY, JAN_17)
    # Then credit = 6.00 x 15/31 (2.90) - 6.00 x 15/31 (2.90) = 0 and charge = 48.39 - 10.00 x 15/31 (4.84) = 43.55
    assert minors(quote.credit_lines) == [290, -290]
    assert quote.credit_total == usd(0)
    assert minors(quote.charge_lines) == [4_839, -484]
    assert quote.net == usd(4_355)


def test_adding_three_seats_credits_two_and_charges_five_for_the_rest_of_the_term():
    # Given Pro 100.00 with 2 seats at 10.00; When it becomes 5 seats on Jan 17
    quote = prorate_change([plan(), seats(2)], None, [plan(), seats(5)], None, JANUARY, JAN_17)
    # Then seats credit = 20.00 x 15/31 = 9.677.. -> 9.68, charge = 50.00 x 15/31 = 24.193.. -> 24.19
    assert quote.credit_lines[1].description == "Unused time on Extra seat 2 x 10.00 x 15/31 days"
    assert minors(quote.credit_lines) == [4_839, 968]
    assert minors(quote.charge_lines) == [4_839, 2_419]
    assert quote.net == usd(1_451)  # 24.19 - 9.68: the plan's credit and charge cancel


def test_odd_amounts_round_once_per_line():
    # 9.99 x 7/30 days (Apr 24..30) = 2.331 -> 2.33
    lines = unused_time([plan(999)], None, APRIL, date(2026, 4, 24))
    assert lines[0].description == "Unused time on Pro plan 9.99 x 7/30 days"
    assert minors(lines) == [233]


def test_an_exact_half_cent_rounds_up():
    # 0.45 x 3/30 days = 0.045 -> 0.05 (half up, where half-even would give 0.04)
    lines = unused_time([plan(45)], None, APRIL, date(2026, 4, 28))
    assert minors(lines) == [5]


def test_a_coupon_of_the_whole_price_leaves_nothing_to_pay_for_the_rest_of_the_term():
    # Given Pro at 10.00 with 100% off; When a seat at 10.00 is added on Apr 21 (10 of 30 days left)
    free = percent_off(10_000)
    quote = prorate_change([plan(1_000)], free, [plan(1_000), seats(1)], free, APRIL, date(2026, 4, 21))
    # Then each line is 10.00 x 10/30 = 3.33 and the coupon takes both (6.66), not 20.00 x 10/30 = 6.67:
    # nothing is charged or credited, not a cent either way
    assert minors(quote.charge_lines) == [333, 333, -666]
    assert (quote.charge_total, quote.credit_total) == (usd(0), usd(0))


def test_with_a_coupon_a_prorated_document_totals_the_discounted_price_for_its_days_rounded_once():
    # Pro 100.00 + 3 seats at 10.00, 20% off, for 15 of 31 days: 130.00 x 15/31 = 62.90 less 12.58 is 50.32
    lines = prorated_lines([plan(10_000), seats(3)], percent_off(), JAN_17, JANUARY, time="remaining",
                           kind="proration")
    assert (minors(lines), total(lines).amount_minor) == ([4_839, 1_452, -1_259], 5_032)


def test_a_change_on_the_first_day_credits_exactly_what_the_term_was_invoiced():
    # Given a term invoiced with 0.05 x 3 items at 10% off (discount rounded once: 0.02)
    items = [plan(5, code="a"), plan(5, code="b"), plan(5, code="c")]
    invoiced = total(term_lines(items, percent_off(1_000), JANUARY))
    # When cancelled on its first day; Then the credit is the invoice total, 0.13
    credit = unused_time(items, percent_off(1_000), JANUARY, JANUARY.start)
    assert total(credit) == invoiced == usd(13)


def test_a_change_outside_the_term_is_refused():
    with pytest.raises(ValueError):
        prorate_change([plan()], None, [plan()], None, JANUARY, JANUARY.end)
    with pytest.raises(ValueError):
        prorate_change([plan()], None, [plan()], None, JANUARY, JANUARY.start - timedelta(days=1))


def test_mixed_currencies_are_refused():
    euro_plan = PricedItem(code="eu", name="Euro plan", unit_price=Money(100, "EUR"))
    with pytest.raises(ValueError):
        prorate_change([plan()], None, [euro_plan], None, JANUARY, JAN_17)


# Properties

prices = st.integers(min_value=0, max_value=10**8)
coupons = st.one_of(st.none(), st.integers(1, 10_000).map(percent_off), st.integers(1, 10**8).map(amount_off))


@st.composite
def terms_and_moments(draw):
    anchor = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    unit = draw(st.sampled_from(["week", "month", "year"]))
    term = Term(anchor, add_periods(anchor, unit, draw(st.integers(1, 3))))
    day = anchor + timedelta(days=draw(st.integers(min_value=0, max_value=term.days - 1)))
    return term, day


@given(old=prices, old_coupon=coupons, new=prices, new_coupon=coupons, term_at=terms_and_moments())
def test_credit_never_exceeds_the_old_price_nor_charge_the_new_price(old, old_coupon, new, new_coupon, term_at):
    term, at = term_at
    quote = prorate_change([plan(old)], old_coupon, [plan(new, code="new")], new_coupon, term, at)
    assert 0 <= quote.credit_total.amount_minor <= total(term_lines([plan(old)], old_coupon, term)).amount_minor
    assert 0 <= quote.charge_total.amount_minor <= total(term_lines([plan(new)], new_coupon, term)).amount_minor
    assert quote.net == quote.charge_total - quote.credit_total


@given(items=st.lists(st.tuples(prices, st.integers(1, 20)), min_size=1, max_size=4), term_at=terms_and_moments())
def test_no_item_line_exceeds_that_item_for_the_whole_term(items, term_at):
    term, at = term_at
    priced = [PricedItem(code=f"i{n}", name=f"Item {n}", unit_price=usd(price), quantity=quantity)
              for n, (price, quantity) in enumerate(items)]
    by_code = {item.code: item.amount.amount_minor for item in priced}
    for line in unused_time(priced, None, term, at):
        assert 0 < line.amount.amount_minor <= by_code[line.code]


@given(old_prices=st.lists(prices, min_size=1, max_size=4), coupon=coupons, term_at=terms_and_moments())
def test_a_change_at_term_start_between_equal_prices_nets_zero(old_prices, coupon, term_at):
    # Given several items, and one new plan that costs what they cost together
    term, _ = term_at
    old_items = [plan(price, code=f"old{n}") for n, price in enumerate(old_prices)]
    # When the change is made on the term's first day; Then nothing is owed either way
    quote = prorate_change(old_items, coupon, [plan(sum(old_prices), code="new")], coupon, term, term.start)
    assert quote.net.is_zero
    assert quote.credit_total == total(term_lines(old_items, coupon, term), "USD")


@given(price=prices, coupon=coupons, term_at=terms_and_moments())
def test_changing_nothing_nets_zero_on_any_day(price, coupon, term_at):
    term, at = term_at
    assert prorate_change([plan(price)], coupon, [plan(price)], coupon, term, at).net.is_zero
