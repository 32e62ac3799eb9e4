"""GET /portal/statements and /portal/statements/pdf: opening balance, every transaction of the
range with a running balance, closing balance; exact, per currency, only the customer's own."""
from datetime import datetime, timezone

from tests.support.api import Api, client
from tests.support.documents import (PDF_HEADERS, a_credit_note, a_payment, a_scene, an_invoice, pdf_text,
                                     strangers)
from tests.support.portal import assert_refused

OCTOBER = "from=2026-10-01&to=2026-10-31"


def on(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=timezone.utc)


def a_ledger(scene):
    """September: an invoice of 100.00 (owed at the start of October). October: it is paid,
    a 50.00 invoice, a 10.00 credit note, a 20.00 invoice voided the next day.
    November: a 70.00 invoice (after the range). The clock ends where it started (the session lives)."""
    admin, customer_id, clock = scene.admin, scene.customer_id, scene.clock
    today = clock.now
    clock.now = on(9, 20)
    september = an_invoice(admin, customer_id, ("Pro plan, September", 10_000, 1))
    clock.now = on(10, 2)
    payment = a_payment(admin, customer_id, september["invoice_id"], 10_000)
    clock.now = on(10, 5)
    october = an_invoice(admin, customer_id, ("Pro plan, October", 5_000, 1))
    clock.now = on(10, 6)
    note = a_credit_note(admin, customer_id, 1_000)
    clock.now = on(10, 8)
    voided = an_invoice(admin, customer_id, ("Setup", 2_000, 1))
    clock.now = on(10, 9)
    assert admin.post(f"/admin/invoices/{voided['invoice_id']}/void", {"customer_id": customer_id}).status == 200
    clock.now = on(11, 3)
    an_invoice(admin, customer_id, ("Pro plan, November", 7_000, 1))
    clock.now = today
    return september, payment, october, note, voided


def amounts(money: dict) -> int:
    assert money["currency"] == "USD"
    return money["amount_minor"]


def test_a_statement_shows_the_opening_balance_every_transaction_with_its_balance_and_the_closing(aws):
    with client() as c:
        # Given a customer's ledger across September, October and November
        scene = a_scene(Api(c))
        september, payment, october, note, voided = a_ledger(scene)

        # When they ask for October's statement
        answer = scene.zoe.portal.get(f"/portal/statements?{OCTOBER}")

        # Then it opens with September's 100.00 and lists October in date order with running balances
        assert answer.status == 200, answer.json
        assert (answer.json["start"], answer.json["end"]) == ("2026-10-01", "2026-10-31")
        [usd] = answer.json["statements"]
        assert usd["currency"] == "USD"
        assert amounts(usd["opening_balance"]) == 10_000
        rows = [(r["kind"], r["reference"], amounts(r["amount"]), amounts(r["balance"])) for r in usd["rows"]]
        assert rows == [
            ("payment", payment["number"], -10_000, 0),
            ("invoice", october["number"], 5_000, 5_000),
            ("credit_note", note["number"], -1_000, 4_000),
            ("invoice", voided["number"], 2_000, 6_000),
            ("void", voided["number"], -2_000, 4_000),
        ]
        # And the totals reconcile: closing = opening + invoiced - paid - credited + refunded
        figures = {key: amounts(usd[key]) for key in ("invoiced", "paid", "credited", "refunded", "closing_balance")}
        assert figures == {"invoiced": 5_000, "paid": 10_000, "credited": 1_000, "refunded": 0,
                           "closing_balance": 4_000}
        assert 10_000 + 5_000 - 10_000 - 1_000 + 0 == figures["closing_balance"]


def test_without_a_range_the_statement_covers_this_month_so_far(aws):
    with client() as c:
        # Given an invoice last month and one this month (today is 2026-11-25)
        scene = a_scene(Api(c))
        scene.clock.now = on(10, 31)
        an_invoice(scene.admin, scene.customer_id, ("October", 3_000, 1))
        scene.clock.now = on(11, 25)
        an_invoice(scene.admin, scene.customer_id, ("November", 4_000, 1))

        # When no range is given
        answer = scene.zoe.portal.get("/portal/statements")

        # Then the statement runs from the 1st to today
        assert answer.status == 200
        assert (answer.json["start"], answer.json["end"]) == ("2026-11-01", "2026-11-25")
        [usd] = answer.json["statements"]
        assert amounts(usd["opening_balance"]) == 3_000 and amounts(usd["closing_balance"]) == 7_000


