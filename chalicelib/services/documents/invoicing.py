"""Raising the documents of a subscription: the invoice of a term or of a prorated change, and
the credit note of a change's unused time, with the customer's available credits applied.

Two steps, so the caller's own change (the subscription) commits with them: `issue` (or `bill`)
prepares everything (taking document numbers) from what the domain decided a subscription bills,
`write` puts it in the caller's transaction — invoice, credit notes whose balances went down, the
account summary (once), the activity records and the documents' numbers, taken there
(services/numbering.py): a caller whose transaction loses a number to another document prepares
again (`numbering.retried`). The renewal job reuses both.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Sequence

from ...domain import billing
from ...domain.account_summary import AccountSummary, SummaryChange, credit_note_moved
from ...domain.calendar import Term, local_date
from ...domain.credits import AvailableCredit, allocate_credits
from ...domain.documents import CreditApplication, CreditNote, CreditNoteStatus, Invoice, InvoiceStatus
from ...domain.engagement import ActivityRecord, Actor
from ...domain.ids import new_id
from ...domain.money import Money
from ...domain.organization import Organization
from ...domain.pricing import Line
from ..numbering import CREDIT_NOTE_NUMBERS, INVOICE_NUMBERS, Numbers


@dataclass(frozen=True)
class Billing:
    """What one action bills, ready to be written in its transaction."""
    currency: str
    customer_id: str
    invoice: Invoice | None = None
    credit_note: CreditNote | None = None                 # issued by this action
    credit_notes_used: tuple[tuple[CreditNote, CreditNote], ...] = ()   # earlier notes: (as read, lowered)
    summary: SummaryChange = field(default_factory=SummaryChange)
    records: tuple[ActivityRecord, ...] = ()
    numbers: Numbers | None = field(default=None, compare=False, repr=False)   # the documents', taken by `write`

    @property
    def amount_due_minor(self) -> int:
        return self.invoice.balance_minor if self.invoice else 0


def open_credits(adapters, org_id: str, customer_id: str) -> list[CreditNote]:
    """The customer's credit notes with a balance left: their available credits."""
    return [note for note in adapters.uow.credit_notes.all_in_status(org_id, customer_id, CreditNoteStatus.OPEN.value)
            if note.balance_minor > 0]


def listed_credit_notes(summary: AccountSummary | None) -> frozenset[str]:
    """The credit notes to read by key for the customer's credits: those its summary lists as open."""
    return summary.open_credit_note_ids if summary is not None else frozenset()


def open_credits_listed(adapters, org_id: str, customer_id: str, summary: AccountSummary | None,
                        notes_read: Sequence[CreditNote]) -> list[CreditNote]:
    """The open credits, from the notes the summary lists (`notes_read`, read by key): nothing to
    read when it shows none. They must add up to its available credits; when they do not (a summary
    older than the list, or a change in between), the Query finds them."""
    if summary is None or (summary.credits_minor == 0 and not summary.open_credit_note_ids):
        return []
    found = [note for note in notes_read if note.status == CreditNoteStatus.OPEN and note.balance_minor > 0]
    if sum(note.balance_minor for note in found) == summary.credits_minor:
        return found
    return open_credits(adapters, org_id, customer_id)


def available(notes: Sequence[CreditNote]) -> list[AvailableCredit]:
    return [AvailableCredit(n.credit_note_id, Money(n.balance_minor, n.currency), n.issued_at) for n in notes]


def bill(adapters, org: Organization, *, customer_id: str, currency: str, now: datetime, actor: Actor,
         subscription_id: str | None, charge_lines: Sequence[Line] = (), period: Term | None = None,
         credit_lines: Sequence[Line] = (), credit_reason: str = "", credits: Sequence[CreditNote] = (),
         issued_at: datetime | None = None, numbers: Numbers | None = None) -> Billing:
    """A credit note for `credit_lines` (if they credit anything) and an invoice for `charge_lines`
    (if any), with `credits` (open credit notes, oldest first) and then the new note applied to it.
    The invoice is dated `issued_at` (a catch-up renewal: the day its term began), else now. The
    documents are numbered from `numbers` (by default the sequences as they now stand)."""
    numbers = numbers or Numbers(adapters, org.org_id)
    note = _credit_note(numbers, org, customer_id, currency, credit_lines, credit_reason, subscription_id, now)
    invoice = (_invoice(numbers, org, customer_id, currency, charge_lines, period, subscription_id, issued_at or now)
               if charge_lines else None)
    used: list[tuple[CreditNote, CreditNote]] = []
    if invoice is not None and invoice.balance_minor > 0:
        pool = {n.credit_note_id: n for n in [*credits, *([note] if note else [])] if n.currency == currency}
        allocations = allocate_credits(invoice.balance, available(list(pool.values())))
        invoice = _with_credits(invoice, [(pool[note_id], amount) for note_id, amount in allocations], now)
        for note_id, amount in allocations:
            lowered = _lowered(pool[note_id], amount.amount_minor)
            if note is not None and note_id == note.credit_note_id:
                note = lowered
            else:
                used.append((pool[note_id], lowered))
    applied = invoice.credits_applied_minor if invoice else 0
    summary = SummaryChange(credits_minor=(note.total_minor if note else 0) - applied)
    if invoice is not None and invoice.is_outstanding():
        summary += SummaryChange(outstanding_count=1, outstanding_minor=invoice.balance_minor)
    if note is not None:
        summary += credit_note_moved(None, note)
    for read, lowered in used:
        summary += credit_note_moved(read, lowered)
    return Billing(currency=currency, customer_id=customer_id, invoice=invoice, credit_note=note,
                   credit_notes_used=tuple(used), summary=summary,
                   records=_records(customer_id, actor, now, invoice, note), numbers=numbers)


