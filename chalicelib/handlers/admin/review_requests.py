"""The merchant asks a customer for a review."""
from __future__ import annotations

from chalice import Blueprint

from ... import bootstrap
from ...lazy import lazy
from ..authorizers import merchant_key
from ..http import Routes

reviews = lazy("chalicelib.services.accounts.reviews")

bp = Blueprint(__name__)
api = Routes(bp, "merchant", merchant_key)


@api.route("/admin/customers/{customer_id}/review-requests", "POST", status=202, response="ReviewRequested")
def request_review(customer_id: str):
    """Email the customer's primary contact a link to write a review."""
    return reviews.request_review(api.merchant().org_id, customer_id, bootstrap.now())
