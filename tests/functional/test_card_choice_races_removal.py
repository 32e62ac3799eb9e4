"""Choosing a subscription's card while that card is being removed (docs/billing.md, "Cards and
subscriptions"): whichever commits second gets 409 and writes nothing, so no subscription is ever left
charged to a removed card, and the one sent again does the right thing. Each race is made to happen:
one request commits inside the other, between its reads and its write."""
import pytest

from chalicelib.bootstrap import adapters, services
from chalicelib.domain.errors import ConcurrentUpdate
from chalicelib.services.payments import mirror
from chalicelib.services.subscriptions.actions import Caller
from tests.support.api import NOW, client
from tests.support.subscriptions import TERM, a_shop


def a_subscription_on_the_mastercard_and_a_visa_saved(c):
    shop = a_shop(c)
    visa, mastercard = shop.saved_card(), shop.saved_card("pm_card_mastercard")
    sub_id = shop.subscription("live", payment_method_id=mastercard, auto_charge=True, **TERM)["subscription_id"]
    caller = Caller(shop.acme.org.org_id, shop.zoe.customer_id, shop.zoe.contact["contact_id"])
    return shop, caller, sub_id, visa, mastercard


def choose(caller, sub_id, card):
    return services().subscriptions.choose_payment_method(caller, sub_id, payment_method_id=card, auto_charge=None,
                                                          now=NOW)


def remove(caller, card, subscriptions_to=None):
    services().payments.remove_method(caller.org_id, caller.customer_id, card, NOW, subscriptions_to=subscriptions_to)


def card_charged(caller, sub_id):
    return adapters().uow.subscriptions.get(caller.org_id, caller.customer_id, sub_id).payment_method_id


def saved_cards(shop):
    return [m["payment_method_id"] for m in shop.portal.get("/portal/payment-methods").json["items"]]


def test_a_card_chosen_after_its_removal_looked_for_subscriptions_fails_the_removal_and_a_retry_asks_again(
        aws, monkeypatch):
    with client() as c:
        # Given a subscription charged automatically to the Mastercard, and a Visa saved too
        shop, caller, sub_id, visa, mastercard = a_subscription_on_the_mastercard_and_a_visa_saved(c)

        # And the subscription moved to the Visa just after the Visa's removal looked for the subscriptions charged to it
        subscriptions = type(adapters().uow.subscriptions)
        look, chosen = subscriptions.charged_to, []

        def looked_then_chosen(self, *args, **kwargs):
            found = look(self, *args, **kwargs)
            if not chosen:
                chosen.append(choose(caller, sub_id, visa))
            return found
        monkeypatch.setattr(subscriptions, "charged_to", looked_then_chosen)

        # When the removal commits
        with pytest.raises(ConcurrentUpdate):
            remove(caller, visa)
        monkeypatch.undo()

        # Then the removal, second to commit, wrote nothing: the Visa is saved and charges the subscription
        assert chosen and card_charged(caller, sub_id) == visa
        assert saved_cards(shop) == [visa, mastercard]
        # And sent again, it finds the subscription on the card and asks which card pays it from now on
        again = shop.portal.delete(f"/portal/payment-methods/{visa}")
        assert (again.status, again.json["error"]["code"]) == (422, "payment_method_in_use")
        assert again.json["error"]["details"]["subscription_ids"] == [sub_id]
        moved = shop.portal.delete(f"/portal/payment-methods/{visa}?subscriptions_to={mastercard}")
        assert moved.status == 204, moved.json
        assert card_charged(caller, sub_id) == mastercard
        assert saved_cards(shop) == [mastercard]


def test_a_card_removed_after_the_choice_read_it_fails_the_choice_and_a_retry_answers_404(aws, monkeypatch):
    with client() as c:
        # Given a subscription charged automatically to the Mastercard, and a Visa saved too
        shop, caller, sub_id, visa, mastercard = a_subscription_on_the_mastercard_and_a_visa_saved(c)

        # And the Visa removed just after a choice of it read the saved cards
        read_cards, removed = mirror.saved_as_summarised, []

        def read_then_removed(*args, **kwargs):
            cards = read_cards(*args, **kwargs)
            if not removed:
                removed.append(remove(caller, visa))
            return cards
        monkeypatch.setattr(mirror, "saved_as_summarised", read_then_removed)

        # When the choice commits
        with pytest.raises(ConcurrentUpdate):
            choose(caller, sub_id, visa)
        monkeypatch.undo()

        # Then the choice, second to commit, wrote nothing: the subscription stays on the Mastercard
        assert removed and saved_cards(shop) == [mastercard]
        assert card_charged(caller, sub_id) == mastercard
        # And sent again, the card is not there any more
        again = shop.portal.put(f"/portal/subscriptions/{sub_id}/payment-method", {"payment_method_id": visa})
        assert again.status == 404, again.json


def test_every_card_stays_mirrored_as_it_is_saved_after_a_choice(aws):
    with client() as c:
        # Given a subscription on the Mastercard, and a Visa saved too
        shop, caller, sub_id, visa, _mastercard = a_subscription_on_the_mastercard_and_a_visa_saved(c)

        # When Zoë charges the subscription to the Visa
        choose(caller, sub_id, visa)

        # Then the account summary mirrors the cards exactly as they are saved, versions and all
        uow = adapters().uow
        assert uow.account_summaries.mirrored_methods(caller.org_id, caller.customer_id) == tuple(
            uow.payment_methods.of_customer(caller.org_id, caller.customer_id))
