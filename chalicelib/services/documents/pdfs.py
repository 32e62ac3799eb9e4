"""Printable documents of one customer, as PDF bytes: invoices, estimates, payment receipts and
statements of accounts. Every id is looked up under the caller's own customer, so another
customer's document is simply not found. Money and days are written as the reader's page
writes them (the contact asking, or the customer's primary contact).

A PDF is rendered once for what it shows and kept (tables/rendered_documents.py): the copy kept of a
document is read in the same BatchGetItem as the document, and answered when its fingerprint (the
page's every word, and the renderer's version) is the one of the page asked for now; anything the
page shows having changed (a payment, a void stamp, the billing details, the reader's language)
changes the fingerprint, and the document is rendered and kept again (docs/architecture.md "PDFs").
What a PDF shows is read as every page of the portal is, eventually consistent: a change made a
second ago may show on the next request, and its session check has read most of it already
(tables/read_ahead.py).

Importing this module also teaches the email outbox to attach invoice and estimate PDFs
(`mail.register_attachment`): the outbox stores which document to attach, and renders it when
the email is sent (or retried)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from ...domain.errors import BusinessRuleViolation
from ...domain.payments import PaymentStatus
from ...gateways.email import Attachment
from ...gateways.pdf import RENDERING
from ...tables.customers import Parties
from ..accounts import languages, outbox as mail
from . import layouts as document_views, statements

PDF = "application/pdf"


@dataclass(frozen=True)
class RenderedPdf:
    filename: str
    data: bytes


def invoice_pdf(adapters, org_id: str, customer_id: str, invoice_id: str, *, now: datetime,
                reader: str | None = None) -> RenderedPdf:
    """Its status as the portal shows it on the organization's day of `now` (Overdue once past due):
    the page, and so the copy kept, changes on the day it falls overdue."""
    kept = f"invoice#{invoice_id}"
    found = adapters.uow.invoices.with_parties(org_id, customer_id, invoice_id, kept=kept, consistent=False)
    org, customer, invoice = _unpacked(found)
    return _rendered(adapters, found, kept, invoice.number,
                     document_views.invoice_document(org, customer, invoice, _writing(org, customer, reader),
                                                     org.today(now)))


def estimate_pdf(adapters, org_id: str, customer_id: str, estimate_id: str, *,
                 reader: str | None = None) -> RenderedPdf:
    kept = f"estimate#{estimate_id}"
    found = adapters.uow.estimates.with_parties(org_id, customer_id, estimate_id, kept=kept, consistent=False)
    org, customer, estimate = _unpacked(found)
    return _rendered(adapters, found, kept, estimate.number,
                     document_views.estimate_document(org, customer, estimate, _writing(org, customer, reader)))


def receipt_pdf(adapters, org_id: str, customer_id: str, payment_id: str, *, reader: str | None = None) -> RenderedPdf:
    """The receipt of a payment that went through (a pending or failed one has none)."""
    kept = f"receipt#{payment_id}"
    found = adapters.uow.payments.with_parties(org_id, customer_id, payment_id, kept=kept, consistent=False)
    org, customer, payment = _unpacked(found)
    if payment.status != PaymentStatus.SUCCEEDED:
        raise BusinessRuleViolation("Only a payment that went through has a receipt.", "payment_not_succeeded",
                                    {"status": payment.status.value})
    missing = payment.invoices_to_read   # facts kept with the payment; read for one recorded before
    if missing:
        payment = payment.with_invoice_facts(adapters.uow.invoices.get_many(org_id, customer_id, missing))
    return _rendered(adapters, found, kept, f"receipt-{payment.label}",
                     document_views.receipt_document(org, customer, payment, _writing(org, customer, reader)))


def statement_pdf(adapters, org_id: str, customer_id: str, *, start: date | None, end: date | None,
                  now: datetime, reader: str | None = None) -> RenderedPdf:
    """Kept per range as asked (a range left open to today shows a new day, and renders again, each day)."""
    kept = f"statement#{start or ''}#{end or ''}"
    found = adapters.uow.customers.with_organization(org_id, customer_id, kept=kept, consistent=False)
    org, customer, _ = _unpacked(found)
    period = statements.statement_for(adapters, org, customer_id, start=start, end=end, now=now)
    doc = document_views.statement_document(org, customer, period.start, period.end, period.statements,
                                            _writing(org, customer, reader))
    return _rendered(adapters, found, kept, f"statement-{period.start.isoformat()}-to-{period.end.isoformat()}", doc)


def _writing(org, customer, reader: str | None) -> document_views.Writing:
    """Money and days as the reader's page writes them (`reader`: the contact asking; else the primary contact)."""
    return document_views.Writing(languages.locale_of(org, customer, reader), org.time_zone)


def _unpacked(found: Parties):
    return found.org, found.customer, found.document


def _rendered(adapters, found: Parties, kept: str, name: str, doc) -> RenderedPdf:
    """The copy kept of document `kept` if it shows `doc`; else `doc` rendered now, and kept.

    PDFs carry no logo: fpdf2 embeds images only through Pillow, which the Lambda package leaves
    out (infra/package_contents.py: 22 MB unzipped, the package's limit is 12 MB zipped)."""
    from ...tables.rendered_documents import KeptCopy
    org = found.org
    fingerprint = page_fingerprint(doc)
    if found.kept is not None and found.kept.fingerprint == fingerprint:
        return RenderedPdf(f"{_safe_filename(name)}.pdf", found.kept.pdf)
    data = adapters.renderer(doc)
    adapters.uow.rendered_documents.keep(org.org_id, found.customer.customer_id, kept,
                                         KeptCopy(fingerprint, data), adapters.now())
    return RenderedPdf(f"{_safe_filename(name)}.pdf", data)


def page_fingerprint(doc) -> str:
    """What a rendered page shows: the document's every field (a frozen dataclass of strings, whose
    repr is stable) and the renderer's version."""
    return hashlib.sha256(f"{RENDERING}\n{doc!r}".encode()).hexdigest()


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
    invoice_pdf(adapters, org_id, spec["customer_id"], spec["document_id"], now=adapters.now())))
mail.register_attachment("estimate", lambda adapters, org_id, spec: _as_attachment(
    estimate_pdf(adapters, org_id, spec["customer_id"], spec["document_id"])))
