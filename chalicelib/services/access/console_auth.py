"""The merchant console's users: their accounts (argon2id passwords, a role), sign-in with the
portal's limits and lockout, sessions of their own, password change, and an optional second
factor (the portal's TOTP pieces). docs/security.md "Merchant users" holds the rules.

A console session is looked up only in the console's sessions table and a portal session only in
the portal's: neither kind of token opens the other's routes."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ...domain import audit
from ...domain import second_factor as totp
from ...domain.errors import BusinessRuleViolation, InvalidInput, NotFound, Unauthenticated
from ...domain.ids import new_id
from ...domain.password_policy import validate_password
from ...domain.rate_limits import RESET_REQUESTS_PER_ACCOUNT, SIGN_IN_FAILURES_PER_SOURCE
from ...domain.tokens import TOKEN_TTL, SessionTimes, new_token, token_hash
from ...tables.merchant_sessions import MerchantSession
from ...tables.merchant_users import ROLES, MerchantUser, merchant_login_key
from ...tables.one_time_tokens import OneTimeToken
from ..accounts import outbox as mail
from . import mailed_links, rate_limiting
from .actors import ApiKey, ConsoleUser, MerchantActor
from .mailed_links import MadeLink
from .portal_auth import (BAD_CREDENTIALS, INVALID_LINK, _admit, _count_failure, _forget_failures,
                          confirm_current_password, usable_token)
from .second_factor import SIGN_IN_AGAIN, WRONG_CODE, Challenge, Enrolment, after_code, answered, enrolled, sealed
from .sessions import SignedIn

TIMES = SessionTimes()
TOUCH_EVERY = timedelta(minutes=1)
_MAX_TOKEN_LENGTH = 128


@dataclass(frozen=True)
class MerchantIdentity:
    """Who a live console session's caller is: all of it from the session and the user's account."""
    org_id: str
    user_id: str
    email: str
    role: str
    session_id: str
    login: str
    actor: ConsoleUser     # the user as read for this check: the request's routes need not read it again


@dataclass(frozen=True)
class ConsoleSignIn:
    session: SignedIn
    recovery_codes: tuple[str, ...] = ()


# --- accounts --------------------------------------------------------------------------------

def create_user(adapters, org_id: str, *, email: str, role: str, password: str, name: str,
                now: datetime, by: MerchantActor, current_password: str | None = None) -> MerchantUser:
    """A merchant user with a password the inviting admin chose (to hand over out of band and be
    changed at first sign-in's leisure); AlreadyExists for an email the organization has. The new user
    outlives the session, so a console caller proves itself afresh (`_prove_afresh`)."""
    if role not in ROLES:
        raise InvalidInput({"role": f"One of {', '.join(ROLES)}."})
    _prove_afresh(adapters, by, current_password, now)
    org = adapters.uow.organizations.get(org_id)
    validate_password(password, email=email, org_name=org.name, field="password")
    user = MerchantUser(login=merchant_login_key(org_id, email), user_id=new_id("merchant_user", now), org_id=org_id,
                        email=email.strip().lower(), role=role, status="active", created_at=now, name=name,
                        password_hash=adapters.password_hasher.hash(password), password_changed_at=now)
    adapters.uow.audit_log.describe({"email": user.email, "role": role, "name": name, "user_id": user.user_id})
    return adapters.uow.merchant_users.add(user)


def change_user(adapters, org_id: str, user_id: str, *, role: str | None, status: str | None, now: datetime,
                by: MerchantActor, current_password: str | None = None) -> MerchantUser:
    """Change a user's role or status (active, disabled); every session of the user ends, so the new
    role holds from the next request. A user cannot change their own (another admin, or a key, does:
    an organization is never left without the admin who could undo it). A change that gives access
    (`_gives_access`) outlives the session as a new user does, so a console caller proves itself afresh."""
    if role is not None and role not in ROLES:
        raise InvalidInput({"role": f"One of {', '.join(ROLES)}."})
    user = adapters.uow.merchant_users.by_id(org_id, user_id)   # written on the version read: a stale one is 409
    if user is None:
        raise NotFound("merchant user")
    if isinstance(by, ConsoleUser) and by.user.user_id == user.user_id:
        raise BusinessRuleViolation("You cannot change your own role or status; ask another admin.",
                                    "own_account")
    after = replace(user, role=role or user.role, status=status or user.status)
    if _gives_access(user, after):
        _prove_afresh(adapters, by, current_password, now)
    adapters.uow.audit_log.describe(audit.changed({"role": user.role, "status": user.status},
                                                  {"role": after.role, "status": after.status}))
    after = adapters.uow.merchant_users.save(after)
    adapters.uow.merchant_sessions.delete_many(adapters.uow.merchant_sessions.token_hashes_of(user.login))
    return after


def users(adapters, org_id: str) -> list[MerchantUser]:
    return adapters.uow.merchant_users.of_organization(org_id)


# --- signing in ------------------------------------------------------------------------------

def login(adapters, org_id: str, email: str, password: str, now: datetime, *,
          source_ip: str) -> SignedIn | Challenge:
    """Sign in to the console: the portal's rules (docs/security.md): limited per source and per
    account, one argon2 verification whether or not the email has an account, one answer for every
    failure, the account locked after repeated failures."""
    account = merchant_login_key(org_id, email)
    rate_limiting.hit(adapters, "login_source", source_ip, now, what="sign-in attempts")
    rate_limiting.admit(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now, what="sign-in attempts")
    failures = _admit(adapters, account, now)
    user = adapters.uow.merchant_users.find(account)
    matches = adapters.password_hasher.verify(user.password_hash if user else None, password)
    if not (matches and user.is_active):
        rate_limiting.record(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now)
        _count_failure(adapters, account, failures, now)
        raise Unauthenticated(BAD_CREDENTIALS, reason="credentials")
    _forget_failures(adapters, account, failures)
    if adapters.password_hasher.needs_rehash(user.password_hash):
        user = adapters.uow.merchant_users.save(replace(user, password_hash=adapters.password_hasher.hash(password)))
    if user.has_second_factor:
        signed, expires_at = totp.new_challenge(_key(adapters), user.login, now)
        return Challenge(signed, expires_at, enrolment_required=False)
    return start(adapters, user, now)


def complete_sign_in(adapters, org_id: str, signed: str, code: str, now: datetime, *,
                     source_ip: str) -> ConsoleSignIn:
    """The session of a challenged sign-in once its code (or an unused recovery code) is right."""
    rate_limiting.admit(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now, what="sign-in attempts")
    login_key = totp.challenged_login(_key(adapters), signed, now)
    if login_key is None or not login_key.startswith(f"console#{org_id}#"):
        raise Unauthenticated(SIGN_IN_AGAIN)
    user = adapters.uow.merchant_users.find(login_key)
    if user is None or not user.is_active or not user.has_second_factor:
        raise Unauthenticated(SIGN_IN_AGAIN)
    after, _ = answered(adapters, user, code, now, source_ip=source_ip)
    after = adapters.uow.merchant_users.save(after)   # on the version read: a code is accepted once
    return ConsoleSignIn(start(adapters, after, now))


def start(adapters, user: MerchantUser, now: datetime) -> SignedIn:
    token = new_token()
    adapters.uow.merchant_sessions.add(MerchantSession(
        token_hash(token), user.login, user.user_id, user.org_id, user.role, created_at=now, last_seen_at=now,
        expires_at=TIMES.expiry(now, now)))
    return SignedIn(token, now + TIMES.absolute, int(TIMES.idle.total_seconds()))


def authenticate(adapters, token: str, now: datetime | None = None, *, ahead=None) -> MerchantIdentity | None:
    """Who a live console session's caller is, or None. `ahead` (a GET request's: the customer its
    path names, the organization it declares) is read with the user, under the session's own
    organization (tables/read_ahead.py), as an API key's check reads it."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    now = now or adapters.now()
    session = adapters.uow.merchant_sessions.get(token_hash(token))
    if session is None or not TIMES.is_live(session.created_at, session.last_seen_at, now):
        return None
    # the user as it is now: disabled since the session began, the session is over; demoted, it acts
    # with its new role (ending sessions by the sessions index alone misses one started meanwhile)
    user = adapters.uow.merchant_users.find_with_organization(session.login, session.org_id, ahead=ahead)
    if user is None or not user.is_active or user.org_id != session.org_id:
        return None
    if now - session.last_seen_at >= TOUCH_EVERY:
        if not adapters.uow.merchant_sessions.touch(session.token_hash, last_seen_at=now,
                                                     expires_at=TIMES.expiry(session.created_at, now)):
            return None
    return MerchantIdentity(session.org_id, session.user_id, user.email, user.role, session.token_hash, session.login,
                            ConsoleUser(user))


