"""The portal's home: figures from the account summary (kept exact by the transactions that
change invoices, payments and credits) and the saved payment methods it mirrors, read eventually
consistent (the page only shows them) with the session, the organization and the customer, in the
session check's one call. A customer whose methods are not mirrored yet (stored before they were:
docs/deploy.md `record-payment-methods`) has them read by a small Query besides.

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


def dashboard(adapters, org: Organization, customer: Customer, contact_id: str) -> Home:
    summary = adapters.uow.account_summaries.get(org.org_id, customer.customer_id, customer.currency)
    methods = summary.payment_methods
    if methods is None:
        methods = tuple(adapters.uow.payment_methods.of_customer(org.org_id, customer.customer_id, consistent=False))
    return Home(org, customer, customer.contact(contact_id), summary, methods)
