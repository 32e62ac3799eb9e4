"""The customer's invoices: lists by filter and one invoice in full."""
from __future__ import annotations

from typing import Literal

from chalice import Blueprint

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Routes, page_answer
from ..schemas import PageQuery


bp = Blueprint(__name__)
api = Routes(bp, "portal", portal_session)


class InvoiceQuery(PageQuery):
    status: Literal["all", "outstanding", "overdue", "paid", "partially_paid", "void"] = "all"


@api.route("/portal/invoices", query=InvoiceQuery, response="InvoicePage")
def list_invoices(query: InvoiceQuery):
    """My invoices, newest first: all, outstanding, overdue, paid, partially paid or void (the
    outstanding and overdue ones latest due first)."""
    caller = api.customer()
    return page_answer(services().documents.invoices(caller.org_id, caller.customer_id, view=query.status,
                                                     limit=query.limit, cursor=query.cursor, now=bootstrap.now()))


@api.route("/portal/invoices/{invoice_id}", response="InvoiceDetail")
def invoice(invoice_id: str):
    """One invoice with its lines, taxes, credits applied and payments."""
    caller = api.customer()
    return services().documents.invoice(caller.org_id, caller.customer_id, invoice_id, bootstrap.now())