def logout(adapters, session_id: str) -> None:
    adapters.uow.merchant_sessions.delete(session_id)


# --- a forgotten password -----------------------------------------------------------------------

def forgot_password(adapters, org_id: str, email: str, now: datetime, *, source_ip: str) -> None:
    """Queue a single-use reset link (30 minutes) for a console user, as the portal's reset does
    (portal_auth.forgot_password): the same answer, reads and writes whether or not the account
    exists (the outbox decides, as it sends, whether there is anyone to send it to), limited per
    source and, with a backoff shorter than a link's life, per account. Someone who keeps the
    account locked by failing its sign-ins cannot keep its owner out: a reset ends the lock."""
    account = merchant_login_key(org_id, email)
    org = mailed_links.link_asked_for(adapters, org_id, account, now, source_ip=source_ip,
                                      source_limit="forgot_password_source", account_limit=RESET_REQUESTS_PER_ACCOUNT,
                                      what="password reset requests")
    if org is not None:
        mail.queue(adapters, org_id, "console_password_reset", {
            "org_name": org.name, "expires_minutes": mailed_links.minutes_valid("console_reset")},
            [email], now=now, send_after=now, link=mailed_links.link_for("console_reset", account))


def reset_link(adapters, login: str, now: datetime) -> MadeLink | None:
    """The link of a reset email about to be sent (mailed_links.make_link), its token's hash stored;
    None when no active console user signs in as `login`."""
    user = adapters.uow.merchant_users.find(login)
    if user is None or not user.is_active:
        return None
    token = new_token()
    adapters.uow.one_time_tokens.add(OneTimeToken(
        token_hash(token), "console_reset", login, user.org_id, customer_id="", contact_id="", created_at=now,
        expires_at=now + TOKEN_TTL["console_reset"]))
    return MadeLink(user.email, mailed_links.link(adapters, "console/reset-password", user.org_id, token))


