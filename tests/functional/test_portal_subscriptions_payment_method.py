"""Choosing the saved card a subscription is charged with, without paying one of its invoices
(docs/billing.md, "Cards and subscriptions"): only the customer's own saved cards, on their own
subscriptions, safe to send again, and then auto-charge can be turned on."""
from chalicelib.tables.metrics import counting_calls
from tests.support.api import client
from tests.support.portal import login
from tests.support.scheduled_work import a_renewal_declined, run_jobs
from tests.support.subscriptions import TERM, a_shop


def payment_method_of(shop, sub_id, body):
    return shop.portal.put(f"/portal/subscriptions/{sub_id}/payment-method", body)


def test_a_subscription_without_a_card_is_given_one_and_then_auto_charge_can_be_turned_on(aws):
    with client() as c:
        # Given a live subscription the merchant created without a card, and a card Zoë saved
        shop = a_shop(c)
        sub_id = shop.subscription("live", **TERM)["subscription_id"]
        card = shop.saved_card()
        refused = shop.portal.put(f"/portal/subscriptions/{sub_id}/auto-charge", {"enabled": True})

        # When she chooses the card for the subscription
        chosen = payment_method_of(shop, sub_id, {"payment_method_id": card})

        # Then the subscription is charged to it, auto-charge still off, and now it can be turned on
        assert (refused.status, refused.json["error"]["code"]) == (422, "no_payment_method")
        assert chosen.status == 200, chosen.json
        assert (chosen.json["subscription"]["payment_method_id"], chosen.json["subscription"]["auto_charge"]) == (
            card, False)
        turned_on = shop.portal.put(f"/portal/subscriptions/{sub_id}/auto-charge", {"enabled": True})
        assert (turned_on.status, turned_on.json["subscription"]["auto_charge"]) == (200, True)
        # And the activity says which card
        activity = shop.portal.get("/portal/activity").json["items"]
        assert any(a["action"] == "subscription.payment_method_chosen" and "4242" in a["summary"] for a in activity)


def test_choosing_a_card_may_turn_auto_charge_on_in_the_same_request_and_again_changes_nothing(aws):
    with client() as c:
        # Given a live subscription charged to one card, and a second card saved
        shop = a_shop(c)
        visa, mastercard = shop.saved_card(), shop.saved_card("pm_card_mastercard")
        sub_id = shop.subscription("live", payment_method_id=visa, **TERM)["subscription_id"]

        # When Zoë moves it to the second card with auto-charge on, and sends the same request again
        body = {"payment_method_id": mastercard, "auto_charge": True}
        first, again = payment_method_of(shop, sub_id, body), payment_method_of(shop, sub_id, body)

        # Then both answer the subscription on the new card, charged automatically, written once
        assert first.status == again.status == 200, (first.json, again.json)
        assert first.json["subscription"] == again.json["subscription"]
        assert (again.json["subscription"]["payment_method_id"], again.json["subscription"]["auto_charge"]) == (
            mastercard, True)
        activity = shop.portal.get("/portal/activity").json["items"]
        assert [a["action"] for a in activity].count("subscription.payment_method_chosen") == 1


def test_another_customers_card_or_subscription_and_a_removed_or_unknown_card_answer_404_alike(aws):
    with client() as c:
        # Given Zoë's subscription and card, a card she removed, and another customer's card and subscription
        shop = a_shop(c)
        sub_id = shop.subscription("live", **TERM)["subscription_id"]
        card = shop.saved_card()
        removed = shop.saved_card("pm_card_mastercard")
        assert shop.portal.delete(f"/portal/payment-methods/{removed}").status == 204
        hank = shop.another_customer()
        hanks_card = hank.portal.post("/portal/payment-methods", {"payment_method": "pm_card_visa"}).json

        # When she names each card not hers, and Hank names her subscription with his own card
        answers = [payment_method_of(shop, sub_id, {"payment_method_id": pm})
                   for pm in (hanks_card["payment_method_id"], removed, "pm_01JUNKNOWNUNKNOWNUNKNOWN")]
        answers.append(hank.portal.put(f"/portal/subscriptions/{sub_id}/payment-method",
                                       {"payment_method_id": hanks_card["payment_method_id"]}))

        # Then every one is a 404, as for anything missing, and her subscription keeps no card
        assert [(a.status, a.json["error"]["code"]) for a in answers] == [(404, "not_found")] * 4
        detail = shop.portal.get(f"/portal/subscriptions/{sub_id}").json
        assert detail["payment_method_id"] is None
        assert payment_method_of(shop, sub_id, {"payment_method_id": card}).status == 200


def test_a_bad_body_is_refused_with_field_errors_and_writes_nothing(aws):
    with client() as c:
        # Given a live subscription
        shop = a_shop(c)
        sub_id = shop.subscription("live", **TERM)["subscription_id"]

        # When Zoë sends no card, an empty or malformed id, or auto-charge as text
        with counting_calls() as calls:
            answers = [payment_method_of(shop, sub_id, body) for body in (
                {}, {"payment_method_id": ""}, {"payment_method_id": "pm/../x"},
                {"payment_method_id": "pm_1", "auto_charge": "yes"})]

        # Then each is a 400 naming the field, and nothing was written
        assert [(a.status, sorted(a.json["error"]["details"]["fields"])) for a in answers] == [
            (400, ["payment_method_id"]), (400, ["payment_method_id"]), (400, ["payment_method_id"]),
            (400, ["auto_charge"])]
        assert calls.writes == 0


def test_choosing_a_card_follows_the_auto_charge_permission_and_the_subscriptions_status(aws):
    with client() as c:
        # Given a card, a cancelled subscription, and a merchant who does not offer auto-charge
        shop = a_shop(c)
        card = shop.saved_card()
        cancelled = shop.subscription("cancelled")["subscription_id"]
        live = shop.subscription("live", **TERM)["subscription_id"]

        # When Zoë chooses the card for the cancelled one, and for a live one with auto-charge off
        ended = payment_method_of(shop, cancelled, {"payment_method_id": card})
        shop.preferences({"auto_charge": False})
        off = payment_method_of(shop, live, {"payment_method_id": card})

        # Then the status refuses the first, the merchant's preferences the second
        assert (ended.status, ended.json["error"]["code"]) == (409, "invalid_status")
        assert (off.status, off.json["error"]["code"]) == (403, "feature_disabled")


def test_in_dunning_the_next_retry_charges_the_card_chosen_and_ends_the_dunning(aws):
    with client() as c:
        # Given a renewal declined for want of funds, in dunning, and a good card Zoë saves
        shop, sub = a_renewal_declined(c)
        sub_id = sub["subscription_id"]
        good = shop.saved_card("pm_card_visa")

        # When she chooses the good card for the subscription, and the first retry's day comes
        chosen = payment_method_of(shop, sub_id, {"payment_method_id": good})
        shop.clock.advance(days=1)
        run_jobs(c)

        # Then the retry charged the good card, and the subscription is live again
        assert chosen.status == 200, chosen.json
        assert chosen.json["subscription"]["status"] == "dunning"
        again = login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password)
        detail = shop.api.as_(again.json["token"]).get(f"/portal/subscriptions/{sub_id}").json
        assert (detail["status"], detail["payment_method_id"]) == ("live", good)
