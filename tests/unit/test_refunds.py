"""Refunds are documents (domain/refunds.py): a refund is recorded against its payment and
documented by a credit note refunded at once, whose ledger entries net to nothing, so the
statement still ends at open invoices less available credits. Pure: no AWS."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from chalicelib.domain.documents import CreditNoteStatus, DocumentLine, Invoice, InvoiceStatus
from chalicelib.domain.errors import BusinessRuleViolation, Conflict
from chalicelib.domain.ledger import credit_note_entries, invoice_entries, payment_entries
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.domain.refunds import (PaymentNotRefundable, amount_to_refund, document_refund, refund_increase,
                                       refundable_minor)
from chalicelib.domain.statement import build_statements

UTC = timezone.utc
PAID_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def a_paid_invoice(total: int = 10_000) -> Invoice:
    return Invoice(invoice_id="inv_1", customer_id="cus_1", number="INV-000001", currency="USD",
                   status=InvoiceStatus.PAID, issued_at=PAID_AT - timedelta(days=1), due_on=PAID_AT.date(),
                   lines=(DocumentLine("Pro plan", total),), subtotal_minor=total, tax_minor=0, total_minor=total,
                   amount_paid_minor=total, paid_at=PAID_AT)


def a_payment(amount: int = 10_000, *, invoices: tuple[str, ...] = ("inv_1",),
              status: PaymentStatus = PaymentStatus.SUCCEEDED) -> Payment:
    share = amount // len(invoices)
    return Payment(payment_id="pay_1", customer_id="cus_1", status=status, amount_minor=amount, currency="USD",
                   allocations=tuple(Allocation(i, share) for i in invoices), created_at=PAID_AT,
                   gateway="simulated", method_summary="Visa •••• 4242", gateway_payment_id="pi_1",
                   succeeded_at=PAID_AT if status == PaymentStatus.SUCCEEDED else None)


def refunded(payment: Payment, amount: int, *, minutes: int = 10, reason: str = ""):
    return document_refund(payment, amount, credit_note_id=f"cn_{minutes}", number=f"CN-{minutes:06d}",
                           now=PAID_AT + timedelta(minutes=minutes), reason=reason)


def test_a_full_refund_is_documented_by_a_credit_note_refunded_at_once_linked_to_the_payment_and_invoice():
    # Given a payment of 100.00 for one invoice
    payment = a_payment()

    # When all of it is refunded
    done = refunded(payment, 10_000, reason="Duplicate charge")

    # Then the payment records it, and a closed credit note with nothing left documents it
    note = done.credit_note
    assert (done.payment.refunded_minor, refundable_minor(done.payment)) == (10_000, 0)
    assert (note.status, note.total_minor, note.balance_minor, note.refunded_minor) == (
        CreditNoteStatus.CLOSED, 10_000, 0, 10_000)
    assert (note.payment_id, note.invoice_id, note.customer_id, note.currency) == ("pay_1", "inv_1", "cus_1", "USD")
    assert note.lines[0].description == "Refund of payment pay_1 (Visa •••• 4242)"
    assert note.reason == "Refund of payment pay_1: Duplicate charge"
    assert [(r.credit_note_id, r.number, r.amount_minor) for r in done.payment.refunds] == [
        ("cn_10", "CN-000010", 10_000)]


def test_a_refund_note_adds_a_credit_and_its_refund_to_the_ledger_and_the_payment_adds_nothing():
    payment = a_payment()

    done = refunded(payment, 2_500)

    at = PAID_AT + timedelta(minutes=10)
    assert [(e.kind, e.reference, e.amount.amount_minor, e.at)
            for e in credit_note_entries(None, done.credit_note, at)] == [
        ("credit_note", "CN-000010", -2_500, at), ("refund", "CN-000010", 2_500, at)]
    assert payment_entries(payment, done.payment, at) == []


def test_the_statement_ends_at_open_invoices_less_credits_before_and_after_partial_and_full_refunds():
    # Given an invoice of 100.00 paid in full: nothing is owed, no credit is available
    invoice, payment = a_paid_invoice(), a_payment()
    entries = [*invoice_entries(None, invoice, invoice.issued_at),
               *payment_entries(replace(payment, status=PaymentStatus.PENDING), payment, PAID_AT)]

    # When 25.00, then the remaining 75.00, are refunded
    first = refunded(payment, 2_500, minutes=10)
    second = refunded(first.payment, 7_500, minutes=20)
    for done, minutes in ((first, 10), (second, 20)):
        entries += credit_note_entries(None, done.credit_note, PAID_AT + timedelta(minutes=minutes))

    # Then the statement still ends at open invoice balances (0) less open credit-note balances (0)
    [statement] = build_statements(entries, date(2026, 11, 1), date(2026, 11, 30))
    assert statement.closing_balance.amount_minor == invoice.balance_minor - sum(
        d.credit_note.balance_minor for d in (first, second)) == 0
    assert (statement.credited.amount_minor, statement.refunded.amount_minor) == (10_000, 10_000)
    assert [row.balance.amount_minor for row in statement.rows] == [10_000, 0, -2_500, 0, -7_500, 0]


def test_a_payment_of_several_invoices_is_refunded_without_naming_one_of_them():
    payment = a_payment(10_000, invoices=("inv_1", "inv_2"))

    done = refunded(payment, 4_000)

    assert (done.credit_note.invoice_id, done.credit_note.payment_id) == (None, "pay_1")


def test_only_the_increase_of_a_reported_refunded_total_is_new_and_it_never_exceeds_what_was_paid():
    # Given a payment of 100.00 with 40.00 refunded
    payment = refunded(a_payment(), 4_000).payment

    # Then a total of 10.00 or 40.00 (late, or again) adds nothing, 50.00 adds 10.00, 120.00 adds 60.00
    assert [refund_increase(payment, total) for total in (1_000, 4_000, 5_000, 12_000)] == [0, 0, 1_000, 6_000]


def test_a_merchant_refunds_all_that_is_left_unless_told_and_never_more():
    payment = refunded(a_payment(), 3_000).payment

    assert amount_to_refund(payment, None) == 7_000
    assert amount_to_refund(payment, 7_000) == 7_000
    with pytest.raises(BusinessRuleViolation) as too_much:
        amount_to_refund(payment, 7_001)
    assert (too_much.value.code, too_much.value.details["refundable_minor"]) == ("refund_exceeds_payment", 7_000)
    with pytest.raises(BusinessRuleViolation) as nothing_left:
        amount_to_refund(refunded(payment, 7_000, minutes=20).payment, None)
    assert nothing_left.value.code == "payment_fully_refunded"


@pytest.mark.parametrize("status", [PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, PaymentStatus.FAILED])
def test_a_payment_that_did_not_succeed_cannot_be_refunded(status):
    payment = a_payment(status=status)

    with pytest.raises(PaymentNotRefundable) as refused:
        amount_to_refund(payment, 1_000)

    assert isinstance(refused.value, Conflict) and refused.value.details == {"status": status.value}
    assert refundable_minor(payment) == 0


def test_documenting_more_than_is_left_is_a_programming_error():
    payment = refunded(a_payment(), 9_000).payment

    with pytest.raises(ValueError):
        refunded(payment, 1_001, minutes=20)
    with pytest.raises(ValueError):
        refunded(payment, 0, minutes=20)
