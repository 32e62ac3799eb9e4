"""Faults injected under the transaction helper: a conflict or a throttled item is retried, a changed
item is not."""
import pytest
from pynamodb.exceptions import CancellationReason, DoesNotExist, TransactWriteError, VerboseClientError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.errors import BusinessRuleViolation, ConcurrentUpdate, Unavailable
from chalicelib.tables.rate_counters import RateCounterItem
from chalicelib.tables.transactions import transaction
from tests.support.api import NOW


def cancelled(*codes):
    """What PynamoDB raises when DynamoDB cancels a transaction (None: an item that was fine)."""
    response = {"Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"}}
    reasons = [None if code is None else CancellationReason(code=code, message=code) for code in codes]
    cause = VerboseClientError(response, "TransactWriteItems", cancellation_reasons=reasons)
    return TransactWriteError("Failed to write transaction items", cause)


@pytest.fixture
def failing_commits(monkeypatch):
    """The next commits fail with the given errors, then the real commit runs."""
    planned = []
    real_commit = TransactWrite._commit

    def commit(self):
        if planned:
            raise planned.pop(0)
        return real_commit(self)
    monkeypatch.setattr(TransactWrite, "_commit", commit)
    return planned


def test_a_transaction_conflict_is_retried_until_it_commits(aws, failing_commits):
    # Given two conflicts with concurrent transactions before DynamoDB accepts the write
    failing_commits += [cancelled("TransactionConflict"), cancelled(None, "TransactionConflict")]
    # When a counter is written in a transaction
    with transaction("counter") as tx:
        tx.save(RateCounterItem("k", events=1, expires_at=NOW))
    # Then it was committed once the conflicts cleared
    assert RateCounterItem.get("k").events == 1 and failing_commits == []


def test_a_failed_condition_is_not_retried_and_becomes_a_concurrent_update(aws, failing_commits):
    failing_commits += [cancelled("ConditionalCheckFailed")]
    with pytest.raises(ConcurrentUpdate):
        with transaction("counter") as tx:
            tx.save(RateCounterItem("k", events=1, expires_at=NOW))
    with pytest.raises(DoesNotExist):
        RateCounterItem.get("k")


def test_endless_conflicts_end_in_a_409_not_a_crash(aws, failing_commits):
    failing_commits += [cancelled("TransactionConflict")] * 10
    with pytest.raises(ConcurrentUpdate):
        with transaction("counter") as tx:
            tx.save(RateCounterItem("k", events=1, expires_at=NOW))


def test_a_transaction_cancelled_for_a_throttled_item_is_sent_again(aws, failing_commits):
    failing_commits += [cancelled(None, "ThrottlingError"), cancelled("ProvisionedThroughputExceeded")]
    with transaction("counter") as tx:
        tx.save(RateCounterItem("k", events=1, expires_at=NOW))
    assert RateCounterItem.get("k").events == 1 and failing_commits == []


def test_items_throttled_on_every_attempt_end_in_unavailable_not_a_conflict(aws, failing_commits):
    failing_commits += [cancelled("ThrottlingError")] * 10
    with pytest.raises(Unavailable):
        with transaction("counter") as tx:
            tx.save(RateCounterItem("k", events=1, expires_at=NOW))
    with pytest.raises(DoesNotExist):
        RateCounterItem.get("k")


def test_an_error_inside_the_block_commits_nothing(aws):
    with pytest.raises(RuntimeError):
        with transaction("counter") as tx:
            tx.save(RateCounterItem("k", events=1, expires_at=NOW))
            raise RuntimeError("the use case failed half way")
    with pytest.raises(DoesNotExist):
        RateCounterItem.get("k")


def test_a_failed_condition_written_with_its_refusal_is_answered_with_it_seeing_the_item_as_it_stood(aws):
    # Given a limit already reached, and a transaction counting one more against it with its refusal
    RateCounterItem("limit", events=3, expires_at=NOW).save()

    def one_more(condition_on_the_other_item=None):
        with transaction("counter") as tx:
            tx.save(RateCounterItem("k", events=1, expires_at=NOW), condition=condition_on_the_other_item)
            tx.update_or_refuse(RateCounterItem("limit"), [RateCounterItem.events.add(1)],
                                RateCounterItem.events < 3, lambda raw: BusinessRuleViolation(
                                    f"{RateCounterItem.from_raw_data(raw).events} already", "limit_reached"))

    # When only the limit's condition fails, Then its refusal, made from the item as it stood; nothing written
    with pytest.raises(BusinessRuleViolation) as refused:
        one_more()
    assert refused.value.message == "3 already"
    assert RateCounterItem.get("limit").events == 3
    with pytest.raises(DoesNotExist):
        RateCounterItem.get("k")
    # When another item's condition fails as well, Then it is a concurrent update: the caller reloads
    with pytest.raises(ConcurrentUpdate):
        one_more(RateCounterItem.counter_key.exists())
