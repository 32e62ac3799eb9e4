"""How each contact reads money and days: kept from their browser when they use the portal, so
the emails and PDFs they receive write amounts and days as their page does; a contact never seen
reads the organization's way (domain/locales.py)."""
from __future__ import annotations

from dataclasses import replace

from ...domain import locales
from ...domain.customers import Customer
from ...domain.errors import ConcurrentUpdate, NotFound
from ...domain.organization import Organization

ATTEMPTS = 3     # a contact's locale is written alongside other changes to the customer: retry a race


def remember_locale(adapters, org_id: str, customer_id: str, contact_id: str, locale: str) -> str:
    """Keep `locale` (already one locales.supported gave) as the contact's; safe to repeat."""
    for attempt in range(ATTEMPTS):
        customer = adapters.uow.customers.get(org_id, customer_id)
        contact = customer.contact(contact_id)
        if contact is None:
            raise NotFound("contact")
        if contact.locale == locale:
            return locale
        try:
            contacts = tuple(replace(c, locale=locale) if c.contact_id == contact_id else c for c in customer.contacts)
            adapters.uow.customers.save(org_id, replace(customer, contacts=contacts))
            return locale
        except ConcurrentUpdate:
            if attempt == ATTEMPTS - 1:
                raise
    return locale


def locale_of(org: Organization, customer: Customer, contact_id: str | None = None) -> str:
    """The locale `contact_id` (or, if not named, the customer's primary contact) reads, else the organization's."""
    contact = customer.contact(contact_id) if contact_id else customer.primary_contact
    return locales.preferred(contact.locale if contact else None, org.locale)
