"""The saved payment methods mirrored on the account summary (tables/account_summaries.py): every use
case that changes them leaves the mirror equal to the methods themselves, so the dashboard and the
list of cards read them with the session check alone; a customer stored before the mirror has them
read from their table until the backfill (`record-payment-methods`) mirrors them."""
import pytest

from chalicelib import cli
from chalicelib.bootstrap import adapters
from chalicelib.domain.errors import ConcurrentUpdate
from chalicelib.services.payments import mirror
from chalicelib.tables.account_summaries import AccountSummaryItem
from chalicelib.tables.base import owner_key
from tests.support.api import Api, client
from tests.support.call_shapes import calls_made
from tests.support.payments import (a_payer, a_saved_card, a_subscription, an_invoice, deliver, gateway_customer_of,
                                    pay, stripe_event, with_webhook_secret)
from tests.support.portal import Clock


def mirrored(payer):
    return adapters().uow.account_summaries.mirrored_methods(payer.org_id, payer.customer_id)


def saved(payer):
    return tuple(adapters().uow.payment_methods.of_customer(payer.org_id, payer.customer_id))


def gateway_id_of(payer, method: dict) -> str:
    return adapters().uow.payment_methods.get(payer.org_id, payer.customer_id,
                                              method["payment_method_id"]).gateway_method_id


def shown_everywhere(payer) -> list[list[str]]:
    """The ids of the cards the dashboard shows and the list of cards answers."""
    home = payer.portal.get("/portal/dashboard").json["my_details"]["payment_methods"]
    listed = payer.portal.get("/portal/payment-methods").json["items"]
    return [[m["payment_method_id"] for m in home], [m["payment_method_id"] for m in listed]]


def stored_before_the_mirror(payer) -> None:
    """The customer's summary as written by the release before the mirror: figures only."""
    S = AccountSummaryItem
    S(owner_key(payer.org_id, payer.customer_id)).update(
        actions=[S.payment_methods.remove(), S.methods_version.remove(), S.methods_mirrored.remove()])


def test_every_change_of_the_saved_methods_leaves_the_mirror_equal_to_them(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        api = Api(c)
        payer = a_payer(api)
        cards = {}

        def then_the_mirror_is_exact(step: str) -> None:
            clock.advance(minutes=1)
            assert mirrored(payer) == saved(payer), step
            ids = [m.payment_method_id for m in saved(payer)]
            assert shown_everywhere(payer) == [ids, ids], step

        # Given a customer created now: mirrored, with no card
        assert mirrored(payer) == ()
        # When each use case that changes the methods runs in turn, Then the mirror equals them after each
        cards["visa"] = a_saved_card(payer)
        then_the_mirror_is_exact("add the first card")
        cards["mastercard"] = a_saved_card(payer, "pm_card_mastercard")
        then_the_mirror_is_exact("add a second card")
        assert payer.portal.post(f"/portal/payment-methods/{cards['mastercard']['payment_method_id']}/default").status == 200
        then_the_mirror_is_exact("make the second the default")
        cards["amex"] = payer.portal.put(f"/portal/payment-methods/{cards['visa']['payment_method_id']}",
                                         {"payment_method": "pm_card_amex"}).json
        then_the_mirror_is_exact("replace the first")
        a_subscription(payer, payment_method_id=cards["amex"]["payment_method_id"])
        assert payer.portal.delete(f"/portal/payment-methods/{cards['amex']['payment_method_id']}"
                                   f"?subscriptions_to={cards['mastercard']['payment_method_id']}").status == 204
        then_the_mirror_is_exact("remove one, its subscription moved")
        setup = payer.portal.post("/portal/payment-methods/setup").json
        assert deliver(api, stripe_event("setup_intent.succeeded", {
            "id": setup["setup_id"], "object": "setup_intent", "customer": gateway_customer_of(payer),
            "payment_method": "pm_card_visa", "status": "succeeded"})).status == 200
        then_the_mirror_is_exact("setup_intent.succeeded")
        visa = next(m for m in saved(payer) if m.brand == "visa")
        assert deliver(api, stripe_event("payment_method.updated", {
            "id": visa.gateway_method_id, "object": "payment_method", "type": "card",
            "customer": gateway_customer_of(payer),
            "card": {"brand": "visa", "last4": "1881", "exp_month": 3, "exp_year": 2031}})).status == 200
        then_the_mirror_is_exact("payment_method.updated")
        assert deliver(api, stripe_event(
            "payment_method.detached", {"id": gateway_id_of(payer, cards["mastercard"]), "object": "payment_method",
                                        "customer": None},
            previous_attributes={"customer": gateway_customer_of(payer)})).status == 200
        then_the_mirror_is_exact("payment_method.detached (the default: another one takes its place)")
        invoice = an_invoice(payer, 10000)
        assert pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_amex",
                                  "save_for_future": True}).json["status"] == "succeeded"
        then_the_mirror_is_exact("a payment saving a new card")
        assert [(m.brand, m.is_default) for m in saved(payer)] == [("visa", True), ("amex", False)]


def test_a_payment_saving_a_card_of_a_customer_not_mirrored_leaves_it_read_from_the_table(aws):
    Clock()
    with client() as c:
        # Given a customer stored before the mirror, with a card
        payer = a_payer(Api(c))
        card = a_saved_card(payer)
        stored_before_the_mirror(payer)
        invoice = an_invoice(payer, 10000)

        # When a payment saves another card
        assert pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_mastercard",
                                  "save_for_future": True}).json["status"] == "succeeded"

        # Then the mirror, appended to but never written whole, is still not trusted: both cards are shown
        assert mirrored(payer) is None
        assert len(saved(payer)) == 2 and shown_everywhere(payer)[0][0] == card["payment_method_id"]
        assert shown_everywhere(payer) == [[m.payment_method_id for m in saved(payer)]] * 2


