"""Overpayments through the routes: a card payment waits for 3-D Secure, the merchant records a bank
transfer for the same invoice, then the customer completes 3-D Secure. The card's money is kept as an
overpayment credit note that documents money its payment already counted, and refunding the card
payment gives that credit back first: the customer is given the money back once, and statement closing
== open invoices - available credits == the dashboard after every step."""
from chalicelib.bootstrap import adapters
from tests.support.api import Api, client
from tests.support.documents import a_payment
from tests.support.payments import (Books, a_merchant_refund, a_payer, a_refund_event, agree, an_invoice,
                                    counting_gateway, deliver, pay, payment_intent, stripe_event, the_books,
                                    with_webhook_secret)
from tests.support.portal import Clock

OWED = Books(10_000, 10_000, 10_000)
SETTLED = Books(0, 0, 0)
IN_CREDIT = Books(-10_000, -10_000, -10_000)


def a_payment_waiting_for_3d_secure(payer, invoice) -> dict:
    answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                "payment_method": "pm_card_authenticationRequired"})
    assert answer.json["status"] == "requires_action", answer.json
    gateway_id = adapters().uow.payments.get(payer.org_id, payer.customer_id,
                                             answer.json["payment_id"]).gateway_payment_id
    return {**answer.json, "gateway_payment_id": gateway_id}


def notes_of(payer) -> list:
    notes = adapters().uow.credit_notes.page(payer.org_id, payer.customer_id, limit=100, cursor=None).items
    return sorted(notes, key=lambda n: n.number)


def available_credits(payer) -> int:
    return payer.portal.get("/portal/dashboard").json["available_credits"]["amount_minor"]


def listed_open_credit_notes(payer) -> set[str]:
    """The open credit notes the account summary lists (what a change reads its credits from)."""
    return set(adapters().uow.account_summaries.get(payer.org_id, payer.customer_id, "USD").open_credit_note_ids)


def statement_rows(payer) -> list[tuple]:
    [usd] = payer.portal.get("/portal/statements?from=2026-01-01&to=2026-11-25").json["statements"]
    return [(row["kind"], row["amount"]["amount_minor"]) for row in usd["rows"]]


def overpaid(api: Api, clock: Clock, *, complete) -> tuple:
    """Given an invoice of 100.00, a card payment of it waiting for 3-D Secure, a bank transfer of
    100.00 recorded by the merchant meanwhile, then 3-D Secure completed by `complete(payer, payment)`."""
    payer = a_payer(api)
    invoice = an_invoice(payer, 10_000)
    card = a_payment_waiting_for_3d_secure(payer, invoice)
    assert the_books(payer) == OWED
    clock.advance(minutes=1)
    a_payment(payer.admin, payer.customer_id, invoice["invoice_id"], 10_000)
    assert the_books(payer) == SETTLED
    clock.advance(minutes=1)
    complete(payer, card)
    return payer, invoice, card


def confirmed_in_the_portal(payer, card) -> None:
    answer = payer.portal.post(f"/portal/payments/{card['payment_id']}/confirm-action", {"approve": True})
    assert answer.status == 200 and answer.json["status"] == "succeeded", answer.json


