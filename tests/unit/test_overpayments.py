"""An overpayment credit (domain/overpayments.py) documents money its payment already counted: its
issue adds no ledger entry, its use on an invoice none, its refund and its void one each; refunding
its payment gives that credit back first and documents only the rest by a refund note. After each
step the statement ends at open invoice balances less open credit-note balances. Pure: no AWS."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from chalicelib.domain.documents import (CreditApplication, CreditNoteKind, CreditNoteStatus, DocumentLine, Invoice,
                                         InvoiceStatus)
from chalicelib.domain.ledger import (credit_note_entries, invoice_entries, payment_entries,
                                      rebuilt_credit_note_entries)
from chalicelib.domain.overpayments import credit_to_give_back, give_back, overpayment_credit
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.domain.refunds import document_refund, refund_note_needed
from chalicelib.domain.statement import build_statements

UTC = timezone.utc
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def an_invoice(n: int, total: int, *, paid: int = 0, credited: tuple[CreditApplication, ...] = ()) -> Invoice:
    settled = paid + sum(c.amount_minor for c in credited)
    return Invoice(invoice_id=f"inv_{n}", customer_id="cus_1", number=f"INV-{n:06d}", currency="USD",
                   status=InvoiceStatus.PAID if settled >= total else InvoiceStatus.OPEN, issued_at=at(0),
                   due_on=date(2026, 11, 17), lines=(DocumentLine("Work", total),), subtotal_minor=total,
                   tax_minor=0, total_minor=total, amount_paid_minor=paid, credits_applied=credited)


def a_payment(payment_id: str, amount: int, minutes: int, *, gateway: str = "simulated") -> Payment:
    return Payment(payment_id=payment_id, customer_id="cus_1", status=PaymentStatus.SUCCEEDED, amount_minor=amount,
                   currency="USD", allocations=(Allocation("inv_1", amount),), created_at=at(0), gateway=gateway,
                   method_summary="Visa •••• 3184", succeeded_at=at(minutes))


class Books:
    """One customer's documents as they stand and the ledger entries their changes wrote."""

    def __init__(self):
        self.invoices, self.notes, self.entries = {}, {}, []

    def invoice(self, invoice: Invoice) -> None:
        self.entries += invoice_entries(self.invoices.get(invoice.invoice_id), invoice, invoice.issued_at)
        self.invoices[invoice.invoice_id] = invoice

    def payment(self, payment: Payment) -> None:
        self.entries += payment_entries(None, payment, payment.succeeded_at)

    def note(self, note, now: datetime) -> None:
        self.entries += credit_note_entries(self.notes.get(note.credit_note_id), note, now)
        self.notes[note.credit_note_id] = note

    def closing(self) -> int:
        [statement] = build_statements(self.entries, date(2026, 1, 1), date(2030, 1, 1))
        return statement.closing_balance.amount_minor

    def documents(self) -> int:
        return (sum(i.balance_minor for i in self.invoices.values())
                - sum(n.balance_minor for n in self.notes.values()))


def overpaid_by_card() -> tuple[Books, Payment, object]:
    """An invoice of 100.00 paid by bank transfer while a card payment of 100.00 waited for 3-D
    Secure, which then succeeded: 100.00 of it kept as its overpayment credit."""
    books = Books()
    books.invoice(an_invoice(1, 10_000))
    books.payment(a_payment("pay_bank", 10_000, 2, gateway="offline"))
    books.invoice(an_invoice(1, 10_000, paid=10_000))
    card, credit = overpayment_credit(replace(a_payment("pay_card", 10_000, 3), allocations=()), 10_000,
                                      credit_note_id="cn_1", number="CN-000001", now=at(3))
    books.payment(card)
    books.note(credit, at(3))
    return books, card, credit


