"""The statement is read from the customer's ledger, written with every change that moves the
balance: after a mixed history (invoices, partial and portal payments, credit notes, voids of
both, refunds reported by Stripe, each documented by a refunded credit note) it is what one works
out by hand, in three DynamoDB reads."""
from chalicelib.tables.metrics import counting_calls
from tests.support.api import Api, client
from tests.support.ledger_history import NOVEMBER, a_mixed_history
from tests.support.payments import with_webhook_secret
from tests.support.portal import Clock


def test_a_mixed_history_gives_the_statement_worked_out_by_hand(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a month of invoices, payments, credit notes, voids and refunds
        payer, a, b, voided, small = a_mixed_history(Api(c), clock)

        # When the customer reads November's statement
        with counting_calls() as calls:
            answer = payer.portal.get(f"/portal/statements?{NOVEMBER}")

        # Then every change is a row, on the day it happened, with the running balance
        assert answer.status == 200, answer.json
        [usd] = answer.json["statements"]
        rows = [(row["at"][:16], row["kind"], row["amount"]["amount_minor"], row["balance"]["amount_minor"])
                for row in usd["rows"]]
        assert usd["opening_balance"]["amount_minor"] == 8_500
        assert rows == [
            ("2026-11-02T10:00", "payment", -4_000, 4_500),
            ("2026-11-03T10:00", "invoice", 5_000, 9_500),
            ("2026-11-04T10:00", "invoice", 2_000, 11_500),
            ("2026-11-05T10:00", "void", -2_000, 9_500),
            ("2026-11-06T10:00", "credit_note", -500, 9_000),
            ("2026-11-07T10:00", "credit_note_void", 500, 9_500),
            ("2026-11-25T12:00", "payment", -6_000, 3_500),
            ("2026-11-25T12:05", "payment", -5_000, -1_500),
            ("2026-11-25T12:10", "credit_note", -2_000, -3_500),   # a refund is a credit note, refunded
            ("2026-11-25T12:10", "refund", 2_000, -1_500),         # at once: dated when it was refunded
            ("2026-11-25T12:20", "credit_note", -1_000, -2_500),   # the second report adds 10.00 more
            ("2026-11-25T12:20", "refund", 1_000, -1_500),
        ]
        assert [row["reference"] for row in usd["rows"]][1:6] == [b["number"], voided["number"], voided["number"],
                                                                  small["number"], small["number"]]
        figures = {key: usd[key]["amount_minor"] for key in ("invoiced", "paid", "credited", "refunded",
                                                              "closing_balance")}
        assert figures == {"invoiced": 5_000, "paid": 15_000, "credited": 3_000, "refunded": 3_000,
                           "closing_balance": -1_500}
        # And it took the session, the organization and one Query
        assert calls.reads <= 3, calls.operations


def test_the_closing_balance_is_what_the_documents_say_is_owed(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given the same history
        payer, *_ = a_mixed_history(Api(c), clock)

        # When the statement covers everything up to today
        [usd] = payer.portal.get("/portal/statements?from=2026-10-01&to=2026-11-25").json["statements"]

        # Then it ends at open invoices (none) less open credit (15.00), as the dashboard says: the
        # refunds (30.00) were documented by credit notes refunded at once, which moved neither
        home = payer.portal.get("/portal/dashboard").json
        owed = home["outstanding"]["total_minor"] - home["available_credits"]["amount_minor"]
        assert (home["outstanding"]["total_minor"], home["available_credits"]["amount_minor"]) == (0, 1_500)
        assert usd["opening_balance"]["amount_minor"] == 0
        assert usd["closing_balance"]["amount_minor"] == owed == -1_500


def test_the_statement_pdf_reads_the_same_ledger_in_three_reads(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        payer, *_ = a_mixed_history(Api(c), clock)

        with counting_calls() as calls:
            answer = payer.portal.get(f"/portal/statements/pdf?{NOVEMBER}", headers={"Accept": "application/pdf"})

        assert answer.status == 200
        assert calls.reads <= 3, calls.operations


def test_a_customer_whose_books_predate_the_ledger_gets_them_back_from_the_documents(aws, monkeypatch):
    from chalicelib import cli
    from chalicelib.tables.ledger import LedgerEntryItem
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given the mixed history, its statement, and then its ledger gone (books kept before it existed)
        payer, *_ = a_mixed_history(Api(c), clock)
        whole = "/portal/statements?from=2026-10-01&to=2026-11-25"
        [before] = payer.portal.get(whole).json["statements"]
        for item in LedgerEntryItem.query(f"{payer.org_id}#{payer.customer_id}"):
            item.delete()   # tests only: nothing in chalicelib deletes ledger entries

        # When the ledger is rebuilt, twice
        assert cli.main(["rebuild-ledger", "--org", payer.org_id]) == 0
        assert cli.main(["rebuild-ledger", "--org", payer.org_id]) == 0

        # Then the statement has every document again, once, with the same balances. A refund is
        # dated by its credit note; the documents do not date a credit note's void: a credit note
        # issued then voided (net nothing) is left out
        [after] = payer.portal.get(whole).json["statements"]
        keys = ("opening_balance", "invoiced", "paid", "credited", "refunded", "closing_balance")
        assert {k: after[k] for k in keys} == {k: before[k] for k in keys}
        undated = {"credit_note_void"}
        voided_note = {r["reference"] for r in before["rows"] if r["kind"] == "credit_note_void"}

        def dated(rows):
            return sorted((r["at"], r["kind"], r["reference"], r["amount"]["amount_minor"]) for r in rows
                          if r["kind"] not in undated and r["reference"] not in voided_note)
        assert dated(after["rows"]) == dated(before["rows"])
        assert [r["amount"]["amount_minor"] for r in after["rows"] if r["kind"] == "refund"] == [2_000, 1_000]
        # and the balances count every entry written, and are trusted (statements read their range)
        from chalicelib.bootstrap import adapters
        from chalicelib.domain.statement import balances_of
        ledger = adapters().uow.ledger
        assert ledger.balances(payer.org_id, payer.customer_id) == (
            balances_of(ledger.entries_before(payer.org_id, payer.customer_id)), True)
        assert not [r for r in after["rows"] if r["reference"] in voided_note]
