"""Invoices, credit notes, estimates, timesheets, payments and statements: the back office sees
the documents whole, the portal its own views of them."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...domain.currencies import exponent
from ...domain.paying import below_minimum_charge
from ...domain.documents import CreditNoteKind, CreditNoteStatus, EstimateStatus, InvoiceStatus, TimesheetStatus
from ...domain.payments import PaymentStatus
from .shared import (Answer, CurrencyExponent, DocumentLine, EmailStatus, GivenOnly, LineWords, Money, Page, TaxLine,
                     line_words_field)

if TYPE_CHECKING:
    from ...domain import documents as domain, payments as paid, spending as spent, statement as ledger
    from ...services.documents import exports as exporting, forwarding, spending as spending_views, statements as statement_views, views
    from ...services.payments import refunds as refunding, views as payment_views


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

    @classmethod
    def of(cls, invoice: domain.Invoice) -> Invoice:
        return cls.mirroring(invoice, lines=[DocumentLine.mirroring(line) for line in invoice.lines],
                             taxes=[TaxLine.mirroring(tax) for tax in invoice.taxes],
                             credits_applied=[CreditApplication.mirroring(c) for c in invoice.credits_applied])


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

    @classmethod
    def of(cls, note: domain.CreditNote) -> CreditNote:
        return cls.mirroring(note, lines=[DocumentLine.mirroring(line) for line in note.lines])


class EstimateRecord(Answer):
    """An estimate as the back office sees it."""
    estimate_id: str
    customer_id: str
    number: str
    currency: str
    currency_exponent: CurrencyExponent
    status: EstimateStatus
    issued_at: datetime
    expires_at: datetime
    lines: list[DocumentLine]
    total_minor: int
    notes: str
    decided_at: datetime | None
    decided_by: str | None     # the contact who answered
    comment: str

    @classmethod
    def of(cls, estimate: domain.Estimate) -> EstimateRecord:
        return cls.mirroring(estimate, lines=[DocumentLine.mirroring(line) for line in estimate.lines])


class TimeEntry(Answer):
    date: date
    minutes: int
    description: str


class TimesheetRecord(Answer):
    """A timesheet as the back office sees it."""
    timesheet_id: str
    customer_id: str
    project: str
    period_start: date
    period_end: date
    entries: list[TimeEntry]
    status: TimesheetStatus
    submitted_at: datetime
    decided_at: datetime | None
    decided_by: str | None     # the contact who answered
    comment: str

    @classmethod
    def of(cls, sheet: domain.Timesheet) -> TimesheetRecord:
        return cls.mirroring(sheet, entries=[TimeEntry.mirroring(entry) for entry in sheet.entries])


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

    @classmethod
    def of(cls, payment: paid.Payment) -> RecordedPayment:
        return cls.mirroring(payment, allocations=[Allocation.mirroring(a) for a in payment.allocations],
                             refunds=[RefundDocument.mirroring(r) for r in payment.refunds])


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

    @classmethod
    def of(cls, refunded: refunding.Refunded) -> Refunded:
        """The answer from the typed result of the merchant's refund (services/payments/refunds.py)."""
        done = refunded.recorded
        return cls(payment=RecordedPayment.of(done.payment), amount_minor=refunded.amount_minor,
                   currency=done.payment.currency, currency_exponent=exponent(done.payment.currency),
                   gateway_refund_id=refunded.gateway_refund_id,
                   credit_note=CreditNote.of(done.credit_note) if done.credit_note else None,
                   overpayment_credit_note=CreditNote.of(done.overpayment) if done.overpayment else None)


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
    # false while what is due is less than the payment service's smallest card payment: it is paid
    # together with a larger payment (docs/billing.md "The smallest charge"), not on its own
    payable_alone: bool
    subscription_id: str | None
    period_start: date | None   # the days billed: [start, end)
    period_end: date | None
    paid_at: datetime | None

    @classmethod
    def of(cls, listed: views.Listed, **given) -> InvoiceSummary:
        invoice = listed.invoice
        return cls.mirroring(invoice, overdue=listed.overdue,
                             payable_alone=not below_minimum_charge(invoice.balance_minor, invoice.currency), **given)


class InvoicePage(Page[InvoiceSummary]):
    pass   # answered by `Page.of`


class InvoiceLine(Answer):
    """A line of an invoice, credit note or estimate as the portal shows it."""
    description: str
    quantity: int
    unit_price_minor: int | None
    amount_minor: int
    kind: str
    period_start: date | None   # the days billed: [start, end)
    period_end: date | None
    words: LineWords | None = line_words_field()

    @classmethod
    def of(cls, line: domain.DocumentLine) -> InvoiceLine:
        return cls.mirroring(line, words=LineWords.of(line.words))


