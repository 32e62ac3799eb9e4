"""The merchant's back office for billing: subscriptions (new or imported in any status), invoices,
offline payments, credit notes, estimates and timesheets. Each write is one transaction with the
customer's account summary."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from ..domain import billing, coupons, paying, scheduling
from ..domain.account_summary import SummaryChange, credit_note_moved
from ..domain.calendar import local_date
from ..domain.catalog import coupon_key
from ..domain.documents import (CreditNote, CreditNoteStatus, DocumentLine, Estimate,
                                EstimateStatus, Invoice, InvoiceStatus, TimeEntry, Timesheet,
                                TimesheetStatus)
from ..domain.engagement import ActivityRecord, Actor
from ..domain.errors import BusinessRuleViolation, InvalidInput, NotFound
from ..domain.ids import new_id
from ..domain.organization import clock_name
from ..domain.payments import Allocation, Payment, PaymentStatus
from ..domain.subscription import AppliedCoupon, PlanSnapshot, Subscription, SubscriptionAddon, new_series
from ..domain.subscription_actions import starting_term
from ..domain.subscription_status import Status
from ..tables.account_summaries import account_summaries
from ..tables.activity import activity
from ..tables.catalog import catalog
from ..tables.credit_notes import credit_notes
from ..tables.customers import customers
from ..tables.estimates import estimates
from ..tables.invoices import invoices
from ..tables.organizations import organizations
from ..tables.payments import payments
from ..tables.sequences import sequences
from ..tables.subscriptions import subscriptions
from ..tables.timesheets import timesheets
from ..tables.transactions import transaction
from . import invoicing, recovery

MERCHANT = Actor("merchant", "back office")


def create_subscription(org_id: str, customer_id: str, *, plan_code: str, now: datetime,
                        status: str = "live", addons: list[tuple[str, int]] = (), coupon_code: str | None = None,
                        auto_charge: bool = False, payment_method_id: str | None = None,
                        starts_at: date | None = None, reference: str = "", **status_fields) -> Subscription:
    """A new subscription (future, trial or live), or one imported in any status with its days, at
    the organization's time (its test clock in test mode). A new live subscription's first term is
    invoiced at once, and charged by the next scheduled run when it auto-charges a saved method."""
    wanted = [("plan", plan_code), *(("addon", code) for code, _ in addons)] + (
        [("coupon", coupon_code)] if coupon_code is not None else [])
    org, customer, found = catalog.with_organization_and_customer(org_id, customer_id, wanted)
    now = org.now(now)
    plan = found.get(("plan", plan_code))
    if plan is None:
        raise NotFound("plan")
    if not plan.active:
        raise InvalidInput({"plan_code": "This plan is no longer sold."})
    snapshot = PlanSnapshot(plan.code, plan.name, plan.price_minor, plan.interval, plan.interval_count,
                            plan.trial_days)
    sub = Subscription(subscription_id=new_id("subscription", now), customer_id=customer.customer_id,
                       status=Status(status), plan=snapshot, currency=customer.currency, created_at=now,
                       addons=_addons(found, plan.code, addons),
                       coupon=_coupon(found, plan.code, customer.currency, coupon_code, now),
                       auto_charge=auto_charge, payment_method_id=payment_method_id, reference=reference,
                       time_zone=org.time_zone)
    sub = coupons.remembering_coupons(None, _place_in_time(sub, now, starts_at, status_fields))
    billed = None
    if sub.status == Status.LIVE and not status_fields.get("term_start"):
        bill = billing.term_bill(sub)
        billed = invoicing.issue(org, bill, now=now, actor=MERCHANT,
                                 credits=invoicing.open_credits(org_id, customer.customer_id))
        sub = bill.subscription
        if sub.auto_charge and sub.payment_method_id and billed.amount_due_minor > 0:
            sub = scheduling.awaiting_charge(sub, billed.invoice.invoice_id, now)
    with transaction("subscription") as tx:
        item = subscriptions.add_in(tx, org_id, sub, clock=clock_name(org))
        if billed is not None:
            invoicing.write(tx, org_id, billed, now=now)
        for code in coupons.redeemed(None, sub):
            catalog.redeem_in(tx, org_id, code, now=now, by="merchant", field="coupon_code")
        activity.record(org_id, _activity(now, sub.customer_id, "subscription.created", "subscription",
                                          sub.subscription_id, f"{snapshot.name}, {sub.status.value}"), tx)
    return subscriptions.saved(item)


def _place_in_time(sub: Subscription, now: datetime, starts_at: date | None, fields: dict) -> Subscription:
    """The days of a new or imported subscription. An imported term keeps its anchor's day of the
    month when its end follows from its start (Jan 31 -> Feb 28 -> Mar 31), else renews from its end."""
    allowed = {"trial_end", "term_start", "term_end", "cancelled_at", "cancel_reason", "expired_at",
               "pause_at", "resume_at", "paused_at", "next_retry_at", "dunning_attempts", "trial_extensions_used"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput({name: "Unknown field." for name in unknown})
    today = sub.today(now)
    sub = replace(sub, **fields)
    status = sub.status
    if status == Status.FUTURE:
        if starts_at is None or starts_at <= today:
            raise InvalidInput({"starts_at": "A future subscription needs a start day after today."})
        return replace(sub, starts_at=starts_at)
    if status == Status.TRIAL:
        days = sub.plan.trial_days or 14
        return replace(sub, trial_start=today, trial_end=sub.trial_end or today + timedelta(days=days))
    if sub.term_start is None and sub.term_end is None:
        sub = starting_term(sub, today, sub.plan)
    else:
        sub = _imported_term(sub)
    sub = replace(sub, activated_at=sub.day_starts(sub.term_start))
    if status == Status.DUNNING and sub.next_retry_at is None:
        sub = replace(sub, next_retry_at=now + timedelta(days=1))
    if status == Status.PAUSED:
        # an imported pause keeps no paid days: its last term is history, and resuming starts a new one
        sub = replace(sub, paused_at=sub.paused_at or today, term_start=None, term_end=None, billing_anchor=None)
    if status == Status.CANCELLED and sub.cancelled_at is None:
        sub = replace(sub, cancelled_at=now)
    if status == Status.EXPIRED and sub.expired_at is None:
        sub = replace(sub, expired_at=now)
    return sub


def _imported_term(sub: Subscription) -> Subscription:
    start, end = sub.term_start, sub.term_end
    if start is None:
        raise InvalidInput({"term_start": "An imported term needs its first day."})
    if end is None:
        return starting_term(sub, start, sub.plan)
    if end <= start:
        raise InvalidInput({"term_end": "Must be after term_start."})
    if new_series(start, sub.plan).end == end:
        return replace(sub, billing_anchor=start)
    return replace(sub, billing_anchor=end)


def _addons(found: dict, plan_code: str, wanted) -> tuple[SubscriptionAddon, ...]:
    chosen = []
    for index, (code, quantity) in enumerate(wanted):
        addon = found.get(("addon", code))
        if addon is None or not addon.active or not addon.fits(plan_code):
            raise InvalidInput({f"addons.{index}.code": "Not an addon of this plan."})
        chosen.append(SubscriptionAddon(addon.code, addon.name, addon.price_minor, quantity, addon.recurring))
    return tuple(chosen)


def _coupon(found: dict, plan_code: str, currency: str, code: str | None, now: datetime) -> AppliedCoupon | None:
    """The merchant may apply any coupon of the catalog, offered in the portal or not."""
    if code is None:
        return None
    return coupons.applicable(found.get(("coupon", coupon_key(code))), by="merchant", sub=None,
                              plan_code=plan_code, currency=currency, now=now, field="coupon_code")


def create_invoice(org_id: str, customer_id: str, *, lines: list[dict], now: datetime, due_days: int | None = None,
                   tax_rate_bp: int = 0, subscription_id: str | None = None, notes: str = "",
                   issued_at: datetime | None = None) -> Invoice:
    org = organizations.get(org_id)
    customer = customers.get(org_id, customer_id)
    if subscription_id is not None:   # only a subscription of this customer (another's: 404, as a missing one)
        subscriptions.get(org_id, customer_id, subscription_id)
    issued = issued_at or org.now(now)
    invoice = billing.build_invoice(
        invoice_id=new_id("invoice", now), number=billing.number("INV", sequences.next_number(org_id, "invoice_seq")),
        customer_id=customer.customer_id, currency=customer.currency, lines=_lines(lines), issued_at=issued,
        issued_on=local_date(issued, org.time_zone),
        payment_terms_days=org.payment_terms_days if due_days is None else due_days, tax_rate_bp=tax_rate_bp,
        subscription_id=subscription_id, notes=notes)
    with transaction("invoice") as tx:
        item = _save_new_invoice(tx, org_id, invoice)
        activity.record(org_id, _activity(now, customer_id, "invoice.issued", "invoice",
                                          invoice.invoice_id, invoice.number), tx)
    return invoices.saved(item)


def void_invoice(org_id: str, customer_id: str, invoice_id: str, now: datetime) -> Invoice:
    invoice = invoices.get(org_id, customer_id, invoice_id)
    if invoice.status == InvoiceStatus.VOID:
        return invoice
    if invoice.amount_paid_minor or invoice.credits_applied:
        raise BusinessRuleViolation("An invoice with payments or credits applied cannot be voided; "
                                    "issue a credit note instead.", "invoice_has_payments")
    voided = replace(invoice, status=InvoiceStatus.VOID, voided_at=now)
    with transaction("invoice") as tx:
        item = invoices.save_in(tx, org_id, voided, before=invoice, now=now)
        account_summaries.apply_in(tx, org_id, customer_id, invoice.currency, _outstanding(invoice, -1))
        activity.record(org_id, _activity(now, customer_id, "invoice.voided", "invoice",
                                          invoice_id, invoice.number), tx)
    return invoices.saved(item)


def record_payment(org_id: str, customer_id: str, *, invoice_id: str, amount_minor: int, now: datetime,
                   method: str = "bank_transfer") -> Payment:
    """A payment received outside the portal (bank transfer, cheque) against one invoice."""
    invoice = invoices.get(org_id, customer_id, invoice_id)
    if not invoice.is_outstanding():
        raise BusinessRuleViolation("This invoice has nothing left to pay.", "invoice_not_outstanding")
    paying.require_whole_part(amount_minor, invoice.currency)
    if amount_minor > invoice.balance_minor:
        raise InvalidInput({"amount_minor": f"At most the balance due, {invoice.balance_minor}."})
    payment = Payment(payment_id=new_id("payment", now), customer_id=customer_id, status=PaymentStatus.SUCCEEDED,
                      amount_minor=amount_minor, currency=invoice.currency,
                      allocations=(Allocation(invoice_id, amount_minor),), created_at=now, gateway="offline",
                      method_summary=method.replace("_", " ").title(), succeeded_at=now, source="merchant")
    paid = _paid(invoice, amount_minor, now)
    org = organizations.get(org_id)
    revived = recovery.recovered(org, customer_id, [paid], now)
    with transaction("invoice") as tx:
        invoices.save_in(tx, org_id, paid, before=invoice, now=now)
        recovery.save_in(tx, org, revived, MERCHANT, now)
        payments.save_in(tx, org_id, payment, before=None, now=now, invoice_numbers={invoice_id: invoice.number})
        change = _outstanding(paid, +1) + _outstanding(invoice, -1)
        account_summaries.apply_in(tx, org_id, customer_id, invoice.currency, change,
                                   last_payment=(payment.payment_id, amount_minor, now, invoice_id))
        activity.record(org_id, _activity(now, customer_id, "payment.recorded", "payment",
                                          payment.payment_id, f"{invoice.number}: {amount_minor}"), tx)
    return payment


def create_credit_note(org_id: str, customer_id: str, *, lines: list[dict], now: datetime, reason: str = "",
                       invoice_id: str | None = None) -> CreditNote:
    customer = customers.get(org_id, customer_id)
    if invoice_id is not None:
        invoices.get(org_id, customer_id, invoice_id)
    doc_lines = billing.rounded_lines(_lines(lines), customer.currency)
    total = sum(line.amount_minor for line in doc_lines)
    if total <= 0:
        raise InvalidInput({"lines": "A credit note must credit a positive amount."})
    note = CreditNote(credit_note_id=new_id("credit_note", now), customer_id=customer_id,
                      number=billing.number("CN", sequences.next_number(org_id, "credit_note_seq")),
                      currency=customer.currency, status=CreditNoteStatus.OPEN, issued_at=now, lines=doc_lines,
                      total_minor=total, balance_minor=total, reason=reason, invoice_id=invoice_id)
    with transaction("credit note") as tx:
        item = credit_notes.save_in(tx, org_id, note, before=None, now=now)
        account_summaries.apply_in(tx, org_id, customer_id, note.currency, SummaryChange(credits_minor=total)
                                   + credit_note_moved(None, note))
        activity.record(org_id, _activity(now, customer_id, "credit_note.issued", "credit_note",
                                          note.credit_note_id, note.number), tx)
    return credit_notes.saved(item)


def void_credit_note(org_id: str, customer_id: str, credit_note_id: str, now: datetime) -> CreditNote:
    note = credit_notes.get(org_id, customer_id, credit_note_id)
    if note.status == CreditNoteStatus.VOID:
        return note
    if note.balance_minor != note.total_minor:
        raise BusinessRuleViolation("A credit note that was applied or refunded cannot be voided.",
                                    "credit_note_used")
    voided = replace(note, status=CreditNoteStatus.VOID, balance_minor=0)
    with transaction("credit note") as tx:
        item = credit_notes.save_in(tx, org_id, voided, before=note, now=now)
        account_summaries.apply_in(tx, org_id, customer_id, note.currency, SummaryChange(credits_minor=-note.balance_minor)
                                   + credit_note_moved(note, voided))
        activity.record(org_id, _activity(now, customer_id, "credit_note.voided", "credit_note",
                                          credit_note_id, note.number), tx)
    return credit_notes.saved(item)


def create_estimate(org_id: str, customer_id: str, *, lines: list[dict], now: datetime, expires_in_days: int = 30,
                    notes: str = "") -> Estimate:
    customer = customers.get(org_id, customer_id)
    doc_lines = billing.rounded_lines(_lines(lines), customer.currency)
    estimate = Estimate(estimate_id=new_id("estimate", now), customer_id=customer_id,
                        number=billing.number("EST", sequences.next_number(org_id, "estimate_seq")),
                        currency=customer.currency, status=EstimateStatus.SENT, issued_at=now,
                        expires_at=now + timedelta(days=expires_in_days), lines=doc_lines,
                        total_minor=sum(line.amount_minor for line in doc_lines), notes=notes)
    with transaction("estimate") as tx:
        item = estimates.save_in(tx, org_id, estimate, before=None, now=now)
        account_summaries.apply_in(tx, org_id, customer_id, customer.currency, SummaryChange(pending_estimates=1))
        activity.record(org_id, _activity(now, customer_id, "estimate.sent", "estimate",
                                          estimate.estimate_id, estimate.number), tx)
    return estimates.saved(item)


def create_timesheet(org_id: str, customer_id: str, *, project: str, period_start: str, period_end: str,
                     entries: list[dict], now: datetime) -> Timesheet:
    customer = customers.get(org_id, customer_id)
    if period_end < period_start:
        raise InvalidInput({"period_end": "Must not be before period_start."})
    sheet = Timesheet(timesheet_id=new_id("timesheet", now), customer_id=customer_id, project=project,
                      period_start=period_start, period_end=period_end,
                      entries=tuple(TimeEntry(**e) for e in entries), status=TimesheetStatus.PENDING,
                      submitted_at=now)
    with transaction("timesheet") as tx:
        item = timesheets.save_in(tx, org_id, sheet, before=None, now=now)
        account_summaries.apply_in(tx, org_id, customer_id, customer.currency, SummaryChange(pending_timesheets=1))
        activity.record(org_id, _activity(now, customer_id, "timesheet.submitted", "timesheet",
                                          sheet.timesheet_id, project), tx)
    return timesheets.saved(item)


# -- shared pieces --------------------------------------------------------------------------

def _lines(lines: list[dict]) -> tuple[DocumentLine, ...]:
    if not lines:
        raise InvalidInput({"lines": "At least one line is needed."})
    return tuple(DocumentLine(description=line["description"], quantity=line.get("quantity", 1),
                              unit_price_minor=line["unit_price_minor"],
                              amount_minor=line["unit_price_minor"] * line.get("quantity", 1))
                 for line in lines)


def _save_new_invoice(tx, org_id: str, invoice: Invoice):
    item = invoices.save_in(tx, org_id, invoice, before=None, now=invoice.issued_at)
    account_summaries.apply_in(tx, org_id, invoice.customer_id, invoice.currency, _outstanding(invoice, +1))
    return item


def _outstanding(invoice: Invoice, sign: int) -> SummaryChange:
    """What `invoice` contributes to the outstanding figures (sign -1 takes it away)."""
    if not invoice.is_outstanding():
        return SummaryChange()
    return SummaryChange(outstanding_count=sign, outstanding_minor=sign * invoice.balance_minor)


def _paid(invoice: Invoice, amount_minor: int, now: datetime) -> Invoice:
    paid = invoice.amount_paid_minor + amount_minor
    settled = paid + invoice.credits_applied_minor >= invoice.total_minor
    return replace(invoice, amount_paid_minor=paid, paid_at=now if settled else None,
                   status=InvoiceStatus.PAID if settled else InvoiceStatus.PARTIALLY_PAID)


def _activity(now: datetime, customer_id: str, action: str, subject_type: str, subject_id: str,
              summary: str) -> ActivityRecord:
    return ActivityRecord(activity_id=new_id("activity", now), customer_id=customer_id, actor=MERCHANT,
                          action=action, subject_type=subject_type, subject_id=subject_id, at=now, summary=summary)


