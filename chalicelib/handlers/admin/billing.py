"""Subscriptions, invoices, payments received offline, credit notes, estimates and timesheets."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from ... import bootstrap
from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Body, Routes
from ..schemas import Code, CouponCode, Day, Id, LongText, Name, ShortText

if TYPE_CHECKING:   # built by the bodies when a request comes, not at `import app`
    from ...domain.documents import TimeEntry
    from ...services.documents.commands import NewDocumentLine
    from ...services.subscriptions.commands import NewSubscription


api = Routes("merchant", merchant_key)

Amount = Field(ge=0, le=10**11)


class AddonChoice(Body):
    code: Code
    quantity: int = Field(default=1, ge=1, le=10_000)


class SubscriptionBody(Body):
    customer_id: Id
    plan_code: Code
    status: Literal["future", "trial", "live", "non_renewing", "dunning", "unpaid", "paused", "cancelled",
                    "expired"] = "live"
    addons: list[AddonChoice] = Field(default_factory=list, max_length=20)
    coupon_code: CouponCode | None = None     # any coupon, offered in the portal or not
    auto_charge: bool = False
    payment_method_id: Id | None = None
    starts_at: Day | None = None           # days of the organization's time zone
    reference: ShortText = ""
    # for importing a subscription that already runs elsewhere
    trial_end: Day | None = None
    term_start: Day | None = None
    term_end: Day | None = None            # the first day after the term
    resume_at: Day | None = None
    cancel_reason: ShortText | None = None

    @model_validator(mode="after")
    def _term_ends_after_it_starts(self):
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise ValueError("term_end (the first day after the term) must come after term_start.")
        return self

    def command(self) -> NewSubscription:
        from ...services.subscriptions.commands import NewSubscription
        return NewSubscription(self.customer_id, self.plan_code, self.status,
                               tuple((a.code, a.quantity) for a in self.addons), self.coupon_code, self.auto_charge,
                               self.payment_method_id, self.starts_at, self.reference, trial_end=self.trial_end,
                               term_start=self.term_start, term_end=self.term_end, resume_at=self.resume_at,
                               cancel_reason=self.cancel_reason)


class LineBody(Body):
    description: Name
    unit_price_minor: int = Amount
    quantity: int = Field(default=1, ge=1, le=100_000)

    def command(self) -> NewDocumentLine:
        from ...services.documents.commands import NewDocumentLine
        return NewDocumentLine(self.description, self.unit_price_minor, self.quantity)


class InvoiceBody(Body):
    customer_id: Id
    lines: list[LineBody] = Field(min_length=1, max_length=200)
    due_days: int | None = Field(default=None, ge=0, le=365)
    tax_rate_bp: int = Field(default=0, ge=0, le=10_000)
    subscription_id: Id | None = None
    notes: LongText = ""


class CustomerRef(Body):
    customer_id: Id


class OfflinePaymentBody(Body):
    customer_id: Id
    invoice_id: Id
    amount_minor: int = Field(ge=1, le=10**11)
    method: Literal["bank_transfer", "cash", "cheque", "other"] = "bank_transfer"


class CreditNoteBody(Body):
    customer_id: Id
    lines: list[LineBody] = Field(min_length=1, max_length=200)
    reason: ShortText = ""
    invoice_id: Id | None = None


class EstimateBody(Body):
    customer_id: Id
    lines: list[LineBody] = Field(min_length=1, max_length=200)
    expires_in_days: int = Field(default=30, ge=1, le=365)
    notes: LongText = ""


class TimeEntryBody(Body):
    date: Day
    minutes: int = Field(ge=1, le=24 * 60)
    description: ShortText = ""

    def entry(self) -> TimeEntry:
        from ...domain.documents import TimeEntry
        return TimeEntry(self.date.isoformat(), self.minutes, self.description)


class TimesheetBody(Body):
    customer_id: Id
    project: Name
    period_start: Day
    period_end: Day
    entries: list[TimeEntryBody] = Field(min_length=1, max_length=400)

    @model_validator(mode="after")
    def _entries_within_the_period(self):
        if self.period_end < self.period_start:
            raise ValueError("period_end must not come before period_start.")
        if any(not self.period_start <= entry.date <= self.period_end for entry in self.entries):
            raise ValueError("Every entry's date must be within the period.")
        return self


@api.route("/admin/subscriptions", "POST", body=SubscriptionBody, status=201, response="SubscriptionRecord")
def create_subscription(body: SubscriptionBody):
    """Start a subscription (future, trial, live), or import one in any status, at the organization's
    time (its test clock in test mode)."""
    from ..responses.subscriptions import SubscriptionRecord   # on the first answer, not at `import app`
    sub = services().subscriptions.create(api.merchant().org_id, body.command(), bootstrap.now())
    return SubscriptionRecord.of(sub).model_dump()


@api.route("/admin/invoices", "POST", body=InvoiceBody, status=201, response="Invoice")
def create_invoice(body: InvoiceBody):
    """Issue an invoice."""
    from ..responses.documents import Invoice
    return Invoice.of(services().documents.create_invoice(
        api.merchant().org_id, body.customer_id, lines=[line.command() for line in body.lines], due_days=body.due_days,
        tax_rate_bp=body.tax_rate_bp, subscription_id=body.subscription_id, notes=body.notes,
        now=bootstrap.now())).model_dump()


@api.route("/admin/invoices/{invoice_id}/void", "POST", body=CustomerRef, response="Invoice")
def void_invoice(invoice_id: str, body: CustomerRef):
    """Void an invoice that has no payments or credits."""
    from ..responses.documents import Invoice
    return Invoice.of(services().documents.void_invoice(api.merchant().org_id, body.customer_id, invoice_id,
                                                        bootstrap.now())).model_dump()


@api.route("/admin/payments", "POST", body=OfflinePaymentBody, status=201, response="RecordedPayment")
def record_payment(body: OfflinePaymentBody):
    """Record a payment received outside the portal (in whole increments of its currency)."""
    from ..responses.documents import RecordedPayment
    return RecordedPayment.of(services().documents.record_payment(
        api.merchant().org_id, body.customer_id, invoice_id=body.invoice_id, amount_minor=body.amount_minor,
        method=body.method, now=bootstrap.now())).model_dump()


@api.route("/admin/credit-notes", "POST", body=CreditNoteBody, status=201, response="CreditNote")
def create_credit_note(body: CreditNoteBody):
    """Issue a credit note; its balance becomes available credit."""
    from ..responses.documents import CreditNote
    return CreditNote.of(services().documents.create_credit_note(
        api.merchant().org_id, body.customer_id, lines=[line.command() for line in body.lines], reason=body.reason,
        invoice_id=body.invoice_id, now=bootstrap.now())).model_dump()


@api.route("/admin/credit-notes/{credit_note_id}/void", "POST", body=CustomerRef, response="CreditNote")
def void_credit_note(credit_note_id: str, body: CustomerRef):
    """Void an unused credit note."""
    from ..responses.documents import CreditNote
    return CreditNote.of(services().documents.void_credit_note(api.merchant().org_id, body.customer_id,
                                                               credit_note_id, bootstrap.now())).model_dump()


@api.route("/admin/estimates", "POST", body=EstimateBody, status=201, response="EstimateRecord")
def create_estimate(body: EstimateBody):
    """Send an estimate for the customer to accept."""
    from ..responses.documents import EstimateRecord
    return EstimateRecord.of(services().documents.create_estimate(
        api.merchant().org_id, body.customer_id, lines=[line.command() for line in body.lines],
        expires_in_days=body.expires_in_days, notes=body.notes, now=bootstrap.now())).model_dump()


@api.route("/admin/timesheets", "POST", body=TimesheetBody, status=201, response="TimesheetRecord")
def create_timesheet(body: TimesheetBody):
    """Submit a timesheet for the customer to approve."""
    from ..responses.documents import TimesheetRecord
    return TimesheetRecord.of(services().documents.create_timesheet(
        api.merchant().org_id, body.customer_id, project=body.project, entries=tuple(e.entry() for e in body.entries),
        period_start=body.period_start.isoformat(), period_end=body.period_end.isoformat(),
        now=bootstrap.now())).model_dump()
