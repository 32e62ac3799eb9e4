"""Invoices, credit notes, estimates, timesheets, payments and statements: the back office sees
the documents whole, the portal its own views of them."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ...domain.documents import CreditNoteKind, CreditNoteStatus, EstimateStatus, InvoiceStatus, TimesheetStatus
from ...domain.payments import PaymentStatus
from .shared import Answer, CurrencyExponent, DocumentLine, EmailQueued, Money, Page, TaxLine


class CreditApplication(Answer):
    credit_note_id: str
    amount_minor: int
    applied_at: datetime


class Invoice(Answer):
    """An invoice as the back office sees it."""
    invoice_id: str
    customer_id: str
    number: str
    currency: str
    currency_exponent: CurrencyExponent
    status: InvoiceStatus
    issued_at: datetime
    due_on: date              # a day of the organization's time zone
    lines: list[DocumentLine]
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    taxes: list[TaxLine]
    credits_applied: list[CreditApplication]
    amount_paid_minor: int
    subscription_id: str | None
    period_start: date | None   # the days billed: [start, end)
    period_end: date | None
    paid_at: datetime | None
    voided_at: datetime | None
    notes: str


class CreditNote(Answer):
    credit_note_id: str
    customer_id: str
    number: str
    currency: str
    currency_exponent: CurrencyExponent
    status: CreditNoteStatus
    issued_at: datetime
    lines: list[DocumentLine]
    total_minor: int
    balance_minor: int
    reason: str
    invoice_id: str | None
    subscription_id: str | None
    refunded_minor: int
    payment_id: str | None       # a refund's or an overpayment's note: the payment it documents
    kind: CreditNoteKind         # overpayment: money its payment counted already, kept as credit


class Decision(Answer):
    decided_at: datetime | None
    comment: str


class EstimateFacts(Decision):
    """What the back office and the portal both show of an estimate."""
    estimate_id: str
    number: str
    currency: str
    currency_exponent: CurrencyExponent
    status: EstimateStatus
    issued_at: datetime
    expires_at: datetime
    total_minor: int
    notes: str


class EstimateRecord(EstimateFacts):
    """An estimate as the back office sees it."""
    customer_id: str
    lines: list[DocumentLine]
    decided_by: str | None     # the contact who answered


class TimeEntry(Answer):
    date: date
    minutes: int
    description: str


class TimesheetFacts(Decision):
    """What the back office and the portal both show of a timesheet."""
    timesheet_id: str
    project: str
    period_start: date
    period_end: date
    entries: list[TimeEntry]
    status: TimesheetStatus
    submitted_at: datetime


class TimesheetRecord(TimesheetFacts):
    """A timesheet as the back office sees it."""
    customer_id: str
    decided_by: str | None     # the contact who answered


class Allocation(Answer):
    invoice_id: str
    amount_minor: int


class RefundDocument(Answer):
    """Money given back from a payment, and the credit note that documents it."""
    credit_note_id: str
    number: str
    amount_minor: int
    refunded_at: datetime


class RecordedPayment(Answer):
    """A payment as the back office sees it."""
    payment_id: str
    customer_id: str
    status: PaymentStatus
    amount_minor: int
    currency: str
    currency_exponent: CurrencyExponent
    allocations: list[Allocation]
    created_at: datetime
    gateway: str
    payment_method_id: str | None
    method_summary: str
    gateway_payment_id: str | None
    failure_code: str | None
    failure_message: str | None
    client_secret: str | None
    idempotency_key: str
    succeeded_at: datetime | None
    refunded_minor: int
    source: Literal["portal", "auto_charge", "merchant"]
    refunds: list[RefundDocument]
    overpayment_credit_note_id: str | None = None   # the credit kept of what no invoice still owed
    dispute_status: str | None = None   # the customer's bank disputes it: Stripe's dispute status
    disputed_minor: int = 0
    number: str | None = None   # PAY-000012 once it succeeded; null on payments recorded before numbering


class Refunded(Answer):
    """A refund the merchant asked for: the payment as it is now, and the documents of this refund:
    the payment's overpayment credit, given back first (`overpayment_credit_note`, as it is now), and
    the refund credit note of the rest (`credit_note`). Null when there is no such part, or when the
    payment service's own report of it was recorded first: its documents are among the payment's
    refunds."""
    payment: RecordedPayment
    amount_minor: int
    currency: str
    currency_exponent: CurrencyExponent
    gateway_refund_id: str | None    # null for a payment received offline, refunded by the merchant
    credit_note: CreditNote | None
    overpayment_credit_note: CreditNote | None = None


# --- the portal's views -------------------------------------------------------------------------

class InvoiceSummary(Answer):
    invoice_id: str
    number: str
    status: InvoiceStatus
    currency: str
    currency_exponent: CurrencyExponent
    issued_at: datetime
    due_on: date              # a day of the organization's time zone
    total_minor: int
    amount_paid_minor: int
    credits_applied_minor: int
    balance_minor: int
    overdue: bool
    subscription_id: str | None
    period_start: date | None   # the days billed: [start, end)
    period_end: date | None
    paid_at: datetime | None


class InvoicePage(Page[InvoiceSummary]):
    pass


class InvoiceLine(Answer):
    """A line of an invoice, credit note or estimate as the portal shows it."""
    description: str
    quantity: int
    unit_price_minor: int | None
    amount_minor: int
    kind: str
    period_start: date | None   # the days billed: [start, end)
    period_end: date | None


class AppliedCredit(CreditApplication):
    number: str | None       # of the credit note


class InvoicePayment(Answer):
    payment_id: str
    amount_minor: int        # the part of the payment that went to this invoice
    paid_at: datetime | None
    method_summary: str


class InvoiceDetail(InvoiceSummary):
    lines: list[InvoiceLine]
    subtotal_minor: int
    tax_minor: int
    taxes: list[TaxLine]
    credits_applied: list[AppliedCredit]
    payments: list[InvoicePayment]
    notes: str


class NextAction(Answer):
    """What the browser must do to finish a payment that requires authentication."""
    type: Literal["simulated_authentication", "stripe_confirm_card_payment"]
    client_secret: str | None
    confirm_path: str | None = None        # simulated
    publishable_key: str | None = None     # Stripe


class Payment(Answer):
    """A payment as the portal shows it (never its idempotency key)."""
    payment_id: str
    number: str | None   # PAY-000012, given when it succeeds: null while pending or failed, and on older payments
    status: PaymentStatus
    amount_minor: int
    currency: str
    currency_exponent: CurrencyExponent
    created_at: datetime
    succeeded_at: datetime | None
    allocations: list[Allocation]
    payment_method_id: str | None
    method_summary: str
    source: Literal["portal", "auto_charge", "merchant"]
    refunded_minor: int
    refunds: list[RefundDocument]    # each refund, with the credit note that documents it
    failure_code: str | None
    failure_message: str | None
    dispute_status: str | None = None   # the customer's bank disputes it: Stripe's dispute status
    disputed_minor: int = 0
    next_action: NextAction | None = None  # only while status is requires_action


class PaymentPage(Page[Payment]):
    pass


class PaidInvoice(Allocation):
    number: str


class PaymentDetail(Payment):
    allocations: list[PaidInvoice]


class StatementRow(Answer):
    at: datetime
    on: date          # the day of `at` in the organization's time zone (what the statement shows)
    kind: Literal["invoice", "payment", "credit_note", "refund", "void", "credit_note_void"]
    reference: str
    description: str
    amount: Money
    balance: Money


class Statement(Answer):
    """One currency's statement: opening + invoiced - paid - credited + refunded = closing."""
    currency: str
    currency_exponent: CurrencyExponent
    period_start: date
    period_end: date
    opening_balance: Money
    invoiced: Money
    paid: Money
    credited: Money
    refunded: Money
    closing_balance: Money
    rows: list[StatementRow]


class StatementOfAccounts(Answer):
    customer_id: str
    start: date
    end: date
    statements: list[Statement]


class Forwarded(EmailQueued):
    document_id: str
    number: str
    sent_to: list[str]


class CreditNoteDetail(Answer):
    """A credit note as the portal shows it, line by line."""
    credit_note_id: str
    number: str
    status: CreditNoteStatus
    currency: str
    currency_exponent: CurrencyExponent
    issued_at: datetime
    lines: list[InvoiceLine]
    total_minor: int
    balance_minor: int           # what is left to apply to invoices
    refunded_minor: int
    reason: str
    invoice_id: str | None
    subscription_id: str | None
    payment_id: str | None       # a refund's note: the payment it gave money back from


class Estimate(EstimateFacts):
    """An estimate as the portal shows it."""
    lines: list[InvoiceLine]
    decided_by_name: str | None  # the contact who answered (null: undecided, or the contact is gone)


class EstimatePage(Page[Estimate]):
    pass


class Timesheet(TimesheetFacts):
    """A timesheet as the portal shows it."""
    decided_by_name: str | None  # the contact who answered (null: undecided, or the contact is gone)


class TimesheetPage(Page[Timesheet]):
    pass
