"""Who the signed-in customer is: what the portal asks first (`GET /portal/me`), in a module of its
own so that answering loads nothing of signing in, passwords or email."""
from __future__ import annotations

from dataclasses import dataclass

from ...domain.customers import Contact, Customer
from ...domain.errors import Unauthenticated
from ...domain.organization import Organization


@dataclass(frozen=True)
class Me:
    """The signed-in contact (with its role: owner, billing or viewer), its customer, the organization (its
    public details and the portal features it enabled) and how payments are taken."""
    contact: Contact
    role: str
    customer: Customer
    organization: Organization
    payments_mode: str


def me(adapters, org: Organization, customer: Customer, contact_id: str, role: str) -> Me:
    """Who is signed in, from the organization and customer the session check read: no read here.
    `role`: the one the session acts with (services/access/sessions.py), which the browser shows."""
    contact = customer.contact(contact_id)
    if contact is None or contact.role_in_portal is None:
        raise Unauthenticated("Sign in again.")
    return Me(contact, role, customer, org, adapters.settings.payments_mode)