def test_the_dashboard_and_the_cards_take_one_call_once_mirrored_and_two_until_the_backfill(aws):
    Clock()
    with client() as c:
        # Given a customer created now with a card, and one stored before the mirror, with a card
        api = Api(c)
        now_customer = a_payer(api)
        a_saved_card(now_customer)
        before = a_payer(api, email="ann@initech.example", org_name="Initech")
        a_saved_card(before)
        stored_before_the_mirror(before)

        def calls_of(payer) -> list[list[str]]:
            made = []
            for path in ("/portal/dashboard", "/portal/payment-methods"):
                with calls_made() as calls:
                    assert payer.portal.get(path).status == 200
                made.append([operation for operation, _ in calls])
            return made

        # Then the one created now is read with the session check alone, the other with a Query besides
        assert calls_of(now_customer) == [["BatchGetItem"], ["BatchGetItem"]]
        assert calls_of(before) == [["BatchGetItem", "Query"], ["BatchGetItem", "Query"]]

        # When the operator runs the backfill, twice
        assert cli.main(["record-payment-methods", "--org", before.org_id]) == 0
        assert cli.main(["record-payment-methods", "--org", before.org_id]) == 0

        # Then the customer stored before is read in one call too, its cards as they are
        assert calls_of(before) == [["BatchGetItem"], ["BatchGetItem"]]
        assert mirrored(before) == saved(before) and len(saved(before)) == 1


def test_a_change_of_the_cards_reads_the_mirrors_version_with_the_session_check_before_the_cards(aws):
    Clock()
    with client() as c:
        # Given two saved cards
        payer = a_payer(Api(c))
        a_saved_card(payer)
        mastercard = a_saved_card(payer, "pm_card_mastercard")

        # When the second is made the default
        with calls_made() as calls:
            assert payer.portal.post(f"/portal/payment-methods/{mastercard['payment_method_id']}/default").status == 200

        # Then the summary is read in the session check's call, then the cards, then one transaction
        # writes them with their mirror
        assert [operation for operation, _ in calls] == ["BatchGetItem", "Query", "TransactWriteItems"]
        assert "account_summaries" in calls[0][1] and "account_summaries" in calls[2][1]
        assert mirrored(payer) == saved(payer)


def test_a_card_added_by_a_customer_without_any_summary_mirrors_it_in_the_customers_currency(aws):
    Clock()
    with client() as c:
        # Given a customer stored before summaries were written at its creation: none at all
        payer = a_payer(Api(c))
        AccountSummaryItem(owner_key(payer.org_id, payer.customer_id)).delete()

        # When it adds a card
        card = a_saved_card(payer)

        # Then its summary is written with the mirror, in the customer's currency
        assert [m.payment_method_id for m in mirrored(payer)] == [card["payment_method_id"]]
        assert payer.portal.get("/portal/dashboard").json["outstanding"]["currency"] == "USD"


def test_a_change_of_the_methods_between_the_mirrors_read_and_its_write_is_a_conflict(aws):
    Clock()
    with client() as c:
        # Given the mirror's version read, then a card added by another request
        payer = a_payer(Api(c))
        a_saved_card(payer)
        read = mirror.saved(adapters(), payer.org_id, payer.customer_id)
        a_saved_card(payer, "pm_card_mastercard")

        # When the whole mirror is written on what was read, Then it is refused and nothing changes
        with pytest.raises(ConcurrentUpdate):
            with adapters().uow.transaction("payment method") as tx:
                mirror.write_in(adapters(), tx, payer.org_id, payer.customer_id, read)
        assert mirrored(payer) == saved(payer) and len(saved(payer)) == 2


def test_a_card_saved_by_the_browser_and_the_webhook_at_once_is_kept_once_and_answered_to_both(aws, monkeypatch):
    from datetime import datetime, timezone

    from chalicelib.gateways.payments import CardDetails, SavedMethod
    from chalicelib.services.payments import methods
    with client() as c:
        # Given a card the browser saves, while Stripe's setup_intent.succeeded saves the same card
        # between the browser's read of the methods and its write
        payer = a_payer(Api(c))
        now = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
        card = methods.Attached(SavedMethod("pm_1Same", CardDetails("visa", "4242", 12, 2030)), "cus_fake1")
        read_then_raced, raced = mirror.saved, []

        def saved_and_raced(*args):
            read = read_then_raced(*args)
            if not raced:
                raced.append(None)   # the webhook's own read is not raced
                raced[0] = methods._keep_once(adapters(), payer.org_id, payer.customer_id, card,
                                              make_default=False, now=now, event=None, by="")
            return read
        monkeypatch.setattr(mirror, "saved", saved_and_raced)

        # When the browser's save commits after the webhook's
        kept = methods._keep(adapters(), payer.org_id, payer.customer_id, card, make_default=False, now=now)

        # Then it answers the card the webhook kept (no 409, no second copy), and the mirror shows it once
        assert kept.payment_method_id == raced[0].payment_method_id
        assert [m.payment_method_id for m in saved(payer)] == [kept.payment_method_id]
        assert mirrored(payer) == saved(payer)