def test_an_overpayment_credit_is_an_open_note_of_its_payment_and_adds_no_entry_of_its_own():
    # Given a card payment of 100.00 that found its invoice paid by bank transfer meanwhile
    books, card, credit = overpaid_by_card()

    # Then the payment names its credit, an open note of 100.00 of kind overpayment naming the payment
    assert card.overpayment_credit_note_id == credit.credit_note_id == "cn_1"
    assert (credit.kind, credit.status, credit.total_minor, credit.balance_minor, credit.payment_id) == (
        CreditNoteKind.OVERPAYMENT, CreditNoteStatus.OPEN, 10_000, 10_000, "pay_card")
    assert credit.lines[0].description == "Overpayment of payment pay_card"
    # And its issue adds nothing: the card payment's entry counted the money once
    assert credit_note_entries(None, credit, at(3)) == []
    assert [(e.kind, e.amount.amount_minor) for e in books.entries] == [
        ("invoice", 10_000), ("payment", -10_000), ("payment", -10_000)]
    # And the statement ends at open invoices (0) less available credits (100.00)
    assert books.closing() == books.documents() == -10_000


def test_an_overpayment_credit_used_on_an_invoice_adds_nothing_and_the_books_still_agree():
    # Given 100.00 of overpayment credit
    books, _card, credit = overpaid_by_card()

    # When 60.00 of it pays a new invoice of 60.00
    books.invoice(replace(an_invoice(2, 6_000), issued_at=at(4)))
    books.invoice(replace(an_invoice(2, 6_000, credited=(CreditApplication("cn_1", 6_000, at(5)),)), issued_at=at(4)))
    books.note(replace(credit, balance_minor=4_000), at(5))

    # Then no entry is added for the use, and 40.00 of credit is left on both sides
    assert [e.kind for e in books.entries][-1] == "invoice"
    assert books.closing() == books.documents() == -4_000


def test_an_overpayment_credit_voided_or_refunded_counts_back_as_any_note_does():
    _books, _card, credit = overpaid_by_card()

    voided = replace(credit, status=CreditNoteStatus.VOID, balance_minor=0)
    refunded = give_back(credit, 2_500)

    assert [(e.kind, e.amount.amount_minor, e.at) for e in credit_note_entries(credit, voided, at(9))] == [
        ("credit_note_void", 10_000, at(9))]
    assert [(e.kind, e.amount.amount_minor, e.at) for e in credit_note_entries(credit, refunded, at(9))] == [
        ("refund", 2_500, at(9))]
    assert (refunded.status, refunded.balance_minor, refunded.refunded_minor) == (CreditNoteStatus.OPEN, 7_500, 2_500)
    assert give_back(refunded, 7_500).status == CreditNoteStatus.CLOSED


def test_refunding_the_payment_gives_its_overpayment_credit_back_as_one_document_and_no_refund_note():
    # Given 100.00 of overpayment credit from the card payment
    books, card, credit = overpaid_by_card()

    # When the card payment is refunded in full
    assert not refund_note_needed(card, 10_000, credit)
    done = document_refund(card, 10_000, overpayment=credit, now=at(10))
    books.note(done.overpayment, at(10))

    # Then the credit is given back (refunded, closed), no refund note is issued, the payment records it
    assert done.credit_note is None
    assert (done.overpayment.status, done.overpayment.balance_minor, done.overpayment.refunded_minor) == (
        CreditNoteStatus.CLOSED, 0, 10_000)
    assert done.payment.refunded_minor == 10_000
    assert [(r.credit_note_id, r.number, r.amount_minor, r.refunded_at) for r in done.payment.refunds] == [
        ("cn_1", "CN-000001", 10_000, at(10))]
    # And the books count the 100.00 given back once: nothing owed, no credit left
    assert books.entries[-1].kind == "refund"
    assert books.closing() == books.documents() == 0


