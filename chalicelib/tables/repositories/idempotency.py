"""Idempotent requests: the first answer to a key is kept and replayed to every retry.

Also the payment behind a payment key (`payment:<source>` scopes): what a retry of the same
charge must find again, with the plan the payment settles by."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError
from pynamodb.transactions import TransactWrite

from ..idempotency import IdempotencyItem
from ..transactions import condition_failed

I = IdempotencyItem
KEEP_FOR = timedelta(days=7)


def request_key(org_id: str, customer_id: str, scope: str, key: str) -> str:
    return f"{org_id}#{customer_id}#{scope}#{key}"


@dataclass(frozen=True)
class StoredRequest:
    key: str
    request_hash: str
    state: str                       # in_progress | done
    created_at: datetime
    status_code: int | None = None
    response: object = None


def begin(key: str, request_hash: str, now: datetime) -> StoredRequest | None:
    """Take the key for a request now starting: None if it is ours, else what the key holds."""
    try:
        I(key, request_hash=request_hash, state="in_progress", created_at=now,
          expires_at=now + KEEP_FOR).save(condition=I.idem_key.does_not_exist())
        return None
    except PutError as error:
        if not condition_failed(error):
            raise
    return find(key)


def take_over(stale: StoredRequest, now: datetime) -> bool:
    """Take a key whose request stopped without an answer (its runner died); False if another
    retry took it first."""
    try:
        I(stale.key, request_hash=stale.request_hash, state="in_progress", created_at=now,
          expires_at=now + KEEP_FOR).save(condition=(I.state == "in_progress") & (I.created_at == stale.created_at))
        return True
    except PutError as error:
        if condition_failed(error):
            return False
        raise


def finish(key: str, status_code: int, response: object) -> None:
    I(key).update(actions=_finished(status_code, response))


def finish_in(tx: TransactWrite, key: str, status_code: int, response: object) -> None:
    """`finish`, within the transaction that makes the answer true (one write fewer)."""
    tx.update(I(key), actions=_finished(status_code, response))


def _finished(status_code: int, response: object) -> list:
    return [I.state.set("done"), I.status_code.set(status_code), I.response_json.set(json.dumps(response))]


def release(key: str) -> None:
    """Forget a request that was refused: a retry runs it again."""
    try:
        I(key).delete(condition=I.state == "in_progress")
    except DeleteError as error:
        if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
            raise


def find(key: str) -> StoredRequest | None:
    try:
        item = I.get(key, consistent_read=True)
    except DoesNotExist:
        return None
    return StoredRequest(item.idem_key, item.request_hash, item.state, item.created_at,
                         None if item.status_code is None else int(item.status_code),
                         json.loads(item.response_json) if item.response_json else None)


# -- payment keys -----------------------------------------------------------------------------

def payment_key(org_id: str, customer_id: str, source: str, key: str) -> str:
    return request_key(org_id, customer_id, f"payment:{source}", key)


def add_payment_plan_in(tx: TransactWrite, key: str, plan: dict, now: datetime) -> None:
    """Bind a payment key to its payment (and how it settles); the transaction fails if the key
    is bound already."""
    tx.save(I(key, request_hash=plan["payment_id"], state="done", created_at=now,
              response_json=json.dumps(plan), expires_at=now + KEEP_FOR),
            condition=I.idem_key.does_not_exist())


def payment_plan(key: str) -> dict | None:
    found = find(key)
    return found.response if found else None


def plan_in(item: IdempotencyItem) -> dict:
    """The plan a payment key's item holds (read along with other items)."""
    return json.loads(item.response_json)
