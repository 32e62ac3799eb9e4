"""A portal subscription action as a typed result (services/subscriptions/actions.Outcome) and its
one wire shape (handlers/responses/subscriptions.SubscriptionDetail.of), on the in-memory unit of
work: cancelling at the end of the term, and taking it back. No HTTP, no moto."""
from dataclasses import replace
from datetime import date

import pytest

from chalicelib.domain.errors import ConcurrentUpdate
from chalicelib.domain.preferences import CancelPreferences, Preferences
from chalicelib.domain.subscription_status import Status
from chalicelib.handlers.responses.subscriptions import SubscriptionDetail
from chalicelib.services.subscriptions.cancellations import cancel, remove_scheduled_cancellation
from chalicelib.services.subscriptions.commands import Caller
from tests.support.domain_builders import NOW, a_subscription
from tests.support.fast_services import a_merchant_with_a_customer

ORG, CUSTOMER = "org_acme", "cus_globex"
ZOE = Caller(ORG, CUSTOMER, "con_zoe")
TERM_END = date(2026, 12, 10)


def a_merchant_letting_customers_cancel():
    """Acme Cloud, whose customers may cancel (now or at term end), and Globex's live Pro subscription,
    paid to 10 December."""
    adapters = a_merchant_with_a_customer()
    org = adapters.uow.organizations.get(ORG)
    adapters.uow.organizations.save(replace(org, preferences=Preferences(cancel=CancelPreferences(enabled=True))))
    sub = adapters.uow.subscriptions.add(ORG, a_subscription(term=(date(2026, 11, 10), TERM_END)), clock="live")
    return adapters, sub


def test_cancelling_at_term_end_keeps_the_subscription_live_until_then_and_bills_nothing():
    # Given Globex's subscription, paid to 10 December
    adapters, sub = a_merchant_letting_customers_cancel()

    # When Zoë cancels it at the end of the term
    done = cancel(adapters, ZOE, sub.subscription_id, when="end_of_term", reason="Too dear", now=NOW)

    # Then it runs to the end of the term without renewing, nothing is invoiced or credited, and
    # the answer says when it ends and that she may take it back
    stored = adapters.uow.subscriptions.get(ORG, CUSTOMER, sub.subscription_id)
    assert (stored.status, stored.term_end, stored.cancel_reason) == (Status.NON_RENEWING, TERM_END, "Too dear")
    assert stored.next_billing_on is None
    assert (done.invoice, done.credit_note, done.payment) == (None, None, None)
    answer = SubscriptionDetail.of(done.subscription)
    assert answer.scheduled_cancellation.model_dump() == {"effective_on": TERM_END, "reason": "Too dear"}
    assert answer.current_term.end == TERM_END and answer.next_billing_on is None
    assert {s.action for s in answer.allowed_actions if s.allowed} >= {"remove_scheduled_cancellation"}
    timeline = adapters.uow.activity.page(ORG, CUSTOMER, limit=10, cursor=None).items
    assert [(r.action, r.summary) for r in timeline] == [
        ("subscription.cancellation_scheduled", "Cancellation scheduled for 2026-12-10: Too dear")]


def test_taking_back_a_scheduled_cancellation_renews_at_the_end_of_the_term_again():
    # Given Globex's subscription, cancelled for the end of its term
    adapters, sub = a_merchant_letting_customers_cancel()
    cancel(adapters, ZOE, sub.subscription_id, when="end_of_term", reason=None, now=NOW)

    # When Zoë takes the cancellation back
    done = remove_scheduled_cancellation(adapters, ZOE, sub.subscription_id, now=NOW)

    # Then it is live again and its next invoice is raised on the day the term ends
    answer = SubscriptionDetail.of(done.subscription)
    assert (answer.status, answer.next_billing_on, answer.scheduled_cancellation) == (Status.LIVE, TERM_END, None)
    assert adapters.uow.subscriptions.get(ORG, CUSTOMER, sub.subscription_id).status == Status.LIVE


def test_a_cancellation_written_over_a_change_made_since_it_was_read_is_refused(monkeypatch):
    # Given Globex's subscription, read by a cancellation that another action changes before it writes
    adapters, sub = a_merchant_letting_customers_cancel()
    read = adapters.uow.subscriptions.with_organization

    def read_then_changed_elsewhere(*args, **kwargs):
        found = read(*args, **kwargs)
        current = adapters.uow.subscriptions.get(ORG, CUSTOMER, sub.subscription_id)
        with adapters.uow.transaction("subscription") as tx:
            adapters.uow.subscriptions.put_in(tx, ORG, replace(current, reference="PO-7"), clock="live")
        return found
    monkeypatch.setattr(adapters.uow.subscriptions, "with_organization", read_then_changed_elsewhere)

    # When the cancellation writes, Then it meets the conflict and writes nothing of its own
    with pytest.raises(ConcurrentUpdate):
        cancel(adapters, ZOE, sub.subscription_id, when="end_of_term", reason=None, now=NOW)
    stored = adapters.uow.subscriptions.get(ORG, CUSTOMER, sub.subscription_id)
    assert (stored.status, stored.reference) == (Status.LIVE, "PO-7")
    assert adapters.uow.activity.page(ORG, CUSTOMER, limit=10, cursor=None).items == []
