"""The merchant asks a customer for a review."""
from __future__ import annotations

from ... import bootstrap
from ...bootstrap import services
from ..credentials import merchant_key
from ..http import Routes


api = Routes("merchant", merchant_key)


@api.route("/admin/customers/{customer_id}/review-requests", "POST", status=202, response="ReviewRequested")
def request_review(customer_id: str):
    """Email the customer's primary contact a link to write a review."""
    from ..responses.engagement import ReviewRequested   # on the first answer, not at `import app`
    return ReviewRequested.of(services().accounts.request_review(api.merchant().org_id, customer_id,
                                                                 bootstrap.now())).model_dump()
