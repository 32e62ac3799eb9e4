"""What runs around every request: tables ready, every answer in the envelope with the security headers, one structured log line.

The log line carries ids only (request, organization, customer), never tokens, passwords,
card data or email addresses; with the invocation's trace id and cold start (logs.invocation)."""
from __future__ import annotations

import time

from .. import bootstrap, logs
from .gateway_answers import SECURITY_HEADERS, in_the_envelope
from .http import caller_of

log = logs.logger("portico.requests")


def on_each_request(event, get_response):
    started = time.perf_counter()
    context = event.context or {}
    with logs.invocation(request_id=context.get("requestId"), function="api_handler",
                         aws_request_id=getattr(event.lambda_context, "aws_request_id", None)):
        with bootstrap.serving(event.method):
            response = in_the_envelope(get_response(event))
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        record = request_record(event, response.status_code, time.perf_counter() - started)
        log.info("%s %s %s", record["method"], record["route"], record["status"], extra={"fields": record})
    return response


def request_record(event, status: int, seconds: float) -> dict:
    context = event.context or {}
    caller = caller_of(event)
    return {"type": "request", "method": event.method, "route": context.get("resourcePath"), "status": status,
            "duration_ms": round(seconds * 1000, 1), "org_id": getattr(caller, "org_id", None),
            "customer_id": getattr(caller, "customer_id", None)}
