"""Payments made by customers and the payment methods they keep."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .documents import Invoice


class PaymentStatus(str, Enum):
    PENDING = "pending"                   # sent to the gateway, no answer yet
    REQUIRES_ACTION = "requires_action"   # the customer must finish 3-D Secure
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class Allocation:
    """What a payment pays of one invoice, with the invoice's facts its receipt prints (number, issue
    time, total: an invoice's are never changed once issued), so that the payment is shown without
    reading its invoices. None in a payment recorded before they were kept with it."""
    invoice_id: str
    amount_minor: int
    invoice_number: str | None = None
    invoice_issued_at: datetime | None = None
    invoice_total_minor: int | None = None

    @classmethod
    def of(cls, invoice: Invoice, amount_minor: int) -> Allocation:
        return cls(invoice.invoice_id, amount_minor, invoice.number, invoice.issued_at, invoice.total_minor)

    @property
    def knows_its_invoice(self) -> bool:
        return self.invoice_number is not None


@dataclass(frozen=True)
class Refund:
    """Money given back from a payment, and the credit note that documents it for the customer."""
    credit_note_id: str
    number: str
    amount_minor: int
    refunded_at: datetime


@dataclass(frozen=True)
class Payment:
    payment_id: str
    customer_id: str
    status: PaymentStatus
    amount_minor: int
    currency: str
    allocations: tuple[Allocation, ...]
    created_at: datetime
    gateway: str
    payment_method_id: str | None = None
    method_summary: str = ""             # "Visa •••• 4242"
    gateway_payment_id: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    client_secret: str | None = None
    idempotency_key: str = ""
    succeeded_at: datetime | None = None
    refunded_minor: int = 0              # the total given back (each part documented: `refunds`)
    source: str = "portal"               # portal | auto_charge | merchant
    paid_by: str = ""                    # the contact who paid in the portal ("" for the others, and before)
    refunds: tuple[Refund, ...] = ()
    overpayment_credit_note_id: str | None = None   # the credit kept of what no invoice still owed
    # The customer's bank disputes the charge: Stripe's dispute status (needs_response,
    # under_review, won, lost, warning_*) and the amount in question, kept after it closes.
    dispute_status: str | None = None
    disputed_minor: int = 0
    number: str | None = None            # PAY-000012, taken when it succeeds; failed payments have none
    version: int | None = None

    @property
    def label(self) -> str:
        """What receipts, statements and emails call it: its number, or its id when it has none
        (it did not succeed, or it was recorded before payments were numbered)."""
        return self.number or self.payment_id

    @property
    def invoices_to_read(self) -> list[str]:
        """The invoices whose facts its allocations lack (recorded before they were kept with it)."""
        return [a.invoice_id for a in self.allocations if not a.knows_its_invoice]

    def with_invoice_facts(self, invoices: dict[str, Invoice]) -> Payment:
        """The payment, each allocation lacking its invoice's facts given them from `invoices` (one
        not found keeps its id alone)."""
        return replace(self, allocations=tuple(
            a if a.knows_its_invoice or a.invoice_id not in invoices else Allocation.of(invoices[a.invoice_id],
                                                                                      a.amount_minor)
            for a in self.allocations))

    @property
    def awaiting_gateway(self) -> bool:
        """Its outcome is not known yet: sent to the gateway, or waiting for the customer's bank."""
        return self.status in (PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION)


@dataclass(frozen=True)
class PaymentMethod:
    payment_method_id: str
    customer_id: str
    gateway: str
    gateway_method_id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    created_at: datetime
    is_default: bool = False
    gateway_customer_id: str | None = None   # whom the gateway attached it to: a later card needs no lookup
    version: int | None = None

    @property
    def summary(self) -> str:
        return f"{self.brand.title()} •••• {self.last4}"

    def expired_on(self, day: date) -> bool:
        """A card is good through the last day of its expiry month."""
        return (day.year, day.month) > (self.exp_year, self.exp_month)
