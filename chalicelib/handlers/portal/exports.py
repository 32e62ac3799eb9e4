"""Exports of the statement of accounts, its invoices and its payments: CSV or JSON, one currency
per file, for a range of days like the statement's.

CSV is text, not one of the app's binary types: API Gateway passes it as it is, whatever the
request accepts (a PDF needs `Accept: application/pdf`)."""
from __future__ import annotations

from chalice import Response

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Routes
from ..schemas import Currency
from .statements import StatementQuery


api = Routes("portal", portal_session)
CSV = "text/csv"


class ExportQuery(StatementQuery):
    """A range of days (as the statement's) and the currency of the file (by default the organization's)."""
    currency: Currency | None = None


def _export(kind: str, query: ExportQuery):
    caller = api.customer()
    return services().documents.export(caller.org, caller.customer_id, kind, start=query.from_, end=query.to,
                                       currency=query.currency, now=bootstrap.now())


def _csv_answer(kind: str, query: ExportQuery) -> Response:
    exported = _export(kind, query)
    return Response(body=exported.csv(), status_code=200, headers={
        "Content-Type": f"{CSV}; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{exported.filename_stem}.csv"',
        "Cache-Control": "no-store"})


def _json_answer(kind: str, query: ExportQuery) -> dict:
    from ..responses.documents import ExportFile   # on the first answer, not at `import app`
    return ExportFile.of(_export(kind, query)).model_dump()


@api.route("/portal/exports/statement.csv", query=ExportQuery, content_type=CSV)
def statement_csv(query: ExportQuery):
    """The statement of accounts in one currency as CSV: opening balance, every transaction with the
    running balance, closing balance (the PDF's figures)."""
    return _csv_answer("statement", query)


@api.route("/portal/exports/statement.json", query=ExportQuery, response="ExportFile")
def statement_json(query: ExportQuery):
    """The statement of accounts in one currency, as the CSV's rows in JSON."""
    return _json_answer("statement", query)


@api.route("/portal/exports/invoices.csv", query=ExportQuery, content_type=CSV)
def invoices_csv(query: ExportQuery):
    """The invoices (and voids) of a range in one currency as CSV; they add up to the statement's invoiced amount."""
    return _csv_answer("invoices", query)


@api.route("/portal/exports/invoices.json", query=ExportQuery, response="ExportFile")
def invoices_json(query: ExportQuery):
    """The invoices (and voids) of a range in one currency, as the CSV's rows in JSON."""
    return _json_answer("invoices", query)


@api.route("/portal/exports/payments.csv", query=ExportQuery, content_type=CSV)
def payments_csv(query: ExportQuery):
    """The payments (and refunds, negative) of a range in one currency as CSV; they add up to the
    statement's paid less refunded."""
    return _csv_answer("payments", query)


@api.route("/portal/exports/payments.json", query=ExportQuery, response="ExportFile")
def payments_json(query: ExportQuery):
    """The payments (and refunds, negative) of a range in one currency, as the CSV's rows in JSON."""
    return _json_answer("payments", query)