def test_a_customer_without_transactions_gets_an_empty_statement_in_its_currency(aws):
    with client() as c:
        scene = a_scene(Api(c))

        answer = scene.zoe.portal.get(f"/portal/statements?{OCTOBER}")

        [usd] = answer.json["statements"]
        assert usd["rows"] == [] and amounts(usd["opening_balance"]) == 0 and amounts(usd["closing_balance"]) == 0


def test_other_customers_transactions_never_appear(aws):
    with client() as c:
        # Given invoices of another customer of the same organization and of another organization
        scene = a_scene(Api(c))
        for stranger in strangers(scene):
            an_invoice(stranger.admin, stranger.customer_id, ("Not yours", 99_900, 1))
        mine = an_invoice(scene.admin, scene.customer_id, ("Yours", 1_000, 1))

        # When the customer asks for this month's statement
        [usd] = scene.zoe.portal.get("/portal/statements").json["statements"]

        # Then only its own invoice is there
        assert [row["reference"] for row in usd["rows"]] == [mine["number"]]
        assert amounts(usd["closing_balance"]) == 1_000


def test_a_range_that_ends_before_it_starts_or_is_not_a_date_is_refused(aws):
    with client() as c:
        scene = a_scene(Api(c))

        backwards = scene.zoe.portal.get("/portal/statements?from=2026-11-30&to=2026-11-01")
        not_a_date = scene.zoe.portal.get("/portal/statements?from=yesterday")
        unknown = scene.zoe.portal.get("/portal/statements?currency=USD")

        assert backwards.status == 400 and "query.from" in backwards.json["error"]["details"]["fields"]
        assert not_a_date.status == 400 and "query.from" in not_a_date.json["error"]["details"]["fields"]
        assert unknown.status == 400 and "query.currency" in unknown.json["error"]["details"]["fields"]


def test_a_range_of_days_no_one_bills_in_is_refused_not_a_failure(aws):
    with client() as c:
        # Given an organization east of UTC, where the first day there is begins before the first instant
        scene = a_scene(Api(c), time_zone="Europe/Berlin")

        # When the customer asks for a statement, its PDF or an export of year 1, or of year 9999
        asked = [scene.zoe.portal.get(f"{path}?{days}") for path in
                 ("/portal/statements", "/portal/statements/pdf", "/portal/exports/statement.csv")
                 for days in ("from=0001-01-01&to=0001-01-31", "from=9999-12-01&to=9999-12-31")]

        # Then each is refused with the field named, as any day no one bills in
        assert [(answer.status, "query.from" in answer.json["error"]["details"]["fields"]) for answer in asked] == \
            [(400, True)] * 6


def test_the_statement_pdf_carries_both_parties_and_the_same_figures(aws):
    with client() as c:
        # Given an organization with an address, a customer with a billing address, and a ledger
        scene = a_scene(Api(c), phone="+1 555 0100")
        assert scene.admin.patch(f"/admin/customers/{scene.customer_id}", {"billing_address": {
            "line1": "1 Globex Way", "city": "Cypress Creek", "postal_code": "90210", "country": "US"}}).status == 200
        september, payment, october, note, voided = a_ledger(scene)

        # When the customer downloads October's statement
        answer = scene.zoe.portal.get(f"/portal/statements/pdf?{OCTOBER}", headers=PDF_HEADERS)

        # Then it is a PDF download whose text shows the parties, the rows and the totals
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "application/pdf"
        assert answer.headers["Content-Disposition"] == \
            'attachment; filename="statement-2026-10-01-to-2026-10-31.pdf"'
        text = pdf_text(answer.body)
        for expected in ("Acme Cloud", "billing@acme.example", "+1 555 0100", "STATEMENT OF ACCOUNTS",
                         "Globex", "1 Globex Way", "Cypress Creek 90210", "October 1, 2026", "October 31, 2026",
                         "Opening balance", "$100.00", october["number"], note["number"],
                         "-$10.00", "Invoice voided", "Closing balance", "Balance due (USD)", "$40.00"):
            assert expected in text, expected
        assert "Pro plan, November" not in text and "$70.00" not in text
        assert payment["payment_id"] not in text     # a payment is named by how and for what it was paid


def test_statements_need_a_session(aws):
    with client() as c:
        anonymous = Api(c)

        assert_refused(anonymous.get("/portal/statements"))
        assert_refused(anonymous.get("/portal/statements/pdf", headers=PDF_HEADERS))
