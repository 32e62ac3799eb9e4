"""Requests that must take effect once (POST /portal/payments).

The first answer to an Idempotency-Key is stored with a hash of the request and replayed to
every retry; the same key sent with another request is refused (422); a retry while the first
is still running answers 409 (after LEASE, its runner is presumed dead and the retry runs).
Only answers are stored: a refused request leaves the key free, so fixing it and retrying works.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Callable

from ...domain.errors import BusinessRuleViolation, Conflict, InvalidInput

LEASE = timedelta(seconds=90)


class RequestInProgress(Conflict):
    code = "request_in_progress"

    def __init__(self):
        super().__init__("A request with this Idempotency-Key is still being processed; retry in a moment.")


class Reply:
    """Lets `run` keep its answer within its own last transaction, sparing once() the write that
    would keep it after."""

    def __init__(self, record_key: str):
        self._record_key, self._staged, self.kept = record_key, None, None

    def keep_in(self, adapters, tx, answer: dict) -> None:
        adapters.uow.idempotency.finish_in(tx, self._record_key, 201, answer)
        self._staged = answer

    def committed(self) -> None:
        """The transaction given to `keep_in` has committed: its answer is kept."""
        self.kept = self._staged


def once(adapters, org_id: str, customer_id: str, scope: str, key: str | None, request: dict, now: datetime,
         run: Callable[[Reply], dict]) -> dict:
    """`run(reply)`'s answer, computed once per key; retries get the stored answer."""
    if not key or len(key) > 255 or not key.isprintable():
        raise InvalidInput({"Idempotency-Key": "Send a unique key of 1 to 255 characters with each payment."},
                           codes={"Idempotency-Key": "idempotency_key"})
    record_key = adapters.uow.idempotency.request_key(org_id, customer_id, scope, key)
    digest = request_hash(request)
    found = adapters.uow.idempotency.begin(record_key, digest, now)
    if found is not None:
        if found.request_hash != digest:
            raise BusinessRuleViolation("This Idempotency-Key was used with another request; use a new key.",
                                        "idempotency_key_reused")
        if found.state == "done":
            return found.response
        if now - found.created_at < LEASE or not adapters.uow.idempotency.take_over(found, now):
            raise RequestInProgress()
    reply = Reply(record_key)
    try:
        answer = run(reply)
    except BaseException:
        adapters.uow.idempotency.release(record_key)   # a no-op once an answer was kept
        raise
    if reply.kept != answer:
        adapters.uow.idempotency.finish(record_key, 201, answer)
    return answer


def request_hash(request: dict) -> str:
    """The same request, however its JSON was spelled, hashes the same."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
