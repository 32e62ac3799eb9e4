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


