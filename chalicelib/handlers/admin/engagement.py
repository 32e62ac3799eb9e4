"""What the merchant reads: reviews, notifications, a customer's activity, why customers cancel."""
from __future__ import annotations

from pydantic import Field

from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Query, Routes
from ..schemas import Day, Id, PageQuery


api = Routes("merchant", merchant_key)


class CancellationsQuery(Query):
    """Days of the organization's time zone, both included; at most a year."""
    from_: Day = Field(alias="from")
    to: Day


class ReviewQuery(PageQuery):
    customer_id: Id | None = None


@api.route("/admin/reviews", query=ReviewQuery, response="ReviewPage")
def list_reviews(query: ReviewQuery):
    """Reviews, newest first; optionally one customer's."""
    from ..responses.engagement import ReviewPage   # on the first answer, not at `import app`
    return ReviewPage.of(services().accounts.reviews(api.merchant().org_id, customer_id=query.customer_id,
                                                     limit=query.limit, cursor=query.cursor)).model_dump()


@api.route("/admin/notifications", query=PageQuery, response="NotificationPage")
def list_notifications(query: PageQuery):
    """Notifications, newest first."""
    from ..responses.engagement import NotificationPage
    return NotificationPage.of(services().accounts.notifications(api.merchant().org_id, limit=query.limit,
                                                                 cursor=query.cursor)).model_dump()


@api.route("/admin/customers/{customer_id}/activity", query=PageQuery, response="ActivityPage")
def customer_activity(customer_id: str, query: PageQuery):
    """A customer's timeline."""
    from ..responses.engagement import ActivityPage
    return ActivityPage.of(services().accounts.activity(api.merchant().org_id, customer_id, limit=query.limit,
                                                        cursor=query.cursor)).model_dump()


@api.route("/admin/cancellations", query=CancellationsQuery, response="CancellationReport", reads_ahead=("organization",))
def cancellation_report(query: CancellationsQuery):
    """Cancellations by reason, and the retention offers accepted and declined, from `from` to `to`."""
    from ..responses.subscriptions import CancellationReport
    return CancellationReport.of(services().subscriptions.cancellation_report(
        api.merchant().org_id, start=query.from_, end=query.to)).model_dump()
