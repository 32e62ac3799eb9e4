"""The customer's documents as ledger entries (services/statements.py), reconciled: statements
add up, follow on from one another, and over all time equal what the documents still say is
owed. Pure: no AWS."""
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from chalicelib.domain.documents import (CreditApplication, CreditNote, CreditNoteStatus, DocumentLine, Invoice,
                                         InvoiceStatus)
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.domain.statement import build_statements
from chalicelib.services.statements import ledger_entries, statement_range

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
                   status=status, issued_at=issued, due_at=issued + timedelta(days=15),
                   lines=(DocumentLine("Plan", total),), subtotal_minor=total, tax_minor=0, total_minor=total,
                   amount_paid_minor=paid, credits_applied=credit, voided_at=voided_at)


def a_payment(n: int, amount: int, when: datetime, invoice_id: str, *, refunded: int = 0,
              status: PaymentStatus = PaymentStatus.SUCCEEDED, currency: str = "USD") -> Payment:
    return Payment(payment_id=f"pay_{n}", customer_id="cus_1", status=status, amount_minor=amount,
                   currency=currency, allocations=(Allocation(invoice_id, amount),), created_at=when,
                   gateway="simulated", method_summary="Visa •••• 4242",
                   succeeded_at=when if status == PaymentStatus.SUCCEEDED else None, refunded_minor=refunded)


def a_credit_note(n: int, total: int, issued: datetime, *, applied: int = 0, refunded: int = 0,
                  void: bool = False, currency: str = "USD") -> CreditNote:
    balance = 0 if void else total - applied - refunded
    status = CreditNoteStatus.VOID if void else CreditNoteStatus.OPEN if balance else CreditNoteStatus.CLOSED
    return CreditNote(credit_note_id=f"cn_{n}", customer_id="cus_1", number=f"CN-{n:06d}", currency=currency,
                      status=status, issued_at=issued, lines=(DocumentLine("Credit", total),), total_minor=total,
                      balance_minor=balance, refunded_minor=refunded)


# --- examples ---------------------------------------------------------------------------------

def test_each_document_becomes_entries_signed_by_what_it_does_to_the_balance():
    # Given an invoice paid (10.00 refunded), a voided invoice, a credit note partly refunded,
    # a failed payment and a voided credit note
    paid = an_invoice(1, 10_000, at(1), paid=10_000)
    voided = an_invoice(2, 2_000, at(2), voided_at=at(3))
    entries = ledger_entries(
        [paid, voided],
        [a_payment(1, 10_000, at(4), paid.invoice_id, refunded=1_000),
         a_payment(2, 5_000, at(5), voided.invoice_id, status=PaymentStatus.FAILED)],
        [a_credit_note(1, 3_000, at(6), refunded=500), a_credit_note(2, 700, at(7), void=True)])

    # Then each counts once, with its sign; failed payments and void credit notes not at all
    assert [(e.kind, e.reference, e.amount.amount_minor) for e in entries] == [
        ("invoice", "INV-000001", 10_000), ("invoice", "INV-000002", 2_000), ("void", "INV-000002", -2_000),
        ("payment", "pay_1", -10_000), ("refund", "pay_1", 1_000),
        ("credit_note", "CN-000001", -3_000), ("refund", "CN-000001", 500)]
    payment = next(e for e in entries if e.kind == "payment")
    assert payment.description == "Visa •••• 4242 for INV-000001" and payment.at == at(4)
    assert next(e for e in entries if e.kind == "void").at == at(3)


def test_entries_keep_the_currency_of_their_document():
    entries = ledger_entries([an_invoice(1, 100, at(1), currency="EUR"), an_invoice(2, 200, at(1))], [], [])

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
            payments.append(a_payment(n, paid, issued + timedelta(days=draw(days)), invoice.invoice_id,
                                      refunded=draw(st.integers(min_value=0, max_value=paid))))
    for n in range(draw(st.integers(min_value=0, max_value=3))):
        total = draw(amounts)
        notes.append(a_credit_note(100 + n, total, at(draw(days)), void=draw(st.booleans()),
                                   refunded=draw(st.integers(min_value=0, max_value=total))))
    return invoices, payments, notes


def owed_by_the_documents(invoices, payments, notes) -> int:
    """What the documents say is owed now: open invoice balances, less open credit, plus money
    refunded from payments (it was paid back, so it is owed again)."""
    return (sum(i.balance_minor for i in invoices) - sum(n.balance_minor for n in notes)
            + sum(p.refunded_minor for p in payments))


@settings(max_examples=150, deadline=None)
@given(ledgers(), days, days)
def test_statements_reconcile_follow_on_and_match_the_documents(ledger, first, length):
    invoices, payments, notes = ledger
    entries = ledger_entries(invoices, payments, notes)
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
