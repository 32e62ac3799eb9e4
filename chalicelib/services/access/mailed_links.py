"""One-time links in emails (invitations, password resets, email changes, sign-in links), made as the
email is sent.

The request that asks for one records only what the link is for (`link_for`: a purpose and an
account), never a token, and does the same work whether or not the account exists or the address
is free. When the outbox sends the email, `make_link` decides who, if anyone, receives it, stores
the hash of a fresh token and answers the link; the token itself lives only in the message.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from ...domain.errors import NotFound
from ...domain.portal_address import portal_link
from ...domain.tokens import TOKEN_TTL, new_token, token_hash
from ...tables.one_time_tokens import OneTimeToken
from ...tables.portal_users import PortalUser, login_key

PAGES = {"invite": "accept-invite", "reset": "reset-password", "email_change": "confirm-email",
         "sign_in": "sign-in-link"}


@dataclass(frozen=True)
class MadeLink:
    recipient: str
    url: str


def link_asked_for(adapters, org_id: str, account: str, now: datetime, *, source_ip: str, source_limit: str,
                   account_limit, what: str):
    """The organization an emailed link is asked for, once the asker's limit (`source_limit`, by IP)
    and the account's backoff (`account_limit`) let the request through; None for an organization
    that does not exist, which the caller answers as any other (nothing is sent)."""
    from . import rate_limiting
    rate_limiting.hit(adapters, source_limit, source_ip, now, what=what)
    rate_limiting.take_turn(adapters, account_limit, account, now, what=what)
    try:
        return adapters.uow.organizations.get(org_id)
    except NotFound:
        return None


def minutes_valid(purpose: str) -> int:
    """How long a link for `purpose` works, in whole minutes (as its email says)."""
    return int(TOKEN_TTL[purpose] // timedelta(minutes=1))


def link_for(purpose: str, login: str, *, new_email: str | None = None) -> dict:
    """What an email's link is for, as the outbox records it."""
    spec = {"purpose": purpose, "login": login}
    if new_email is not None:
        spec["new_email"] = new_email
    return spec


def make_link(adapters, org_id: str, spec: dict, now: datetime, *, customer_id: str | None = None,
              to: tuple[str, ...] = (), asked_at: datetime | None = None) -> MadeLink | None:
    """A fresh single-use link for the email about to be sent, its token's hash stored; None when
    there is no one to send it to. An action link (pay this invoice, ...) goes to the email's own
    recipient, for the email's customer. `asked_at`: when the email was asked for (its record made)."""
    purpose = spec["purpose"]
    if purpose == "action":
        from .action_links import make_for_email
        return make_for_email(adapters, org_id, customer_id, spec, to[0], now)
    if purpose == "console_reset":
        from .console_auth import reset_link
        return reset_link(adapters, spec["login"], now)
    user = adapters.uow.portal_users.find(spec["login"])
    recipient = _recipient(adapters, purpose, user, spec, asked_at or now)
    if recipient is None:
        return None
    # a sign-in link opens the organization's own sign-in page should it be needed again; an
    # invitation's page shows how the portal signs in (no password to choose where links alone do)
    portal_name = adapters.uow.organizations.get(user.org_id).portal_name if purpose in ("sign_in", "invite") else ""
    made, one_time = fresh_link(adapters, purpose, user, recipient, now, new_email=spec.get("new_email"),
                                portal_name=portal_name)
    adapters.uow.one_time_tokens.add(one_time)
    return made


def customer_of_link(adapters, spec: dict) -> str | None:
    """The customer whose account a one-time link is for (None: an action link names none, or no
    account signs in as it)."""
    user = adapters.uow.portal_users.find(spec["login"]) if spec.get("login") else None
    return user.customer_id if user else None


def fresh_link(adapters, purpose: str, user: PortalUser, recipient: str, now: datetime, *,
               new_email: str | None = None, portal_name: str = "") -> tuple[MadeLink, OneTimeToken]:
    """A link with a new token, and the token's record (its hash) for the caller to store, e.g.
    within the transaction that records the email; the link goes only to the mailer."""
    token = new_token()
    one_time = OneTimeToken(token_hash(token), purpose, user.login, user.org_id, user.customer_id, user.contact_id,
                            created_at=now, expires_at=now + TOKEN_TTL[purpose], new_email=new_email)
    return MadeLink(recipient, link(adapters, PAGES[purpose], user.org_id, token, portal_name)), one_time


def link(adapters, page: str, org_id: str, token: str, portal_name: str = "") -> str:
    # The token rides in the fragment: browsers never send it to a server or in a Referer.
    route = f"{page}?{urlencode({'organization': org_id, 'token': token})}"
    return portal_link(adapters.settings.portal_base_url, portal_name, route)


def _recipient(adapters, purpose: str, user: PortalUser | None, spec: dict, asked_at: datetime) -> str | None:
    if user is None:
        return None                                  # forgot-password for an address without an account
    if purpose == "invite":
        return user.email if user.status == "invited" else None
    if purpose in ("reset", "sign_in"):
        # a person the owner removed (or whose contact is gone) is sent no link that could not work
        from .portal_auth import current_role
        return user.email if user.is_active and current_role(adapters, user) is not None else None
    if purpose == "email_change":
        # An address another account signs in with, or one the merchant invited, cannot be taken:
        # it receives nothing, and the request was answered as for a free one.
        # Asked for before the password was changed or reset: perhaps by whoever had the account, whom
        # the owner just shut out; the link could move the sign-in to them (as `confirm_email_change` refuses).
        if not user.is_active or user.password_changed_since(asked_at):
            return None
        taken = adapters.uow.portal_users.find(login_key(user.org_id, spec["new_email"])) is not None
        return None if taken else spec["new_email"]
    raise ValueError(f"no link for {purpose!r}")
