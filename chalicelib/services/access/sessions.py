"""Portal sessions: bearer tokens `<org_id>.<customer_id>.<secret>` (a 256-bit secret), stored only
as the hash of the whole token, ending after 30 minutes idle or 12 hours in all (domain/tokens.py),
removed by DynamoDB's TTL after.

The session check reads the session with the customer and organization its token names in one call
(docs/security.md "Sessions"): the caller's role comes from the customer's contacts as they are now,
so a contact removed or given another role is seen on the next request, and the routes take the
organization and customer from the caller instead of reading them again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ...domain.customers import lesser_role
from ...domain.errors import NotFound
from ...domain.tokens import SessionTimes, new_session_token, parties_named_in, token_hash
from ...tables.sessions import Session, SessionWithParties

if TYPE_CHECKING:
    from ...domain.customers import Customer
    from ...domain.organization import Organization
    from ...tables.portal_users import PortalUser

TIMES = SessionTimes()
# last_seen_at is written at most this often: one write a minute per active session, not one
# per request. The idle timeout is therefore honoured to within this much.
TOUCH_EVERY = timedelta(minutes=1)
_MAX_TOKEN_LENGTH = 200   # ours are two ids (<= 64 each) and 43 characters; anything longer is not worth hashing


@dataclass(frozen=True)
class SignedIn:
    """What a sign-in answers: the bearer token (shown once) and its limits."""
    token: str
    expires_at: datetime          # the absolute end; idle for longer ends it sooner
    idle_timeout_seconds: int


@dataclass(frozen=True)
class Identity:
    """Who a live session's caller is: all of it from the session and its customer as they are now,
    none from the request."""
    org_id: str
    customer_id: str
    contact_id: str
    role: str         # owner | billing | viewer: the contact's role in the portal now (Customer.portal_role_of)
    session_id: str   # the token's hash: what signing out ends
    login: str        # the account signed in
    org: Organization         # as the session check read them: a route need not read them again
    customer: Customer


def new_session(user: PortalUser, role: str, now: datetime) -> tuple[SignedIn, Session]:
    """A fresh session for `user` (not yet stored: `start` does, or the caller's transaction)."""
    token = new_session_token(user.org_id, user.customer_id)
    session = Session(token_hash(token), user.login, user.org_id, user.customer_id, user.contact_id, role,
                      created_at=now, last_seen_at=now, expires_at=TIMES.expiry(now, now))
    answer = SignedIn(token, now + TIMES.absolute, int(TIMES.idle.total_seconds()))
    return answer, session


def start(adapters, user: PortalUser, role: str, now: datetime) -> SignedIn:
    answer, session = new_session(user, role, now)
    adapters.uow.sessions.add(session)
    return answer


def authenticate(adapters, token: str, now: datetime | None = None, *, ahead=None) -> Identity | None:
    """Who a live session's caller is, or None. The session and its customer alone fix who the
    caller is: organization, customer, contact and role never come from the request (the token's
    ids only say where to read, and must be the session's own).

    `ahead` (a GET request's: the ids its path names, what its route declares it reads) is read in the
    same call, for the route's own reads to find (tables/read_ahead.py); it is read under the token's
    customer, so another customer's id is simply not found."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    now = now or adapters.now()
    found = _read(adapters, token, ahead)
    session, org, customer = found.session, found.org, found.customer
    if session is None or not TIMES.is_live(session.created_at, session.last_seen_at, now):
        return None
    role = lesser_role(session.role, customer.portal_role_of(session.contact_id)) \
        if customer is not None and org is not None else None
    if role is None:
        return None   # the contact is gone or no longer has access: the session ends with it
    if now - session.last_seen_at >= TOUCH_EVERY:
        expires_at = TIMES.expiry(session.created_at, now)
        if not adapters.uow.sessions.touch(session.token_hash, last_seen_at=now, expires_at=expires_at):
            return None   # ended between the read and the write
    return Identity(session.org_id, session.customer_id, session.contact_id, role, session.token_hash,
                    session.login, org, customer)


_NONE = SessionWithParties(None, None, None)


def _read(adapters, token: str, ahead) -> SessionWithParties:
    """The session of `token` with its customer and organization: one BatchGetItem for a token that
    names them; for a token of the older form (issued before, live for 12 hours at most) the session
    first, then the two."""
    try:
        named = parties_named_in(token)
    except ValueError:
        return _NONE
    if named is not None:
        found = adapters.uow.sessions.with_parties(token_hash(token), *named, ahead=ahead)
        if found.session is None or (found.session.org_id, found.session.customer_id) != named:
            return _NONE
        return found
    session = adapters.uow.sessions.get(token_hash(token))
    if session is None:
        return _NONE
    try:
        parties = adapters.uow.customers.with_organization(session.org_id, session.customer_id)
    except NotFound:
        return SessionWithParties(session, None, None)
    return SessionWithParties(session, parties.org, parties.customer)


def end(adapters, session_id: str) -> None:
    """Sign out: the session stops working at once (reads are consistent)."""
    adapters.uow.sessions.delete(session_id)


def end_all_of(adapters, login: str, *, keep: str | None = None) -> int:
    """End every session of one account except `keep`; answers how many were ended."""
    doomed = [h for h in adapters.uow.sessions.token_hashes_of(login) if h != keep]
    adapters.uow.sessions.delete_many(doomed)
    return len(doomed)
