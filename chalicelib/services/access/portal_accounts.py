"""Where each contact of a customer stands with the portal (none, invited, active, disabled), kept on
the customer (`Customer.portal_accounts`) so that a page of the back office's customers is read
with it, not with a read of every contact's account besides.

Every change of a contact's account status, or of whose account it is, writes the customer with it,
in the same transaction and on the customer's version read: the invitation (and one taking over
an address only invited for another contact), its acceptance, an account the operator makes. Any
other change of the customer meanwhile fails that transaction, so what is kept never drifts from
the accounts. A customer stored before it was kept there (`portal_accounts` None) is answered from
the accounts themselves, and has it recorded at its next such change, or by `record_all` (the
operator's `record-portal-access`, docs/deploy.md)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ...domain.customers import Customer
from ...domain.errors import ConcurrentUpdate
from ..backfills import every_customer

ATTEMPTS = 5    # reads of a customer changed while its accounts were read, before giving up


def access_of(adapters, org_id: str, customers: Iterable[Customer]) -> dict[str, dict[str, str]]:
    """customer_id -> contact_id -> none | invited | active | disabled, for each contact of
    `customers`: as each customer records it, else (customers stored before) read from the accounts,
    eventually consistent, in one BatchGetItem for all of those."""
    customers = list(customers)
    unrecorded = [customer for customer in customers if customer.portal_accounts is None]
    read = adapters.uow.portal_users.statuses(org_id, [(customer.customer_id, contact.contact_id, contact.email)
                                                       for customer in unrecorded
                                                       for contact in customer.contacts]) if unrecorded else {}
    return {customer.customer_id: {
        contact.contact_id: customer.portal_access_of(contact.contact_id) if customer.portal_accounts is not None
        else read.get((customer.customer_id, contact.contact_id), "none")
        for contact in customer.contacts} for customer in customers}


def with_account(adapters, org_id: str, customer: Customer, contact_id: str, status: str | None) -> Customer:
    """`customer` (as read, to be written on its version) recording that the contact's account is
    now `status` (None: it has none any more)."""
    return recorded(adapters, org_id, customer).with_portal_account(contact_id, status)


def recorded(adapters, org_id: str, customer: Customer) -> Customer:
    """The customer with its accounts recorded: as it is, or (stored before they were kept on it)
    with them read from the accounts, consistently: what the transaction writing it commits on
    the customer's version then holds for every contact."""
    if customer.portal_accounts is not None:
        return customer
    statuses = adapters.uow.portal_users.statuses(
        org_id, [(customer.customer_id, contact.contact_id, contact.email) for contact in customer.contacts],
        consistent=True)
    return replace(customer, portal_accounts={contact_id: status for (_, contact_id), status in statuses.items()})


def record_all(adapters, org_id: str) -> int:
    """Record on every customer of the organization where each contact stands, read again from the
    accounts: for the customers stored before it was kept on them, and after a rollback across the
    release that began keeping it (docs/deploy.md). Written on the version read: a customer changed
    meanwhile is read again. Safe to run again; answers how many customers were written."""
    return sum(_record_again(adapters, org_id, customer) for customer in every_customer(adapters, org_id))


def _record_again(adapters, org_id: str, customer: Customer) -> int:
    for _ in range(ATTEMPTS):
        again = recorded(adapters, org_id, replace(customer, portal_accounts=None))
        if again.portal_accounts == customer.portal_accounts:
            return 0
        try:
            adapters.uow.customers.save(org_id, again)
            return 1
        except ConcurrentUpdate:
            customer = adapters.uow.customers.get(org_id, customer.customer_id, consistent=True)
    raise ConcurrentUpdate("customer")
