"""Statement of accounts: the customer's ledger (invoices, payments, credit notes, refunds)
read with Queries on the customer's own partition, then `domain.statement.build_statements`.

Where an entry falls in time:
- an invoice when issued; if voided, a `void` entry takes its total back when voided;
- a payment when it succeeded (pending and failed payments owe nothing and are left out);
- a credit note when issued (a voided one never counted and is left out);
- a refund (`refunded_minor` of a payment or credit note) at the time of what it refunds,
  as neither records when it was refunded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, Iterable, Iterator

from ..domain.documents import CreditNote, CreditNoteStatus, Invoice, InvoiceStatus
from ..domain.errors import InvalidInput
from ..domain.money import Money
from ..domain.organization import Organization
from ..domain.payments import Payment, PaymentStatus
from ..domain.statement import LedgerEntry, Statement, build_statements, month_to_date
from ..tables.repositories import organizations, payments
from ..tables.repositories.documents import credit_notes, invoices

PAGE = 100
LONGEST_RANGE_DAYS = 366 * 10


@dataclass(frozen=True)
class StatementOfAccounts:
    customer_id: str
    start: date
    end: date
    statements: list[Statement]   # one per currency


def statement_of_accounts(org_id: str, customer_id: str, *, start: date | None, end: date | None,
                          now: datetime) -> StatementOfAccounts:
    """The statement for `start`..`end` (both included, UTC days); by default this month so far."""
    return statement_for(organizations.get(org_id), customer_id, start=start, end=end, now=now)


def statement_for(org: Organization, customer_id: str, *, start: date | None, end: date | None,
                  now: datetime) -> StatementOfAccounts:
    """As `statement_of_accounts`, for an organization read already. Customers bill in the
    organization's currency: a customer without transactions gets an empty statement in it."""
    org_id = org.org_id
    start, end = statement_range(start, end, today=org.now(now).date())
    entries = ledger_entries(_all(lambda cursor: invoices.page(org_id, customer_id, limit=PAGE, cursor=cursor)),
                             _all(lambda cursor: payments.page(org_id, customer_id, limit=PAGE, cursor=cursor)),
                             _all(lambda cursor: credit_notes.page(org_id, customer_id, limit=PAGE, cursor=cursor)))
    return StatementOfAccounts(customer_id, start, end,
                               build_statements(entries, start, end, default_currency=org.currency))


def statement_range(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """The asked range, filled in from this month: no `from` is the 1st, no `to` is today."""
    default_start, default_end = month_to_date(today)
    start, end = start or default_start, end or default_end
    if start > end:
        raise InvalidInput({"query.from": "Must not be after `to`."})
    if (end - start).days > LONGEST_RANGE_DAYS:
        raise InvalidInput({"query.from": "A statement covers at most ten years."})
    return start, end


def ledger_entries(invoice_list: Iterable[Invoice], payment_list: Iterable[Payment],
                   credit_note_list: Iterable[CreditNote]) -> list[LedgerEntry]:
    """Every transaction that changed what the customer owes, as signed ledger entries."""
    invoice_list = list(invoice_list)
    numbers = {invoice.invoice_id: invoice.number for invoice in invoice_list}
    entries: list[LedgerEntry] = []
    for invoice in invoice_list:
        entries.append(_entry(invoice.issued_at, "invoice", invoice.number, f"Due {invoice.due_at.date()}",
                              invoice.total_minor, invoice.currency))
        if invoice.status == InvoiceStatus.VOID:
            entries.append(_entry(invoice.voided_at or invoice.issued_at, "void", invoice.number, "",
                                  -invoice.total_minor, invoice.currency))
    for payment in payment_list:
        if payment.status != PaymentStatus.SUCCEEDED:
            continue
        at = payment.succeeded_at or payment.created_at
        paid_for = ", ".join(numbers.get(a.invoice_id, a.invoice_id) for a in payment.allocations)
        details = " ".join(part for part in (payment.method_summary, f"for {paid_for}" if paid_for else "") if part)
        entries.append(_entry(at, "payment", payment.payment_id, details, -payment.amount_minor, payment.currency))
        if payment.refunded_minor:
            entries.append(_entry(at, "refund", payment.payment_id, "Payment refunded", payment.refunded_minor,
                                  payment.currency))
    for note in credit_note_list:
        if note.status == CreditNoteStatus.VOID:
            continue
        entries.append(_entry(note.issued_at, "credit_note", note.number, note.reason, -note.total_minor,
                              note.currency))
        if note.refunded_minor:
            entries.append(_entry(note.issued_at, "refund", note.number, "Credit refunded", note.refunded_minor,
                                  note.currency))
    return entries


def _entry(at: datetime, kind: str, reference: str, description: str, amount_minor: int,
           currency: str) -> LedgerEntry:
    return LedgerEntry(at=at, kind=kind, reference=reference, description=description,
                       amount=Money(amount_minor, currency))


def _all(page_of: Callable[[str | None], object]) -> Iterator:
    """Every item of a paged Query, page after page."""
    cursor = None
    while True:
        page = page_of(cursor)
        yield from page.items
        cursor = page.next_cursor
        if not cursor:
            return
