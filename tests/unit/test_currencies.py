"""The one currency table: ISO 4217 decimals for what we count and show, Stripe's unit for what
goes on the wire (its special cases as Stripe documents them), and the increment it can move."""
import pytest
from hypothesis import given, strategies as st

from chalicelib.domain import currencies
from chalicelib.domain.currencies import (CURRENCIES, exponent, from_gateway_unit, increment, round_to_increment,
                                          to_gateway_unit)
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.money import Money


def test_the_table_counts_amounts_in_iso_4217_minor_units():
    # Given / When / Then: two decimals for most, none for the yen and the króna, three for the dinars
    assert [exponent(code) for code in ("USD", "EUR", "JPY", "ISK", "UGX", "KWD", "BHD", "MGA")] == [
        2, 2, 0, 0, 0, 3, 3, 2]


def test_only_currencies_stripe_accepts_are_in_the_table():
    # Given the Iraqi and Libyan dinars, which Stripe does not take for card payments
    # When / Then they are not in the table, and choosing one is a field error
    assert not currencies.is_supported("IQD") and not currencies.is_supported("LYD")
    with pytest.raises(InvalidInput) as refused:
        currencies.require_supported("IQD", "currency")
    assert refused.value.fields == {"currency": "IQD is not a currency the payment service accepts."}
    with pytest.raises(ValueError):
        Money(100, "IQD")


def test_two_decimal_currencies_go_on_the_wire_as_they_are():
    # Given 19.99 USD; When it is sent to Stripe; Then Stripe's amount is 1999
    assert to_gateway_unit(1999, "USD") == 1999 and from_gateway_unit(1999, "USD") == 1999


def test_zero_decimal_currencies_go_on_the_wire_in_whole_units():
    # Given 500 JPY; When it is sent; Then Stripe's amount is 500 (not 50000)
    assert to_gateway_unit(500, "JPY") == 500 and from_gateway_unit(500, "JPY") == 500


@pytest.mark.parametrize("code", ["ISK", "UGX"])
def test_isk_and_ugx_are_zero_decimal_but_two_decimal_on_the_wire(code):
    # Given 5 krónur (or shillings), which we count as 5
    # When it is sent to Stripe, which keeps ISK and UGX two-decimal for backwards compatibility
    # Then Stripe's amount is 500, and Stripe's 500 reads back as 5
    assert (to_gateway_unit(5, code), from_gateway_unit(500, code), increment(code)) == (500, 5, 1)


def test_stripe_amounts_that_are_fractions_of_a_krona_cannot_be_read_as_ours():
    # Given Stripe's 550 ISK (5.50 krónur, which Stripe no longer accepts)
    # When / Then it is no amount of ours
    with pytest.raises(ValueError):
        from_gateway_unit(550, "ISK")


@pytest.mark.parametrize("code", ["BHD", "JOD", "KWD", "OMR", "TND"])
def test_three_decimal_currencies_go_on_the_wire_only_in_whole_tens(code):
    # Given 12.340 and 12.345 of a three-decimal currency
    # When they are sent; Then 12340 goes as it is, and 12345 (not ending in 0) is refused
    assert (to_gateway_unit(12_340, code), increment(code)) == (12_340, 10)
    with pytest.raises(ValueError):
        to_gateway_unit(12_345, code)


def test_the_malagasy_ariary_has_two_decimals_for_iso_but_none_for_stripe():
    # Given 123.00 MGA (12300 minor units); When it is sent; Then Stripe's amount is 123
    assert (to_gateway_unit(12_300, "MGA"), from_gateway_unit(123, "MGA"), increment("MGA")) == (123, 12_300, 100)
    with pytest.raises(ValueError):
        to_gateway_unit(12_345, "MGA")


def test_huf_and_twd_charge_two_decimals_their_zero_decimal_rule_being_for_payouts_only():
    assert [(to_gateway_unit(1045, code), increment(code)) for code in ("HUF", "TWD")] == [(1045, 1), (1045, 1)]


@pytest.mark.parametrize("amount, rounded", [(12_345, 12_350), (12_344, 12_340), (12_346, 12_350),
                                             (12_340, 12_340), (5, 10), (4, 0), (-12_345, -12_350)])
def test_rounding_to_the_increment_is_half_up_away_from_zero(amount, rounded):
    # Given a KWD amount; When it is rounded to Stripe's 10 fils; Then halves go away from zero
    assert round_to_increment(amount, "KWD") == rounded


def test_a_currency_moved_in_single_minor_units_never_rounds():
    assert [round_to_increment(12_345, code) for code in ("USD", "JPY", "ISK")] == [12_345] * 3


@given(st.sampled_from(sorted(CURRENCIES)), st.integers(min_value=-10**12, max_value=10**12))
def test_every_currency_round_trips_through_the_wire_once_rounded_to_its_increment(code, amount):
    # Given any amount of any currency in the table
    # When it is rounded to the increment and sent to Stripe and read back
    rounded = round_to_increment(amount, code)

    # Then it is a whole increment, at most half an increment away, and comes back unchanged
    assert rounded % increment(code) == 0 and abs(rounded - amount) * 2 <= increment(code)
    assert from_gateway_unit(to_gateway_unit(rounded, code), code) == rounded
    # And what Stripe's unit can say is always a whole amount of ours when it is a whole step on the wire
    wire = to_gateway_unit(rounded, code)
    assert wire % CURRENCIES[code].gateway_multiple == 0


def test_money_formats_by_the_table():
    assert [Money(12_345, code).format() for code in ("USD", "JPY", "ISK", "KWD", "MGA")] == [
        "123.45", "12345", "12345", "12.345", "123.45"]
    assert Money(-5, "KWD").format() == "-0.005"


def test_the_largest_amount_of_every_currency_is_the_most_one_gateway_payment_moves():
    for code in currencies.CURRENCIES:
        # Given the largest amount we let a document or payment in this currency reach
        largest = currencies.largest_amount_minor(code)

        # Then the gateway can move it, and not one increment more
        assert currencies.is_whole(largest, code)
        assert currencies.to_gateway_unit(largest, code) <= currencies.GATEWAY_MAX_AMOUNT
        assert currencies.to_gateway_unit(largest + currencies.increment(code), code) > currencies.GATEWAY_MAX_AMOUNT


def test_the_smallest_charge_is_stripes_published_minimum_in_our_minor_units():
    assert [currencies.minimum_charge_minor(code) for code in ("USD", "GBP", "JPY", "HUF", "DKK")] == [
        50, 30, 50, 17_500, 250]
    # a currency Stripe holds to 0.50 USD at the day's exchange rate: only its answer tells
    assert currencies.minimum_charge_minor("KWD") is None


def test_every_smallest_charge_is_one_the_gateway_can_move():
    for code in currencies.CURRENCIES:
        least = currencies.minimum_charge_minor(code)
        assert least is None or (least > 0 and currencies.is_whole(least, code))
