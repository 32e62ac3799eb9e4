"""What the API answers before any route runs, in the one envelope of every answer
(`{"error": {"code", "message", "details"}}`) and with the same security headers:

- API Gateway's own answers (an unknown path, throttled, too large, the function failed; no
  session or key is the function's own 401, handlers/credentials.py): `GATEWAY_ANSWERS`, declared in the template as GatewayResponses
  (infra/operations.py) and answered the same by the local stack (devstack/server.py). None of
  them echoes the request (API Gateway's default 403 repeats the Authorization header).
- Chalice's own answers inside the function (405 for a method the path lacks, 415 for a body that
  is not JSON): rewritten by `in_the_envelope`."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}


@dataclass(frozen=True)
class GatewayAnswer:
    status: int
    code: str
    message: str

    @property
    def body(self) -> str:
        return json.dumps({"error": {"code": self.code, "message": self.message, "details": {}}})


_RETRY = "Too many requests; wait a moment and try again."
_OUR_SIDE = "Something went wrong on our side; nothing was charged twice and you can retry."

# API Gateway's response types (GatewayResponse ResponseType) -> what we answer
GATEWAY_ANSWERS: dict[str, GatewayAnswer] = {
    "MISSING_AUTHENTICATION_TOKEN": GatewayAnswer(404, "not_found", "There is nothing at this address."),
    "RESOURCE_NOT_FOUND": GatewayAnswer(404, "not_found", "There is nothing at this address."),
    "REQUEST_TOO_LARGE": GatewayAnswer(413, "payload_too_large", "The request is too large."),
    "UNSUPPORTED_MEDIA_TYPE": GatewayAnswer(415, "unsupported_media_type", "Send JSON (application/json)."),
    "THROTTLED": GatewayAnswer(429, "throttled", _RETRY),
    "QUOTA_EXCEEDED": GatewayAnswer(429, "throttled", _RETRY),
    "INTEGRATION_FAILURE": GatewayAnswer(502, "internal_error", _OUR_SIDE),
    "INTEGRATION_TIMEOUT": GatewayAnswer(504, "internal_error", _OUR_SIDE),
    "DEFAULT_4XX": GatewayAnswer(400, "bad_request", "The request could not be read."),
    "DEFAULT_5XX": GatewayAnswer(500, "internal_error", _OUR_SIDE),
}

# Chalice's error codes (its `{"Code", "Message"}` answers) -> ours
_CHALICE_CODES = {"UnsupportedMediaType": GATEWAY_ANSWERS["UNSUPPORTED_MEDIA_TYPE"],
                  "MethodNotAllowedError": GatewayAnswer(405, "method_not_allowed",
                                                         "This address does not take that method.")}


def in_the_envelope(response):
    """A Chalice answer in its own error shape, rewritten into ours (same status and headers)."""
    body = response.body   # Chalice's own errors carry a dict, serialised on the way out
    if response.status_code < 400 or not isinstance(body, dict) or "error" in body \
            or not {"Code", "Message"} <= set(body):
        return response
    ours = _CHALICE_CODES.get(body["Code"]) or GatewayAnswer(
        response.status_code, _snake(str(body["Code"])), "The request could not be read.")
    response.body = ours.body
    response.headers["Content-Type"] = "application/json"
    return response


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Error")).lower()
