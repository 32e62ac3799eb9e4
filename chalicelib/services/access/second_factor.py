"""The second factor of a portal account: enrolling (a secret shown once, confirmed by a first
code, then ten recovery codes shown once), signing in with a code after the password, and turning
it off (the current password and a code). The merchant may require it: an account without one is
then enrolled during its sign-in, before any session exists.

Code attempts are limited like passwords (docs/security.md): a wrong code counts as a failed
sign-in of the account (the same lockout) and of the caller's address.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ...domain import second_factor as totp
from ...domain.errors import BusinessRuleViolation, InvalidInput, Unauthenticated
from ...domain.organization import Organization
from ...domain.rate_limits import SIGN_IN_FAILURES_PER_SOURCE
from ...gateways.sealed_secrets import is_sealed
from ...tables.portal_users import PortalUser
from . import rate_limiting, sessions
from .portal_auth import _admit, _count_failure, _forget_failures, confirm_current_password, current_role
from .sessions import SignedIn

SIGN_IN_AGAIN = "Sign in again: this step took too long or was already used."
WRONG_CODE = "The code is not right."


@dataclass(frozen=True)
class Challenge:
    """A sign-in that passed its password and waits for the code (or, where the merchant requires a
    second factor the account lacks, for its enrolment)."""
    challenge: str
    expires_at: datetime
    enrolment_required: bool


@dataclass(frozen=True)
class Enrolment:
    secret: str             # shown once, to type into the app
    otpauth_uri: str        # the same, for a QR code or a tap on a phone


@dataclass(frozen=True)
class SecondFactorSignIn:
    session: SignedIn
    recovery_codes: tuple[str, ...] = ()   # only when the sign-in completed an enrolment


def challenge(adapters, user: PortalUser, now: datetime) -> Challenge:
    """What a right password answers for an account that signs in with a code (or must enrol)."""
    signed, expires_at = totp.new_challenge(_key(adapters), user.login, now)
    return Challenge(signed, expires_at, enrolment_required=not user.has_second_factor)


# --- signing in --------------------------------------------------------------------------------

def enrol_at_sign_in(adapters, org_id: str, signed: str, now: datetime) -> Enrolment:
    """A new secret for an account the merchant requires a second factor of, named by its challenge."""
    user, org = _challenged(adapters, org_id, signed, now)
    if user.has_second_factor or not org.preferences.require_second_factor:
        raise Unauthenticated(SIGN_IN_AGAIN)
    return _new_enrolment(adapters, user, org.name)


def complete_sign_in(adapters, org_id: str, signed: str, code: str, now: datetime, *,
                     source_ip: str) -> SecondFactorSignIn:
    """The session of a challenged sign-in once its code is right: a code of the app, or an unused
    recovery code (used up by this); or, for an account enrolling, the first code of its new secret
    (then its recovery codes are answered with the session)."""
    rate_limiting.admit(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now, what="sign-in attempts")
    user, _org = _challenged(adapters, org_id, signed, now)
    after, recovery = answered(adapters, user, code, now, source_ip=source_ip)
    role = current_role(adapters, user)
    if role is None:
        raise Unauthenticated(SIGN_IN_AGAIN)
    adapters.uow.portal_users.save(after)   # on the version read: a code is accepted once
    return SecondFactorSignIn(sessions.start(adapters, after, role, now), recovery)


def answered(adapters, user, code: str, now: datetime, *, source_ip: str) -> tuple[Any, tuple[str, ...]]:
    """`user` (a portal account or a merchant user) once the code of its challenge is right, and the
    recovery codes an enrolment made. A wrong code is a failed sign-in of the account and of the
    caller's address, as a wrong password is: Unauthenticated naming the code."""
    failures = _admit(adapters, user.login, now)
    recovery: tuple[str, ...] = ()
    if user.has_second_factor:
        after = after_code(adapters, user, code, now)
    else:
        after, recovery = enrolled(adapters, user, code, now)
    if after is None:
        rate_limiting.record(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now)
        _count_failure(adapters, user.login, failures, now)
        # the field names what to retry: the code, where another 401 means signing in again
        raise Unauthenticated(WRONG_CODE, {"fields": {"code": WRONG_CODE}, "field_codes": {"code": "wrong_code"}},
                              reason="code")
    _forget_failures(adapters, user.login, failures)
    return after, recovery


# --- the signed-in account ---------------------------------------------------------------------

@dataclass(frozen=True)
class SecondFactorState:
    enabled: bool
    required: bool                 # by the merchant: it cannot be turned off
    recovery_codes_left: int
    has_password: bool             # False: made without one, it proves itself by a fresh sign-in instead


def state(adapters, org: Organization, login: str) -> SecondFactorState:
    """Whether the signed-in account has a second factor (and a password), for its security screen:
    the organization as the session check read it, the account alone read here."""
    user = adapters.uow.portal_users.find(login) if login else None
    if user is None or not user.is_active or user.org_id != org.org_id:
        raise Unauthenticated("Sign in again.")
    return SecondFactorState(user.has_second_factor, org.preferences.require_second_factor,
                             len(user.recovery_code_hashes), has_password=user.password_hash is not None)


