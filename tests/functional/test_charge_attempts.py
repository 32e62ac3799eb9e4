"""Every charge attempt of a subscription has its own idempotency key (domain/charge_attempts.py):
the payment service answers a reused key with its earlier answer, so an attempt that shared a key
with an earlier, declined one would decline a working card. Asking again about the same attempt
(pending answer, lost answer, the job run twice) keeps its key and charges nothing twice."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, Phase, example, given, note, settings, strategies as st

from chalicelib.bootstrap import adapters
from chalicelib.domain.organization import clock_name
from chalicelib.domain.payments import PaymentStatus
from chalicelib.services.payments import collection
from tests.support.api import NOW, client
from tests.support.aws import fresh_aws
from tests.support.payments import counting_gateway
from tests.support.portal import login
from tests.support.scheduled_work import dunning_policy, invoices_of, run_jobs, state
from tests.support.subscriptions import a_shop

DAY = timedelta(days=1)
GOOD, DECLINED = "pm_card_visa", "pm_card_chargeDeclined"


class Attempts:
    """What the billing engine asked of the payments service: (key, card, invoice, answer) per call."""

    def __init__(self, monkeypatch):
        self.calls: list[tuple[str, str, str, str]] = []
        collect = collection.collect_off_session

        def recorded(adapters_, org_id, customer_id, invoice_id, *, payment_method_id, idempotency_key, **rest):
            payment = collect(adapters_, org_id, customer_id, invoice_id, payment_method_id=payment_method_id,
                              idempotency_key=idempotency_key, **rest)
            self.calls.append((idempotency_key, payment_method_id, invoice_id, payment.status.value))
            return payment
        monkeypatch.setattr(collection, "collect_off_session", recorded)


class Zoe:
    """Zoë's auto-charged subscription, her two saved cards, and what she does in the portal."""

    def __init__(self, shop, card: str):
        self.shop = shop
        self.cards = {GOOD: shop.saved_card(GOOD), DECLINED: shop.saved_card(DECLINED)}
        self.sub = shop.subscription("live", auto_charge=True, payment_method_id=self.cards[card],
                                     term_start=NOW - 30 * DAY, term_end=NOW)

    def card_of(self, payment_method_id: str) -> str:
        return next(card for card, saved in self.cards.items() if saved == payment_method_id)

    def charges_to(self, card: str) -> None:
        """The subscription charged to another of her saved cards from now on."""
        org_id = self.shop.acme.org.org_id
        org = adapters().uow.organizations.get(org_id)
        adapters().uow.subscriptions.save(org_id, replace(self.state(), payment_method_id=self.cards[card]),
                                          clock=clock_name(org))

    def reactivates(self):
        token = login(self.shop.api, self.shop.acme.org.org_id, self.shop.zoe.email, self.shop.zoe.password)
        portal = self.shop.api.as_(token.json["token"])
        return portal.post(f"/portal/subscriptions/{self.sub['subscription_id']}/reactivate", {})

    def state(self):
        return state(self.shop, self.sub)


def cancelled_for_dunning(c, monkeypatch):
    """Zoë's renewal declined, retried once two days later, declined again: cancelled."""
    shop = a_shop(c)
    dunning_policy(shop, retry_after_days=[2], when_exhausted="cancel")
    zoe = Zoe(shop, DECLINED)
    run_jobs(c)
    shop.clock.advance(days=2)
    run_jobs(c)
    assert zoe.state().status.value == "cancelled" and zoe.state().unpaid_invoice_id is not None
    return shop, zoe


def test_reactivating_after_a_dunning_cancellation_charges_the_new_card(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    attempts = Attempts(monkeypatch)
    with client() as c:
        # Given Zoë's subscription cancelled because its renewal was declined twice
        shop, zoe = cancelled_for_dunning(c, monkeypatch)
        # and she saves a working card for it and reactivates within the term
        zoe.charges_to(GOOD)
        assert zoe.reactivates().status == 200

        # When the job charges the term's open invoice
        shop.clock.advance(minutes=10)
        run_jobs(c)

        # Then the new card is charged, with a key no earlier attempt had, and the term is paid
        keys = [key for key, *_ in attempts.calls]
        assert len(keys) == 3 and len(set(keys)) == 3
        [term_invoice] = invoices_of(shop, zoe.sub)
        assert attempts.calls[-1][1:] == (zoe.cards[GOOD], term_invoice["invoice_id"], "succeeded")
        assert term_invoice["status"] == "paid"
        assert zoe.state().status.value == "live" and zoe.state().unpaid_invoice_id is None
        assert gateway.charges == 1


STEPS = st.lists(st.one_of(
    st.tuples(st.just("card"), st.sampled_from([GOOD, DECLINED])),
    st.tuples(st.just("days"), st.integers(min_value=1, max_value=12)),
    st.tuples(st.sampled_from(["run_twice", "answer_lost", "reactivate"]), st.none()),
), min_size=3, max_size=10)


# Each example builds a fresh DynamoDB and drives the routes and the job: few examples, no shrinking.
@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(card=st.sampled_from([GOOD, DECLINED]), steps=STEPS)
@example(card=DECLINED, steps=[("days", 1), ("days", 2), ("card", GOOD), ("reactivate", None)])  # the audit's
def test_any_run_of_declines_reactivations_and_reruns_charges_each_attempt_once_and_never_replays(card, steps):
    with pytest.MonkeyPatch.context() as monkeypatch, fresh_aws(), client() as c:
        # Given Zoë's auto-charged renewal due, retried after 1 and 3 days, then cancelled
        gateway = counting_gateway(monkeypatch)
        attempts = Attempts(monkeypatch)
        shop = a_shop(c)
        dunning_policy(shop, retry_after_days=[1, 3], when_exhausted="cancel")
        zoe = Zoe(shop, card)

        # When her card changes, days pass, the job runs twice, loses an answer, she reactivates ...
        run_jobs(c)
        for step, value in steps:
            note(f"{shop.clock.now}: {step} {value or ''}")
            if step == "card":
                zoe.charges_to(value)
            elif step == "days":
                shop.clock.advance(days=value)
                run_jobs(c)
            elif step == "run_twice":
                run_jobs(c), run_jobs(c)
            elif step == "answer_lost":
                gateway.lose_answers = 1
                run_jobs(c)
                gateway.lose_answers = 0
                shop.clock.advance(minutes=11)
                run_jobs(c)
            elif zoe.state().status.value == "cancelled":
                zoe.reactivates()
                run_jobs(c)

        # Then a key asked again is the same attempt: the same card for the same invoice
        asked = defaultdict(set)
        for key, method, invoice_id, _answer in attempts.calls:
            asked[key].add((method, invoice_id))
        assert {key: seen for key, seen in asked.items() if len(seen) > 1} == {}
        # and a working card is never answered with an earlier attempt's decline
        assert [call for call in attempts.calls if zoe.card_of(call[1]) == GOOD
                and call[3] == PaymentStatus.FAILED.value] == []
        # and each invoice was charged at most once, and only by its own attempts
        paid_by = defaultdict(set)
        for key, _method, invoice_id, answer in attempts.calls:
            if answer == PaymentStatus.SUCCEEDED.value:
                paid_by[invoice_id].add(key)
        assert all(len(keys) == 1 for keys in paid_by.values())
        assert gateway.charges == len(paid_by)
