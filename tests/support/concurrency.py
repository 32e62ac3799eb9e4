"""Racing requests in tests: threads released together, and moto's DynamoDB made atomic per
request (real DynamoDB is; moto in-process is not when threads share it)."""
import threading
from concurrent.futures import ThreadPoolExecutor

from chalicelib.domain.errors import DomainError

THREADS = 10


def dynamodb_requests_one_at_a_time(monkeypatch) -> None:
    from moto.dynamodb.responses import DynamoHandler
    lock, handle = threading.RLock(), DynamoHandler.call_action

    def atomic(self):
        with lock:
            return handle(self)
    monkeypatch.setattr(DynamoHandler, "call_action", atomic)


def at_once(attempt, count: int = THREADS) -> list:
    """Run `attempt(n)` in `count` threads released together; each answer or error, in order."""
    start = threading.Barrier(count)

    def run(n):
        start.wait()
        try:
            return attempt(n)
        except DomainError as error:
            return error
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


RACERS = 4


def every_request_has_read_before_any_writes(monkeypatch):
    """Each racer waits, after reading the subscription (with the account summary, for the actions
    that bill with credits), until all have read it: a true race."""
    from chalicelib.bootstrap import adapters
    store = adapters().uow.subscriptions
    all_read = threading.Barrier(RACERS, timeout=20)

    def then_wait(read):
        def read_then_wait(*args, **kwargs):
            found = read(*args, **kwargs)
            all_read.wait()
            return found
        return read_then_wait
    for name in ("with_organization", "with_organization_and_summary"):
        monkeypatch.setattr(store, name, then_wait(getattr(store, name)))
