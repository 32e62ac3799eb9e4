"""Refunding a customer's payment: once per Idempotency-Key, documented by a refund credit note."""
from __future__ import annotations

from pydantic import Field

from ... import bootstrap
from ...bootstrap import services
from ..credentials import merchant_key
from ..http import IDEMPOTENCY_KEY, Body, Routes, plain
from ..schemas import Id, ShortText


api = Routes("merchant", merchant_key)


class RefundBody(Body):
    customer_id: Id
    amount_minor: int | None = Field(default=None, ge=1, le=10**11)   # all that is left when absent
    reason: ShortText = ""


@api.route("/admin/payments/{payment_id}/refunds", "POST", body=RefundBody, status=201, response="Refunded",
           headers=(IDEMPOTENCY_KEY,))
def refund_payment(payment_id: str, body: RefundBody):
    """Give back part or all of a payment; send an Idempotency-Key header."""
    return services().payments.refund(api.merchant().org_id, body.customer_id, payment_id,
                                      amount_minor=body.amount_minor,
                                      reason=body.reason, idempotency_key=api.header("Idempotency-Key"),
                                      now=bootstrap.now(), wire=refund_answer)


def refund_answer(refunded) -> dict:
    """A refund's answer in the form it is sent, and kept for the retries of its Idempotency-Key."""
    from ..responses.documents import Refunded
    return plain(Refunded.of(refunded).model_dump())
