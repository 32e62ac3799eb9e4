"""Domain errors. Each carries a stable `code`; `handlers/errors.py` is the one place
that turns them into HTTP answers."""
from __future__ import annotations


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInput(DomainError):
    """The request is malformed; `details["fields"]` maps a field path to what is wrong."""

    code = "invalid_input"

    def __init__(self, fields: dict[str, str], message: str = "The request has invalid fields."):
        super().__init__(message, {"fields": fields})
        self.fields = fields


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    code = "forbidden"


class FeatureDisabled(Forbidden):
    code = "feature_disabled"

    def __init__(self, feature: str):
        super().__init__(f"The merchant has not enabled '{feature}' in the portal.",
                         {"feature": feature})


class NotFound(DomainError):
    """Missing, or not the caller's: the two are never told apart."""

    code = "not_found"

    def __init__(self, kind: str):
        super().__init__(f"No such {kind}.", {"kind": kind})


class Conflict(DomainError):
    """The item changed or is in a state the action does not accept."""

    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_status"

    def __init__(self, action: str, current_status: str):
        super().__init__(f"Cannot {action.replace('_', ' ')} a subscription that is {current_status}.",
                         {"action": action, "current_status": current_status})


class ConcurrentUpdate(Conflict):
    code = "concurrent_update"

    def __init__(self, kind: str):
        super().__init__(f"The {kind} was changed by another request; reload and try again.",
                         {"kind": kind})


class AlreadyExists(Conflict):
    code = "already_exists"

    def __init__(self, kind: str, key: str):
        super().__init__(f"A {kind} '{key}' already exists.", {"kind": kind, "key": key})


class BusinessRuleViolation(DomainError):
    """Well-formed input that the billing rules refuse (HTTP 422)."""

    code = "business_rule"

    def __init__(self, message: str, rule: str, details: dict | None = None):
        super().__init__(message, {"rule": rule, **(details or {})})
        self.code = rule


class Throttled(DomainError):
    code = "throttled"

    def __init__(self, retry_after_seconds: int, what: str = "requests"):
        super().__init__(f"Too many {what}; try again in {retry_after_seconds} s.",
                         {"retry_after_seconds": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds


class Unavailable(DomainError):
    """A store we depend on is overloaded (DynamoDB still throttling after its retries): the request
    did not complete and the same request may be sent again after `retry_after_seconds` (HTTP 503)."""

    code = "temporarily_unavailable"

    def __init__(self, retry_after_seconds: int = 2):
        super().__init__(f"The service is busy right now; try again in {retry_after_seconds} s.",
                         {"retry_after_seconds": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds


class TooLarge(DomainError):
    code = "payload_too_large"

    def __init__(self, limit_bytes: int):
        super().__init__(f"The request body is larger than {limit_bytes} bytes.", {"limit_bytes": limit_bytes})
