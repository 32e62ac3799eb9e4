"""The merchant's back office for billing documents: invoices, offline payments, credit notes, estimates
and timesheets (subscriptions: subscriptions/admin.py). Each write is one transaction with the
customer's account summary, and the number of the document it records (services/numbering.py)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Sequence

from ...domain import billing, paying, settling
from ...domain.account_summary import SummaryChange, credit_note_moved
from ...domain.calendar import local_date
from ...domain.documents import (CreditNote, CreditNoteStatus, DocumentLine, Estimate, EstimateStatus, Invoice,
                                 InvoiceStatus, TimeEntry, Timesheet, TimesheetStatus)
from ...domain.engagement import ActivityRecord, Actor
from ...domain.errors import BusinessRuleViolation, InvalidInput, NotFound
from ...domain.ids import new_id
from ...domain.money import Money
from ...domain.payments import Allocation, Payment, PaymentStatus
from ..numbering import CREDIT_NOTE_NUMBERS, ESTIMATE_NUMBERS, INVOICE_NUMBERS, PAYMENT_NUMBERS, Numbers, retried
from ..subscriptions import recovery
from . import document_emails
from .commands import NewDocumentLine

MERCHANT = Actor("merchant", "back office")


@retried
def create_invoice(adapters, org_id: str, customer_id: str, *, lines: Sequence[NewDocumentLine], now: datetime,
                   due_days: int | None = None,
                   tax_rate_bp: int = 0, subscription_id: str | None = None, notes: str = "",
                   issued_at: datetime | None = None) -> Invoice:
    both = adapters.uow.customers.with_organization(org_id, customer_id, numbered=INVOICE_NUMBERS)
    org, customer = both.org, both.customer
    if subscription_id is not None:   # only a subscription of this customer (another's: 404, as a missing one)
        adapters.uow.subscriptions.get(org_id, customer_id, subscription_id)
    issued = issued_at or org.now(now)
    numbers = Numbers(adapters, org_id, both.last_numbers)
    invoice = billing.build_invoice(
        invoice_id=new_id("invoice", now),
        number=billing.number("INV", numbers.next(INVOICE_NUMBERS)),
        customer_id=customer.customer_id, currency=customer.currency, lines=_lines(lines), issued_at=issued,
        issued_on=local_date(issued, org.time_zone),
        payment_terms_days=org.payment_terms_days if due_days is None else due_days, tax_rate_bp=tax_rate_bp,
        subscription_id=subscription_id, notes=notes)
    email = document_emails.invoice_issued(org, customer, invoice, now)
    with adapters.uow.transaction("invoice") as tx:
        numbers.take_in(tx)
        item = _save_new_invoice(adapters, tx, org_id, invoice)
        adapters.uow.activity.record(org_id, _activity(now, customer_id, "invoice.issued", "invoice",
                                                       invoice.invoice_id, invoice.number), tx)
        if email is not None:
            adapters.uow.emails.put_in(tx, email)
    return adapters.uow.invoices.saved(item)


def void_invoice(adapters, org_id: str, customer_id: str, invoice_id: str, now: datetime) -> Invoice:
    invoice = adapters.uow.invoices.get(org_id, customer_id, invoice_id)
    if invoice.status == InvoiceStatus.VOID:
        return invoice
    if invoice.amount_paid_minor or invoice.credits_applied:
        raise BusinessRuleViolation("An invoice with payments or credits applied cannot be voided; "
                                    "issue a credit note instead.", "invoice_has_payments")
    org, sub = (adapters.uow.subscriptions.with_organization(org_id, customer_id, invoice.subscription_id)
                if invoice.subscription_id else (adapters.uow.organizations.get(org_id), None))
    if billing.bills_days_to_come(invoice, local_date(org.now(now), org.time_zone), sub):
        raise BusinessRuleViolation("This invoice bills days of service still to come, which would be credited "
                                    "later as unused; issue a credit note for it instead.",
                                    "invoice_bills_days_to_come")
    notes = adapters.uow.credit_notes.of_subscription(org_id, customer_id, sub.subscription_id) if sub is not None else ()
    credited = billing.credits_for_its_days(invoice, notes)
    if credited is not None:
        raise BusinessRuleViolation(f"Credit note {credited.number} credited days this invoice bills as unused; "
                                    "issue a credit note for it instead.", "invoice_days_credited")
    voided = replace(invoice, status=InvoiceStatus.VOID, voided_at=now)
    with adapters.uow.transaction("invoice") as tx:
        item = adapters.uow.invoices.save_in(tx, org_id, voided, before=invoice, now=now)
        if sub is not None:
            # judged on the subscription (and its credit notes) as read: a pause or change since fails the void
            adapters.uow.subscriptions.unchanged_in(tx, org_id, sub)
        adapters.uow.account_summaries.apply_in(tx, org_id, customer_id, invoice.currency, _outstanding(invoice, -1))
        adapters.uow.activity.record(org_id, _activity(now, customer_id, "invoice.voided", "invoice",
                                                       invoice_id, invoice.number), tx)
    return adapters.uow.invoices.saved(item)


@retried
def record_payment(adapters, org_id: str, customer_id: str, *, invoice_id: str, amount_minor: int, now: datetime,
                   method: str = "bank_transfer") -> Payment:
    """A payment received outside the portal (bank transfer, cheque) against one invoice."""
    state = adapters.uow.payments.state(org_id, customer_id, org=True, invoice_ids=[invoice_id],
                                        sequences=(PAYMENT_NUMBERS,))
    invoice = state.invoices.get(invoice_id)
    if invoice is None:
        raise NotFound("invoice")
    if not invoice.is_outstanding():
        raise BusinessRuleViolation("This invoice has nothing left to pay.", "invoice_not_outstanding")
    paying.require_whole_part(amount_minor, invoice.currency)
    if amount_minor > invoice.balance_minor:
        raise InvalidInput({"amount_minor": f"At most the balance due, {paying.balance_due_text(invoice)}."})
    numbers = Numbers(adapters, org_id, state.last_numbers)
    payment = Payment(payment_id=new_id("payment", now), customer_id=customer_id, status=PaymentStatus.SUCCEEDED,
                      amount_minor=amount_minor, currency=invoice.currency,
                      allocations=(Allocation.of(invoice, amount_minor),), created_at=now, gateway="offline",
                      method_summary=method.replace("_", " ").title(), succeeded_at=now, source="merchant",
                      number=billing.number("PAY", numbers.next(PAYMENT_NUMBERS)))
    paid, _ = settling.pay(invoice, amount_minor, now, payment_id=payment.payment_id,
                           method_summary=payment.method_summary)
    org = state.org
    revived = recovery.recovered(adapters, org, customer_id, [paid], now)
    with adapters.uow.transaction("invoice") as tx:
        numbers.take_in(tx)
        adapters.uow.invoices.save_in(tx, org_id, paid, before=invoice, now=now)
        recovery.save_in(adapters, tx, org, revived, MERCHANT, now)
        adapters.uow.payments.save_in(tx, org_id, payment, before=None, now=now,
                                      invoice_numbers={invoice_id: invoice.number})
        adapters.uow.account_summaries.apply_in(tx, org_id, customer_id, invoice.currency,
                                                settling.outstanding_change(invoice, paid),
                                                last_payment=(payment.payment_id, amount_minor, now, invoice_id))
        adapters.uow.activity.record(org_id, _activity(now, customer_id, "payment.recorded", "payment",
                                                       payment.payment_id, f"{invoice.number}: {Money(amount_minor, invoice.currency).labelled()}"), tx)
    return payment


@retried
def create_credit_note(adapters, org_id: str, customer_id: str, *, lines: Sequence[NewDocumentLine], now: datetime,
                       reason: str = "", invoice_id: str | None = None) -> CreditNote:
    both = adapters.uow.customers.with_organization(org_id, customer_id, numbered=CREDIT_NOTE_NUMBERS)
    customer = both.customer
    if invoice_id is not None:
        adapters.uow.invoices.get(org_id, customer_id, invoice_id)
    doc_lines = billing.rounded_lines(_lines(lines), customer.currency)
    total = sum(line.amount_minor for line in doc_lines)
    if total <= 0:
        raise InvalidInput({"lines": "A credit note must credit a positive amount."})
    numbers = Numbers(adapters, org_id, both.last_numbers)
    note = CreditNote(credit_note_id=new_id("credit_note", now), customer_id=customer_id,
                      number=billing.number("CN", numbers.next(CREDIT_NOTE_NUMBERS)),
                      currency=customer.currency, status=CreditNoteStatus.OPEN, issued_at=now, lines=doc_lines,
                      total_minor=total, balance_minor=total, reason=reason, invoice_id=invoice_id)
    with adapters.uow.transaction("credit note") as tx:
        numbers.take_in(tx)
        item = adapters.uow.credit_notes.save_in(tx, org_id, note, before=None, now=now)
        adapters.uow.account_summaries.apply_in(tx, org_id, customer_id, note.currency,
                                                SummaryChange(credits_minor=total)
                                                + credit_note_moved(None, note))
        adapters.uow.activity.record(org_id, _activity(now, customer_id, "credit_note.issued", "credit_note",
                                                       note.credit_note_id, note.number), tx)
    return adapters.uow.credit_notes.saved(item)


def void_credit_note(adapters, org_id: str, customer_id: str, credit_note_id: str, now: datetime) -> CreditNote:
    note = adapters.uow.credit_notes.get(org_id, customer_id, credit_note_id)
    if note.status == CreditNoteStatus.VOID:
        return note
    if note.balance_minor != note.total_minor:
        raise BusinessRuleViolation("A credit note that was applied or refunded cannot be voided.",
                                    "credit_note_used")
    voided = replace(note, status=CreditNoteStatus.VOID, balance_minor=0)
    with adapters.uow.transaction("credit note") as tx:
        item = adapters.uow.credit_notes.save_in(tx, org_id, voided, before=note, now=now)
        adapters.uow.account_summaries.apply_in(tx, org_id, customer_id, note.currency,
                                                SummaryChange(credits_minor=-note.balance_minor)
                                                + credit_note_moved(note, voided))
        adapters.uow.activity.record(org_id, _activity(now, customer_id, "credit_note.voided", "credit_note",
                                                       credit_note_id, note.number), tx)
    return adapters.uow.credit_notes.saved(item)


@retried
def create_estimate(adapters, org_id: str, customer_id: str, *, lines: Sequence[NewDocumentLine], now: datetime,
                    expires_in_days: int = 30, notes: str = "") -> Estimate:
    both = adapters.uow.customers.with_organization(org_id, customer_id, numbered=ESTIMATE_NUMBERS)
    org, customer = both.org, both.customer
    doc_lines = billing.rounded_lines(_lines(lines), customer.currency)
    numbers = Numbers(adapters, org_id, both.last_numbers)
    estimate = Estimate(estimate_id=new_id("estimate", now), customer_id=customer_id,
                        number=billing.number("EST", numbers.next(ESTIMATE_NUMBERS)),
                        currency=customer.currency, status=EstimateStatus.SENT, issued_at=now,
                        expires_at=now + timedelta(days=expires_in_days), lines=doc_lines,
                        total_minor=sum(line.amount_minor for line in doc_lines), notes=notes)
    email = document_emails.estimate_sent(org, customer, estimate, now)
    with adapters.uow.transaction("estimate") as tx:
        numbers.take_in(tx)
        item = adapters.uow.estimates.save_in(tx, org_id, estimate, before=None, now=now)
        if email is not None:
            adapters.uow.emails.put_in(tx, email)
        adapters.uow.account_summaries.apply_in(tx, org_id, customer_id, customer.currency,
                                                SummaryChange(pending_estimates=1))
        adapters.uow.activity.record(org_id, _activity(now, customer_id, "estimate.sent", "estimate",
                                                       estimate.estimate_id, estimate.number), tx)
    return adapters.uow.estimates.saved(item)


def create_timesheet(adapters, org_id: str, customer_id: str, *, project: str, period_start: str, period_end: str,
                     entries: tuple[TimeEntry, ...], now: datetime) -> Timesheet:
    customer = adapters.uow.customers.get(org_id, customer_id)
    if period_end < period_start:
        raise InvalidInput({"period_end": "Must not be before period_start."})
    sheet = Timesheet(timesheet_id=new_id("timesheet", now), customer_id=customer_id, project=project,
                      period_start=period_start, period_end=period_end,
                      entries=tuple(entries), status=TimesheetStatus.PENDING,
                      submitted_at=now)
    with adapters.uow.transaction("timesheet") as tx:
        item = adapters.uow.timesheets.save_in(tx, org_id, sheet, before=None, now=now)
        adapters.uow.account_summaries.apply_in(tx, org_id, customer_id, customer.currency,
                                                SummaryChange(pending_timesheets=1))
        adapters.uow.activity.record(org_id, _activity(now, customer_id, "timesheet.submitted", "timesheet",
                                                       sheet.timesheet_id, project), tx)
    return adapters.uow.timesheets.saved(item)


# -- shared pieces --------------------------------------------------------------------------

def _lines(lines: Sequence[NewDocumentLine]) -> tuple[DocumentLine, ...]:
    if not lines:
        raise InvalidInput({"lines": "At least one line is needed."})
    return tuple(line.line() for line in lines)


def _save_new_invoice(adapters, tx, org_id: str, invoice: Invoice):
    item = adapters.uow.invoices.save_in(tx, org_id, invoice, before=None, now=invoice.issued_at)
    adapters.uow.account_summaries.apply_in(tx, org_id, invoice.customer_id, invoice.currency,
                                            _outstanding(invoice, +1))
    return item


def _outstanding(invoice: Invoice, sign: int) -> SummaryChange:
    """What `invoice` contributes to the outstanding figures (sign -1 takes it away)."""
    if not invoice.is_outstanding():
        return SummaryChange()
    return SummaryChange(outstanding_count=sign, outstanding_minor=sign * invoice.balance_minor)


def _activity(now: datetime, customer_id: str, action: str, subject_type: str, subject_id: str,
              summary: str) -> ActivityRecord:
    return ActivityRecord(activity_id=new_id("activity", now), customer_id=customer_id, actor=MERCHANT,
                          action=action, subject_type=subject_type, subject_id=subject_id, at=now, summary=summary)


