"""A subscription in dunning as its customer sees it: the invoice whose charge failed, why in
words, the retries to come by day and what the last one leads to. Paying that invoice in the portal
(POST /portal/payments) ends the dunning as a retry's success would (services/subscriptions/recovery.py)."""
from __future__ import annotations

from dataclasses import dataclass
from ...domain import dunning
from ...domain.documents import Invoice
from ...domain.dunning import Retries
from ...domain.organization import Organization
from ...domain.subscription import Subscription


@dataclass(frozen=True)
class DunningView:
    """What the dunning card shows."""
    subscription: Subscription
    invoice: Invoice
    failure_code: str | None
    failure_message: str
    retries: Retries


def dunning_of(adapters, org: Organization, customer_id: str, subscription_id: str) -> DunningView:
    """One read for the subscription, one for the invoice (`org` is the session check's); another
    customer's subscription is not found; one not in dunning is a conflict that says so."""
    org.preferences.require("subscriptions")
    sub = adapters.uow.subscriptions.get(org.org_id, customer_id, subscription_id)
    schedule = dunning.retries(sub, org.dunning)
    invoice = adapters.uow.invoices.get(org.org_id, customer_id, sub.unpaid_invoice_id)
    return DunningView(sub, invoice, sub.last_failure_code, dunning.failure_sentence(sub.last_failure_code),
                       schedule)
