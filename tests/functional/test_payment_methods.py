"""/portal/payment-methods: list, set up and add, make default, replace (the subscriptions
follow), remove (refused while it is the only method of an auto-charge subscription)."""
from chalicelib.bootstrap import adapters
from tests.support.api import Api, client
from tests.support.payments import a_payer, a_saved_card, a_subscription
from tests.support.portal import Clock


def methods_of(payer) -> list[dict]:
    return payer.portal.get("/portal/payment-methods").json["items"]


def method_of(payer, subscription) -> str | None:
    return adapters().uow.subscriptions.get(payer.org_id, payer.customer_id,
                                            subscription["subscription_id"]).payment_method_id


def test_setup_gives_the_browser_what_it_needs_and_lists_the_test_cards_when_simulated(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))

        setup = payer.portal.post("/portal/payment-methods/setup")

        assert setup.status == 200
        assert setup.json["gateway"] == "simulated" and setup.json["client_secret"].startswith("seti_sim_")
        assert "pm_card_visa" in setup.json["test_payment_methods"]


def test_the_first_card_added_is_the_default_and_only_card_details_are_kept(aws):
    clock = Clock()
    with client() as c:
        payer = a_payer(Api(c))

        visa = a_saved_card(payer)
        clock.advance(minutes=1)
        mastercard = a_saved_card(payer, "pm_card_mastercard")

        assert visa["is_default"] is True and mastercard["is_default"] is False
        assert set(visa) == {"payment_method_id", "brand", "last4", "exp_month", "exp_year", "is_default",
                             "summary", "created_at"}
        assert [m["summary"] for m in methods_of(payer)] == ["Visa •••• 4242", "Mastercard •••• 4444"]


def test_adding_the_same_card_twice_keeps_one(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))

        first, again = a_saved_card(payer), a_saved_card(payer)

        assert again["payment_method_id"] == first["payment_method_id"] and len(methods_of(payer)) == 1


def test_an_unknown_card_is_refused_as_invalid_input(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))

        answer = payer.portal.post("/portal/payment-methods", {"payment_method": "pm_card_bogus"})

        assert answer.status == 400 and "payment_method" in answer.json["error"]["details"]["fields"]
        assert methods_of(payer) == []


