"""Who the signed-in customer is: what the portal asks first (`GET /portal/me`), in a module of its
own so that answering loads nothing of signing in, passwords or email."""
from __future__ import annotations

from dataclasses import dataclass

from ...domain.customers import Contact, Customer
from ...domain.errors import Unauthenticated
from ...domain.organization import Organization


@dataclass(frozen=True)
class Me:
    """The signed-in contact (with the role its session holds), its customer, the organization (its
    public details and the portal features it enabled) and how payments are taken."""
    contact: Contact
    role: str
    customer: Customer
    organization: Organization
    payments_mode: str


def me(adapters, org_id: str, customer_id: str, contact_id: str, role: str) -> Me:
    # one BatchGetItem for both, eventually consistent as the page only shows them
    found = adapters.uow.customers.with_organization(org_id, customer_id, consistent=False)
    contact = found.customer.contact(contact_id)
    if contact is None:
        raise Unauthenticated("Sign in again.")
    return Me(contact, role, found.customer, found.org, adapters.settings.payments_mode)