def test_an_overpayment_is_credit_counted_once_and_refunding_its_payment_gives_the_money_back_once(aws, monkeypatch):
    clock = Clock()
    gateway = counting_gateway(monkeypatch)
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        # Given a card payment of 100.00 completed in 3-D Secure after the merchant recorded a bank transfer
        payer, invoice, card = overpaid(api, clock, complete=confirmed_in_the_portal)

        # Then the card's 100.00 is counted once: the statement, the documents and the dashboard all show
        # 100.00 in credit
        assert the_books(payer) == IN_CREDIT
        assert available_credits(payer) == 10_000
        assert statement_rows(payer) == [("invoice", 10_000), ("payment", -10_000), ("payment", -10_000)]
        # And it is the payment's overpayment credit: an open note naming the payment
        [credit] = notes_of(payer)
        assert (credit.kind.value, credit.status.value, credit.balance_minor, credit.payment_id) == (
            "overpayment", "open", 10_000, card["payment_id"])
        assert adapters().uow.payments.get(payer.org_id, payer.customer_id,
                                           card["payment_id"]).overpayment_credit_note_id == credit.credit_note_id
        assert listed_open_credit_notes(payer) == {credit.credit_note_id}

        # When the merchant refunds the card payment
        clock.advance(minutes=1)
        refunded = a_merchant_refund(payer, card)

        # Then the money goes back once, as the overpayment credit given back: no refund note besides it
        assert refunded.status == 201, refunded.json
        assert gateway.refunded_minor == 10_000 and len(gateway.refund_calls) == 1
        assert refunded.json["credit_note"] is None
        given_back = refunded.json["overpayment_credit_note"]
        assert (given_back["number"], given_back["status"], given_back["balance_minor"],
                given_back["refunded_minor"]) == (credit.number, "closed", 0, 10_000)
        [note] = notes_of(payer)
        assert (note.credit_note_id, note.status.value, note.refunded_minor) == (credit.credit_note_id, "closed",
                                                                                 10_000)
        seen = payer.portal.get(f"/portal/payments/{card['payment_id']}").json
        assert seen["refunded_minor"] == 10_000
        assert [(r["number"], r["amount_minor"]) for r in seen["refunds"]] == [(credit.number, 10_000)]
        # And no credit is left, nothing is owed, and the books agree
        assert available_credits(payer) == 0 and listed_open_credit_notes(payer) == set()
        assert statement_rows(payer)[-1] == ("refund", 10_000)
        assert the_books(payer) == SETTLED
        assert payer.portal.get(f"/portal/invoices/{invoice['invoice_id']}").json["status"] == "paid"

        # When the merchant asks again, and Stripe reports the refund afterwards
        again = a_merchant_refund(payer, card)
        assert deliver(api, a_refund_event(card, 10_000)).status == 200

        # Then nothing more is given back or documented
        assert (again.status, again.json["error"]["code"]) == (422, "payment_fully_refunded")
        assert gateway.refunded_minor == 10_000 and len(notes_of(payer)) == 1
        assert the_books(payer) == SETTLED


def test_an_overpayment_reported_by_stripe_and_refunded_from_its_dashboard_in_parts_counts_each_part_once(
        aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)

        def succeeded_at_stripe(payer, card):
            event = stripe_event("payment_intent.succeeded", payment_intent(card))
            assert deliver(api, event).json == {"received": True, "handled": True}
            assert deliver(api, event).json == {"received": True, "duplicate": True}

        # Given a card payment whose 3-D Secure Stripe reports completed after the merchant recorded a bank transfer
        payer, _invoice, card = overpaid(api, clock, complete=succeeded_at_stripe)
        assert the_books(payer) == IN_CREDIT and available_credits(payer) == 10_000

        # When Stripe reports 30.00 refunded in all, then the same event again
        clock.advance(minutes=1)
        thirty = a_refund_event(card, 3_000, event_id="evt_refund_30")
        deliver(api, thirty)
        deliver(api, thirty)

        # Then 30.00 of the overpayment credit is given back, once
        [credit] = notes_of(payer)
        assert (credit.status.value, credit.balance_minor, credit.refunded_minor) == ("open", 7_000, 3_000)
        assert available_credits(payer) == 7_000 and listed_open_credit_notes(payer) == {credit.credit_note_id}
        assert the_books(payer) == Books(-7_000, -7_000, -7_000)

        # When 100.00 in all is reported, then the 30.00 report arrives late under another id
        clock.advance(minutes=1)
        deliver(api, a_refund_event(card, 10_000))
        deliver(api, a_refund_event(card, 3_000))

        # Then the rest of the credit is given back, the late report adds nothing, and no refund note exists
        [credit] = notes_of(payer)
        assert (credit.kind.value, credit.status.value, credit.balance_minor, credit.refunded_minor) == (
            "overpayment", "closed", 0, 10_000)
        seen = payer.portal.get(f"/portal/payments/{card['payment_id']}").json
        assert seen["refunded_minor"] == 10_000
        assert [r["amount_minor"] for r in seen["refunds"]] == [3_000, 7_000]
        assert available_credits(payer) == 0 and listed_open_credit_notes(payer) == set()
        assert the_books(payer) == SETTLED


