"""Printable documents of one customer, as PDF bytes: invoices, estimates, payment receipts and
statements of accounts. Every id is looked up under the caller's own customer, so another
customer's document is simply not found. Money and days are written as the reader's page
writes them (the contact asking, or the customer's primary contact).

Importing this module also teaches the email outbox to attach invoice and estimate PDFs
(`mail.register_attachment`): the outbox stores which document to attach, and renders it when
the email is sent (or retried)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from ...domain.errors import BusinessRuleViolation
from ...domain.payments import PaymentStatus
from ...gateways.email import Attachment
from ...tables.customers import Parties
from ..accounts import languages, outbox as mail
from . import layouts as document_views, statements

PDF = "application/pdf"


@dataclass(frozen=True)
class RenderedPdf:
    filename: str
    data: bytes


def invoice_pdf(adapters, org_id: str, customer_id: str, invoice_id: str, *, reader: str | None = None) -> RenderedPdf:
    org, customer, invoice = _unpacked(adapters.uow.invoices.with_parties(org_id, customer_id, invoice_id))
    return _rendered(adapters, org, invoice.number,
                     document_views.invoice_document(org, customer, invoice, _writing(org, customer, reader)))


def estimate_pdf(adapters, org_id: str, customer_id: str, estimate_id: str, *,
                 reader: str | None = None) -> RenderedPdf:
    org, customer, estimate = _unpacked(adapters.uow.estimates.with_parties(org_id, customer_id, estimate_id))
    return _rendered(adapters, org, estimate.number,
                     document_views.estimate_document(org, customer, estimate, _writing(org, customer, reader)))


def receipt_pdf(adapters, org_id: str, customer_id: str, payment_id: str, *, reader: str | None = None) -> RenderedPdf:
    """The receipt of a payment that went through (a pending or failed one has none)."""
    org, customer, payment = _unpacked(adapters.uow.payments.with_parties(org_id, customer_id, payment_id))
    if payment.status != PaymentStatus.SUCCEEDED:
        raise BusinessRuleViolation("Only a payment that went through has a receipt.", "payment_not_succeeded",
                                    {"status": payment.status.value})
    paid = adapters.uow.invoices.get_many(org_id, customer_id, [a.invoice_id for a in payment.allocations])
    return _rendered(adapters, org, f"receipt-{payment.label}",
                     document_views.receipt_document(org, customer, payment, paid, _writing(org, customer, reader)))


def statement_pdf(adapters, org_id: str, customer_id: str, *, start: date | None, end: date | None,
                  now: datetime, reader: str | None = None) -> RenderedPdf:
    org, customer, _ = _unpacked(adapters.uow.customers.with_organization(org_id, customer_id))
    period = statements.statement_for(adapters, org, customer_id, start=start, end=end, now=now)
    doc = document_views.statement_document(org, customer, period.start, period.end, period.statements,
                                            _writing(org, customer, reader))
    return _rendered(adapters, org, f"statement-{period.start.isoformat()}-to-{period.end.isoformat()}", doc)


def _writing(org, customer, reader: str | None) -> document_views.Writing:
    """Money and days as the reader's page writes them (`reader`: the contact asking; else the primary contact)."""
    return document_views.Writing(languages.locale_of(org, customer, reader), org.time_zone)


def _unpacked(found: Parties):
    return found.org, found.customer, found.document


def _rendered(adapters, org, name: str, doc) -> RenderedPdf:
    """The PDF of `doc`, with the organization's logo at its top when it has one."""
    logo = adapters.uow.logos.get(org.org_id, org.logo) if org.logo else None
    return RenderedPdf(f"{_safe_filename(name)}.pdf", adapters.renderer(replace(doc, logo=logo) if logo else doc))


def _safe_filename(name: str) -> str:
    """A file name safe inside a Content-Disposition header and on any disk."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "document"


# --- attachments the outbox renders when it sends ------------------------------------------------

def invoice_attachment(invoice_id: str, customer_id: str) -> dict:
    return {"kind": "invoice", "customer_id": customer_id, "document_id": invoice_id}


def estimate_attachment(estimate_id: str, customer_id: str) -> dict:
    return {"kind": "estimate", "customer_id": customer_id, "document_id": estimate_id}


def _as_attachment(rendered: RenderedPdf) -> Attachment:
    return Attachment(rendered.filename, PDF, rendered.data)


mail.register_attachment("invoice", lambda adapters, org_id, spec: _as_attachment(
    invoice_pdf(adapters, org_id, spec["customer_id"], spec["document_id"])))
mail.register_attachment("estimate", lambda adapters, org_id, spec: _as_attachment(
    estimate_pdf(adapters, org_id, spec["customer_id"], spec["document_id"])))