def test_making_a_card_the_default_demotes_the_other(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        visa, mastercard = a_saved_card(payer), a_saved_card(payer, "pm_card_mastercard")

        answer = payer.portal.post(f"/portal/payment-methods/{mastercard['payment_method_id']}/default")

        assert answer.status == 200 and answer.json["is_default"] is True
        assert {m["payment_method_id"]: m["is_default"] for m in methods_of(payer)} == {
            visa["payment_method_id"]: False, mastercard["payment_method_id"]: True}


def test_replacing_a_card_moves_every_subscription_that_used_it(aws):
    Clock()
    with client() as c:
        # Given two subscriptions charged to the Visa and one to the Mastercard
        payer = a_payer(Api(c))
        visa, mastercard = a_saved_card(payer), a_saved_card(payer, "pm_card_mastercard")
        on_visa = [a_subscription(payer, payment_method_id=visa["payment_method_id"]) for _ in range(2)]
        on_mastercard = a_subscription(payer, payment_method_id=mastercard["payment_method_id"])

        # When the customer replaces the Visa with an Amex
        answer = payer.portal.put(f"/portal/payment-methods/{visa['payment_method_id']}",
                                  {"payment_method": "pm_card_amex"})

        # Then the Amex takes the Visa's place, default included, and its subscriptions follow
        assert answer.status == 200, answer.json
        amex = answer.json
        assert amex["summary"] == "Amex •••• 8431" and amex["is_default"] is True
        assert [method_of(payer, s) for s in on_visa] == [amex["payment_method_id"]] * 2
        assert method_of(payer, on_mastercard) == mastercard["payment_method_id"]
        assert {m["summary"] for m in methods_of(payer)} == {"Amex •••• 8431", "Mastercard •••• 4444"}


def test_the_only_card_of_an_auto_charge_subscription_cannot_be_removed(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        visa = a_saved_card(payer)
        a_subscription(payer, payment_method_id=visa["payment_method_id"], auto_charge=True)

        refused = payer.portal.delete(f"/portal/payment-methods/{visa['payment_method_id']}")

        assert refused.status == 422 and refused.json["error"]["code"] == "payment_method_in_use"
        assert "Add another payment method first" in refused.json["error"]["message"]
        assert len(methods_of(payer)) == 1


def test_a_refused_removal_names_the_subscriptions_as_the_message_does_with_their_references(aws):
    Clock()
    with client() as c:
        # Given two Pro subscriptions charged automatically to the Visa, one with the customer's reference
        payer = a_payer(Api(c))
        visa = a_saved_card(payer)
        a_saved_card(payer, "pm_card_mastercard")
        a_subscription(payer, payment_method_id=visa["payment_method_id"], auto_charge=True, reference="Team A")
        a_subscription(payer, payment_method_id=visa["payment_method_id"], auto_charge=True)

        # When the customer removes the Visa without saying which card takes over
        refused = payer.portal.delete(f"/portal/payment-methods/{visa['payment_method_id']}")

        # Then the subscriptions it names are told apart, as in the message
        assert sorted(refused.json["error"]["details"]["subscriptions"]) == ["Pro", "Pro (Team A)"]
        assert "Pro (Team A)" in refused.json["error"]["message"]


def test_a_card_that_pays_subscriptions_is_not_removed_until_the_customer_chooses_the_card_that_takes_over(aws):
    Clock()
    with client() as c:
        # Given a subscription charged automatically to the Mastercard, and a Visa and an Amex saved too
        payer = a_payer(Api(c))
        visa, mastercard = a_saved_card(payer), a_saved_card(payer, "pm_card_mastercard")
        amex = a_saved_card(payer, "pm_card_amex")
        sub = a_subscription(payer, payment_method_id=mastercard["payment_method_id"], auto_charge=True)

        # When the customer removes the Mastercard without saying which card pays the subscription
        refused = payer.portal.delete(f"/portal/payment-methods/{mastercard['payment_method_id']}")

        # Then it is refused, naming the subscription, and nothing moved to the newest card
        assert refused.status == 422 and refused.json["error"]["code"] == "payment_method_in_use"
        assert "Choose which of your other cards pays them" in refused.json["error"]["message"]
        assert refused.json["error"]["details"]["subscription_ids"] == [sub["subscription_id"]]
        assert method_of(payer, sub) == mastercard["payment_method_id"] and len(methods_of(payer)) == 3

        # And once she chooses the Visa, the Mastercard goes and the Visa pays the subscription
        answer = payer.portal.delete(f"/portal/payment-methods/{mastercard['payment_method_id']}"
                                     f"?subscriptions_to={visa['payment_method_id']}")
        assert answer.status == 204
        assert {m["payment_method_id"] for m in methods_of(payer)} == {visa["payment_method_id"],
                                                                        amex["payment_method_id"]}
        assert method_of(payer, sub) == visa["payment_method_id"]


def test_the_card_chosen_to_take_over_must_be_another_saved_card(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        a_saved_card(payer)
        mastercard = a_saved_card(payer, "pm_card_mastercard")
        a_subscription(payer, payment_method_id=mastercard["payment_method_id"], auto_charge=True)
        card = mastercard["payment_method_id"]

        answers = [payer.portal.delete(f"/portal/payment-methods/{card}?subscriptions_to={card}"),
                   payer.portal.delete(f"/portal/payment-methods/{card}?subscriptions_to=pm_01NOTMINE")]

        assert [a.status for a in answers] == [400, 400]
        assert all("subscriptions_to" in a.json["error"]["details"]["fields"] for a in answers)
        assert len(methods_of(payer)) == 2


def test_removing_the_default_card_makes_another_the_default(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        visa, mastercard = a_saved_card(payer), a_saved_card(payer, "pm_card_mastercard")

        payer.portal.delete(f"/portal/payment-methods/{visa['payment_method_id']}")

        assert [(m["payment_method_id"], m["is_default"]) for m in methods_of(payer)] == [
            (mastercard["payment_method_id"], True)]


def test_a_card_of_subscriptions_without_auto_charge_can_be_removed(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))
        visa = a_saved_card(payer)
        sub = a_subscription(payer, payment_method_id=visa["payment_method_id"], auto_charge=False)

        assert payer.portal.delete(f"/portal/payment-methods/{visa['payment_method_id']}").status == 204
        assert method_of(payer, sub) is None