def test_a_refund_beyond_what_is_left_of_the_credit_documents_only_the_rest_by_a_refund_note():
    # Given 100.00 of overpayment credit, 60.00 of it used on a new invoice
    books, card, credit = overpaid_by_card()
    books.invoice(replace(an_invoice(2, 6_000, credited=(CreditApplication("cn_1", 6_000, at(5)),)), issued_at=at(4)))
    used = replace(credit, balance_minor=4_000)
    books.note(used, at(5))

    # When 30.00 then the remaining 70.00 of the card payment are refunded
    first = document_refund(card, 3_000, overpayment=used, now=at(10))
    books.note(first.overpayment, at(10))
    assert books.closing() == books.documents() == -1_000
    assert refund_note_needed(first.payment, 7_000, first.overpayment)
    second = document_refund(first.payment, 7_000, overpayment=first.overpayment, credit_note_id="cn_2",
                             number="CN-000002", now=at(20), reason="Customer asked")
    books.note(second.overpayment, at(20))
    books.note(second.credit_note, at(20))

    # Then the first is given back from the credit alone, the second from its last 10.00 and a refund note of 60.00
    assert first.credit_note is None and first.overpayment.balance_minor == 1_000
    assert (second.overpayment.status, second.overpayment.refunded_minor) == (CreditNoteStatus.CLOSED, 4_000)
    assert (second.credit_note.kind, second.credit_note.total_minor, second.credit_note.refunded_minor) == (
        CreditNoteKind.REFUND, 6_000, 6_000)
    assert [(r.number, r.amount_minor) for r in second.payment.refunds] == [
        ("CN-000001", 3_000), ("CN-000001", 1_000), ("CN-000002", 6_000)]
    assert second.payment.refunded_minor == 10_000
    assert books.closing() == books.documents() == 0


def test_a_credit_used_up_voided_or_of_another_payment_gives_nothing_back():
    _books, card, credit = overpaid_by_card()
    other = replace(credit, credit_note_id="cn_9", payment_id="pay_other")

    assert credit_to_give_back(replace(credit, balance_minor=0, status=CreditNoteStatus.CLOSED), 5_000) == 0
    assert credit_to_give_back(replace(credit, balance_minor=0, status=CreditNoteStatus.VOID), 5_000) == 0
    assert credit_to_give_back(replace(credit, kind=CreditNoteKind.CREDIT), 5_000) == 0
    assert credit_to_give_back(credit, 5_000) == 5_000
    done = document_refund(card, 5_000, overpayment=other, credit_note_id="cn_2", number="CN-000002", now=at(10))
    assert done.overpayment is None and done.credit_note.total_minor == 5_000
    with pytest.raises(ValueError):
        document_refund(card, 5_000, overpayment=None, now=at(10))   # a refund note is needed, and not named
    with pytest.raises(ValueError):
        give_back(credit, 10_001)


def test_rebuilding_the_ledger_gives_the_entries_the_overpayment_credit_wrote_along_the_way():
    # Given 100.00 of overpayment credit, 30.00 then 70.00 of its payment refunded, or voided instead
    books, card, credit = overpaid_by_card()
    first = document_refund(card, 3_000, overpayment=credit, now=at(10))
    second = document_refund(first.payment, 7_000, overpayment=first.overpayment, now=at(20))
    written = (credit_note_entries(None, credit, at(3)) + credit_note_entries(credit, first.overpayment, at(10))
               + credit_note_entries(first.overpayment, second.overpayment, at(20)))
    voided = replace(credit, status=CreditNoteStatus.VOID, balance_minor=0)

    # Then rebuilt from the note as it is now and its payment's refunds, they are the same entries
    rebuilt = rebuilt_credit_note_entries(second.overpayment, second.payment.refunds)
    assert rebuilt == written
    assert [(e.kind, e.amount.amount_minor, e.at) for e in rebuilt] == [("refund", 3_000, at(10)),
                                                                        ("refund", 7_000, at(20))]
    # And a voided one takes the payment's money back from the customer, dated by its issue
    assert [(e.kind, e.amount.amount_minor, e.at) for e in rebuilt_credit_note_entries(voided, ())] == [
        ("credit_note_void", 10_000, at(3))]
