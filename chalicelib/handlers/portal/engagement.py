"""Writing to the merchant: an email message, and reviews."""
from __future__ import annotations

from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import LongText, PageQuery, ShortText


api = Routes("portal", portal_session)


class MessageBody(Body):
    subject: ShortText = Field(min_length=1)
    message: LongText = Field(min_length=1)


class ReviewBody(Body):
    rating: int = Field(ge=1, le=5, strict=True)
    comment: LongText = ""


@api.route("/portal/messages", "POST", body=MessageBody, status=202, response="MessageSent")
def message_organization(body: MessageBody):
    """Email the organization's primary address; replies come back to me."""
    from ..responses.engagement import MessageSent   # on the first answer, not at `import app`
    caller = api.customer()
    return MessageSent.of(services().accounts.message(caller.org, caller.customer, caller.contact_id,
                                                      subject=body.subject, message=body.message,
                                                      now=bootstrap.now())).model_dump()


@api.route("/portal/reviews", "POST", body=ReviewBody, status=201, response="Review")
def write_review(body: ReviewBody):
    """Rate the merchant from 1 to 5 stars with a comment; only the merchant sees it."""
    from ..responses.engagement import Review
    caller = api.customer()
    return Review.of(services().accounts.write_review(caller.org, caller.customer, caller.contact_id,
                                                      rating=body.rating, comment=body.comment,
                                                      now=bootstrap.now())).model_dump()


@api.route("/portal/reviews", query=PageQuery, response="ReviewPage")
def my_reviews(query: PageQuery):
    """The reviews my account wrote, newest first."""
    from ..responses.engagement import ReviewPage   # on the first answer, not at `import app`
    caller = api.customer()
    return ReviewPage.of(services().accounts.my_reviews(caller.org, caller.customer_id, limit=query.limit,
                                                        cursor=query.cursor)).model_dump()
