"""What each change to a document adds to the customer's ledger (domain/ledger.py), and the
ledger reconciled: statements add up, follow on from one another, and over all time equal what
the documents still say is owed. Pure: no AWS."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from chalicelib.domain.documents import (CreditApplication, CreditNote, CreditNoteStatus, DocumentLine, Invoice,
                                         InvoiceStatus)
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.domain.ledger import credit_note_entries, invoice_entries, payment_entries
from chalicelib.domain.refunds import document_refund
from chalicelib.domain.statement import build_statements
from chalicelib.services.documents.statements import statement_range

UTC = timezone.utc
START = datetime(2026, 1, 1, tzinfo=UTC)
BEGINNING, END_OF_TIME = date(2000, 1, 1), date(2100, 1, 1)


def at(day: int, hour: int = 12) -> datetime:
    return START + timedelta(days=day, hours=hour)


def an_invoice(n: int, total: int, issued: datetime, *, paid: int = 0, credit: tuple = (),
               voided_at: datetime | None = None, currency: str = "USD") -> Invoice:
    settled = paid + sum(c.amount_minor for c in credit)
    status = (InvoiceStatus.VOID if voided_at else InvoiceStatus.PAID if settled >= total and total
              else InvoiceStatus.PARTIALLY_PAID if settled else InvoiceStatus.OPEN)
    return Invoice(invoice_id=f"inv_{n}", customer_id="cus_1", number=f"INV-{n:06d}", currency=currency,
                   status=status, issued_at=issued, due_on=(issued + timedelta(days=15)).date(),
                   lines=(DocumentLine("Plan", total),), subtotal_minor=total, tax_minor=0, total_minor=total,
                   amount_paid_minor=paid, credits_applied=credit, voided_at=voided_at)


def a_payment(n: int, amount: int, when: datetime, invoice_id: str, *,
              status: PaymentStatus = PaymentStatus.SUCCEEDED, currency: str = "USD") -> Payment:
    return Payment(payment_id=f"pay_{n}", customer_id="cus_1", status=status, amount_minor=amount,
                   currency=currency, allocations=(Allocation(invoice_id, amount),), created_at=when,
                   gateway="simulated", method_summary="Visa •••• 4242",
                   succeeded_at=when if status == PaymentStatus.SUCCEEDED else None)


def a_credit_note(n: int, total: int, issued: datetime, *, applied: int = 0, refunded: int = 0,
                  void: bool = False, currency: str = "USD") -> CreditNote:
    balance = 0 if void else total - applied - refunded
    status = CreditNoteStatus.VOID if void else CreditNoteStatus.OPEN if balance else CreditNoteStatus.CLOSED
    return CreditNote(credit_note_id=f"cn_{n}", customer_id="cus_1", number=f"CN-{n:06d}", currency=currency,
                      status=status, issued_at=issued, lines=(DocumentLine("Credit", total),), total_minor=total,
                      balance_minor=balance, refunded_minor=refunded)


def as_written(invoices=(), payments=(), notes=(), *, now: datetime) -> list:
    """The entries of documents written as they are now, each one new."""
    numbers = {invoice.invoice_id: invoice.number for invoice in invoices}
    return ([e for invoice in invoices for e in invoice_entries(None, invoice, now)]
            + [e for payment in payments for e in payment_entries(None, payment, now, invoice_numbers=numbers)]
            + [e for note in notes for e in credit_note_entries(None, note, now)])


def kinds(entries) -> list[tuple]:
    return [(e.kind, e.reference, e.amount.amount_minor) for e in entries]


# --- examples ---------------------------------------------------------------------------------

def test_an_invoice_counts_when_issued_and_is_taken_back_when_voided():
    issued = an_invoice(1, 10_000, at(1))
    voided = replace(issued, status=InvoiceStatus.VOID, voided_at=at(3))

    assert kinds(invoice_entries(None, issued, at(1))) == [("invoice", "INV-000001", 10_000)]
    [void] = invoice_entries(issued, voided, at(4))
    assert (void.kind, void.amount.amount_minor, void.at) == ("void", -10_000, at(3))
    assert invoice_entries(voided, voided, at(5)) == []     # voided once, counted once


def test_a_payment_is_named_on_the_statement_by_its_number_or_by_its_id_when_it_has_none():
    # Given a numbered payment and one that succeeded before payments were numbered
    invoice = an_invoice(1, 10_000, at(1))
    older = a_payment(1, 5_000, at(2), invoice.invoice_id)
    numbered = replace(a_payment(2, 5_000, at(3), invoice.invoice_id), number="PAY-000012")

    # When each is recorded as it succeeds
    [older_entry] = payment_entries(None, older, at(2))
    [numbered_entry] = payment_entries(None, numbered, at(3))

    # Then the statement row names the numbered one by its number, the older one by its id
    assert numbered_entry.reference == "PAY-000012"
    assert older_entry.reference == older.payment_id


def test_a_payment_counts_when_it_succeeds_and_its_refunds_count_through_their_credit_notes():
    # Given a pending payment for an invoice
    invoice = an_invoice(1, 10_000, at(1))
    pending = a_payment(1, 10_000, at(2), invoice.invoice_id, status=PaymentStatus.PENDING)
    succeeded = replace(pending, status=PaymentStatus.SUCCEEDED, succeeded_at=at(3))
    numbers = {invoice.invoice_id: invoice.number}

    # When it succeeds, then 10.00 of it is refunded
    refund = document_refund(succeeded, 1_000, credit_note_id="cn_9", number="CN-000009", now=at(20))

    # Then pending adds nothing; success adds the payment; the refund adds nothing through the
    # payment, and its credit note's credit and refund, dated when refunded, net to nothing
    assert payment_entries(None, pending, at(2)) == []
    [paid] = payment_entries(pending, succeeded, at(3), invoice_numbers=numbers)
    assert (paid.kind, paid.amount.amount_minor, paid.at) == ("payment", -10_000, at(3))
    assert paid.description == "Visa •••• 4242 for INV-000001"
    assert payment_entries(succeeded, refund.payment, at(20)) == []
    entries = credit_note_entries(None, refund.credit_note, at(20))
    assert [(e.kind, e.reference, e.amount.amount_minor, e.at) for e in entries] == [
        ("credit_note", "CN-000009", -1_000, at(20)), ("refund", "CN-000009", 1_000, at(20))]


def test_a_failed_payment_a_paid_invoice_and_an_applied_credit_move_nothing():
    invoice = an_invoice(1, 10_000, at(1))
    pending = a_payment(1, 10_000, at(2), invoice.invoice_id, status=PaymentStatus.PENDING)
    note = a_credit_note(1, 3_000, at(1))

    assert payment_entries(pending, replace(pending, status=PaymentStatus.FAILED), at(3)) == []
    assert invoice_entries(invoice, replace(invoice, status=InvoiceStatus.PAID, amount_paid_minor=10_000),
                           at(3)) == []
    assert credit_note_entries(note, replace(note, balance_minor=0, status=CreditNoteStatus.CLOSED), at(3)) == []


def test_a_credit_note_counts_when_issued_and_counts_back_when_voided():
    note = a_credit_note(1, 3_000, at(1))
    voided = replace(note, status=CreditNoteStatus.VOID, balance_minor=0)

    assert kinds(credit_note_entries(None, note, at(1))) == [("credit_note", "CN-000001", -3_000)]
    [void] = credit_note_entries(note, voided, at(4))
    assert (void.kind, void.amount.amount_minor, void.at) == ("credit_note_void", 3_000, at(4))
    assert credit_note_entries(None, voided, at(4)) == []   # issued void: it never counted
    [refund] = credit_note_entries(note, replace(note, refunded_minor=500, balance_minor=2_500), at(6))
    assert (refund.kind, refund.amount.amount_minor, refund.at) == ("refund", 500, at(6))


def test_a_voided_credit_note_leaves_the_balance_as_before_it_was_issued():
    note = a_credit_note(1, 3_000, at(1))
    entries = [*invoice_entries(None, an_invoice(1, 10_000, at(0)), at(0)), *credit_note_entries(None, note, at(1)),
               *credit_note_entries(note, replace(note, status=CreditNoteStatus.VOID, balance_minor=0), at(4))]

    [statement] = build_statements(entries, at(0).date(), at(5).date())

    assert (statement.invoiced.amount_minor, statement.credited.amount_minor) == (10_000, 0)
    assert statement.closing_balance.amount_minor == 10_000


def test_entries_keep_the_currency_of_their_document():
    entries = as_written([an_invoice(1, 100, at(1), currency="EUR"), an_invoice(2, 200, at(1))], now=at(1))

    statements = build_statements(entries, BEGINNING, END_OF_TIME)

    assert [(s.currency, s.closing_balance.amount_minor) for s in statements] == [("EUR", 100), ("USD", 200)]


def test_the_range_defaults_to_this_month_so_far_and_must_run_forwards():
    today = date(2026, 11, 25)

    assert statement_range(None, None, today=today) == (date(2026, 11, 1), today)
    assert statement_range(date(2026, 1, 1), None, today=today) == (date(2026, 1, 1), today)
    assert statement_range(date(2026, 2, 1), date(2026, 2, 28), today=today) == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(InvalidInput) as backwards:
        statement_range(date(2026, 3, 2), date(2026, 3, 1), today=today)
    assert "query.from" in backwards.value.fields
    with pytest.raises(InvalidInput):
        statement_range(date(2000, 1, 1), date(2026, 1, 1), today=today)


# --- random ledgers ---------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=5_000_000)
days = st.integers(min_value=0, max_value=120)


@st.composite
def ledgers(draw):
    """A consistent set of documents: invoices paid, credited, refunded or voided in any mix."""
    invoices, payments, notes = [], [], []
    for n in range(draw(st.integers(min_value=0, max_value=8))):
        total, issued = draw(amounts), at(draw(days))
        if draw(st.booleans()) and draw(st.booleans()):
            invoices.append(an_invoice(n, total, issued, voided_at=issued + timedelta(days=draw(days))))
            continue
        paid = draw(st.integers(min_value=0, max_value=total))
        credit = draw(st.integers(min_value=0, max_value=total - paid))
        applications = ()
        if credit:
            note_total = credit + draw(amounts)
            refunded = draw(st.integers(min_value=0, max_value=note_total - credit))
            notes.append(a_credit_note(n, note_total, issued, applied=credit, refunded=refunded))
            applications = (CreditApplication(f"cn_{n}", credit, issued),)
        invoice = an_invoice(n, total, issued, paid=paid, credit=applications)
        invoices.append(invoice)
        if paid:
            payment = a_payment(n, paid, issued + timedelta(days=draw(days)), invoice.invoice_id)
            for part in draw(st.lists(st.integers(min_value=1, max_value=paid), max_size=3)):
                part = min(part, payment.amount_minor - payment.refunded_minor)
                if part:
                    refund = document_refund(payment, part, credit_note_id=f"cn_r{n}_{len(notes)}",
                                             number=f"CN-R{n}-{len(notes)}", now=payment.succeeded_at)
                    payment = refund.payment
                    notes.append(refund.credit_note)
            payments.append(payment)
    for n in range(draw(st.integers(min_value=0, max_value=3))):
        total = draw(amounts)
        notes.append(a_credit_note(100 + n, total, at(draw(days)), void=draw(st.booleans()),
                                   refunded=draw(st.integers(min_value=0, max_value=total))))
    return invoices, payments, notes


def owed_by_the_documents(invoices, payments, notes) -> int:
    """What the documents say is owed now: open invoice balances, less open credit. Money refunded
    from payments is in the credit notes that document it, refunded at once: it moves neither."""
    return sum(i.balance_minor for i in invoices) - sum(n.balance_minor for n in notes)


@settings(max_examples=150, deadline=None)
@given(ledgers(), days, days)
def test_statements_reconcile_follow_on_and_match_the_documents(ledger, first, length):
    invoices, payments, notes = ledger
    entries = as_written(invoices, payments, notes, now=at(first))
    start = at(first).date()
    end = start + timedelta(days=length)

    [period] = build_statements(entries, start, end, default_currency="USD")
    [before] = build_statements(entries, BEGINNING, start - timedelta(days=1), default_currency="USD")
    [after] = build_statements(entries, end + timedelta(days=1), END_OF_TIME, default_currency="USD")
    [all_time] = build_statements(entries, BEGINNING, END_OF_TIME, default_currency="USD")

    # the period adds up, row by row and in its totals
    balance = period.opening_balance.amount_minor
    for row in period.rows:
        balance += row.amount.amount_minor
        assert row.balance.amount_minor == balance and start <= row.at.date() <= end
    assert period.closing_balance.amount_minor == balance == (
        period.opening_balance.amount_minor + period.invoiced.amount_minor - period.paid.amount_minor
        - period.credited.amount_minor + period.refunded.amount_minor)
    assert [row.at for row in period.rows] == sorted(row.at for row in period.rows)
    # consecutive statements follow on from one another
    assert before.closing_balance == period.opening_balance
    assert period.closing_balance == after.opening_balance
    # and over all time the ledger says what the documents say
    assert all_time.closing_balance.amount_minor == after.closing_balance.amount_minor == \
        owed_by_the_documents(invoices, payments, notes)
