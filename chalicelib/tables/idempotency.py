"""Idempotency keys: the first answer to a request key is kept and replayed to every retry.

Also the payment behind a payment key (`payment:<source>` scopes): what a retry of the same
charge must find again, with the plan the payment settles by. The same table holds the claims on
invoices (invoice_claims.py), merchant refunds' requests and claims (refund_requests.py) and which
customer a gateway customer is (customers.py), each under its own key."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError, DoesNotExist
from pynamodb.models import Model

from ..domain.payment_plans import PaymentPlan
from .base import table
from .transactions import Transaction

KEEP_FOR = timedelta(days=7)
# A request key still in progress this long after it was taken, and reached by `begin_in` (so no
# payment was claimed with it), was left by a request that died before its claim under the code
# that took keys before running (LEASE, services/payments/idempotency.py): it is free again. Keys
# taken now are taken with their payment, whose own key keeps two claims apart.
ABANDONED_AFTER = timedelta(seconds=90)


@table("idempotency", deletable=True)   # a failed request frees its key; a settled payment its claims
class IdempotencyItem(Model):
    class Meta:
        pass

    idem_key = UnicodeAttribute(hash_key=True)        # org#customer#scope#client key
    request_hash = UnicodeAttribute()
    state = UnicodeAttribute()                        # in_progress | done
    status_code = NumberAttribute(null=True)
    response_json = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


I = IdempotencyItem


def request_key(org_id: str, customer_id: str, scope: str, key: str) -> str:
    return f"{org_id}#{customer_id}#{scope}#{key}"


def payment_key(org_id: str, customer_id: str, source: str, key: str) -> str:
    return request_key(org_id, customer_id, f"payment:{source}", key)


@dataclass(frozen=True)
class StoredRequest:
    key: str
    request_hash: str
    state: str                       # in_progress | done
    created_at: datetime
    status_code: int | None = None
    response: object = None


class IdempotencyKeys:
    """Request keys with their requests' answers, and payment keys with their payments' plans."""
    request_key = staticmethod(request_key)
    payment_key = staticmethod(payment_key)

    def begin_in(self, tx: Transaction, key: str, request_hash: str, now: datetime) -> None:
        """Take the key for a request in the transaction that makes its first change; the transaction
        fails if the key is taken already (another request with the key got there first), unless it
        was abandoned (ABANDONED_AFTER)."""
        abandoned = (I.state == "in_progress") & (I.created_at < now - ABANDONED_AFTER)
        tx.save(I(key, request_hash=request_hash, state="in_progress", created_at=now, expires_at=now + KEEP_FOR),
                condition=I.idem_key.does_not_exist() | abandoned)

    def finish(self, key: str, status_code: int, response: object) -> None:
        I(key).update(actions=_finished(status_code, response))

    def finish_in(self, tx: Transaction, key: str, status_code: int, response: object) -> None:
        """`finish`, within the transaction that makes the answer true (one write fewer)."""
        tx.update(I(key), actions=_finished(status_code, response))

    def release(self, key: str) -> None:
        """Forget a request that was refused: a retry runs it again."""
        try:
            I(key).delete(condition=I.state == "in_progress")
        except DeleteError as error:
            if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise

    def find(self, key: str) -> StoredRequest | None:
        try:
            item = I.get(key, consistent_read=True)
        except DoesNotExist:
            return None
        return stored_request_of(item)

    # -- payment keys ------------------------------------------------------------------------

    def add_payment_plan_in(self, tx: Transaction, key: str, plan: PaymentPlan, now: datetime) -> None:
        """Bind a payment key to its payment (and how it settles); the transaction fails if the key
        is bound already."""
        tx.save(I(key, request_hash=plan.payment_id, state="done", created_at=now,
                  response_json=json.dumps(plan.stored()), expires_at=now + KEEP_FOR),
                condition=I.idem_key.does_not_exist())

    def payment_plan(self, key: str) -> PaymentPlan | None:
        found = self.find(key)
        return PaymentPlan.from_stored(found.response) if found else None


def _finished(status_code: int, response: object) -> list:
    return [I.state.set("done"), I.status_code.set(status_code), I.response_json.set(json.dumps(response))]


def stored_request_of(item: IdempotencyItem) -> StoredRequest:
    """The request a key's item holds (also for items read along with other tables')."""
    return StoredRequest(item.idem_key, item.request_hash, item.state, item.created_at,
                         None if item.status_code is None else int(item.status_code),
                         json.loads(item.response_json) if item.response_json else None)


def plan_in(item: IdempotencyItem) -> PaymentPlan:
    """The plan a payment key's item holds (read along with other items)."""
    return PaymentPlan.from_stored(json.loads(item.response_json))
