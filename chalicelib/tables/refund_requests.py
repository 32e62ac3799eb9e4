"""A merchant's refund of a payment, asked once per Idempotency-Key. Two items of the idempotency
table go with it: the request's record (`org#customer#refund:merchant#key`: its plan while it runs,
then its answer, replayed to retries) and the payment's refund claim
(`org#customer#refund_claim#payment_id`: while one refund of a payment is with the gateway, no other
starts). Both are read with the organization and the payment in one BatchGetItem, written together
when the refund starts, and settled in the transaction that records the refund."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DeleteError

from ..domain.errors import NotFound
from ..domain.organization import Organization
from ..domain.payment_plans import RefundPlan
from ..domain.payments import Payment
from .base import owner_key
from .batch_reads import batch_get
from .idempotency import KEEP_FOR, IdempotencyItem, IdempotencyKeys, StoredRequest, request_key, stored_request_of
from .mapping import from_item
from .organizations import OrganizationItem, organization_of
from .payments import PaymentItem
from .transactions import Transaction

I = IdempotencyItem
SCOPE = "refund:merchant"


@dataclass(frozen=True)
class Claim:
    request_key: str        # the request refunding the payment now
    created_at: datetime


@dataclass(frozen=True)
class RefundRequest:
    org: Organization
    payment: Payment
    request: StoredRequest | None    # this key's record: None if the key is new
    claim: Claim | None              # the refund of the payment in progress, if any


def refund_request_key(org_id: str, customer_id: str, key: str) -> str:
    return request_key(org_id, customer_id, SCOPE, key)


def refund_claim_key(org_id: str, customer_id: str, payment_id: str) -> str:
    return f"{org_id}#{customer_id}#refund_claim#{payment_id}"


class RefundRequests:
    """Merchant refunds' requests and the payments' refund claims."""
    request_key = staticmethod(refund_request_key)

    def __init__(self, idempotency: IdempotencyKeys):
        self._idempotency = idempotency

    def read(self, org_id: str, customer_id: str, payment_id: str, key: str) -> RefundRequest:
        """The organization, the payment (NotFound if either is missing), the request's record and the
        payment's claim: one consistent BatchGetItem."""
        claim = refund_claim_key(org_id, customer_id, payment_id)
        found = batch_get({OrganizationItem: [(org_id,)],
                           PaymentItem: [(owner_key(org_id, customer_id), payment_id)], I: [(key,), (claim,)]})
        if not found[OrganizationItem]:
            raise NotFound("organization")
        if not found[PaymentItem]:
            raise NotFound("payment")
        records = {item.idem_key: item for item in found[I]}
        return RefundRequest(organization_of(found[OrganizationItem][0]),
                             from_item(Payment, found[PaymentItem][0]),
                             stored_request_of(records[key]) if key in records else None,
                             Claim(records[claim].request_hash, records[claim].created_at) if claim in records else None)

    def start_in(self, tx: Transaction, org_id: str, customer_id: str, payment_id: str, key: str, request_hash: str,
                 plan: RefundPlan, now: datetime, *, stale: RefundRequest) -> None:
        """Take the key (with the refund's plan) and the payment's claim; the transaction fails if
        either is held by anyone else now, or changed since `stale` read them (a runner presumed dead)."""
        record = I(key, request_hash=request_hash, state="in_progress", created_at=now, response_json=json.dumps(plan.stored()),
                   expires_at=now + KEEP_FOR)
        tx.save(record, condition=I.idem_key.does_not_exist() if stale.request is None else
                (I.state == "in_progress") & (I.created_at == stale.request.created_at))
        claim = I(refund_claim_key(org_id, customer_id, payment_id), request_hash=key, state="claimed", created_at=now,
                  expires_at=now + KEEP_FOR)
        tx.save(claim, condition=I.idem_key.does_not_exist() if stale.claim is None else
                I.created_at == stale.claim.created_at)

    def finish_in(self, tx: Transaction, org_id: str, customer_id: str, payment_id: str, key: str,
                  answer: dict) -> None:
        """Keep the answer and release the payment's claim, in the transaction that records the refund;
        it fails if another request holds the claim now."""
        self._idempotency.finish_in(tx, key, 201, answer)
        tx.delete(I(refund_claim_key(org_id, customer_id, payment_id)), condition=I.request_hash == key)

    def release(self, org_id: str, customer_id: str, payment_id: str, key: str) -> None:
        """A refund the gateway refused: the key is free again, and so is the payment (if still ours)."""
        self._idempotency.release(key)
        try:
            I(refund_claim_key(org_id, customer_id, payment_id)).delete(condition=I.request_hash == key)
        except DeleteError as error:
            if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
