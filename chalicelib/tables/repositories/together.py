"""Reads that a screen needs at once, in one TransactGetItems or BatchGetItem: the organization, the
customer and (optionally) one of its documents or its account summary; catalog entries with credit
notes; a portal account with its organization. One call instead of three keeps a route within its
read budget (issue 9)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactGet

from ...domain.customers import Customer
from ...domain.documents import Estimate, Invoice
from ...domain.errors import NotFound
from ...domain.organization import Organization
from ...domain.payments import Payment
from ...domain.subscription import Subscription
from ..account_summaries import AccountSummaryItem
from ..base import connection, owner_key
from ..customers import CustomerItem
from ..estimates import EstimateItem
from ..invoices import InvoiceItem
from ..mapping import from_item
from ..organizations import OrganizationItem, organization_of
from ..payments import PaymentItem
from ..subscriptions import SubscriptionItem
from . import subscriptions, summaries

DOCUMENTS = {"invoice": (InvoiceItem, Invoice), "estimate": (EstimateItem, Estimate),
             "payment": (PaymentItem, Payment), "subscription": (SubscriptionItem, Subscription)}


@dataclass(frozen=True)
class Together:
    org: Organization
    customer: Customer
    document: Any = None
    summary: summaries.AccountSummary | None = None


def read_together(org_id: str, customer_id: str, *, document: tuple[str, str] | None = None,
                  with_summary: bool = False) -> Together:
    """`document` is (kind, id) with kind invoice | estimate | payment | subscription; NotFound if
    any is missing."""
    owner = owner_key(org_id, customer_id)
    with TransactGet(connection=connection()) as read:
        org_item = read.get(OrganizationItem, org_id)
        customer_item = read.get(CustomerItem, org_id, customer_id)
        document_item = read.get(DOCUMENTS[document[0]][0], owner, document[1]) if document else None
        summary_item = read.get(AccountSummaryItem, owner) if with_summary else None
    try:
        customer = from_item(Customer, customer_item.get())
        found = from_item(DOCUMENTS[document[0]][1], document_item.get()) if document else None
        org = organization_of(org_item.get())
    except DoesNotExist:
        raise NotFound(document[0] if document else "customer") from None
    summary = None
    if with_summary:
        try:
            summary = summaries.to_domain(summary_item.get())
        except DoesNotExist:
            summary = summaries.AccountSummary(currency=customer.currency)
    return Together(org, customer, found, summary)


def org_and_subscription(org_id: str, customer_id: str,
                         subscription_id: str) -> tuple[Organization, Subscription | None]:
    """The organization and one of the customer's subscriptions (None if it is not theirs), in one
    TransactGetItems (both read consistently)."""
    with TransactGet(connection=connection()) as read:
        org_item = read.get(OrganizationItem, org_id)
        sub_item = read.get(SubscriptionItem, owner_key(org_id, customer_id), subscription_id)
    return organization_of(org_item.get()), _found(sub_item, subscriptions.domain_of)


def org_subscription_and_summary(org_id: str, customer_id: str, subscription_id: str
                                 ) -> tuple[Organization, Subscription | None, summaries.AccountSummary | None]:
    """As `org_and_subscription`, with the account summary (None if the customer has none yet) in
    the same TransactGetItems: what an action that bills with the customer's credits starts from."""
    owner = owner_key(org_id, customer_id)
    with TransactGet(connection=connection()) as read:
        org_item = read.get(OrganizationItem, org_id)
        sub_item = read.get(SubscriptionItem, owner, subscription_id)
        summary_item = read.get(AccountSummaryItem, owner)
    return (organization_of(org_item.get()), _found(sub_item, subscriptions.domain_of),
            _found(summary_item, summaries.to_domain))


def _found(pending, to_domain: Callable):
    try:
        return to_domain(pending.get())
    except DoesNotExist:
        return None
