"""Activity, reviews, notifications and messages."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from .shared import Answer, EmailStatus, GivenOnly, Page

if TYPE_CHECKING:
    from ...domain import engagement
    from ...services.accounts import messages, reviews
    from ...services.payments.webhooks import Delivery


class Actor(Answer):
    type: Literal["customer", "merchant", "job", "gateway"]
    id: str
    name: str      # the contact who did it, for a customer's entry ("" if not known)


class ActivityRecord(Answer):
    activity_id: str
    customer_id: str
    actor: Actor
    action: str
    subject_type: str
    subject_id: str
    at: datetime
    summary: str
    before: dict[str, Any]     # the fields the action changed, as they were
    after: dict[str, Any]

    @classmethod
    def of(cls, record: engagement.ActivityRecord) -> ActivityRecord:
        return cls.mirroring(record, actor=Actor.mirroring(record.actor))


class ActivityPage(Page[ActivityRecord]):
    pass   # answered by `Page.of`


class Review(Answer):
    review_id: str
    customer_id: str
    contact_id: str
    rating: int
    comment: str
    created_at: datetime

    @classmethod
    def of(cls, review: engagement.Review) -> Review:
        return cls.mirroring(review)


class ReviewPage(Page[Review]):
    pass   # answered by `Page.of`


class Notification(Answer):
    notification_id: str
    kind: str
    headline: str
    created_at: datetime
    customer_id: str | None
    subject_type: str | None
    subject_id: str | None

    @classmethod
    def of(cls, notification: engagement.Notification) -> Notification:
        return cls.mirroring(notification)


class NotificationPage(Page[Notification]):
    pass   # answered by `Page.of`


class MessageSent(Answer):
    message_id: str
    sent_to: str
    email_status: EmailStatus

    @classmethod
    def of(cls, sent: messages.MessageSent) -> MessageSent:
        return cls.mirroring(sent)


class ReviewRequested(Answer):
    customer_id: str
    sent_to: str
    email_status: EmailStatus

    @classmethod
    def of(cls, requested: reviews.ReviewRequested) -> ReviewRequested:
        return cls.mirroring(requested)


class WebhookReceipt(GivenOnly):
    """A verified event was received: a duplicate, or handled (false: a type not acted on)."""
    received: bool
    duplicate: bool = False
    handled: bool = False

    @classmethod
    def of(cls, delivery: Delivery) -> WebhookReceipt:
        if delivery.value == "duplicate":
            return cls(received=True, duplicate=True)
        return cls(received=True, handled=delivery.value == "handled")
