"""The one place where domain errors become HTTP answers, in the envelope of DESIGN.md:
{"error": {"code", "message", "details"}}."""
from __future__ import annotations

import json

from chalice import Response

from .. import logs
from ..domain import errors as e

log = logs.logger("portico")

STATUS = [
    (e.InvalidInput, 400),
    (e.Unauthenticated, 401),
    (e.Forbidden, 403),          # includes FeatureDisabled
    (e.NotFound, 404),
    (e.Conflict, 409),           # InvalidTransition, ConcurrentUpdate, AlreadyExists
    (e.Gone, 410),
    (e.BusinessRuleViolation, 422),
    (e.Throttled, 429),
    (e.TooLarge, 413),
    (e.Unavailable, 503),
    (e.NotServedHere, 503),
]


def status_for(error: e.DomainError) -> int:
    return next((status for kind, status in STATUS if isinstance(error, kind)), 400)


def error_response(status: int, code: str, message: str, details: dict | None = None,
                   headers: dict | None = None) -> Response:
    body = json.dumps({"error": {"code": code, "message": message, "details": details or {}}})
    return Response(body=body, status_code=status,
                    headers={"Content-Type": "application/json", **(headers or {})})


def domain_error_response(error: e.DomainError) -> Response:
    headers = {}
    if isinstance(error, (e.Throttled, e.Unavailable)):
        headers["Retry-After"] = str(error.retry_after_seconds)
    return error_response(status_for(error), error.code, error.message, error.details, headers)


def unexpected_error_response(error: Exception) -> Response:
    log.exception("unhandled error: %s", type(error).__name__)
    return error_response(500, "internal_error", "Something went wrong on our side; nothing was charged "
                          "twice and you can retry.")
