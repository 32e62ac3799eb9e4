"""What one payment may pay: one currency, amounts the payment gateway can move (pure rules)."""
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain import paying
from chalicelib.domain.documents import DocumentLine, Invoice, InvoiceStatus
from chalicelib.domain.errors import BusinessRuleViolation, InvalidInput

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def an_invoice(invoice_id: str, currency: str = "USD", total: int = 10_000) -> Invoice:
    return Invoice(invoice_id=invoice_id, customer_id="cus_1", number=f"INV-{invoice_id}", currency=currency,
                   status=InvoiceStatus.OPEN, issued_at=NOW - timedelta(days=15), due_on=NOW.date(),
                   lines=(DocumentLine("Work", total),), subtotal_minor=total, tax_minor=0, total_minor=total)


def test_invoices_of_one_currency_are_paid_in_it():
    assert paying.currency_of([an_invoice("a", "EUR"), an_invoice("b", "EUR")]) == "EUR"


def test_invoices_of_two_currencies_cannot_be_paid_at_once():
    # Given a USD and a EUR invoice; When both are chosen for one payment; Then it is a field error
    with pytest.raises(InvalidInput) as refused:
        paying.currency_of([an_invoice("a", "USD"), an_invoice("b", "EUR")])

    assert refused.value.fields == {"invoice_ids": "These invoices are in EUR and USD; a payment is in one "
                                                   "currency, so pay each currency's invoices separately."}


def test_paying_everything_while_owing_in_two_currencies_asks_which_currency():
    # Given outstanding invoices in USD and EUR; When all is paid without a currency
    with pytest.raises(InvalidInput) as refused:
        paying.outstanding_in([an_invoice("a", "USD"), an_invoice("b", "EUR")], None)

    # Then the customer is asked to choose, the currencies named
    assert refused.value.fields == {"currency": "You owe in EUR and USD; choose the currency to pay."}


def test_paying_everything_in_a_currency_pays_only_its_invoices():
    owed = [an_invoice("a", "USD"), an_invoice("b", "EUR"), an_invoice("c", "USD")]

    assert [i.invoice_id for i in paying.outstanding_in(owed, "USD")] == ["a", "c"]


def test_paying_everything_in_the_only_currency_owed_needs_no_currency():
    assert [i.invoice_id for i in paying.outstanding_in([an_invoice("a", "KWD")], None)] == ["a"]


def test_paying_everything_in_a_currency_not_owed_finds_nothing_to_pay():
    with pytest.raises(BusinessRuleViolation) as refused:
        paying.outstanding_in([an_invoice("a", "USD")], "EUR")

    assert (refused.value.code, refused.value.message) == ("nothing_outstanding",
                                                           "You have no outstanding invoices in EUR.")


def test_a_part_payment_in_kwd_must_be_whole_tens_of_fils():
    # Given a part payment of 12.345 KWD (Stripe moves KWD in steps of 10 fils)
    with pytest.raises(InvalidInput) as refused:
        paying.require_whole_part(12_345, "KWD")

    # Then it is refused, saying what would do; 12.340 is fine
    assert refused.value.fields == {"amount_minor": "KWD is paid in steps of 0.010 KWD: 12.345 KWD is not a whole "
                                                    "number of them (12.340 KWD or 12.350 KWD is)."}
    paying.require_whole_part(12_340, "KWD")
    paying.require_whole_part(1, "USD")


def test_an_amount_owed_from_before_rounding_cannot_be_charged():
    with pytest.raises(BusinessRuleViolation) as refused:
        paying.require_chargeable(12_345, "KWD")

    assert refused.value.code == "amount_not_chargeable"
    assert refused.value.details == {"rule": "amount_not_chargeable", "currency": "KWD", "increment_minor": 10}


def test_an_amount_below_the_smallest_charge_is_not_charged_to_a_saved_card():
    # Given Stripe charges no less than 0.50 USD
    # Then 0.30 due is left for a larger payment, 0.50 is charged, and nothing due is not charged
    assert [paying.worth_charging(amount, "USD") for amount in (30, 49, 50, 10_000, 0)] == [
        False, False, True, True, False]
    # And where the minimum moves with the exchange rate, the gateway's answer decides
    assert paying.worth_charging(10, "KWD")


def test_paying_less_than_the_smallest_charge_is_refused_saying_what_would_do():
    with pytest.raises(BusinessRuleViolation) as refused:
        paying.require_minimum_charge(30, "USD")

    assert refused.value.code == "amount_too_small"
    assert str(refused.value) == ("0.30 USD is less than the smallest card payment the payment service takes "
                                  "(0.50 USD): pay it together with other invoices, or ask us to settle it.")
    assert refused.value.details == {"rule": "amount_too_small", "currency": "USD", "minimum_minor": 50}
    paying.require_minimum_charge(50, "USD")
