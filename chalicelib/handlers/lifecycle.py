"""What runs around every request: tables ready, security headers."""
from __future__ import annotations

from .. import bootstrap

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}


def on_each_request(event, get_response):
    bootstrap.tables_ready()
    response = get_response(event)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
