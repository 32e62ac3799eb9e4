"""Customers and their contacts, the portal's home and the signed-in contact's details, the activity
timeline, messages to the merchant, reviews and notifications, and the email outbox."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from ...domain.customers import Contact, Customer
    from ...domain.engagement import ActivityRecord, Review
    from ...domain.organization import Organization
    from ...tables.pages import Page
    from .commands import CustomerChanges, NewContact, NewCustomer, ProfileChanges
    from .customers import ListedCustomer
    from .dashboard import Home
    from .messages import MessageSent
    from .profile import Details
    from .reviews import ReviewRequested
    from .tax_ids import TaxId, TaxIds


class Accounts:
    """Accounts' use cases, one method each. Each imports its module when called, so that `import app`
    loads none of them."""

    def __init__(self, adapters):
        self._adapters = adapters

    # the merchant's customers

    def customers(self, org_id: str, *, limit: int, cursor: str | None) -> Page[ListedCustomer]:
        from .customers import list_customers
        return list_customers(self._adapters, org_id, limit=limit, cursor=cursor)

    def customer(self, org_id: str, customer_id: str) -> Customer:
        from .customers import get_customer
        return get_customer(self._adapters, org_id, customer_id)

    def create_customer(self, org_id: str, customer: NewCustomer, now: datetime) -> Customer:
        from .customers import create_customer
        return create_customer(self._adapters, org_id, customer, now)

    def update_customer(self, org_id: str, customer_id: str, changes: CustomerChanges, now: datetime) -> Customer:
        from .customers import update_customer
        return update_customer(self._adapters, org_id, customer_id, changes, now)

    def add_contact(self, org_id: str, customer_id: str, person: NewContact, now: datetime) -> Customer:
        from .customers import add_contact
        return add_contact(self._adapters, org_id, customer_id, person, now)

    # the customer's own

    def dashboard(self, org: Organization, customer: Customer, contact_id: str) -> Home:
        from .dashboard import dashboard
        return dashboard(self._adapters, org, customer, contact_id)

    def profile(self, org: Organization, customer: Customer, contact_id: str) -> Details:
        from .profile import profile
        return profile(self._adapters, org, customer, contact_id)

    def update_profile(self, org: Organization, customer_id: str, contact_id: str, session_id: str,
                       changes: ProfileChanges, now: datetime, *, role: str = "owner") -> Details:
        from .profile import update_profile
        return update_profile(self._adapters, org, customer_id, contact_id, session_id, changes, now, role=role)

    def confirm_email_change(self, org_id: str, token: str, now: datetime) -> None:
        from .profile import confirm_email_change
        return confirm_email_change(self._adapters, org_id, token, now)

    def contacts(self, customer: Customer) -> tuple[Contact, ...]:
        from .profile import contacts
        return contacts(self._adapters, customer)

    def tax_ids(self, org: Organization, customer: Customer) -> TaxIds:
        from .tax_ids import tax_ids
        return tax_ids(self._adapters, org, customer)

    def add_tax_id(self, org_id: str, customer_id: str, contact_id: str, kind: str, value: str,
                   now: datetime) -> TaxId:
        from .tax_ids import add_tax_id
        return add_tax_id(self._adapters, org_id, customer_id, contact_id, kind, value, now)

    def replace_tax_id(self, org_id: str, customer_id: str, contact_id: str, tax_id: str, kind: str, value: str,
                       now: datetime) -> TaxId:
        from .tax_ids import replace_tax_id
        return replace_tax_id(self._adapters, org_id, customer_id, contact_id, tax_id, kind, value, now)

    def remove_tax_id(self, org_id: str, customer_id: str, contact_id: str, tax_id: str, now: datetime) -> None:
        from .tax_ids import remove_tax_id
        return remove_tax_id(self._adapters, org_id, customer_id, contact_id, tax_id, now)

    def remember_locale(self, org_id: str, customer_id: str, contact_id: str, locale: str) -> str:
        from .languages import remember_locale
        return remember_locale(self._adapters, org_id, customer_id, contact_id, locale)

    def timeline(self, org_id: str, customer: Customer, *, limit: int, cursor: str | None,
                 role: str = "owner") -> Page[ActivityRecord]:
        from .activity import timeline
        return timeline(self._adapters, org_id, customer, limit=limit, cursor=cursor, role=role)

    def message(self, org: Organization, customer: Customer, contact_id: str, *, subject: str, message: str,
                now: datetime) -> MessageSent:
        from .messages import message_organization
        return message_organization(self._adapters, org, customer, contact_id, subject=subject,
                                    message=message, now=now)

    # reviews, notifications, activity

    def write_review(self, org: Organization, customer: Customer, contact_id: str, *, rating: int, comment: str,
                     now: datetime) -> Review:
        from .reviews import write_review
        return write_review(self._adapters, org, customer, contact_id, rating=rating, comment=comment, now=now)

    def my_reviews(self, org: Organization, customer_id: str, *, limit: int, cursor: str | None) -> Page[Review]:
        from .reviews import my_reviews
        return my_reviews(self._adapters, org, customer_id, limit=limit, cursor=cursor)

    def request_review(self, org_id: str, customer_id: str, now: datetime) -> ReviewRequested:
        from .reviews import request_review
        return request_review(self._adapters, org_id, customer_id, now)

    def reviews(self, org_id: str, *, customer_id: str | None, limit: int, cursor: str | None):
        from .engagement import reviews
        return reviews(self._adapters, org_id, customer_id=customer_id, limit=limit, cursor=cursor)

    def notifications(self, org_id: str, *, limit: int, cursor: str | None):
        from .engagement import notifications
        return notifications(self._adapters, org_id, limit=limit, cursor=cursor)

    def activity(self, org_id: str, customer_id: str, *, limit: int, cursor: str | None):
        from .activity import timeline   # the merchant sees the customer's own timeline
        customer = self._adapters.uow.customers.get(org_id, customer_id)
        return timeline(self._adapters, org_id, customer, limit=limit, cursor=cursor)

    # the email outbox

    def send_queued_email(self, now: datetime, limit: int = 25) -> int:
        from .outbox import retry_due
        return retry_due(self._adapters, now, limit)
