"""The customer's invoices: lists by filter and one invoice in full."""
from __future__ import annotations

from typing import Literal

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Routes
from ..schemas import PageQuery


api = Routes("portal", portal_session)


class InvoiceQuery(PageQuery):
    status: Literal["all", "outstanding", "overdue", "paid", "partially_paid", "void"] = "all"


@api.route("/portal/invoices", query=InvoiceQuery, response="InvoicePage")
def list_invoices(query: InvoiceQuery):
    """My invoices, newest first: all, outstanding, overdue, paid, partially paid or void (the
    outstanding and overdue ones latest due first)."""
    from ..responses.documents import InvoicePage   # on the first answer, not at `import app`
    caller = api.customer()
    page = services().documents.invoices(caller.org, caller.customer_id, view=query.status, limit=query.limit,
                                         cursor=query.cursor, now=bootstrap.now())
    return InvoicePage.of(page).model_dump()   # python values: dates written as in every other answer


@api.route("/portal/invoices/{invoice_id}", response="InvoiceDetail")
def invoice(invoice_id: str):
    """One invoice with its lines, taxes, credits applied and payments."""
    from ..responses.documents import InvoiceDetail
    caller = api.customer()
    return InvoiceDetail.of(services().documents.invoice(caller.org, caller.customer_id, invoice_id,
                                                         bootstrap.now())).model_dump()
