"""Requests that must take effect once (POST /portal/payments; a merchant's refund: refunds.py).

The first answer to an Idempotency-Key is stored with a hash of the request and replayed to
every retry; the same key sent with another request is refused (422). The key costs the payment no
call of its own: it is read with the payment's other items, taken in the transaction that claims the
invoices (two requests with one key: one claims, the other finds the payment it made) and answered in
the one that records the outcome. A request refused before its claim writes nothing, so the key stays
free: fixing the request and retrying works.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Callable

from ...domain.errors import BusinessRuleViolation, Conflict, InvalidInput
from ...tables.idempotency import ABANDONED_AFTER, StoredRequest

LEASE = ABANDONED_AFTER   # a request still running after this is presumed dead (refunds.py): one rule, one value


class RequestInProgress(Conflict):
    code = "request_in_progress"

    def __init__(self):
        super().__init__("A request with this Idempotency-Key is still being processed; retry in a moment.")


class Answered(Exception):
    """The key was answered before: its answer, replayed as it was kept."""

    def __init__(self, answer: dict):
        super().__init__("answered before")
        self.answer = answer


class Reply:
    """A request's key, for `run` to read with its other items (`record_key`), check (`check`), take in
    its first transaction (`begin_in`) and answer within its last (`keep_in`), sparing once() a write."""

    def __init__(self, record_key: str, request_hash: str):
        self.record_key, self.request_hash = record_key, request_hash
        self._staged, self.kept = None, None

    def check(self, stored: StoredRequest | None) -> None:
        """What the key holds, as read: nothing to do if it is free or its request not answered yet (the
        payment it made answers then); Answered if it was answered; 422 if it was another request's."""
        if stored is None:
            return
        if stored.request_hash != self.request_hash:
            raise BusinessRuleViolation("This Idempotency-Key was used with another request; use a new key.",
                                        "idempotency_key_reused")
        if stored.state == "done":
            raise Answered(stored.response)

    def begin_in(self, adapters, tx, now: datetime) -> None:
        adapters.uow.idempotency.begin_in(tx, self.record_key, self.request_hash, now)

    def keep_in(self, adapters, tx, answer: dict) -> None:
        adapters.uow.idempotency.finish_in(tx, self.record_key, 201, answer)
        self._staged = answer

    def committed(self) -> None:
        """The transaction given to `keep_in` has committed: its answer is kept."""
        self.kept = self._staged


def once(adapters, org_id: str, customer_id: str, scope: str, key: str | None, request: dict,
         run: Callable[[Reply], dict], replayed: Callable[[dict], dict] = lambda answer: answer) -> dict:
    """`run(reply)`'s answer, computed once per key; retries get the stored answer (as `replayed`
    makes it: an answer that only says what to do next may be brought up to date)."""
    if not well_formed(key):
        raise InvalidInput({"Idempotency-Key": "Send a unique key of 1 to 255 characters with each payment."},
                           codes={"Idempotency-Key": "idempotency_key"})
    reply = Reply(adapters.uow.idempotency.request_key(org_id, customer_id, scope, key), request_hash(request))
    try:
        answer = run(reply)
    except Answered as answered:
        return replayed(answered.answer)
    if reply.kept != answer:   # the payment was settled by another (a webhook, the retry that finished it)
        adapters.uow.idempotency.finish(reply.record_key, 201, answer)
    return answer


def well_formed(key: str | None) -> bool:
    return bool(key) and len(key) <= 255 and key.isprintable()


def request_hash(request: dict) -> str:
    """The same request, however its JSON was spelled, hashes the same."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
