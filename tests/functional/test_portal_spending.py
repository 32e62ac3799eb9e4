"""The spending history is the statement month by month: each month's invoiced and paid are that
month's statement's, in three reads; `months` is bounded."""
from chalicelib.tables.metrics import counting_calls
from tests.support.ledger_history import a_mixed_history
from tests.support.api import Api, client
from tests.support.payments import a_payer, with_webhook_secret
from tests.support.portal import Clock

FIGURES = ("invoiced", "paid", "credited", "refunded")


def test_each_month_is_what_that_months_statement_says_in_three_reads(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given October's and November's invoices, payments, credit notes, voids and refunds
        payer, *_ = a_mixed_history(Api(c), clock)

        # When the customer reads the last three months
        with counting_calls() as calls:
            answer = payer.portal.get("/portal/spending?months=3")

        # Then there is one currency with three months, each its statement's figures
        assert answer.status == 200, answer.json
        assert calls.reads <= 3, calls.operations
        [usd] = answer.json["currencies"]
        assert usd["currency"] == "USD" and [m["month"] for m in usd["months"]] == ["2026-09", "2026-10", "2026-11"]
        for month in usd["months"]:
            [statement] = payer.portal.get(f"/portal/statements?from={month['start']}&to={month['end']}").json[
                "statements"]
            assert {k: month[k]["amount_minor"] for k in FIGURES} == {k: statement[k]["amount_minor"] for k in FIGURES}
        assert [(m["invoiced"]["amount_minor"], m["paid"]["amount_minor"]) for m in usd["months"]] == [
            (0, 0), (10_000, 0), (5_000, 15_000)]


def test_twelve_months_by_default_and_a_bounded_number_otherwise(aws):
    Clock()   # 25 November 2026
    with client() as c:
        payer = a_payer(Api(c))

        [usd] = payer.portal.get("/portal/spending").json["currencies"]
        assert len(usd["months"]) == 12 and usd["months"][-1]["month"] == "2026-11"
        for wrong in ("0", "37", "twelve"):
            answer = payer.portal.get(f"/portal/spending?months={wrong}")
            assert answer.status == 400 and "query.months" in answer.json["error"]["details"]["fields"]
