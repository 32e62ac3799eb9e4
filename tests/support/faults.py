"""DynamoDB throttling injected on the wire: a `before-send` handler on the shared botocore client
answers chosen calls as a throttled DynamoDB would, and every other call reaches moto as usual.
botocore's own retry logic sees these answers exactly as it would see AWS's.

botocore calls every `before-send` handler and keeps the first answer, so moto's handler would
still carry out a refused call: a refused request is re-addressed to a host moto does not serve,
and so, as on AWS, a throttled call changes nothing."""
from __future__ import annotations

import io
import json
from collections import Counter

NOWHERE = "https://throttled.invalid/"
THROTTLED_MESSAGE = "The level of configured provisioned throughput for the table was exceeded."


class _Body(io.BytesIO):
    def stream(self, **_):
        yield self.getvalue()


def throttled_response(request, code: str):
    """What DynamoDB answers a throttled call (HTTP 400, the error's type in `__type`)."""
    from botocore.awsrequest import AWSResponse
    body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": THROTTLED_MESSAGE}
    return AWSResponse(request.url, 400, {"x-amzn-ErrorType": code}, _Body(json.dumps(body).encode()))


def cancelled_response(request, item_codes: list[str]):
    """A TransactWriteItems cancelled item by item (e.g. ["ThrottlingError", "None"])."""
    from botocore.awsrequest import AWSResponse
    body = {"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "message": f"Transaction cancelled, please refer cancellation reasons for specific reasons "
                       f"[{', '.join(item_codes)}]",
            "CancellationReasons": [{"Code": code, "Message": code} for code in item_codes]}
    return AWSResponse(request.url, 400, {"x-amzn-ErrorType": "TransactionCanceledException"},
                       _Body(json.dumps(body).encode()))


class Throttling:
    """Plans what the next calls of an operation answer; counts what it refused and the backoff
    botocore slept (recorded, not slept, so the tests stay fast)."""

    def __init__(self):
        self._planned: dict[str, list] = {}
        self._always: dict[str, str] = {}
        self.refused: Counter = Counter()
        self.backoffs: list[float] = []

    def next(self, operation: str, times: int, code: str = "ProvisionedThroughputExceededException") -> None:
        self._planned.setdefault(operation, []).extend([lambda r: throttled_response(r, code)] * times)

    def next_cancelled(self, operation: str, times: int, item_codes: list[str]) -> None:
        self._planned.setdefault(operation, []).extend([lambda r: cancelled_response(r, item_codes)] * times)

    def always(self, operation: str, code: str = "ProvisionedThroughputExceededException") -> None:
        self._always[operation] = code

    def stop(self) -> None:
        self._planned.clear()
        self._always.clear()

    def answer(self, request, **_):
        target = request.headers.get("X-Amz-Target", b"")
        operation = (target.decode() if isinstance(target, bytes) else target).rpartition(".")[2]
        if self._planned.get(operation):
            return self._refuse(request, operation, self._planned[operation].pop(0))
        if operation in self._always:
            code = self._always[operation]
            return self._refuse(request, operation, lambda r: throttled_response(r, code))
        return None   # on to moto

    def _refuse(self, request, operation: str, response):
        self.refused[operation] += 1
        answer = response(request)
        request.url = NOWHERE   # moto, called next, finds no service there and does nothing
        return answer


def throttling(monkeypatch) -> Throttling:
    """Install the fault injector on the shared DynamoDB client. The `aws` fixture builds a new
    client for every test, so the injector goes with it."""
    import botocore.endpoint

    from chalicelib.tables.base import shared_client
    faults = Throttling()
    events = shared_client().meta.events
    events.register_first("before-send.dynamodb", faults.answer)
    monkeypatch.setattr(botocore.endpoint, "time", _RecordedSleep(faults.backoffs))
    return faults


class _RecordedSleep:
    """botocore.endpoint's `time`: only `sleep` is used there, for the backoff between attempts."""

    def __init__(self, slept: list[float]):
        self._slept = slept

    def sleep(self, seconds: float) -> None:
        self._slept.append(seconds)


def transactions_refused_from(monkeypatch, nth: int) -> Throttling:
    """DynamoDB refuses (throttled) the `nth` TransactWriteItems from now and every one after it,
    until `stop()`: a request whose earlier transactions went through fails at its `nth` (503)."""
    from chalicelib.tables.base import shared_client
    seen = []

    def count(request, **_):
        target = request.headers.get("X-Amz-Target", b"")
        if (target.decode() if isinstance(target, bytes) else target).endswith(".TransactWriteItems"):
            seen.append(request)
            if len(seen) == nth:
                faults.always("TransactWriteItems")
        return None
    shared_client().meta.events.register_first("before-send.dynamodb", count)   # before the injector answers
    faults = throttling(monkeypatch)
    return faults