def start_enrolment(adapters, org_id: str, login: str, current_password: str | None, now: datetime, *,
                    session_id: str | None = None) -> Enrolment:
    """A new secret, pending until its first code confirms it; an enrolled account turns its
    second factor off first. Only with the current password (counted like a sign-in), or for an
    account without one from a session just begun (`session_id`): a second factor outlives sessions
    and a reset, so one set up by a stolen session would keep the owner out for good."""
    user, org = _signed_in(adapters, org_id, login)
    confirm_current_password(adapters, user, current_password, now, session_id=session_id)
    if user.has_second_factor:
        raise BusinessRuleViolation("A second factor is set up already; turn it off first to set up another.",
                                    "second_factor_enrolled")
    return _new_enrolment(adapters, user, org.name)


def confirm_enrolment(adapters, org_id: str, login: str, code: str, now: datetime) -> tuple[str, ...]:
    """Turn the pending secret on with its first code; answers the recovery codes (shown once)."""
    user, _org = _signed_in(adapters, org_id, login)
    if user.totp_pending_secret is None:
        raise BusinessRuleViolation("Start setting up the second factor first.", "no_enrolment_pending")
    after, recovery = enrolled(adapters, user, code, now)
    if after is None:
        raise InvalidInput({"code": WRONG_CODE}, codes={"code": "wrong_code"})
    adapters.uow.portal_users.save(after)
    return recovery


def disable(adapters, org_id: str, login: str, current_password: str | None, code: str, now: datetime, *,
            session_id: str | None = None) -> None:
    """Turn the second factor off with the current password (an account without one: from the
    session `session_id` just begun) and a code (or a recovery code); not where the merchant requires one."""
    user, org = _signed_in(adapters, org_id, login)
    if not user.has_second_factor:
        raise BusinessRuleViolation("No second factor is set up.", "no_second_factor")
    if org.preferences.require_second_factor:
        raise BusinessRuleViolation("This portal requires a second factor.", "second_factor_required")
    confirm_current_password(adapters, user, current_password, now, session_id=session_id)
    failures = _admit(adapters, user.login, now)
    checked = after_code(adapters, user, code, now)
    if checked is None:
        _count_failure(adapters, user.login, failures, now)
        raise InvalidInput({"code": WRONG_CODE}, codes={"code": "wrong_code"})
    adapters.uow.portal_users.save(replace(checked, totp_secret=None, totp_pending_secret=None,
                                           recovery_code_hashes=()))


# --- helpers -----------------------------------------------------------------------------------

def _key(adapters) -> bytes:
    return totp.challenge_key(adapters.settings.cursor_signing_key)


def _challenged(adapters, org_id: str, signed: str, now: datetime):
    login = totp.challenged_login(_key(adapters), signed, now)
    if login is None or not login.startswith(f"{org_id}#"):
        raise Unauthenticated(SIGN_IN_AGAIN)
    account = adapters.uow.portal_users.with_organization(login, org_id)
    if account.user is None or not account.user.is_active:
        raise Unauthenticated(SIGN_IN_AGAIN)
    return account.user, account.org


def _signed_in(adapters, org_id: str, login: str):
    account = adapters.uow.portal_users.with_organization(login, org_id) if login else None
    if account is None or account.user is None or not account.user.is_active:
        raise Unauthenticated("Sign in again.")
    return account.user, account.org


def _new_enrolment(adapters, user: PortalUser, issuer: str) -> Enrolment:
    secret = totp.new_secret()
    adapters.uow.portal_users.save(replace(user, totp_pending_secret=sealed(adapters, user, secret)))
    return Enrolment(secret, totp.otpauth_uri(secret, user.email, issuer))


def sealed(adapters, user, secret: str) -> str:
    """A new secret of `user` (a portal account or a merchant user), as it is stored: sealed for it."""
    return adapters.secret_box.seal(secret, _whose(user))


def _whose(user) -> dict[str, str]:
    """What a sealed secret is bound to: its holder's lasting id (not the email, which may change)."""
    return {"purpose": "second-factor", "organization": user.org_id, "holder": user.secret_holder}


def _opened(adapters, user: PortalUser, sealed: str | None) -> str | None:
    return adapters.secret_box.open(sealed, _whose(user)) if sealed else None


def after_code(adapters, user: PortalUser, code: str, now: datetime) -> PortalUser | None:
    """The account after accepting `code` (its step remembered, or the recovery code used up; a
    secret stored before sealing began sealed now); None if the code is not right."""
    if user.totp_secret and not is_sealed(user.totp_secret):
        user = replace(user, totp_secret=sealed(adapters, user, user.totp_secret))
    if totp.looks_like_code(code):
        step = totp.accepted_step(_opened(adapters, user, user.totp_secret), code, now, last_step=user.totp_last_step)
        return None if step is None else replace(user, totp_last_step=step)
    hashed = totp.recovery_hash(code)
    if hashed not in user.recovery_code_hashes:
        return None
    return replace(user, recovery_code_hashes=tuple(h for h in user.recovery_code_hashes if h != hashed))


def enrolled(adapters, user: PortalUser, code: str, now: datetime) -> tuple[PortalUser | None, tuple[str, ...]]:
    """The account with its pending secret turned on by its first `code`, and new recovery codes."""
    pending = user.totp_pending_secret
    step = totp.accepted_step(_opened(adapters, user, pending), code, now, last_step=None) if pending else None
    if step is None:
        return None, ()
    codes = tuple(totp.new_recovery_codes())
    return replace(user, totp_secret=pending, totp_pending_secret=None, totp_last_step=step,
                   recovery_code_hashes=tuple(totp.recovery_hash(c) for c in codes)), codes