def reset_password(adapters, org_id: str, token: str, new_password: str, now: datetime) -> None:
    """Set a new password with a reset link's token (once): every session of the user ends, and the
    failed sign-ins counted against the account are forgotten (whoever holds the mailbox is the
    user). A second factor stays: the reset is not a way around it."""
    one_time = usable_token(adapters, token, "console_reset", org_id, now)
    user, org = adapters.uow.merchant_users.with_organization(one_time.login, org_id)
    if user is None or not user.is_active or user.org_id != org_id or user.password_changed_since(one_time.created_at):
        raise Unauthenticated(INVALID_LINK, reason="link")
    validate_password(new_password, email=user.email, org_name=org.name)
    after = replace(user, password_hash=adapters.password_hasher.hash(new_password), password_changed_at=now)
    with adapters.uow.transaction("console password reset") as tx:
        adapters.uow.one_time_tokens.use_in(tx, one_time.token_hash, now)
        adapters.uow.merchant_users.save_in(tx, after)
    adapters.uow.merchant_sessions.delete_many(adapters.uow.merchant_sessions.token_hashes_of(user.login))
    adapters.uow.rate_counters.forget_failures(user.login)


def change_password(adapters, caller: MerchantIdentity, current_password: str, new_password: str,
                    now: datetime) -> int:
    """Change the signed-in user's password; every other session of the user ends (answers how many)."""
    user, org = _signed_in(adapters, caller)
    validate_password(new_password, email=user.email, org_name=org.name)
    confirm_current_password(adapters, user, current_password, now, session_id=None)   # a merchant user has one
    adapters.uow.merchant_users.save(replace(user, password_hash=adapters.password_hasher.hash(new_password),
                                             password_changed_at=now))
    doomed = [h for h in adapters.uow.merchant_sessions.token_hashes_of(user.login) if h != caller.session_id]
    adapters.uow.merchant_sessions.delete_many(doomed)
    return len(doomed)


