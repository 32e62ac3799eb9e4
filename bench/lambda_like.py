"""A request sent to a Chalice app in this process as API Gateway and Lambda would send it: the
app invoked with the REST proxy event (the function checks the session or key itself: no route has
an authorizer, which would be a Lambda invocation of its own). The invocation's CPU is this
thread's (`time.thread_time`): the local AWS answering in another thread costs it nothing, as
DynamoDB costs a Lambda nothing but the wait.

`profile()` sends a request once more with everything counted that a bill is made of: DynamoDB
calls and request units, other AWS calls (SES), emails put in the outbox, bytes logged."""
from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field

from .gateway_events import proxy_event


@dataclass(frozen=True)
class Request:
    method: str
    resource: str                      # the route's template: /portal/invoices/{invoice_id}
    path: str                          # concrete
    token: str | None = None
    body: dict | None = None
    headers: dict = field(default_factory=dict)

    @property
    def path_parameters(self) -> dict:
        return {name[1:-1]: value for name, value in zip(self.resource.split("/"), self.path.split("/"))
                if name.startswith("{")}


@dataclass(frozen=True)
class Invocation:
    status: int
    cpu: float                         # seconds, this thread's
    lambdas: int                       # invocations API Gateway makes: the function, and an authorizer's
    answer: dict = field(compare=False, repr=False)    # the app's answer to API Gateway

    def json(self) -> dict:
        return json.loads(self.answer["body"])


def invoke(app, request: Request) -> Invocation:
    # an authorizer would be a second Lambda (not played here: the route would answer 401 without it)
    lambdas = 1 if app.routes[request.resource][request.method].authorizer is None else 2
    headers = {"Content-Type": "application/json", **request.headers}
    body = json.dumps(request.body) if request.body is not None else None
    event = proxy_event(request.method, request.path, token=request.token,
                        resource=request.resource, path_parameters=request.path_parameters, body=body,
                        headers=headers)
    started = time.thread_time()
    answer = app(event, None)
    return Invocation(answer["statusCode"], time.thread_time() - started, lambdas, answer)


@dataclass(frozen=True)
class Profile:
    """What one request of a route costs, besides its CPU."""
    invocation: Invocation
    dynamodb_calls: Counter            # operation -> calls
    read_units: float
    write_units: float
    other_calls: Counter               # "ses.SendRawEmail" -> calls made on the request path
    emails_queued: int                 # items put in the email outbox
    log_bytes: int                     # what the functions wrote to stdout (CloudWatch Logs)


def profile(app, request: Request) -> Profile:
    from exercise.request_units import measuring_units
    from chalicelib.tables.emails import EmailItem
    with _aws_calls() as calls, measuring_units() as units, quiet() as logged:
        invocation = invoke(app, request)
    others = Counter(f"{service}.{operation}" for service, operation, _ in calls if service != "dynamodb")
    return Profile(invocation, units.by_operation, units.read, units.write, others,
                   units.items_put[EmailItem.Meta.table_name], logged.bytes)


def dynamodb_calls(app, request: Request, operations: frozenset[str] | None = None) -> list[dict]:
    """The DynamoDB calls a request makes (those of `operations` if given), as botocore receives them
    (what bench/yardstick.py replays)."""
    with _aws_calls() as calls, quiet():
        invoke(app, request)
    return [{"operation": operation, "params": json.loads(json.dumps(params))}
            for service, operation, params in calls
            if service == "dynamodb" and (operations is None or operation in operations)]


class _Counting:
    """A stdout that only counts the bytes written to it."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        return len(text)

    def flush(self) -> None:
        pass


@contextlib.contextmanager
def quiet():
    """stdout (the functions' JSON log lines and metrics) counted, not printed."""
    sink = _Counting()
    with contextlib.redirect_stdout(sink):
        yield sink


@contextlib.contextmanager
def _aws_calls():
    """(service, operation, parameters) of each AWS call made while open, by any botocore client."""
    from botocore.client import BaseClient
    calls, make_call = [], BaseClient._make_api_call

    def recorded(client, operation: str, params: dict):
        calls.append((client.meta.service_model.service_name, operation, params))
        return make_call(client, operation, params)

    BaseClient._make_api_call = recorded
    try:
        yield calls
    finally:
        BaseClient._make_api_call = make_call
