"""What runs around every request: tables ready, security headers, one structured log line.

The log line carries ids only (request, organization, customer), never tokens, passwords,
card data or email addresses."""
from __future__ import annotations

import json
import time

from .. import bootstrap, logs

log = logs.logger("portico.requests")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}


def on_each_request(event, get_response):
    started = time.perf_counter()
    bootstrap.tables_ready()
    response = get_response(event)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    log.info(json.dumps(request_record(event, response.status_code, time.perf_counter() - started)))
    return response


def request_record(event, status: int, seconds: float) -> dict:
    context = event.context or {}
    identity = context.get("authorizer") or {}
    return {"type": "request", "request_id": context.get("requestId"), "method": event.method,
            "route": context.get("resourcePath"), "status": status, "duration_ms": round(seconds * 1000, 1),
            "org_id": identity.get("org_id"), "customer_id": identity.get("customer_id")}