def test_a_refund_beyond_what_is_left_of_the_overpayment_credit_documents_the_rest_by_a_refund_note(
        aws, monkeypatch):
    clock = Clock()
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        api = Api(c)
        # Given 100.00 of overpayment credit, 60.00 of which paid a new invoice
        payer, _invoice, card = overpaid(api, clock, complete=confirmed_in_the_portal)
        later = an_invoice(payer, 6_000)
        paid = pay(payer.portal, {"invoice_ids": [later["invoice_id"]], "payment_method": "pm_card_visa",
                                  "use_credits": True})
        assert (paid.json["status"], paid.json["amount_minor"]) == ("succeeded", 0), paid.json
        assert the_books(payer) == Books(-4_000, -4_000, -4_000)

        # When the merchant refunds the whole card payment
        clock.advance(minutes=1)
        refunded = a_merchant_refund(payer, card)

        # Then 100.00 goes back once: the 40.00 left of the credit, and a refund note of 60.00 for the rest
        assert refunded.status == 201, refunded.json
        assert gateway.refunded_minor == 10_000
        assert (refunded.json["overpayment_credit_note"]["refunded_minor"],
                refunded.json["overpayment_credit_note"]["status"]) == (4_000, "closed")
        note = refunded.json["credit_note"]
        assert (note["kind"], note["total_minor"], note["refunded_minor"], note["balance_minor"]) == (
            "refund", 6_000, 6_000, 0)
        assert [r["amount_minor"] for r in refunded.json["payment"]["refunds"]] == [4_000, 6_000]
        # And the books agree: no credit left, nothing owed (the refund revives no debt)
        assert available_credits(payer) == 0
        assert agree(the_books(payer)) and the_books(payer) == SETTLED


def test_rebuilding_the_ledger_of_an_overpayment_refunded_in_parts_gives_the_same_statement(aws, monkeypatch):
    from chalicelib import cli
    from chalicelib.tables.ledger import LedgerEntryItem
    clock = Clock()
    counting_gateway(monkeypatch)
    with client() as c:
        # Given 100.00 of overpayment credit, its payment refunded 30.00 then the rest, and the statement
        payer, _invoice, card = overpaid(Api(c), clock, complete=confirmed_in_the_portal)
        clock.advance(minutes=1)
        assert a_merchant_refund(payer, card, 3_000).status == 201
        clock.advance(minutes=1)
        assert a_merchant_refund(payer, card).status == 201
        [before] = payer.portal.get("/portal/statements?from=2026-01-01&to=2026-11-25").json["statements"]
        # And the ledger gone (books kept before it existed)
        for item in LedgerEntryItem.query(f"{payer.org_id}#{payer.customer_id}"):
            item.delete()   # tests only: nothing in chalicelib deletes ledger entries

        # When the ledger is rebuilt from the documents
        assert cli.main(["rebuild-ledger", "--org", payer.org_id]) == 0

        # Then the statement is the same, row by row: no entry for the credit, each refund dated by its payment
        [after] = payer.portal.get("/portal/statements?from=2026-01-01&to=2026-11-25").json["statements"]
        assert after == before
        assert [(r["kind"], r["amount"]["amount_minor"]) for r in after["rows"]] == [
            ("invoice", 10_000), ("payment", -10_000), ("payment", -10_000), ("refund", 3_000), ("refund", 7_000)]
        assert the_books(payer) == SETTLED
