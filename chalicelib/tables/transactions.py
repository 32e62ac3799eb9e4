"""One TransactWrite per use case: every item changes, or none does."""
from __future__ import annotations

from contextlib import contextmanager

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from ..domain.errors import ConcurrentUpdate
from .base import connection


@contextmanager
def transaction(kind: str = "item"):
    """Yields a TransactWrite; a failed condition becomes ConcurrentUpdate(kind)."""
    try:
        with TransactWrite(connection=connection()) as tx:
            yield tx
    except TransactWriteError as error:
        if _condition_failed(error):
            raise ConcurrentUpdate(kind) from error
        raise


def _condition_failed(error) -> bool:
    reasons = getattr(error, "cancellation_reasons", None) or []
    return any(r is not None and getattr(r, "code", "") in ("ConditionalCheckFailed", "TransactionConflict")
               for r in reasons) or "ConditionalCheckFailed" in str(error)


def condition_failed(error: Exception) -> bool:
    """True if a single-item write failed on its condition (someone else changed the item)."""
    return isinstance(error, (PutError, UpdateError)) and (
        getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException")
