"""One TransactWrite per use case: every item changes, or none does."""
from __future__ import annotations

import random
import time
from contextlib import contextmanager

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from ..domain.errors import ConcurrentUpdate, Unavailable
from .base import connection
from .throttling import RETRY_AFTER_SECONDS, THROTTLED_ITEM_CODES

COMMIT_ATTEMPTS = 4


@contextmanager
def transaction(kind: str = "item"):
    """Yields a TransactWrite to fill; commits when the block ends without an error.

    A commit cancelled only because another transaction touched the same items at the same moment
    (TransactionConflict), or because one of its items was throttled, wrote nothing and is safe to
    send again as it is, and is, with jittered backoff; a throttled call as a whole is retried by
    botocore itself (throttling.py). A failed condition means the state that was read has changed:
    that is never retried here, it becomes ConcurrentUpdate(kind) (409) for the caller to reload."""
    tx = TransactWrite(connection=connection())
    yield tx
    for attempt in range(COMMIT_ATTEMPTS):
        try:
            tx._commit()
            return
        except TransactWriteError as error:
            if _only_transient(error) and attempt + 1 < COMMIT_ATTEMPTS:
                time.sleep(0.02 * 2 ** attempt * (1 + random.random()))
                continue
            if _codes(error) & THROTTLED_ITEM_CODES and not _condition_failed(error):
                raise Unavailable(RETRY_AFTER_SECONDS) from error
            if _condition_failed(error) or _only_transient(error):
                raise ConcurrentUpdate(kind) from error
            raise


def _codes(error) -> set[str]:
    reasons = getattr(error, "cancellation_reasons", None) or []
    return {r.code for r in reasons if r is not None and getattr(r, "code", None) not in (None, "None")}


def _only_transient(error) -> bool:
    codes = _codes(error)
    return bool(codes) and codes <= {"TransactionConflict"} | THROTTLED_ITEM_CODES


def _condition_failed(error) -> bool:
    return "ConditionalCheckFailed" in _codes(error) or "ConditionalCheckFailed" in str(error)


def condition_failed(error: Exception) -> bool:
    """True if a single-item write failed on its condition (someone else changed the item)."""
    return isinstance(error, (PutError, UpdateError)) and (
        getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException")
