"""The portal's home: figures from the account summary (kept exact by the transactions that
change invoices, payments and credits), so reading it is one BatchGetItem (organization,
customer, summary) and one small Query (payment methods), both eventually consistent: the page
only shows them, and half a read unit per item keeps it within 3 units.

The answer is a typed result, `Home`: the domain values the page shows. Its wire shape is written
once, by the response model that builds it (`handlers/responses/accounts.Dashboard.of`)."""
from __future__ import annotations

from dataclasses import dataclass

from ...domain.account_summary import AccountSummary
from ...domain.customers import Contact, Customer
from ...domain.organization import Organization
from ...domain.payments import PaymentMethod


@dataclass(frozen=True)
class Home:
    """What the signed-in contact's home shows: whose portal it is, their account's figures, their
    details (`contact` None if the merchant removed the contact since it signed in) and saved cards."""
    organization: Organization
    customer: Customer
    contact: Contact | None
    figures: AccountSummary
    payment_methods: tuple[PaymentMethod, ...]


def dashboard(adapters, org_id: str, customer_id: str, contact_id: str) -> Home:
    found = adapters.uow.customers.with_organization(org_id, customer_id, with_summary=True, consistent=False)
    methods = adapters.uow.payment_methods.of_customer(org_id, customer_id, consistent=False)
    return Home(found.org, found.customer, found.customer.contact(contact_id), found.summary, tuple(methods))
