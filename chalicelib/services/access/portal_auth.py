"""Portal sign-in and account security: invitations, sign-in, password change and reset.

Numbers (lockout, rate limits, token lifetimes, session timeouts) live in domain/ and are
documented in docs/security.md.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable

from ...domain.customers import Contact, Customer
from ...domain.email_words import role_words
from ...domain.errors import (
    ConcurrentUpdate, Conflict, FeatureDisabled, FreshSignInNeeded, InvalidInput, NotFound, Throttled, Unauthenticated,
)
from ...domain.lockout import NO_FAILURES, FailureState, LockoutPolicy
from ...domain.password_policy import validate_password
from ...domain.rate_limits import RESET_REQUESTS_PER_ACCOUNT, SIGN_IN_FAILURES_PER_SOURCE
from ...domain.tokens import FRESH_SIGN_IN, TOKEN_TTL, is_fresh_sign_in, token_hash
from ...tables.base import owner_key
from ...tables.one_time_tokens import OneTimeToken
from ...tables.portal_users import PortalUser, login_key
from ..accounts import languages, outbox as mail
from . import mailed_links, rate_limiting, sessions
from .sessions import SignedIn

if TYPE_CHECKING:
    from ...domain.organization import Organization
    from ...tables.transactions import Transaction
    from .second_factor import Challenge

LOCKOUT = LockoutPolicy()
# Every failed sign-in answers this, whether the email has no account, the password is wrong,
# or the account is not active: the answer must not tell an attacker which.
BAD_CREDENTIALS = "The email address or the password is not right."
INVALID_LINK = "This link does not work any more: it was used already, it expired, or it is not for you."
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Invitation:
    contact_id: str
    email: str
    role: str
    status: str
    expires_at: datetime


# --- the merchant invites ---------------------------------------------------------------------

def invite(adapters, org_id: str, customer_id: str, contact_id: str, now: datetime) -> Invitation:
    """Invite a customer's contact to the portal: an email carries a single-use link (72 h), made
    as it is sent."""
    both = adapters.uow.customers.with_organization(org_id, customer_id)
    contact = both.customer.contact(contact_id)
    if contact is None:
        raise NotFound("contact")
    user = invitable(adapters, org_id, customer_id, contact)
    return send_invitation(adapters, both.org, both.customer, contact, user, now)


def invitable(adapters, org_id: str, customer_id: str, contact: Contact) -> PortalUser | None:
    """The contact's account if it is still invited (None if it has none): Conflict if another
    contact signs in with its email, it has access already, or the account's owner removed it. An
    address only invited (never accepted) for another contact is the merchant's to give: the account
    is answered as it is, naming that contact, and the invitation takes it over (`send_invitation`);
    the earlier link stops working (`accept_invite` finds the account naming another contact)."""
    _role_to_invite(contact)
    user = adapters.uow.portal_users.find(login_key(org_id, contact.email))
    if user is not None and (user.customer_id, user.contact_id) != (customer_id, contact.contact_id):
        if user.status == "invited":
            return user
        raise Conflict("Another contact of this organization signs in with this email address.",
                       {"email": contact.email})
    if user is not None and user.status != "invited":
        raise Conflict("This contact already has access to the portal.", {"status": user.status})
    return user


def send_invitation(adapters, org: Organization, customer: Customer, contact: Contact, user: PortalUser | None,
                    now: datetime, *, with_it: Callable[[Transaction], None] | None = None,
                    by: Contact | None = None, changed: bool = False) -> Invitation:
    """Send `contact` (whose account `user` is still invited, or None; one only invited for another
    contact is taken over) the invitation's email, its account and link written in one transaction
    with what `with_it` adds to it, and with `customer` (as read, or as the caller `changed` it: on
    the version read) recording the invitation (portal_accounts.py). `by`: the account's owner
    inviting a colleague, whom the email names with the customer and what the role may do (the
    merchant's invitation names the merchant alone)."""
    org_id, customer_id = org.org_id, customer.customer_id
    role = _role_to_invite(contact)
    count_invitation(adapters, org_id, customer_id, now)
    customers = _recording_invitation(adapters, org_id, customer, contact.contact_id, user, changed=changed)
    user = replace(user, role=role, customer_id=customer_id, contact_id=contact.contact_id) if user else PortalUser(
        login=login_key(org_id, contact.email), org_id=org_id, customer_id=customer_id,
        contact_id=contact.contact_id, email=contact.email, role=role, status="invited", created_at=now)
    locale = languages.locale_of(org, customer, contact.contact_id)
    context = {"org_name": org.name, "locale": locale, "contact_name": contact.name,
               "expires_hours": _whole(TOKEN_TTL["invite"], timedelta(hours=1))}
    if by is not None:
        context.update(inviter_name=by.name, customer_name=customer.display_name, role_words=role_words(role, locale))
    email_record = mail.new_record(org_id, "portal_invite" if by is None else "colleague_invite", context,
        [contact.email], customer_id=customer_id, reply_to=org.email, now=now,
        link=mailed_links.link_for("invite", user.login), send_after=now + mail.SEND_LEASE)
    # The link is made here and handed to the mailer only (so the request sends this one email
    # itself, the outbox job waiting SEND_LEASE before it would); a retry makes a new link.
    made, one_time = mailed_links.fresh_link(adapters, "invite", user, contact.email, now,
                                             portal_name=org.portal_name)
    with adapters.uow.transaction("portal user") as tx:
        adapters.uow.portal_users.put_in(tx, user)
        for written in customers:
            adapters.uow.customers.put_in(tx, org_id, written)
        adapters.uow.one_time_tokens.put_in(tx, one_time)
        adapters.uow.emails.put_in(tx, email_record)
        if with_it is not None:
            with_it(tx)
    mail.deliver(adapters, email_record, now, link=made, org=org)
    return Invitation(contact.contact_id, contact.email, role, "invited", one_time.expires_at)


def _recording_invitation(adapters, org_id: str, customer: Customer, contact_id: str, user: PortalUser | None,
                          *, changed: bool) -> list[Customer]:
    """The customers an invitation writes: `customer` with the contact's account invited (unless it
    says so already and the caller did not change it: an invitation sent again, whose account's own
    version guards it) and, where the account was only invited for a contact of another customer,
    that customer without it."""
    from .portal_accounts import with_account
    invited = with_account(adapters, org_id, customer, contact_id, "invited")
    if user is None or (user.customer_id, user.contact_id) == (customer.customer_id, contact_id):
        return [invited] if changed or invited != customer else []
    if user.customer_id == customer.customer_id:
        return [invited.with_portal_account(user.contact_id, None)]
    try:
        other = adapters.uow.customers.get(org_id, user.customer_id, consistent=True)   # written on its version
    except NotFound:
        return [invited]
    return [invited, with_account(adapters, org_id, other, user.contact_id, None)]


def count_invitation(adapters, org_id: str, customer_id: str, now: datetime) -> None:
    """Count one invitation against the organization's and the customer's hourly limits (429 past them)."""
    rate_limiting.hit_all(adapters, [("invite_email_organization", org_id),
                                     ("invite_email_customer", owner_key(org_id, customer_id))], now,
                          what="invitations")


def _role_to_invite(contact: Contact) -> str:
    """The role an invitation gives: the contact's; none once the account's owner removed them."""
    role = contact.role_in_portal
    if role is None:
        raise Conflict("The account's owner removed this contact's access to the portal.", {"status": "removed"})
    return role


def accept_invite(adapters, org_id: str, token: str, password: str | None, now: datetime) -> SignedIn | Challenge:
    """Accept the invitation with its token (once), choosing a password, and be signed in; where the
    merchant requires a second factor, the account is made but answers a challenge to set one up first.
    A portal that signs in with emailed links only asks for no password, and keeps none it is sent."""
    one_time = usable_token(adapters, token, "invite", org_id, now)
    account = adapters.uow.portal_users.with_organization(one_time.login, org_id, customer_id=one_time.customer_id)
    user = account.user
    if user is None or user.status != "invited" or (user.customer_id, user.contact_id) != (
            one_time.customer_id, one_time.contact_id):
        raise Unauthenticated(INVALID_LINK, reason="link")
    role = _role_in(account.customer, user)
    if role is None:
        raise Unauthenticated(INVALID_LINK, reason="link")
    user = replace(user, status="active", role=role)
    if account.org.preferences.password_sign_in:
        if password is None:
            raise InvalidInput({"password": "Choose a password."}, codes={"password": "required"})
        validate_password(password, email=user.email, org_name=account.org.name, field="password")
        user = replace(user, password_hash=adapters.password_hasher.hash(password), password_changed_at=now)
    from .portal_accounts import with_account
    accepted = with_account(adapters, org_id, account.customer, user.contact_id, "active")
    if account.org.preferences.require_second_factor:
        with adapters.uow.transaction("invitation") as tx:
            adapters.uow.one_time_tokens.use_in(tx, one_time.token_hash, now)
            adapters.uow.portal_users.put_in(tx, user)
            adapters.uow.customers.put_in(tx, org_id, accepted)
        from .second_factor import challenge
        return challenge(adapters, adapters.uow.portal_users.find(user.login), now)
    answer, session = sessions.new_session(user, role, now)
    with adapters.uow.transaction("invitation") as tx:
        adapters.uow.one_time_tokens.use_in(tx, one_time.token_hash, now)
        adapters.uow.portal_users.put_in(tx, user)
        adapters.uow.customers.put_in(tx, org_id, accepted)
        adapters.uow.sessions.put_in(tx, session)
    return answer


def create_portal_user(adapters, org_id: str, *, customer_id: str, contact_id: str, password: str,
                       now: datetime) -> PortalUser:
    """Give a contact an active account with a password chosen by the operator (the local demo,
    migrations). Not exposed as a route: customers get access through `invite`."""
    org = adapters.uow.organizations.get(org_id)
    customer = adapters.uow.customers.get(org_id, customer_id)
    contact = customer.contact(contact_id)
    if contact is None:
        raise NotFound("contact")
    account = login_key(org_id, contact.email)
    if adapters.uow.portal_users.find(account) is not None:
        raise Conflict("This contact already has access to the portal.", {"email": contact.email})
    validate_password(password, email=contact.email, org_name=org.name, field="password")
    user = PortalUser(login=account, org_id=org_id, customer_id=customer_id, contact_id=contact_id,
                      email=contact.email, role=contact.role_in_portal or "viewer",
                      status="active", created_at=now,
                      password_hash=adapters.password_hasher.hash(password), password_changed_at=now)
    from .portal_accounts import with_account
    with adapters.uow.transaction("portal user") as tx:
        adapters.uow.portal_users.add_in(tx, user)
        adapters.uow.customers.put_in(tx, org_id, with_account(adapters, org_id, customer, contact_id, "active"))
    return user


# --- signing in -------------------------------------------------------------------------------

def login(adapters, org_id: str, email: str, password: str, now: datetime, *,
          source_ip: str) -> SignedIn | Challenge:
    """Sign in with organization, email and password, from `source_ip` (the caller's address). An
    account with a second factor (or one the merchant requires it of) gets no session yet but a
    challenge to answer with its code (`second_factor.complete_sign_in`).

    Limited per source IP and per account (organization, email), never per organization: anyone
    can send sign-ins naming an organization, and they must not lock out its customers.
    An unknown organization is refused before any password hashing (one sign-in costs one argon2
    verification: made-up organizations must not buy unlimited work). An unknown email of a known
    organization costs the same work and gets the same answer as a wrong password: the same
    limits, failure counting and lockout, a dummy argon2 verification."""
    account = login_key(org_id, email)
    rate_limiting.hit(adapters, "login_source", source_ip, now, what="sign-in attempts")
    rate_limiting.admit(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now, what="sign-in attempts")
    try:
        found = adapters.uow.portal_users.with_organization(account, org_id, with_failures=True)
    except NotFound:
        rate_limiting.record(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now)
        raise Unauthenticated(BAD_CREDENTIALS, reason="credentials") from None
    if not found.org.preferences.password_sign_in:
        raise FeatureDisabled("password_sign_in")
    failures = _admit(adapters, account, now, found.failures)
    user = found.user
    hasher = adapters.password_hasher
    matches = hasher.verify(user.password_hash if user else None, password)
    if not (matches and user.is_active):
        rate_limiting.record(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now)
        _count_failure(adapters, account, failures, now)
        raise Unauthenticated(BAD_CREDENTIALS, reason="credentials")
    _forget_failures(adapters, account, failures)
    role = current_role(adapters, user)
    if role is None:
        raise Unauthenticated(BAD_CREDENTIALS, reason="credentials")
    if hasher.needs_rehash(user.password_hash):
        _rehash(adapters, user, password)
    if user.has_second_factor or found.org.preferences.require_second_factor:
        from .second_factor import challenge
        return challenge(adapters, user, now)
    return sessions.start(adapters, user, role, now)


def logout(adapters, session_id: str) -> None:
    sessions.end(adapters, session_id)


def change_password(adapters, org_id: str, login: str, session_id: str, current_password: str | None,
                    new_password: str, now: datetime) -> int:
    """Change the password of the signed-in account (`login`, as its session, just checked by the
    route's credential, names it); every other session of it ends. Answers how many sessions were ended."""
    account = adapters.uow.portal_users.with_organization(login, org_id, with_failures=True) if login else None
    user = account.user if account else None
    if user is None or not user.is_active or user.org_id != org_id:
        raise Unauthenticated("Sign in again.")
    org = account.org
    validate_password(new_password, email=user.email, org_name=org.name)
    confirm_current_password(adapters, user, current_password, now, session_id=session_id,
                             failures=account.failures)
    hasher = adapters.password_hasher
    user = adapters.uow.portal_users.save(replace(user, password_hash=hasher.hash(new_password),
                                                  password_changed_at=now))
    ended = sessions.end_all_of(adapters, user.login, keep=session_id)
    _tell_password_changed(adapters, org, user, now)
    return ended


def confirm_current_password(adapters, user: PortalUser, password: str | None, now: datetime, *,
                             session_id: str | None, failures: FailureState | None = None) -> None:
    """For changes that need the current password: the sign-in lockout holds, and a wrong password
    counts as a failed sign-in, so a stolen session cannot guess faster than the sign-in page allows.
    An account without a password (made where the portal signs in with emailed links only) has none
    to be wrong: its session `session_id` must have begun less than FRESH_SIGN_IN ago instead (by an
    emailed link or a passkey, its only ways in), and nothing counts as a failed sign-in.
    `failures`: the login's failures if the caller read them already (consistently)."""
    if user.password_hash is None:
        _confirm_fresh_sign_in(adapters, user, session_id, now)
        return
    if not password:
        raise InvalidInput({"current_password": "Enter your current password."},
                           codes={"current_password": "current_password_needed"})
    failures = _admit(adapters, user.login, now, failures)
    if not adapters.password_hasher.verify(user.password_hash, password):
        _count_failure(adapters, user.login, failures, now)
        raise InvalidInput({"current_password": "This is not your current password."},
                           codes={"current_password": "wrong_password"})
    _forget_failures(adapters, user.login, failures)


def _confirm_fresh_sign_in(adapters, user: PortalUser, session_id: str | None, now: datetime) -> None:
    session = adapters.uow.sessions.get(session_id) if session_id else None
    if session is None or session.login != user.login or not is_fresh_sign_in(session.created_at, now):
        raise FreshSignInNeeded(_whole(FRESH_SIGN_IN, timedelta(minutes=1)))


def forgot_password(adapters, org_id: str, email: str, now: datetime, *, source_ip: str) -> None:
    """Queue a single-use reset link (30 minutes); the caller always answers the same.

    Whether the account exists is not looked at here: the request does the same reads and
    writes either way (the rate limits, the organization, one queued email), and the outbox job
    decides as it sends whether there is an account to send a link to (`mailed_links`).

    Limited per source IP and, with a backoff whose longest wait is shorter than a link's life,
    per account: whoever asks for someone's resets, the owner's mailbox always holds a usable link
    or a new one can be asked for."""
    account = login_key(org_id, email)
    org = mailed_links.link_asked_for(adapters, org_id, account, now, source_ip=source_ip,
                                      source_limit="forgot_password_source", account_limit=RESET_REQUESTS_PER_ACCOUNT,
                                      what="password reset requests")
    if org is not None:
        mail.queue(adapters, org_id, "password_reset", {
            "org_name": org.name, "expires_minutes": mailed_links.minutes_valid("reset")},
            [email], reply_to=org.email, now=now, send_after=now, link=mailed_links.link_for("reset", account))


def reset_password(adapters, org_id: str, token: str, new_password: str, now: datetime) -> None:
    """Set a new password with a reset token (once); every session of the account ends."""
    one_time = usable_token(adapters, token, "reset", org_id, now)
    account = adapters.uow.portal_users.with_organization(one_time.login, org_id)
    user = account.user
    if user is None or not user.is_active or user.password_changed_since(one_time.created_at):
        raise Unauthenticated(INVALID_LINK, reason="link")
    org = account.org
    validate_password(new_password, email=user.email, org_name=org.name)
    user = replace(user, password_hash=adapters.password_hasher.hash(new_password), password_changed_at=now)
    with adapters.uow.transaction("password reset") as tx:
        adapters.uow.one_time_tokens.use_in(tx, one_time.token_hash, now)
        adapters.uow.portal_users.put_in(tx, user)
    sessions.end_all_of(adapters, user.login)
    from .passkeys import forget_all
    forget_all(adapters, user)   # a passkey outlives sessions: one added by whoever had the account goes too
    adapters.uow.rate_counters.forget_failures(user.login)   # whoever holds the mailbox is the owner
    _tell_password_changed(adapters, org, user, now)


# --- who am I -----------------------------------------------------------------------------------

# --- helpers ----------------------------------------------------------------------------------

def _admit(adapters, login: str, now: datetime, failures: FailureState | None = None) -> FailureState:
    """The login's failures so far; Throttled while it must wait or is locked."""
    failures = adapters.uow.rate_counters.failures(login) if failures is None else failures
    wait = LOCKOUT.check(failures, now)
    if wait is not None:
        raise Throttled(max(1, -(-wait // _SECOND)), "sign-in attempts")
    return failures


def _count_failure(adapters, login: str, failures: FailureState, now: datetime) -> None:
    for _ in range(3):   # concurrent failures: re-read and count again, none is lost
        after = LOCKOUT.after_failure(failures, now)
        if after == failures:
            return
        forget_at = after.last_failure_at + LOCKOUT.forget_after
        if adapters.uow.rate_counters.save_failures(login, failures, after, expires_at=forget_at):
            return
        failures = adapters.uow.rate_counters.failures(login)


def _forget_failures(adapters, login: str, failures: FailureState) -> None:
    if failures != NO_FAILURES:
        adapters.uow.rate_counters.forget_failures(login)


def _rehash(adapters, user: PortalUser, password: str) -> None:
    """Store the password again with the current argon2 parameters."""
    try:
        adapters.uow.portal_users.save(replace(user, password_hash=adapters.password_hasher.hash(password)))
    except ConcurrentUpdate:
        pass   # changed meanwhile (e.g. a password change): the next sign-in rehashes


def current_role(adapters, user: PortalUser) -> str | None:
    """owner, billing or viewer, as the customer's contacts stand now; None once the contact is gone
    (or has another email) or the owner removed their access: the account ends with its contact."""
    try:
        return _role_in(adapters.uow.customers.get(user.org_id, user.customer_id), user)
    except NotFound:
        return None


def _role_in(customer: Customer | None, user: PortalUser) -> str | None:
    contact = customer.contact(user.contact_id) if customer is not None else None
    if contact is None or contact.email.strip().lower() != user.email.strip().lower():
        return None
    return contact.role_in_portal


def usable_token(adapters, token: str, purpose: str, org_id: str, now: datetime) -> OneTimeToken:
    one_time = adapters.uow.one_time_tokens.get(token_hash(token)) if token else None
    if one_time is None or not one_time.is_usable(purpose, org_id, now):
        raise Unauthenticated(INVALID_LINK, reason="link")
    return one_time


def _tell_password_changed(adapters, org, user: PortalUser, now: datetime) -> None:
    mail.queue(adapters, user.org_id, "password_changed", {"org_name": org.name}, [user.email],
               customer_id=user.customer_id, reply_to=org.email, now=now)


def _whole(duration: timedelta, unit: timedelta) -> int:
    return int(duration // unit)