class AppliedCredit(Answer):
    credit_note_id: str
    amount_minor: int
    number: str | None       # of the credit note
    applied_at: datetime


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

    @classmethod
    def of(cls, full: views.InFull) -> InvoiceDetail:
        invoice = full.listed.invoice
        return super().of(full.listed, lines=[InvoiceLine.of(line) for line in invoice.lines],
                          taxes=[TaxLine.mirroring(tax) for tax in invoice.taxes],
                          credits_applied=[AppliedCredit(credit_note_id=c.credit_note_id, amount_minor=c.amount_minor,
                                                         number=full.credit_numbers.get(c.credit_note_id),
                                                         applied_at=c.applied_at) for c in invoice.credits_applied],
                          payments=[InvoicePayment(payment_id=paid.payment_id, amount_minor=paid.amount_minor,
                                                   paid_at=paid.paid_at, method_summary=paid.method_summary)
                                    for paid in full.paid_by])


class NextAction(GivenOnly):
    """What the browser must do to finish a payment that requires authentication."""
    type: Literal["simulated_authentication", "stripe_confirm_card_payment"]
    client_secret: str | None
    confirm_path: str | None = None        # simulated
    publishable_key: str | None = None     # Stripe

    @classmethod
    def of(cls, action: payment_views.NextAction) -> NextAction:
        """The simulated gateway's action names its confirm path, Stripe's its publishable key."""
        if action.type == "simulated_authentication":
            return cls(type=action.type, client_secret=action.client_secret, confirm_path=action.confirm_path)
        return cls(type=action.type, client_secret=action.client_secret, publishable_key=action.publishable_key)


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
    # only while status is requires_action (left out of the answer otherwise)
    next_action: NextAction | None = Field(default=None, exclude_if=lambda action: action is None)

    @classmethod
    def of(cls, shown: payment_views.Shown, **given) -> Payment:
        """The answer from the typed result (services/payments/views.Shown); `given`: parts shown otherwise."""
        payment = shown.payment
        return cls.mirroring(payment, **{
            "allocations": [Allocation.mirroring(a) for a in payment.allocations],
            "refunds": [RefundDocument.mirroring(r) for r in payment.refunds],
            "next_action": NextAction.of(shown.next_action) if shown.next_action else None, **given})


class PaymentPage(Page[Payment]):
    pass   # answered by `Page.of`


class PaidInvoice(Allocation):
    number: str


class PaymentDetail(Payment):
    allocations: list[PaidInvoice]

    @classmethod
    def of(cls, shown: payment_views.Shown) -> PaymentDetail:
        """The payment with the number of each invoice it paid (kept with its allocations)."""
        return super().of(shown, allocations=[PaidInvoice(invoice_id=a.invoice_id, amount_minor=a.amount_minor,
                                                          number=a.invoice_number)
                                              for a in shown.payment.allocations])


class StatementRow(Answer):
    at: datetime
    on: date          # the day of `at` in the organization's time zone (what the statement shows)
    kind: Literal["invoice", "payment", "credit_note", "refund", "void", "credit_note_void"]
    reference: str
    description: str
    amount: Money
    balance: Money

    @classmethod
    def of(cls, row: ledger.StatementRow) -> StatementRow:
        return cls.mirroring(row, amount=Money.of(row.amount), balance=Money.of(row.balance))


class Statement(Answer):
    """One currency's statement: opening + invoiced - paid - credited + refunded = closing."""
    currency: str
    currency_exponent: CurrencyExponent
    period_start: date
    period_end: date
    opening_balance: Money
    rows: list[StatementRow]
    invoiced: Money
    paid: Money
    credited: Money
    refunded: Money
    closing_balance: Money

    @classmethod
    def of(cls, statement: ledger.Statement) -> Statement:
        return cls.mirroring(statement, rows=[StatementRow.of(row) for row in statement.rows], **{
            name: Money.of(getattr(statement, name))
            for name in ("opening_balance", "invoiced", "paid", "credited", "refunded", "closing_balance")})


class StatementOfAccounts(Answer):
    customer_id: str
    start: date
    end: date
    statements: list[Statement]

    @classmethod
    def of(cls, accounts: statement_views.StatementOfAccounts) -> StatementOfAccounts:
        return cls.mirroring(accounts, statements=[Statement.of(statement) for statement in accounts.statements])


