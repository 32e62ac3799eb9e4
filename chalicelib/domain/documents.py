"""Billing documents: invoices, credit notes, estimates and timesheets."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cached_property

from .line_words import LineWords
from .money import Money


@dataclass(frozen=True)
class DocumentLine:
    description: str
    amount_minor: int
    quantity: int = 1
    unit_price_minor: int | None = None
    code: str | None = None
    kind: str = "charge"          # charge | discount | proration | credit | rounding
    period_start: date | None = None   # the days of service the line bills or credits: [start, end)
    period_end: date | None = None
    words: LineWords | None = None     # what the description says, as data (None: lines of before, typed ones)


@dataclass(frozen=True)
class TaxLine:
    name: str
    rate_bp: int                  # basis points: 2000 = 20 %
    amount_minor: int


class InvoiceStatus(str, Enum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOID = "void"


@dataclass(frozen=True)
class CreditApplication:
    credit_note_id: str
    amount_minor: int
    applied_at: datetime
    number: str | None = None     # the credit note's (never changes); None where applied before it was kept


@dataclass(frozen=True)
class PaymentApplied:
    """What one payment paid of an invoice, kept on the invoice when the payment succeeds (in the
    same write), as a credit note's part is: the invoice's detail names its payments without
    reading the customer's."""
    payment_id: str
    amount_minor: int
    paid_at: datetime | None
    method_summary: str = ""


@dataclass(frozen=True)
class Invoice:
    invoice_id: str
    customer_id: str
    number: str
    currency: str
    status: InvoiceStatus
    issued_at: datetime
    due_on: date                  # a day of the organization's calendar
    lines: tuple[DocumentLine, ...]
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    taxes: tuple[TaxLine, ...] = ()
    credits_applied: tuple[CreditApplication, ...] = ()
    amount_paid_minor: int = 0
    payments_applied: tuple[PaymentApplied, ...] = ()
    subscription_id: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    paid_at: datetime | None = None
    voided_at: datetime | None = None
    notes: str = ""
    version: int | None = None

    # Worked out once per invoice (a frozen value: they cannot change), not on each of the several
    # reads a list's row makes of them (its status, whether it is overdue, payable alone, its answer)
    @cached_property
    def credits_applied_minor(self) -> int:
        return sum(c.amount_minor for c in self.credits_applied)

    @property
    def knows_its_payments(self) -> bool:
        """Its payments account for all it was paid: false for one paid before invoices kept their
        payments (its payments are found among the customer's)."""
        return sum(p.amount_minor for p in self.payments_applied) == self.amount_paid_minor

    @cached_property
    def balance_minor(self) -> int:
        if self.status == InvoiceStatus.VOID:
            return 0
        return self.total_minor - self.credits_applied_minor - self.amount_paid_minor

    @property
    def balance(self) -> Money:
        return Money(self.balance_minor, self.currency)

    def is_outstanding(self) -> bool:
        return self.status in (InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID) and self.balance_minor > 0

    def bills_days_from(self, today: date) -> bool:
        """Some line bills (or credits) days of service from `today` on: days a later change,
        pause, cancellation or reactivation may credit as unused, so voiding it would give credit
        for money never charged (docs/billing.md, Voiding an invoice)."""
        return any(line.period_end is not None and line.period_end > today for line in self.lines)

    def is_overdue(self, today: date) -> bool:
        """Outstanding after its due day (`today` is the organization's date)."""
        return self.is_outstanding() and self.due_on < today


class CreditNoteStatus(str, Enum):
    OPEN = "open"          # has a balance to apply
    CLOSED = "closed"      # fully applied or refunded
    VOID = "void"


class CreditNoteKind(str, Enum):
    """Why a credit note exists, which says whether its issue changes what the customer owes."""
    CREDIT = "credit"             # credit the merchant gives (goodwill, unused time): counts when issued
    REFUND = "refund"             # money given back from a payment: issued refunded, nets to nothing
    OVERPAYMENT = "overpayment"   # money a payment brought beyond what was owed: its payment counted it


@dataclass(frozen=True)
class CreditNote:
    credit_note_id: str
    customer_id: str
    number: str
    currency: str
    status: CreditNoteStatus
    issued_at: datetime
    lines: tuple[DocumentLine, ...]
    total_minor: int
    balance_minor: int
    reason: str = ""
    invoice_id: str | None = None
    subscription_id: str | None = None
    refunded_minor: int = 0
    payment_id: str | None = None     # a refund's or an overpayment's note: the payment it documents
    kind: CreditNoteKind = CreditNoteKind.CREDIT
    version: int | None = None


class EstimateStatus(str, Enum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Estimate:
    estimate_id: str
    customer_id: str
    number: str
    currency: str
    status: EstimateStatus
    issued_at: datetime
    expires_at: datetime
    lines: tuple[DocumentLine, ...]
    total_minor: int
    notes: str = ""
    decided_at: datetime | None = None
    decided_by: str | None = None
    comment: str = ""
    version: int | None = None


class TimesheetStatus(str, Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class TimeEntry:
    date: str            # YYYY-MM-DD
    minutes: int
    description: str = ""


@dataclass(frozen=True)
class Timesheet:
    timesheet_id: str
    customer_id: str
    project: str
    period_start: str
    period_end: str
    entries: tuple[TimeEntry, ...]
    status: TimesheetStatus
    submitted_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    comment: str = ""
    version: int | None = None