# --- the second factor -----------------------------------------------------------------------

def start_second_factor(adapters, caller: MerchantIdentity, current_password: str, now: datetime) -> Enrolment:
    """A new secret, pending until its first code confirms it; only with the current password (counted
    like a sign-in): a second factor outlives sessions, so a stolen one must not set it up."""
    user, org = _signed_in(adapters, caller)
    confirm_current_password(adapters, user, current_password, now, session_id=None)   # a merchant user has one
    if user.has_second_factor:
        raise BusinessRuleViolation("A second factor is set up already; turn it off first to set up another.",
                                    "second_factor_enrolled")
    secret = totp.new_secret()
    adapters.uow.merchant_users.save(replace(user, totp_pending_secret=sealed(adapters, user, secret)))
    return Enrolment(secret, totp.otpauth_uri(secret, user.email, f"{org.name} console"))


def confirm_second_factor(adapters, caller: MerchantIdentity, code: str, now: datetime) -> tuple[str, ...]:
    user, _org = _signed_in(adapters, caller)
    if user.totp_pending_secret is None:
        raise BusinessRuleViolation("Start setting up the second factor first.", "no_enrolment_pending")
    after, recovery = enrolled(adapters, user, code, now)
    if after is None:
        raise InvalidInput({"code": WRONG_CODE})
    adapters.uow.merchant_users.save(after)
    return recovery


def disable_second_factor(adapters, caller: MerchantIdentity, current_password: str, code: str,
                          now: datetime) -> None:
    user, _org = _signed_in(adapters, caller)
    if not user.has_second_factor:
        raise BusinessRuleViolation("No second factor is set up.", "no_second_factor")
    confirm_current_password(adapters, user, current_password, now, session_id=None)   # a merchant user has one
    failures = _admit(adapters, user.login, now)
    checked = after_code(adapters, user, code, now)
    if checked is None:
        _count_failure(adapters, user.login, failures, now)
        raise InvalidInput({"code": WRONG_CODE})
    adapters.uow.merchant_users.save(replace(checked, totp_secret=None, totp_pending_secret=None,
                                             recovery_code_hashes=()))


def account(adapters, caller: MerchantIdentity):
    """The signed-in user and the organization (Unauthenticated once the user is gone or disabled)."""
    return _signed_in(adapters, caller)


# --- helpers ---------------------------------------------------------------------------------

def _prove_afresh(adapters, by: MerchantActor, current_password: str | None, now: datetime) -> None:
    """docs/security.md "Fresh proof of identity": a console user gives their current password (counted
    like a sign-in); an API key, the merchant's server and no browser session, needs none. Whatever is
    not an API key proves itself, so no caller is let through for want of a user."""
    match by:
        case ApiKey():
            return
        case ConsoleUser(user=user):
            confirm_current_password(adapters, user, current_password, now, session_id=None)   # a merchant user has one
        case _:
            raise TypeError(f"Not a merchant caller: {by!r}")


def _gives_access(before: MerchantUser, after: MerchantUser) -> bool:
    """A disabled user enabled again, or a support user made admin: what a thief would do to keep a way
    in (or a wider one) after the session is gone. Taking access away needs no proof."""
    return (after.is_active and not before.is_active) or (after.role == "admin" and before.role != "admin")


def _key(adapters) -> bytes:
    return totp.challenge_key(adapters.settings.cursor_signing_key)


def _signed_in(adapters, caller: MerchantIdentity):
    if not isinstance(caller.actor, ConsoleUser):
        raise Unauthenticated("Sign in again.")
    user = caller.actor.user
    if not user.is_active or user.org_id != caller.org_id:
        raise Unauthenticated("Sign in again.")
    try:
        org = adapters.uow.organizations.get(caller.org_id)
    except NotFound:
        raise Unauthenticated("Sign in again.") from None
    return user, org


