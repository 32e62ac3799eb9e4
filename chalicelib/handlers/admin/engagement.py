"""What the merchant reads: reviews, notifications, a customer's activity."""
from __future__ import annotations

from chalice import Blueprint

from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Routes, page_answer
from ..schemas import Id, PageQuery


bp = Blueprint(__name__)
api = Routes(bp, "merchant", merchant_key)


class ReviewQuery(PageQuery):
    customer_id: Id | None = None


@api.route("/admin/reviews", query=ReviewQuery, response="ReviewPage")
def list_reviews(query: ReviewQuery):
    """Reviews, newest first; optionally one customer's."""
    return page_answer(services().accounts.reviews(api.merchant().org_id, customer_id=query.customer_id,
                                                   limit=query.limit, cursor=query.cursor))


@api.route("/admin/notifications", query=PageQuery, response="NotificationPage")
def list_notifications(query: PageQuery):
    """Notifications, newest first."""
    return page_answer(services().accounts.notifications(api.merchant().org_id, limit=query.limit, cursor=query.cursor))


@api.route("/admin/customers/{customer_id}/activity", query=PageQuery, response="ActivityPage")
def customer_activity(customer_id: str, query: PageQuery):
    """A customer's timeline."""
    return page_answer(services().accounts.activity(api.merchant().org_id, customer_id, limit=query.limit,
                                                    cursor=query.cursor))
