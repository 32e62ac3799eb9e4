"""Signing in with a link emailed to the account's address, where the merchant allows it
(`Preferences.sign_in_with`: "link" or "both").

Asking for a link works like asking for a password reset: the same reads and writes whether or
not the account exists, limited per source and per (organization, email), the link made only as
the outbox sends the email (`mailed_links`). Following it (once, within 15 minutes) signs in as a
password does: a session, or the second factor's challenge first.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ...domain.errors import FeatureDisabled, Unauthenticated
from ...domain.rate_limits import SIGN_IN_FAILURES_PER_SOURCE, SIGN_IN_LINK_REQUESTS_PER_ACCOUNT
from ...domain.tokens import token_hash
from ...tables.portal_users import login_key
from ..accounts import outbox as mail
from . import mailed_links, rate_limiting, sessions
from .portal_auth import INVALID_LINK, _role_in
from .sessions import SignedIn

if TYPE_CHECKING:
    from .second_factor import Challenge


def request_link(adapters, org_id: str, email: str, now: datetime, *, source_ip: str) -> None:
    """Queue a sign-in link for (organization, email); the caller always answers the same. Refused
    (403) only where the organization does not sign in with links, which says nothing of the account."""
    account = login_key(org_id, email)
    org = mailed_links.link_asked_for(adapters, org_id, account, now, source_ip=source_ip,
                                      source_limit="sign_in_link_source", account_limit=SIGN_IN_LINK_REQUESTS_PER_ACCOUNT,
                                      what="sign-in link requests")
    if org is None:
        return
    if not org.preferences.link_sign_in:
        raise FeatureDisabled("sign_in_links")
    mail.queue(adapters, org_id, "sign_in_link", {
        "org_name": org.name, "expires_minutes": mailed_links.minutes_valid("sign_in")},
        [email], reply_to=org.email, now=now, send_after=now, link=mailed_links.link_for("sign_in", account))


def redeem(adapters, org_id: str, token: str, now: datetime, *, source_ip: str) -> SignedIn | Challenge:
    """Sign in with a link's token, once: a session, or the challenge of the account's second factor.
    A used, expired or unknown token, or one of another organization, signs no one in and counts
    as a failed sign-in of the caller's address."""
    rate_limiting.admit(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now, what="sign-in attempts")
    one_time = adapters.uow.one_time_tokens.get(token_hash(token)) if token else None
    if one_time is None or not one_time.is_usable("sign_in", org_id, now):
        rate_limiting.record(adapters, SIGN_IN_FAILURES_PER_SOURCE, source_ip, now)
        raise Unauthenticated(INVALID_LINK, reason="link")
    account = adapters.uow.portal_users.with_organization(one_time.login, org_id, customer_id=one_time.customer_id)
    if not account.org.preferences.link_sign_in:
        raise FeatureDisabled("sign_in_links")
    user = account.user
    role = _role_in(account.customer, user) if user is not None else None
    if user is None or not user.is_active or role is None or (user.customer_id, user.contact_id) != (
            one_time.customer_id, one_time.contact_id):
        raise Unauthenticated(INVALID_LINK, reason="link")
    if user.has_second_factor or account.org.preferences.require_second_factor:
        with adapters.uow.transaction("sign-in link") as tx:
            adapters.uow.one_time_tokens.use_in(tx, one_time.token_hash, now)
        from .second_factor import challenge
        return challenge(adapters, user, now)
    answer, session = sessions.new_session(user, role, now)
    with adapters.uow.transaction("sign-in link") as tx:
        adapters.uow.one_time_tokens.use_in(tx, one_time.token_hash, now)
        adapters.uow.sessions.put_in(tx, session)
    return answer
