"""How payments and credits meet invoices: pure rules, no I/O (unit-tested without AWS), from one
invoice paid (`pay`) to a whole payment settled with the credits planned for it (`settle`).

Amounts are integer minor units. An invoice's balance is total - credits applied - paid;
nothing here ever takes a balance below zero: what does not fit is handed back as excess.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Iterable, Mapping, Sequence

from .account_summary import SummaryChange, credit_note_moved
from .credits import AvailableCredit, allocate_credits
from .documents import CreditApplication, CreditNote, CreditNoteStatus, Invoice, InvoiceStatus, PaymentApplied
from .money import Money
from .payments import Allocation, Payment, PaymentStatus

def pay(invoice: Invoice, amount_minor: int, now: datetime, *, payment_id: str,
        method_summary: str = "") -> tuple[Invoice, int]:
    """The invoice after `amount_minor` of payment `payment_id` is paid against it (the invoice
    keeps the payment's part), and how much of it fitted."""
    applied = min(amount_minor, invoice.balance_minor) if invoice.is_outstanding() else 0
    if applied <= 0:
        return invoice, 0
    part = PaymentApplied(payment_id, applied, now, method_summary)
    return _settled(replace(invoice, amount_paid_minor=invoice.amount_paid_minor + applied,
                            payments_applied=invoice.payments_applied + (part,)), now), applied


def credit(invoice: Invoice, credit_note_id: str, amount_minor: int, now: datetime, *,
           number: str | None = None) -> tuple[Invoice, int]:
    """The invoice after up to `amount_minor` of a credit note (numbered `number`) is applied, and
    how much was."""
    applied = min(amount_minor, invoice.balance_minor) if invoice.is_outstanding() else 0
    if applied <= 0:
        return invoice, 0
    application = CreditApplication(credit_note_id, applied, now, number)
    return _settled(replace(invoice, credits_applied=invoice.credits_applied + (application,)), now), applied


_LONG_AGO = datetime.min.replace(tzinfo=timezone.utc)   # when a payment with no time of success was paid


def payments_found(invoice_id: str, payments: Iterable[Payment]) -> tuple[PaymentApplied, ...]:
    """What each succeeded one of `payments` paid of invoice `invoice_id`, in the order they were
    paid: what the invoice keeps of them (`Invoice.payments_applied`), found for one paid before
    invoices kept them."""
    parts = [PaymentApplied(p.payment_id, a.amount_minor, p.succeeded_at, p.method_summary)
             for p in payments if p.status == PaymentStatus.SUCCEEDED
             for a in p.allocations if a.invoice_id == invoice_id]
    return tuple(sorted(parts, key=lambda part: (part.paid_at or _LONG_AGO, part.payment_id)))


def with_kept_facts(invoice: Invoice, payments: Iterable[Payment], note_numbers: Mapping[str, str]) -> Invoice | None:
    """`invoice` keeping its payments (found among `payments`) and its credit notes' numbers (from
    `note_numbers`), as an invoice paid and credited today keeps them; None where there is nothing
    to add, or where the payments found do not add up to what it was paid (it is then left to have
    them found each time it is shown)."""
    kept = invoice
    if not invoice.knows_its_payments:
        found = payments_found(invoice.invoice_id, payments)
        if sum(part.amount_minor for part in found) != invoice.amount_paid_minor:
            return None
        kept = replace(kept, payments_applied=found)
    credits = tuple(replace(c, number=note_numbers.get(c.credit_note_id)) if c.number is None else c
                    for c in invoice.credits_applied)
    kept = replace(kept, credits_applied=credits)
    return None if kept == invoice else kept


def use_credit(note: CreditNote, amount_minor: int) -> CreditNote:
    """The credit note after `amount_minor` of its balance was applied (closed once spent)."""
    if amount_minor > note.balance_minor or note.status != CreditNoteStatus.OPEN:
        raise ValueError(f"credit note {note.credit_note_id} cannot give {amount_minor}")
    balance = note.balance_minor - amount_minor
    return replace(note, balance_minor=balance,
                   status=CreditNoteStatus.OPEN if balance else CreditNoteStatus.CLOSED)


def credit_given_back(note: CreditNote, amount_minor: int) -> CreditNote:
    """The credit note after `amount_minor` applied from it comes back (the invoice it paid was
    taken back): open again with that balance."""
    if note.status == CreditNoteStatus.VOID or note.balance_minor + amount_minor > note.total_minor:
        raise ValueError(f"credit note {note.credit_note_id} cannot take back {amount_minor}")
    return replace(note, balance_minor=note.balance_minor + amount_minor, status=CreditNoteStatus.OPEN)


def usable_credit(note: CreditNote, wanted_minor: int) -> int:
    return min(wanted_minor, note.balance_minor) if note.status == CreditNoteStatus.OPEN else 0


def _settled(invoice: Invoice, now: datetime) -> Invoice:
    if invoice.balance_minor <= 0:
        return replace(invoice, status=InvoiceStatus.PAID, paid_at=invoice.paid_at or now)
    return replace(invoice, status=InvoiceStatus.PARTIALLY_PAID, paid_at=None)


def outstanding_change(before: Invoice, after: Invoice) -> SummaryChange:
    """How the outstanding figures move when `before` becomes `after`."""
    def figures(invoice: Invoice) -> tuple[int, int]:
        return (1, invoice.balance_minor) if invoice.is_outstanding() else (0, 0)
    (count_before, owed_before), (count_after, owed_after) = figures(before), figures(after)
    return SummaryChange(outstanding_count=count_after - count_before,
                         outstanding_minor=owed_after - owed_before)


def allocations(invoices: Sequence[Invoice], *, amount_minor: int | None = None,
                credits_by_invoice: dict[str, int] | None = None) -> tuple[Allocation, ...]:
    """What the charge pays on each invoice: its balance less the credits planned for it, or
    `amount_minor` (a partial payment of a single invoice)."""
    credits_by_invoice = credits_by_invoice or {}
    if amount_minor is not None:
        (invoice,) = invoices
        return (Allocation.of(invoice, min(amount_minor, invoice.balance_minor)),)
    return tuple(Allocation.of(i, i.balance_minor - credits_by_invoice.get(i.invoice_id, 0))
                 for i in invoices if i.balance_minor - credits_by_invoice.get(i.invoice_id, 0) > 0)


def plan_credits(invoices: Sequence[Invoice], notes: Sequence[CreditNote]) -> list[tuple[str, str, int]]:
    """(invoice_id, credit_note_id, amount) to apply: oldest credit first, invoices in the order
    given, never more than a balance, only credit in the invoice's currency."""
    open_notes = {n.credit_note_id: n for n in notes if n.status == CreditNoteStatus.OPEN}
    left = {note_id: note.balance_minor for note_id, note in open_notes.items()}
    plan = []
    for invoice in invoices:
        if not invoice.is_outstanding():
            continue
        usable = [AvailableCredit(note_id, Money(left[note_id], note.currency), note.issued_at)
                  for note_id, note in open_notes.items() if left[note_id] > 0]
        for note_id, amount in allocate_credits(invoice.balance, usable):
            plan.append((invoice.invoice_id, note_id, amount.amount_minor))
            left[note_id] -= amount.amount_minor
    return plan


@dataclass(frozen=True)
class Settled:
    """A succeeded payment's effect on what it paid, before anything is written."""
    invoices: dict[str, Invoice]          # every invoice the payment was for, as it is after
    allocations: tuple[Allocation, ...]   # what the payment paid of each (nothing of one already settled)
    excess_minor: int                     # what no invoice could take: it becomes the customer's credit
    notes: dict[str, CreditNote]          # the credit notes the payment's plan used, as they are after
    change: SummaryChange                 # the account summary's change for all of the above


def settle(allocations: Sequence[Allocation], credit_plan: Sequence[tuple[str, str, int]],
           invoices: dict[str, Invoice], notes: dict[str, CreditNote], now: datetime, *, payment_id: str,
           method_summary: str = "") -> Settled:
    """Payment `payment_id` succeeded: each allocation pays its invoice as far as its balance still
    goes (a late success never pays twice: the rest is excess), then the planned credits (invoice,
    credit note, amount) are applied as far as each note's balance and each invoice's balance allow."""
    after = dict(invoices)
    paid_allocations, excess = [], 0
    for allocation in allocations:
        invoice = after.get(allocation.invoice_id)
        paid, applied = pay(invoice, allocation.amount_minor, now, payment_id=payment_id,
                            method_summary=method_summary) if invoice else (None, 0)
        excess += allocation.amount_minor - applied
        if applied:
            after[allocation.invoice_id] = paid
            paid_allocations.append(replace(allocation, amount_minor=applied))
    used: dict[str, CreditNote] = {}
    credits_used = 0
    for invoice_id, note_id, wanted in credit_plan:
        note, invoice = used.get(note_id) or notes.get(note_id), after.get(invoice_id)
        if note is None or invoice is None:
            continue
        credited, applied = credit(invoice, note_id, usable_credit(note, wanted), now, number=note.number)
        if applied:
            after[invoice_id], used[note_id] = credited, use_credit(note, applied)
            credits_used += applied
    change = SummaryChange(credits_minor=excess - credits_used)
    for invoice_id, invoice in after.items():
        change += outstanding_change(invoices[invoice_id], invoice)
    for note_id, note in used.items():
        change += credit_note_moved(notes[note_id], note)
    return Settled(after, tuple(paid_allocations), excess, used, change)
