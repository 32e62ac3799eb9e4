"""What customers tell the merchant, and what the merchant is told: reviews, notifications,
and the activity timeline."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .customers import Customer


@dataclass(frozen=True)
class Review:
    review_id: str
    customer_id: str
    contact_id: str
    rating: int
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class Notification:
    """Something the merchant's back office should see (payment received, review, approval...)."""
    notification_id: str
    kind: str
    headline: str
    created_at: datetime
    customer_id: str | None = None
    subject_type: str | None = None
    subject_id: str | None = None


@dataclass(frozen=True)
class Actor:
    type: str          # customer | merchant | job | gateway
    id: str            # a customer's: the contact who did it (the customer's own id on entries made before)
    name: str = ""     # a customer's: the contact's name as it was then ("" on entries made before)


def contact_actor(customer: Customer, contact_id: str) -> Actor:
    """A contact of `customer` as who did something: their id, and their name as it is now."""
    contact = customer.contact(contact_id)
    return Actor("customer", contact_id, contact.name if contact is not None else "")


@dataclass(frozen=True)
class ActivityRecord:
    activity_id: str
    customer_id: str
    actor: Actor
    action: str                    # e.g. subscription.cancel_scheduled
    subject_type: str
    subject_id: str
    at: datetime
    summary: str = ""
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