class MonthSpending(Answer):
    month: str = Field(description='The month, "2026-11", of the organization\'s time zone.')
    start: date
    end: date                 # the month's last day, or today for this month
    invoiced: Money           # invoices less voids, as that month's statement
    paid: Money
    credited: Money
    refunded: Money

    @classmethod
    def of(cls, month: spent.MonthSpending) -> MonthSpending:
        return cls.mirroring(month, **{name: Money.of(getattr(month, name))
                                       for name in ("invoiced", "paid", "credited", "refunded")})


class CurrencySpending(Answer):
    currency: str
    currency_exponent: CurrencyExponent
    months: list[MonthSpending]

    @classmethod
    def of(cls, currency: spent.CurrencySpending) -> CurrencySpending:
        return cls.mirroring(currency, months=[MonthSpending.of(month) for month in currency.months])


class Spending(Answer):
    """The last `months` months per currency, oldest first."""
    months: int
    currencies: list[CurrencySpending]

    @classmethod
    def of(cls, spending: spending_views.Spending) -> Spending:
        return cls.mirroring(spending, currencies=[CurrencySpending.of(c) for c in spending.currencies])


class ExportRow(GivenOnly):
    """One row of an export, as its CSV has it: amounts in major units with the currency's decimals."""
    date: str
    type: Literal["opening_balance", "closing_balance", "invoice", "payment", "credit_note", "refund", "void",
                  "credit_note_void"]
    reference: str
    description: str
    currency: str
    currency_exponent: CurrencyExponent
    amount: str = Field(description='Major units: "35.20", JPY "3520", KWD "1.230"; empty on a balance row.')
    balance: str | None = Field(default=None, description="The statement's running balance (statement only).")

    @classmethod
    def of(cls, record: dict[str, str]) -> ExportRow:
        """A row named by its export's columns (the CSV's: only a statement's has a balance)."""
        return cls(**record, currency_exponent=exponent(record["currency"]))


class ExportFile(Answer):
    """An export in one currency: the CSV's columns and its rows as objects."""
    kind: Literal["statement", "invoices", "payments"]
    currency: str
    currency_exponent: CurrencyExponent
    start: date
    end: date
    columns: list[str]
    rows: list[ExportRow]

    @classmethod
    def of(cls, exported: exporting.Export) -> ExportFile:
        table = exported.table
        return cls(kind=table.kind, currency=table.currency, currency_exponent=exponent(table.currency),
                   start=exported.start, end=exported.end, columns=list(table.columns),
                   rows=[ExportRow.of(record) for record in table.records()])


class Forwarded(Answer):
    document_id: str
    number: str
    sent_to: list[str]
    email_status: EmailStatus

    @classmethod
    def of(cls, forwarded: forwarding.Forwarded) -> Forwarded:
        return cls.mirroring(forwarded)


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

    @classmethod
    def of(cls, note: domain.CreditNote) -> CreditNoteDetail:
        return cls.mirroring(note, lines=[InvoiceLine.of(line) for line in note.lines])


# The portal's estimate and timesheet list their fields in the order their answers always had, as
# the back office's records do.

class Estimate(Answer):
    """An estimate as the portal shows it."""
    estimate_id: str
    number: str
    currency: str
    currency_exponent: CurrencyExponent
    status: EstimateStatus
    issued_at: datetime
    expires_at: datetime
    lines: list[InvoiceLine]
    total_minor: int
    notes: str
    decided_at: datetime | None
    decided_by_name: str | None  # the contact who answered (null: undecided, or the contact is gone)
    comment: str

    @classmethod
    def of(cls, shown: views.Decided) -> Estimate:
        return cls.mirroring(shown.document, lines=[InvoiceLine.of(line) for line in shown.document.lines],
                             decided_by_name=shown.decided_by_name)


class EstimatePage(Page[Estimate]):
    pass   # answered by `Page.of`


class Timesheet(Answer):
    """A timesheet as the portal shows it."""
    timesheet_id: str
    project: str
    period_start: date
    period_end: date
    status: TimesheetStatus
    entries: list[TimeEntry]
    submitted_at: datetime
    decided_at: datetime | None
    decided_by_name: str | None  # the contact who answered (null: undecided, or the contact is gone)
    comment: str

    @classmethod
    def of(cls, shown: views.Decided) -> Timesheet:
        return cls.mirroring(shown.document, entries=[TimeEntry.mirroring(e) for e in shown.document.entries],
                             decided_by_name=shown.decided_by_name)


class TimesheetPage(Page[Timesheet]):
    pass   # answered by `Page.of`
