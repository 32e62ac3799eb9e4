"""Reads that a screen needs at once, in one TransactGetItems or BatchGetItem: the organization, the
customer and (optionally) one of its documents or its account summary; catalog entries with credit
notes; a portal account with its organization. One call instead of three keeps a route within its
read budget (issue 9)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactGet

from ...domain.customers import Customer
from ...domain.documents import CreditNote, Estimate, Invoice
from ...domain.errors import NotFound
from ...domain.lockout import NO_FAILURES, FailureState
from ...domain.organization import Organization
from ...domain.payments import Payment
from ...domain.subscription import Subscription
from ..account_summaries import AccountSummaryItem
from ..base import connection, owner_key
from ..batch_reads import batch_get
from ..catalog import CatalogItem
from ..credit_notes import CreditNoteItem
from ..customers import CustomerItem
from ..estimates import EstimateItem
from ..invoices import InvoiceItem
from ..mapping import from_item
from ..organizations import OrganizationItem
from ..payments import PaymentItem
from ..portal_users import PortalUserItem
from ..rate_counters import RateCounterItem
from ..subscriptions import SubscriptionItem
from . import catalog, organizations, rate_counters, subscriptions, summaries
from .portal_users import PortalUser

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
        org = organizations.to_domain(org_item.get())
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
    return organizations.to_domain(org_item.get()), _found(sub_item, subscriptions.domain_of)


def org_subscription_and_summary(org_id: str, customer_id: str, subscription_id: str
                                 ) -> tuple[Organization, Subscription | None, summaries.AccountSummary | None]:
    """As `org_and_subscription`, with the account summary (None if the customer has none yet) in
    the same TransactGetItems: what an action that bills with the customer's credits starts from."""
    owner = owner_key(org_id, customer_id)
    with TransactGet(connection=connection()) as read:
        org_item = read.get(OrganizationItem, org_id)
        sub_item = read.get(SubscriptionItem, owner, subscription_id)
        summary_item = read.get(AccountSummaryItem, owner)
    return (organizations.to_domain(org_item.get()), _found(sub_item, subscriptions.domain_of),
            _found(summary_item, summaries.to_domain))


def catalog_and_credit_notes(org_id: str, customer_id: str, catalog_keys: list[tuple[str, str]],
                             credit_note_ids: Iterable[str]) -> tuple[dict, list[CreditNote]]:
    """Catalog entries by (kind, code) and the customer's credit notes by id, in one BatchGetItem
    (none if nothing is wanted); missing ones are simply absent."""
    owner = owner_key(org_id, customer_id)
    wanted = {CatalogItem: catalog.entry_keys(org_id, catalog_keys),
              CreditNoteItem: [(owner, note_id) for note_id in sorted(credit_note_ids)]}
    if not any(wanted.values()):
        return {}, []
    found = batch_get({model: keys for model, keys in wanted.items() if keys})
    return (catalog.entries_of(found.get(CatalogItem, [])),
            [from_item(CreditNote, item) for item in found.get(CreditNoteItem, [])])


def org_customer_and_catalog(org_id: str, customer_id: str,
                             catalog_keys: list[tuple[str, str]]) -> tuple[Organization, Customer, dict]:
    """The organization, one of its customers (NotFound if either is missing) and catalog entries by
    (kind, code) (missing ones simply absent), in one consistent BatchGetItem."""
    found = batch_get({OrganizationItem: [(org_id,)], CustomerItem: [(org_id, customer_id)],
                       CatalogItem: catalog.entry_keys(org_id, catalog_keys)})
    if not found[OrganizationItem]:
        raise NotFound("organization")
    if not found[CustomerItem]:
        raise NotFound("customer")
    return (organizations.to_domain(found[OrganizationItem][0]), from_item(Customer, found[CustomerItem][0]),
            catalog.entries_of(found[CatalogItem]))


@dataclass(frozen=True)
class Account:
    """A portal account with what its password changes check, read together."""
    user: PortalUser | None
    org: Organization
    customer: Customer | None = None
    failures: FailureState = NO_FAILURES


def account_and_org(login: str, org_id: str, *, customer_id: str | None = None,
                    with_failures: bool = False) -> Account:
    """The account `login` (None if there is none), its organization (NotFound if missing) and, if
    asked, its customer and its sign-in failures: one consistent BatchGetItem instead of two to four."""
    wanted = {PortalUserItem: [(login,)], OrganizationItem: [(org_id,)]}
    if customer_id is not None:
        wanted[CustomerItem] = [(org_id, customer_id)]
    if with_failures:
        wanted[RateCounterItem] = [(rate_counters.failures_key(login),)]
    found = batch_get(wanted)
    if not found[OrganizationItem]:
        raise NotFound("organization")
    first = {model: items[0] if items else None for model, items in found.items()}
    user, customer = first[PortalUserItem], first.get(CustomerItem)
    return Account(user=from_item(PortalUser, user) if user else None,
                   org=organizations.to_domain(first[OrganizationItem]),
                   customer=from_item(Customer, customer) if customer else None,
                   failures=rate_counters.failure_state(first.get(RateCounterItem)))


def _found(pending, to_domain: Callable):
    try:
        return to_domain(pending.get())
    except DoesNotExist:
        return None
