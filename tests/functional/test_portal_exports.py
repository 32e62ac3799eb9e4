"""Exports of the statement, its invoices and its payments (CSV and JSON) are the statement the PDF
renders from, figure for figure, in one currency per file; bad ranges and currencies are field
errors; a customer's export holds only its own transactions."""
import csv
import io
import re
from datetime import date

from chalicelib.bootstrap import adapters
from chalicelib.services.documents.layouts import Writing, statement_document
from chalicelib.services.documents.statements import statement_for
from chalicelib.tables.metrics import counting_calls
from tests.support.ledger_history import NOVEMBER, a_mixed_history
from tests.support.api import Api, client
from tests.support.payments import a_payer, an_invoice, with_webhook_secret
from tests.support.portal import Clock


def rows_of(answer) -> list[list[str]]:
    text = answer.body.decode() if isinstance(answer.body, bytes) else answer.body
    return list(csv.reader(io.StringIO(text, newline="")))


def pdf_figure(text: str) -> str:
    """'-$1,234.50' as the PDF shows it in American English: '-1234.50', as the export writes it."""
    return re.sub(r"[^0-9.-]", "", text) if text else ""


def pdf_rows(payer, now) -> tuple:
    """The rows of November's statement table as the PDF renders them."""
    uow = adapters().uow
    org, customer = uow.organizations.get(payer.org_id), uow.customers.get(payer.org_id, payer.customer_id)
    period = statement_for(adapters(), org, payer.customer_id, start=date(2026, 11, 1), end=date(2026, 11, 30),
                           now=now)
    return statement_document(org, customer, period.start, period.end, period.statements,
                              Writing("en-US", org.time_zone)).table.rows


def test_the_statement_csv_is_the_pdfs_statement_figure_for_figure_in_three_reads(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a month of invoices, payments, credit notes, voids and refunds
        payer, *_ = a_mixed_history(Api(c), clock)

        # When the customer downloads November's statement as CSV
        with counting_calls() as calls:
            answer = payer.portal.get(f"/portal/exports/statement.csv?{NOVEMBER}")

        # Then it is a text/csv attachment, read with the session, the organization and one Query
        assert answer.status == 200, answer.body
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert answer.headers["Content-Disposition"] == \
            'attachment; filename="statement-USD-2026-11-01-to-2026-11-30.csv"'
        assert calls.reads <= 3, calls.operations
        # And every row's day, amount and balance is the PDF's, the opening and closing balances included
        [header, *rows] = rows_of(answer)
        assert header == ["date", "type", "reference", "description", "currency", "amount", "balance"]
        as_the_pdf_writes = Writing("en-US", "UTC")
        assert [(as_the_pdf_writes.day(date.fromisoformat(row[0])), row[5], row[6]) for row in rows] == \
            [(day, pdf_figure(amount), pdf_figure(balance)) for day, _kind, _details, amount, balance
             in pdf_rows(payer, clock.now)]
        assert (rows[0][6], rows[-1][6]) == ("85.00", "-15.00")


def test_invoices_and_payments_add_up_to_the_statements_totals_and_json_has_the_csvs_rows(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given the same month
        payer, *_ = a_mixed_history(Api(c), clock)
        [usd] = payer.portal.get(f"/portal/statements?{NOVEMBER}").json["statements"]

        # When its invoices and payments are exported, as CSV and as JSON
        exported = {kind: (rows_of(payer.portal.get(f"/portal/exports/{kind}.csv?{NOVEMBER}")),
                           payer.portal.get(f"/portal/exports/{kind}.json?{NOVEMBER}").json)
                    for kind in ("invoices", "payments")}

        # Then the invoices (less voids) are the statement's invoiced amount, the payments less
        # refunds its paid less refunded, written in major units
        def total(rows):
            return sum(int(row[5].replace(".", "")) for row in rows[1:])
        invoices, payments = exported["invoices"][0], exported["payments"][0]
        assert [row[1] for row in invoices[1:]] == ["invoice", "invoice", "void"]
        assert total(invoices) == usd["invoiced"]["amount_minor"] == 5_000
        assert [(row[1], row[5]) for row in payments[1:]] == [("payment", "40.00"), ("payment", "60.00"),
                                                             ("payment", "50.00"), ("refund", "-20.00"),
                                                             ("refund", "-10.00")]
        assert total(payments) == usd["paid"]["amount_minor"] - usd["refunded"]["amount_minor"]
        # And the JSON twin has the same rows, named by the columns
        for rows, answer in exported.values():
            assert answer["currency"] == "USD" and answer["currency_exponent"] == 2
            assert answer["columns"] == rows[0]
            assert [[record[column] for column in rows[0]] for record in answer["rows"]] == rows[1:]


def test_a_currency_without_transactions_exports_the_header_and_zero_balances(aws):
    with client() as c:
        payer = a_payer(Api(c))
        an_invoice(payer, 3_520)

        answer = payer.portal.get("/portal/exports/statement.csv?currency=JPY")

        assert answer.status == 200
        assert [row[1:] for row in rows_of(answer)[1:]] == [["opening_balance", "", "", "JPY", "", "0"],
                                                            ["closing_balance", "", "", "JPY", "", "0"]]
        assert 'filename="statement-JPY-' in answer.headers["Content-Disposition"]


def test_a_bad_range_or_currency_is_a_field_error(aws):
    with client() as c:
        payer = a_payer(Api(c))
        wrong = {
            "from=2026-11-30&to=2026-11-01": "query.from",
            "from=2000-01-01&to=2026-11-01": "query.from",
            "from=2026-13-01": "query.from",
            "currency=XXX": "query.currency",
            "currency=usd": "query.currency",
            "format=xlsx": "query.format",
        }
        for kind in ("statement.csv", "invoices.json", "payments.csv"):
            for query, field in wrong.items():
                answer = payer.portal.get(f"/portal/exports/{kind}?{query}")
                assert answer.status == 400, (kind, query, answer.status)
                assert field in answer.json["error"]["details"]["fields"], (kind, query, answer.json)


def test_a_customer_exports_only_its_own_transactions(aws):
    with client() as c:
        # Given two customers of one merchant, the first with an invoice
        first = a_payer(Api(c))
        invoice = an_invoice(first, 3_520)
        second = a_payer(Api(c), merchant=first.merchant, email="ann@initech.example", display_name="Initech")

        # When the second exports everything
        for kind in ("statement.csv", "invoices.csv", "payments.csv", "statement.json", "invoices.json"):
            answer = second.portal.get(f"/portal/exports/{kind}")
            body = answer.body.decode()

            # Then nothing of the first customer's is in it
            assert answer.status == 200
            assert invoice["number"] not in body and invoice["invoice_id"] not in body and "35.20" not in body
        assert invoice["number"] in first.portal.get("/portal/exports/invoices.csv").body.decode()