def issue(adapters, org: Organization, billed: billing.Bill, *, now: datetime, actor: Actor,
          credits: Sequence[CreditNote] = (), numbers: Numbers | None = None) -> Billing:
    """The documents of a subscription's `billed` (domain/billing.py), ready for the caller's
    transaction. A term invoiced after the day it began (a job catching up) is dated that day."""
    sub = billed.subscription
    starts = billed.period.start if billed.period else None
    issued_at = sub.day_starts(starts) if starts is not None and starts < sub.today(now) else now
    return bill(adapters, org, customer_id=sub.customer_id, currency=sub.currency, now=now, actor=actor,
                subscription_id=sub.subscription_id, charge_lines=billed.charge_lines, period=billed.period,
                credit_lines=billed.credit_lines, credit_reason=billed.credit_reason, credits=credits,
                issued_at=issued_at, numbers=numbers)


@dataclass(frozen=True)
class Written:
    """The documents `write` put in a transaction, as stored once it has committed."""
    invoice_item: object | None = None
    credit_note_item: object | None = None

    def invoice(self, adapters) -> Invoice | None:
        return adapters.uow.invoices.saved(self.invoice_item) if self.invoice_item is not None else None

    def credit_note(self, adapters) -> CreditNote | None:
        return adapters.uow.credit_notes.saved(self.credit_note_item) if self.credit_note_item is not None else None


def write(adapters, tx, org_id: str, billed: Billing, *, now: datetime,
          also: SummaryChange = SummaryChange()) -> Written:
    """Put `billed` in the caller's transaction (with its ledger entries and its documents' numbers).
    Notes read earlier are written on their version; the account summary is changed once (with the
    caller's own change `also`)."""
    invoice_item = note_item = None
    if billed.numbers is not None:
        billed.numbers.take_in(tx)
    if billed.invoice is not None:
        invoice_item = adapters.uow.invoices.save_in(tx, org_id, billed.invoice, before=None, now=now)
    if billed.credit_note is not None:
        note_item = adapters.uow.credit_notes.save_in(tx, org_id, billed.credit_note, before=None, now=now)
    for read, lowered in billed.credit_notes_used:
        adapters.uow.credit_notes.save_in(tx, org_id, lowered, before=read, now=now)
    adapters.uow.account_summaries.apply_in(tx, org_id, billed.customer_id, billed.currency, billed.summary + also)
    for record in billed.records:
        adapters.uow.activity.record(org_id, record, tx)
    return Written(invoice_item, note_item)


# --- pieces ----------------------------------------------------------------------------------

def _invoice(numbers: Numbers, org: Organization, customer_id: str, currency: str, lines: Sequence[Line],
             period: Term | None, subscription_id: str | None, issued_at: datetime) -> Invoice:
    return billing.build_invoice(
        invoice_id=new_id("invoice", issued_at),
        number=billing.number("INV", numbers.next(INVOICE_NUMBERS)),
        customer_id=customer_id, currency=currency, lines=billing.document_lines(list(lines)), issued_at=issued_at,
        issued_on=local_date(issued_at, org.time_zone), payment_terms_days=org.payment_terms_days,
        subscription_id=subscription_id, period=period)


def _credit_note(numbers: Numbers, org: Organization, customer_id: str, currency: str, lines: Sequence[Line], reason: str,
                 subscription_id: str | None, now: datetime) -> CreditNote | None:
    doc_lines = billing.rounded_lines(billing.document_lines(list(lines)), currency)
    credited = sum(line.amount_minor for line in doc_lines)
    if credited <= 0:
        return None
    return CreditNote(credit_note_id=new_id("credit_note", now), customer_id=customer_id,
                      number=billing.number("CN", numbers.next(CREDIT_NOTE_NUMBERS)),
                      currency=currency, status=CreditNoteStatus.OPEN, issued_at=now, lines=doc_lines,
                      total_minor=credited, balance_minor=credited, reason=reason, subscription_id=subscription_id)


def _with_credits(invoice: Invoice, allocations: list[tuple[CreditNote, Money]], now: datetime) -> Invoice:
    applied = tuple(CreditApplication(note.credit_note_id, amount.amount_minor, now, note.number)
                    for note, amount in allocations)
    credited = replace(invoice, credits_applied=invoice.credits_applied + applied)
    if credited.balance_minor <= 0:
        return replace(credited, status=InvoiceStatus.PAID, paid_at=now)
    return credited


def _lowered(note: CreditNote, amount_minor: int) -> CreditNote:
    balance = note.balance_minor - amount_minor
    return replace(note, balance_minor=balance,
                   status=CreditNoteStatus.OPEN if balance > 0 else CreditNoteStatus.CLOSED)


def _records(customer_id: str, actor: Actor, now: datetime, invoice: Invoice | None,
             note: CreditNote | None) -> tuple[ActivityRecord, ...]:
    records = []
    if note is not None:
        records.append(ActivityRecord(new_id("activity", now), customer_id, actor, "credit_note.issued",
                                      "credit_note", note.credit_note_id, now,
                                      f"{note.number}: {Money(note.total_minor, note.currency).labelled()}"))
    if invoice is not None:
        credited = Money(invoice.credits_applied_minor, invoice.currency)
        summary = f"{invoice.number}: {Money(invoice.total_minor, invoice.currency).labelled()}"
        if invoice.credits_applied:
            summary += f", {credited.labelled()} of available credits applied"
        records.append(ActivityRecord(new_id("activity", now), customer_id, actor, "invoice.issued", "invoice",
                                      invoice.invoice_id, now, summary,
                                      after={"credits_applied": {a.credit_note_id: a.amount_minor
                                                                 for a in invoice.credits_applied}}))
    return tuple(records)
