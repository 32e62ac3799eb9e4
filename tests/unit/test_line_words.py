"""Every billing line carries its words as data, made with its description (the description is the
words in English), so a browser can write the line in its reader's language and say what the
document says: one test per kind of line, then a property over the lines the engine makes."""
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, strategies as st

from chalicelib.domain import currencies
from chalicelib.domain.calendar import Term
from chalicelib.domain.line_words import LineWords
from chalicelib.domain.money import Money, round_half_up
from chalicelib.domain.pricing import Discount, PricedItem, one_time_lines, term_lines, with_rounding
from chalicelib.domain.proration import prorated_lines

NOVEMBER = Term(date(2026, 11, 1), date(2026, 12, 1))
NOV_16 = date(2026, 11, 16)        # 15 of November's 30 days remain


def usd(minor):
    return Money(minor, "USD")


def starter(quantity=1):
    return PricedItem("starter", "Starter", usd(900), quantity, "plan")


def seats(quantity=2):
    return PricedItem("seats", "Extra seat", usd(250), quantity, "addon")


def setup_fee():
    return PricedItem("setup", "Setup", usd(5_000), 1, "one_time")


def ten_off():
    return Discount("TENOFF", "Ten off", amount_off=usd(1_000))


def described(lines):
    return [(line.description, line.words.kind) for line in lines]


def test_a_terms_plan_addon_and_coupon_lines_say_their_names_prices_and_period():
    # Given Starter and two seats with 10.00 off; When November is invoiced
    lines = term_lines([starter(), seats()], ten_off(), NOVEMBER)

    # Then each line's words are its description's, as data
    assert described(lines) == [("Starter (1 x 9.00) 2026-11-01 to 2026-12-01", "plan"),
                                ("Extra seat (2 x 2.50) 2026-11-01 to 2026-12-01", "addon"),
                                ("Coupon TENOFF (Ten off): 10.00 off", "coupon")]
    assert lines[2].words == LineWords("coupon", "USD", "Ten off", period_start=NOVEMBER.start,
                                       period_end=NOVEMBER.end, coupon_code="TENOFF", amount_off_minor=1_000)


def test_a_one_time_addon_says_it_is_billed_once():
    [line] = one_time_lines([setup_fee()])
    assert described([line]) == [("Setup (one-time, 1 x 50.00)", "one_time_addon")]
    assert (line.words.quantity, line.words.unit_amount_minor, line.words.period_start) == (1, 5_000, None)


def test_a_change_by_day_says_the_unused_and_remaining_time_and_the_coupon_on_it():
    # Given Starter and two seats with 10.00 off, changed on Nov 16
    unused = prorated_lines([starter(), seats()], ten_off(), NOV_16, NOVEMBER, time="unused", kind="credit")
    remaining = prorated_lines([starter(3)], ten_off(), NOV_16, NOVEMBER, time="remaining", kind="proration")

    # Then the lines say which time, what of, and how many of the term's days
    assert described(unused) == [("Unused time on Starter 9.00 x 15/30 days", "unused_time"),
                                 ("Unused time on Extra seat 2 x 2.50 x 15/30 days", "unused_time"),
                                 ("Coupon TENOFF (10.00 off) on unused time -10.00 x 15/30 days",
                                  "coupon_on_unused_time")]
    assert described(remaining) == [("Remaining time on Starter 3 x 9.00 x 15/30 days", "remaining_time"),
                                    ("Coupon TENOFF (10.00 off) on remaining time -10.00 x 15/30 days",
                                     "coupon_on_remaining_time")]
    assert (unused[2].words.discount_minor, unused[2].words.days, unused[2].words.days_in_term) == (1_000, 15, 30)


def test_a_rounding_line_says_the_step_the_currency_is_charged_in():
    lines = with_rounding(term_lines([PricedItem("pro", "Pro", Money(12_345, "KWD"))], None, NOVEMBER), "KWD")
    assert described(lines[-1:]) == [("Rounding to the nearest 0.010 KWD", "rounding")]
    assert lines[-1].words.increment_minor == 10


def test_a_percent_off_of_hundredths_is_written_as_the_description_always_was():
    [_, coupon] = term_lines([starter()], Discount("HALF", "Half", percent_off_bp=1_250), NOVEMBER)
    assert (coupon.description, coupon.words.percent_off_bp) == ("Coupon HALF (Half): 12.5% off", 1_250)


# --- every line the engine makes ------------------------------------------------------------

@st.composite
def priced_items(draw, currency: str):
    n = draw(st.integers(min_value=1, max_value=3))
    return [PricedItem(f"item{i}", f"Item {i}", Money(draw(st.integers(min_value=0, max_value=500_000)), currency),
                       draw(st.integers(min_value=1, max_value=9)), "plan" if i == 0 else "addon")
            for i in range(n)]


@st.composite
def discounts(draw, currency: str):
    return draw(st.one_of(
        st.none(),
        st.builds(lambda bp: Discount("PCT", "Percent", percent_off_bp=bp), st.integers(min_value=1, max_value=10_000)),
        st.builds(lambda minor: Discount("OFF", "Amount", amount_off=Money(minor, currency)),
                  st.integers(min_value=1, max_value=500_000))))


@st.composite
def billed_lines(draw):
    """The lines of a term's invoice, of its one-time addons, and of a change by day on some day of
    the term, each document rounded as the engine rounds it."""
    currency = draw(st.sampled_from(["USD", "JPY", "KWD", "MGA"]))
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=730)))
    term = Term(start, start + timedelta(days=draw(st.sampled_from([7, 28, 30, 31, 91, 365]))))
    day = term.start + timedelta(days=draw(st.integers(min_value=0, max_value=term.days - 1)))
    items, discount = draw(priced_items(currency)), draw(discounts(currency))
    one_time = [PricedItem("once", "Once", Money(draw(st.integers(min_value=0, max_value=50_000)), currency), 1,
                           "one_time")]
    documents = [term_lines(items, discount, term) + one_time_lines(one_time),
                 prorated_lines(items, discount, day, term, time="unused", kind="credit"),
                 prorated_lines(items, discount, day, term, time="remaining", kind="proration")]
    return [line for lines in documents for line in with_rounding(lines, currency)]


def said_amount(words: LineWords) -> int | None:
    """The amount the words say the line is, where they say it exactly."""
    if words.kind in ("plan", "addon", "one_time_addon"):
        return words.quantity * words.unit_amount_minor
    if words.kind in ("unused_time", "remaining_time"):
        return round_half_up(Fraction(words.quantity * words.unit_amount_minor * words.days, words.days_in_term))
    return None


@given(billed_lines())
def test_every_line_the_engine_makes_has_words_that_say_its_description_and_its_amount(lines):
    for line in lines:
        words = line.words
        # Then it has words, its description is them in English, and they are in its currency
        assert words is not None and line.description == words.english(), line
        assert words.currency == line.amount.currency
        # And where the words say an amount, it is the line's (a coupon's and rounding's within bounds)
        said = said_amount(words)
        if said is not None:
            assert line.amount.amount_minor == said, line
        elif words.kind == "rounding":
            assert 0 < abs(line.amount.amount_minor) < currencies.increment(words.currency)
        else:
            assert line.amount.amount_minor < 0, line
            if words.amount_off_minor is not None and words.kind == "coupon":
                assert -line.amount.amount_minor <= words.amount_off_minor
        # And the days it says are the line's period
        if line.period is not None and words.days is not None:
            assert (words.period_start, words.period_end, words.days) == (line.period.start, line.period.end,
                                                                          line.period.days)
