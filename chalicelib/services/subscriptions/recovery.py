"""A subscription held back by an unpaid invoice (dunning, unpaid) comes back to life in the same
transaction that settles that invoice: paid in the portal, by a Stripe webhook, or recorded by the
merchant, or later (3-D Secure completed, a webhook) for a charge a scheduled run made. While a
run holds the subscription (its own charge, settled at once) the run records the outcome itself."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from ...domain import scheduling
from ...domain.documents import Invoice
from ...domain.engagement import ActivityRecord, Actor
from ...domain.ids import new_id
from ...domain.organization import Organization, clock_name
from ...domain.subscription import Subscription

# action -> (the status it leaves, what the timeline says)
ACTIONS = {"dunning_paid": ("dunning", "The unpaid invoice was paid; retries stopped"),
           "unpaid_paid": ("unpaid", "The unpaid invoice was paid; the subscription is live again with a new "
                                     "term from today")}


def recovered(adapters, org: Organization, customer_id: str, settled: Iterable[Invoice],
              now: datetime) -> list[tuple[Subscription, str]]:
    """The subscriptions that invoices just settled bring back, each with its action (one
    BatchGet, and none when no settled invoice belongs to a subscription)."""
    by_subscription = {invoice.subscription_id: invoice.invoice_id for invoice in settled
                       if invoice.subscription_id and not invoice.is_outstanding()}
    if not by_subscription:
        return []
    found = adapters.uow.subscriptions.unclaimed(org.org_id, customer_id, by_subscription, now)
    return [done for sub_id, sub in found.items()
            if (done := scheduling.invoice_settled(sub, by_subscription[sub_id], org.now(now))) is not None]


def save_in(adapters, tx, org: Organization, changes: list[tuple[Subscription, str]], actor: Actor,
            now: datetime) -> None:
    """Each recovered subscription, on the condition it is still the version read, with its activity."""
    for sub, action in changes:
        left, summary = ACTIONS[action]
        adapters.uow.subscriptions.put_in(tx, org.org_id, sub, clock=clock_name(org))
        adapters.uow.activity.record(org.org_id, ActivityRecord(
            new_id("activity", now), sub.customer_id, actor, f"subscription.{action}", "subscription",
            sub.subscription_id, now, summary, before={"status": left}, after={"status": sub.status.value}), tx)
