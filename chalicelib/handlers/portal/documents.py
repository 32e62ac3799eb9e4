"""Documents as PDFs (invoice, receipt, estimate, statement), and forwarding them by email.

PDFs are binary answers: `application/pdf` is one of the app's binary types, so API Gateway
passes the bytes through; the request must accept it (`Accept: application/pdf` or `*/*`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from chalice import Response
from pydantic import Field, StringConstraints

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import LongText, ShortText
from .statements import StatementQuery

if TYPE_CHECKING:
    from ...services.documents.pdfs import RenderedPdf


api = Routes("portal", portal_session)
PDF = "application/pdf"


class ForwardBody(Body):
    contact_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(min_length=1, max_length=20)
    subject: ShortText | None = None
    body: LongText | None = None


def pdf_answer(rendered: RenderedPdf) -> Response:
    return Response(body=rendered.data, status_code=200, headers={
        "Content-Type": PDF, "Content-Disposition": f'attachment; filename="{rendered.filename}"',
        "Cache-Control": "no-store"})


@api.route("/portal/invoices/{invoice_id}/pdf", content_type=PDF, reads_ahead=("kept_invoice_pdf",))
def invoice_pdf(invoice_id: str):
    """An invoice as a PDF."""
    caller = api.customer()
    return pdf_answer(services().documents.invoice_pdf(caller.org_id, caller.customer_id, invoice_id,
                                                       now=bootstrap.now(), reader=caller.contact_id))


@api.route("/portal/payments/{payment_id}/receipt", content_type=PDF, reads_ahead=("kept_receipt_pdf",))
def payment_receipt(payment_id: str):
    """The receipt of a payment, as a PDF."""
    caller = api.customer()
    return pdf_answer(services().documents.receipt_pdf(caller.org_id, caller.customer_id, payment_id,
                                                       reader=caller.contact_id))


@api.route("/portal/estimates/{estimate_id}/pdf", content_type=PDF, reads_ahead=("kept_estimate_pdf",))
def estimate_pdf(estimate_id: str):
    """An estimate as a PDF."""
    caller = api.customer()
    return pdf_answer(services().documents.estimate_pdf(caller.org_id, caller.customer_id, estimate_id,
                                                        reader=caller.contact_id))


@api.route("/portal/statements/pdf", query=StatementQuery, content_type=PDF, reads_ahead=("kept_statement_pdf",))
def statement_pdf(query: StatementQuery):
    """The statement of accounts for a range, as a PDF."""
    caller = api.customer()
    return pdf_answer(services().documents.statement_pdf(caller.org_id, caller.customer_id, start=query.from_,
                                                         end=query.to, now=bootstrap.now(),
                                                         reader=caller.contact_id))


@api.route("/portal/invoices/{invoice_id}/forward", "POST", body=ForwardBody, status=202, response="Forwarded")
def forward_invoice(invoice_id: str, body: ForwardBody):
    """Email an invoice (PDF attached) to contact persons of my account; primary contact only."""
    from ..responses.documents import Forwarded   # on the first answer, not at `import app`
    caller = api.customer()
    return Forwarded.of(services().documents.forward_invoice(
        caller.org_id, caller.customer_id, caller.contact_id, invoice_id, contact_ids=body.contact_ids,
        subject=body.subject, body=body.body, now=bootstrap.now())).model_dump()


@api.route("/portal/estimates/{estimate_id}/forward", "POST", body=ForwardBody, status=202, response="Forwarded")
def forward_estimate(estimate_id: str, body: ForwardBody):
    """Email an estimate (PDF attached) to contact persons of my account; primary contact only."""
    from ..responses.documents import Forwarded
    caller = api.customer()
    return Forwarded.of(services().documents.forward_estimate(
        caller.org_id, caller.customer_id, caller.contact_id, estimate_id, contact_ids=body.contact_ids,
        subject=body.subject, body=body.body, now=bootstrap.now())).model_dump()
