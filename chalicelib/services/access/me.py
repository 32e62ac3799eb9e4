"""Who the signed-in customer is: what the portal asks first (`GET /portal/me`), in a module of its
own so that answering loads nothing of signing in, passwords or email."""
from __future__ import annotations

from ...domain.errors import Unauthenticated


def me(adapters, org_id: str, customer_id: str, contact_id: str, role: str) -> dict:
    """The signed-in contact, its customer, the organization's public details and what the
    merchant has enabled in the portal."""
    # one BatchGetItem for both, eventually consistent as the page only shows them
    found = adapters.uow.customers.with_organization(org_id, customer_id, consistent=False)
    org, customer = found.org, found.customer
    contact = customer.contact(contact_id)
    if contact is None:
        raise Unauthenticated("Sign in again.")
    return {
        "contact": {"contact_id": contact.contact_id, "name": contact.name, "email": contact.email,
                    "role": role, "locale": contact.locale},
        "customer": {"customer_id": customer.customer_id, "display_name": customer.display_name},
        "organization": org.public_details(),
        "features": org.preferences.enabled_features(),
        "payments_mode": adapters.settings.payments_mode,
    }
