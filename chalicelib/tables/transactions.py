"""One TransactWrite per use case: every item changes, or none does.

The one module that reaches into PynamoDB's TransactWrite beyond its public API (its item lists, to
count them, to tell which update a cancellation names and to fill them with items made faster by
item_writes.py, and `_commit`, to send a cancelled commit again). The only other private use of
PynamoDB is base.py's `_point`, which hands every model the one shared botocore client (PynamoDB has
no public way to give a model a client)."""
from __future__ import annotations

import random
import time
from contextlib import contextmanager
from typing import Callable

from pynamodb.constants import ALL_OLD
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from ..domain.errors import ConcurrentUpdate, DomainError, Unavailable
from .base import connection
from .item_writes import check_item, delete_item, put_item, update_item
from .throttling import RETRY_AFTER_SECONDS, THROTTLED_ITEM_CODES

COMMIT_ATTEMPTS = 4


class Transaction(TransactWrite):
    """A TransactWrite whose conditional updates may say what their failed condition means to
    the caller (`update_or_refuse`), instead of "someone changed what you read"."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._refusals: dict[int, Callable[[dict | None], DomainError]] = {}
        self._overriding: set[int] = set()   # refusals raised whatever else failed with them
        self._additions: dict[tuple, dict[str, int]] = {}

    # The items are made by item_writes.py, as PynamoDB's own methods make them (the same
    # TransactItems, the same version handling after `_commit`), without its save path's calls.

    def save(self, model: Model, condition=None, return_values: str | None = None) -> None:
        self._put_items.append(put_item(model, condition, return_values))
        self._models_for_version_attribute_update.append(model)

    def update(self, model: Model, actions: list, condition=None, return_values: str | None = None, *,
               add_version_condition: bool = True) -> None:
        self._update_items.append(update_item(model, actions, condition, return_values,
                                              add_version_condition=add_version_condition))
        self._models_for_version_attribute_update.append(model)

    def delete(self, model: Model, condition=None, *, add_version_condition: bool = True) -> None:
        self._delete_items.append(delete_item(model, condition, add_version_condition=add_version_condition))

    def condition_check(self, model_cls: type[Model], hash_key, range_key=None, condition=None) -> None:
        if condition is None:
            raise TypeError("`condition` cannot be None")
        self._condition_check_items.append(check_item(model_cls, hash_key, range_key, condition))

    def add_to(self, model_cls: type[Model], hash_key, range_key, **amounts: int) -> None:
        """ADD `amounts` to number attributes of one item (made if it is missing), sent once when the
        transaction commits however many of its writes add to that item: DynamoDB refuses a
        transaction that touches one item twice (a payment's invoices each add to the ledger's)."""
        held = self._additions.setdefault((model_cls, hash_key, range_key), {})
        for name, amount in amounts.items():
            held[name] = held.get(name, 0) + amount

    def send_additions(self) -> None:
        """The updates `add_to` collected, into the transaction (before its commit, once)."""
        for (model_cls, hash_key, range_key), amounts in self._additions.items():
            self.update(model_cls(hash_key, range_key), [getattr(model_cls, name).add(amount)
                                                          for name, amount in amounts.items()],
                        add_version_condition=False)
        self._additions.clear()

    def item_count(self) -> int:
        """How many items the transaction writes or checks so far (DynamoDB takes at most 100)."""
        return sum(len(part) for part in (self._condition_check_items, self._delete_items, self._put_items,
                                          self._update_items, self._additions))

    def update_or_refuse(self, model: Model, actions: list, condition,
                         refusal: Callable[[dict | None], DomainError], *, whatever_else_failed: bool = False) -> None:
        """Update `model` on `condition` (its version moved on, not checked). If that condition
        alone cancels the transaction, `refusal(the item as it then stood, raw)` is raised; with
        `whatever_else_failed`, whenever that condition fails (for a refusal whose caller sends the
        transaction again, which then meets any other change afresh)."""
        self.update(model, actions, condition=condition, return_values=ALL_OLD, add_version_condition=False)
        self._refusals[len(self._update_items) - 1] = refusal
        if whatever_else_failed:
            self._overriding.add(len(self._update_items) - 1)

    def refusal(self, error: TransactWriteError) -> DomainError | None:
        """The refusal of the one item whose condition failed, when every failed condition is one
        with a refusal (None otherwise: something else changed, the caller reloads)."""
        reasons = list(getattr(error, "cancellation_reasons", None) or [])
        first_update = len(self._condition_check_items) + len(self._delete_items) + len(self._put_items)
        failed = [(index - first_update, reason) for index, reason in enumerate(reasons)
                  if reason is not None and reason.code == "ConditionalCheckFailed"]
        overriding = [(update, reason) for update, reason in failed if update in self._overriding]
        if overriding:
            update, reason = overriding[0]
            return self._refusals[update](reason.raw_item)
        if not failed or any(update not in self._refusals for update, _ in failed):
            return None
        update, reason = failed[0]
        return self._refusals[update](reason.raw_item)


@contextmanager
def transaction(kind: str = "item"):
    """Yields a Transaction (a TransactWrite) to fill; commits when the block ends without an error.

    A commit cancelled only because another transaction touched the same items at the same moment
    (TransactionConflict), or because one of its items was throttled, wrote nothing and is safe to
    send again as it is, and is, with jittered backoff; a throttled call as a whole is retried by
    botocore itself (throttling.py). A failed condition means the state that was read has changed:
    that is never retried here, it becomes ConcurrentUpdate(kind) (409) for the caller to reload,
    or, where only conditions written with `update_or_refuse` failed, the refusal they give."""
    tx = Transaction(connection=connection())
    yield tx
    tx.send_additions()
    for attempt in range(COMMIT_ATTEMPTS):
        try:
            # PynamoDB commits a TransactWrite only on leaving its own `with` block, once; a commit
            # cancelled for a transient reason must be sent again as it is, so this one adapter calls
            # its private `_commit` (which also moves the items' version attributes on, on success).
            tx._commit()
            return
        except TransactWriteError as error:
            if _only_transient(error) and attempt + 1 < COMMIT_ATTEMPTS:
                time.sleep(0.02 * 2 ** attempt * (1 + random.random()))
                continue
            if _codes(error) & THROTTLED_ITEM_CODES and not _condition_failed(error):
                raise Unavailable(RETRY_AFTER_SECONDS) from error
            refused = tx.refusal(error)
            if refused is not None:
                raise refused from error
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
