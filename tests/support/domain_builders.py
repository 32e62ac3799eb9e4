"""Domain values for tests that reach the repositories without HTTP (the repository contract, the
in-memory service tests): an organization, its customer, an invoice, a payment, a credit note.
Each builder takes the few facts a test states; the rest is a plausible default."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from chalicelib.domain.customers import Customer
from chalicelib.domain.documents import CreditNote, CreditNoteStatus, DocumentLine, Invoice, InvoiceStatus
from chalicelib.domain.ids import new_id
from chalicelib.domain.organization import Organization
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


def an_organization(org_id: str = "org_acme", **changes) -> Organization:
    return replace(Organization(org_id, "Acme Cloud", "billing@acme.example", "USD", NOW - timedelta(days=90)),
                   **changes)


def a_customer(customer_id: str = "cus_globex", **changes) -> Customer:
    return replace(Customer(customer_id, "Globex", "zoe@globex.example", "USD", created_at=NOW - timedelta(days=60)),
                   **changes)


def an_invoice(total_minor: int = 10_000, *, customer_id: str = "cus_globex", invoice_id: str | None = None,
               number: str = "INV-000001", due_on: date = date(2026, 12, 10), at: datetime = NOW,
               **changes) -> Invoice:
    return replace(Invoice(
        invoice_id or new_id("invoice", at), customer_id, number, "USD", InvoiceStatus.OPEN, at, due_on,
        (DocumentLine("Pro plan, December", total_minor),), total_minor, 0, total_minor), **changes)


def a_credit_note(total_minor: int = 2_000, *, customer_id: str = "cus_globex", number: str = "CN-000001",
                  at: datetime = NOW, **changes) -> CreditNote:
    return replace(CreditNote(
        new_id("credit_note", at), customer_id, number, "USD", CreditNoteStatus.OPEN, at,
        (DocumentLine("Goodwill credit", -total_minor, kind="credit"),), total_minor, total_minor), **changes)


def a_payment(invoice: Invoice, *, amount_minor: int | None = None, at: datetime = NOW, **changes) -> Payment:
    amount = invoice.balance_minor if amount_minor is None else amount_minor
    return replace(Payment(new_id("payment", at), invoice.customer_id, PaymentStatus.PENDING, amount, invoice.currency,
                           (Allocation(invoice.invoice_id, amount),), at, "simulated"), **changes)
