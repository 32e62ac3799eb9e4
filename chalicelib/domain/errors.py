"""Domain errors. Each carries a stable `code`; `handlers/errors.py` is the one place
that turns them into HTTP answers."""
from __future__ import annotations


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


# What can be wrong with one field, as a stable code a browser words in its own language (the
# English of `details.fields` is for a developer reading the answer).
FIELD_CODES = frozenset({
    "invalid", "required", "unknown_field", "format", "too_long", "too_short", "too_many", "too_few",
    "too_large", "too_small", "not_a_number", "not_a_whole_number", "not_a_date", "not_a_choice",
    "not_true_false", "not_text", "not_a_list", "not_an_object", "not_json", "not_an_email", "not_a_currency",
    "not_a_web_address", "not_a_time_zone", "not_a_language",
    # what the billing rules refuse in a field the customer fills in
    "wrong_password", "current_password_needed", "password_rules", "wrong_code", "email_taken",
    "above_balance_due", "part_payment_one_invoice", "credits_whole_balance", "choose_invoices", "too_many_invoices",
    "card_refused", "choose_another_card", "no_change", "plan_not_available", "addon_twice", "addon_not_available",
    "coupon_not_applicable", "coupon_used_up", "already_paused", "resume_day_needed", "resume_after_today",
    "resume_after_pause", "day_in_past", "day_after_term", "range_reversed", "range_too_long", "not_your_contact",
    "address_unconfirmed", "choose_contacts", "rating_one_to_five", "idempotency_key", "tax_id_format", "tax_id_check_digits", "logo_too_large", "logo_not_png", "logo_dimensions", "reason_required",
})


class InvalidInput(DomainError):
    """The request is malformed; `details["fields"]` maps a field path to what is wrong, in English,
    and `details["field_codes"]` the same paths to a code of FIELD_CODES (by default "invalid")."""

    code = "invalid_input"

    def __init__(self, fields: dict[str, str], message: str = "The request has invalid fields.",
                 codes: dict[str, str] | None = None):
        field_codes = {path: (codes or {}).get(path, "invalid") for path in fields}
        unknown = set(field_codes.values()) - FIELD_CODES
        if unknown:
            raise ValueError(f"field codes not in FIELD_CODES: {sorted(unknown)}")
        super().__init__(message, {"fields": fields, "field_codes": field_codes})
        self.fields = fields
        self.field_codes = field_codes


class Unauthenticated(DomainError):
    """Not signed in as the request needs; `details["reason"]` says which of REASONS."""

    code = "unauthenticated"
    REASONS = ("session", "credentials", "link", "code")

    def __init__(self, message: str, details: dict | None = None, *, reason: str = "session"):
        if reason not in self.REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        super().__init__(message, {**(details or {}), "reason": reason})


class Forbidden(DomainError):
    code = "forbidden"


# what a customer would call each portal feature (the keys are the preferences' flags)
FEATURE_WORDS = {
    "subscriptions": "Managing subscriptions", "trial_convert": "Starting a subscription before its trial ends",
    "trial_extend": "Extending a trial", "trial_cancel": "Cancelling a trial",
    "edit_subscription": "Changing a subscription", "edit_subscription.change_plan": "Changing plans",
    "edit_subscription.change_addons": "Changing addons", "edit_subscription.change_coupon": "Changing coupons",
    "auto_charge": "Automatic payment", "pause_resume": "Pausing a subscription",
    "customer_resume": "Resuming a paused subscription", "cancel": "Cancelling a subscription",
    "reactivate": "Reactivating a subscription", "forward_documents": "Forwarding documents",
    "update_customer_details": "Updating your details", "reviews": "Writing reviews",
    "password_sign_in": "Signing in with a password", "sign_in_links": "Signing in with an emailed link",
    "passkeys": "Signing in with a passkey",
}


class FeatureDisabled(Forbidden):
    code = "feature_disabled"

    def __init__(self, feature: str):
        words = FEATURE_WORDS.get(feature, feature.replace("_", " ").capitalize())
        super().__init__(f"{words} is not available in this portal.", {"feature": feature})


class RoleForbids(Forbidden):
    """A merchant user whose role does not allow this (support reads, and resends invitations), or a
    customer's contact whose portal role does not (billing pays, viewer reads: rule portal_role)."""
    code = "role_forbids"
    PORTAL_RULE = "portal_role"    # the variant the browser words for a contact: ask the account's owner

    def __init__(self, role: str, *, portal: bool = False):
        ask = "the owner of your account" if portal else "an admin of your organization"
        super().__init__(f"Your role ({role}) may look but not change this; ask {ask}.",
                         {"role": role, **({"rule": self.PORTAL_RULE} if portal else {})})


class FreshSignInNeeded(Forbidden):
    """An account without a password, asked for a change that needs the current password, in a
    session older than FRESH_SIGN_IN (domain/tokens.py): a new sign-in stands in for the password."""
    code = "fresh_sign_in_needed"

    def __init__(self, minutes: int):
        super().__init__(f"Your account has no password: sign in again with an emailed link (or a passkey), "
                         f"then do this within {minutes} minutes.", {"within_minutes": minutes})


class NotFound(DomainError):
    """Missing, or not the caller's: the two are never told apart."""

    code = "not_found"

    def __init__(self, kind: str):
        super().__init__(f"No such {kind}.", {"kind": kind})


class Conflict(DomainError):
    """The item changed or is in a state the action does not accept."""

    code = "conflict"


STATUS_WORDS = {"future": "not started yet", "trial": "in its trial", "live": "live",
                "non_renewing": "set to cancel at the end of its term", "dunning": "waiting for a failed payment",
                "unpaid": "unpaid", "paused": "paused", "cancelled": "cancelled", "expired": "expired"}
ACTION_WORDS = {
    "activate": "start before its trial ends", "extend_trial": "have its trial extended",
    "cancel_now": "be cancelled", "cancel_at_term_end": "be set to cancel at the end of its term",
    "remove_scheduled_cancellation": "have its cancellation withdrawn",
    "remove_scheduled_cancellation_in_trial": "have its cancellation withdrawn",
    "change_now": "be changed", "change_at_term_end": "be changed", "set_auto_charge": "change automatic payment",
    "disable_auto_charge_in_dunning": "change automatic payment",
    "choose_payment_method": "change the card it is charged to", "schedule_pause": "be paused",
    "pause": "be paused", "pause_now": "be paused", "remove_pause_schedule": "have its pause withdrawn", "resume_now": "be resumed",
    "reactivate": "be reactivated",
}


class InvalidTransition(Conflict):
    code = "invalid_status"

    def __init__(self, action: str, current_status: str):
        status = STATUS_WORDS.get(current_status, current_status.replace("_", " "))
        doing = ACTION_WORDS.get(action, action.replace("_", " "))
        super().__init__(f"This subscription is {status}, so it cannot {doing}.",
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


class Gone(DomainError):
    """The item existed but may no longer be used (a link past its expiry)."""

    code = "gone"


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


class NotServedHere(DomainError):
    """This function's package goes without what the request needs (the passkey ceremonies are
    served by a function of their own, docs/deploy.md): a deployment fault, not the caller's (HTTP 503)."""

    code = "not_served_here"

    def __init__(self, what: str):
        super().__init__(f"{what} cannot be served right now; sign in another way or try again later.",
                         {"unavailable": what.lower()})


class TooLarge(DomainError):
    code = "payload_too_large"

    def __init__(self, limit_bytes: int):
        super().__init__(f"The request body is larger than {limit_bytes} bytes.", {"limit_bytes": limit_bytes})
