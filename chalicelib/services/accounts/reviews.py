"""Reviews: a customer rates the merchant (1-5 stars and a comment), privately; the merchant is
notified, and can ask a customer for a review by email. The merchant can turn reviews off
(`reviews`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...domain.customers import Customer
from ...domain.engagement import ActivityRecord, Actor, Notification, Review, contact_actor
from ...domain.errors import BusinessRuleViolation, InvalidInput, Unauthenticated
from ...domain.ids import new_id
from ...domain.organization import Organization
from ...domain.action_links import for_email as action_link_for
from ...tables.base import owner_key
from ...tables.pages import Page
from ..access import rate_limiting
from . import outbox as mail

RATINGS = range(1, 6)
MERCHANT = Actor("merchant", "back office")


@dataclass(frozen=True)
class ReviewRequested:
    customer_id: str
    sent_to: str
    email_status: str


def write_review(adapters, org: Organization, customer: Customer, contact_id: str, *, rating: int, comment: str,
                 now: datetime) -> Review:
    """Record the review, the merchant's notification and the activity, together (`org` and
    `customer` as the session check read them: the preferences and the customer's name)."""
    if rating not in RATINGS:
        raise InvalidInput({"rating": "Must be a whole number from 1 to 5."}, codes={"rating": "rating_one_to_five"})
    org_id, customer_id = org.org_id, customer.customer_id
    org.preferences.require("reviews")
    if customer.contact(contact_id) is None:
        raise Unauthenticated("Sign in again.")
    review = Review(review_id=new_id("review", now), customer_id=customer_id, contact_id=contact_id,
                    rating=rating, comment=comment, created_at=now)
    with adapters.uow.transaction("review") as tx:
        adapters.uow.reviews.add(org_id, review, tx)
        adapters.uow.notifications.add(org_id, Notification(
            notification_id=new_id("notification", now), kind="review.received",
            headline=f"{customer.display_name} rated you {rating} out of 5", created_at=now,
            customer_id=customer_id, subject_type="review", subject_id=review.review_id), tx)
        adapters.uow.activity.record(org_id, ActivityRecord(
            activity_id=new_id("activity", now), customer_id=customer_id, actor=contact_actor(customer, contact_id),
            action="review.written", subject_type="review", subject_id=review.review_id, at=now,
            summary=f"{rating} out of 5"), tx)
    return review


def my_reviews(adapters, org: Organization, customer_id: str, *, limit: int, cursor: str | None) -> Page[Review]:
    """The reviews this customer wrote, newest first (`org` as the session check read it)."""
    org.preferences.require("reviews")
    return adapters.uow.reviews.page(org.org_id, customer_id=customer_id, limit=limit, cursor=cursor)


def request_review(adapters, org_id: str, customer_id: str, now: datetime) -> ReviewRequested:
    """The merchant asks a customer's primary contact for a review, by email."""
    org = adapters.uow.organizations.get(org_id)
    org.preferences.require("reviews")
    customer = adapters.uow.customers.get(org_id, customer_id)
    primary = customer.primary_contact
    if primary is None:
        raise BusinessRuleViolation("This customer has no primary contact to ask.", "no_primary_contact")
    rate_limiting.hit(adapters, "review_request_customer", owner_key(org_id, customer_id), now, what="review requests")
    record = mail.queue(adapters, org_id, "review_request",
                        {"org_name": org.name}, [primary.email], now=now, customer_id=customer_id,
                        reply_to=org.email, link=action_link_for("write_review"))
    adapters.uow.activity.record(org_id, ActivityRecord(
        activity_id=new_id("activity", now), customer_id=customer_id, actor=MERCHANT, action="review.requested",
        subject_type="customer", subject_id=customer_id, at=now, summary=f"Review requested from {primary.email}"))
    return ReviewRequested(customer_id, primary.email, record.status)
