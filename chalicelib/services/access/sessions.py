"""Portal sessions: opaque 256-bit bearer tokens, stored only as their hash, ending after
30 minutes idle or 12 hours in all (domain/tokens.py), removed by DynamoDB's TTL after."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ...domain.tokens import SessionTimes, new_token, token_hash
from ...tables.sessions import Session

if TYPE_CHECKING:
    from ...tables.portal_users import PortalUser

TIMES = SessionTimes()
# last_seen_at is written at most this often: one write a minute per active session, not one
# per request. The idle timeout is therefore honoured to within this much.
TOUCH_EVERY = timedelta(minutes=1)
_MAX_TOKEN_LENGTH = 128   # ours are 43 characters; anything far longer is not worth hashing


@dataclass(frozen=True)
class SignedIn:
    """What a sign-in answers: the bearer token (shown once) and its limits."""
    token: str
    expires_at: datetime          # the absolute end; idle for longer ends it sooner
    idle_timeout_seconds: int


@dataclass(frozen=True)
class Identity:
    """Who a live session's caller is: all of it from the session, none from the request."""
    org_id: str
    customer_id: str
    contact_id: str
    role: str
    session_id: str   # the token's hash: what signing out ends
    login: str        # the account signed in


def new_session(user: PortalUser, role: str, now: datetime) -> tuple[SignedIn, Session]:
    """A fresh session for `user` (not yet stored: `start` does, or the caller's transaction)."""
    token = new_token()
    session = Session(token_hash(token), user.login, user.org_id, user.customer_id, user.contact_id, role,
                      created_at=now, last_seen_at=now, expires_at=TIMES.expiry(now, now))
    answer = SignedIn(token, now + TIMES.absolute, int(TIMES.idle.total_seconds()))
    return answer, session


def start(adapters, user: PortalUser, role: str, now: datetime) -> SignedIn:
    answer, session = new_session(user, role, now)
    adapters.uow.sessions.add(session)
    return answer


def authenticate(adapters, token: str, now: datetime | None = None) -> Identity | None:
    """Who a live session's caller is, or None. The session alone fixes who the
    caller is: organization, customer, contact and role never come from the request."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    now = now or adapters.now()
    session = adapters.uow.sessions.get(token_hash(token))
    if session is None or not TIMES.is_live(session.created_at, session.last_seen_at, now):
        return None
    if now - session.last_seen_at >= TOUCH_EVERY:
        expires_at = TIMES.expiry(session.created_at, now)
        if not adapters.uow.sessions.touch(session.token_hash, last_seen_at=now, expires_at=expires_at):
            return None   # ended between the read and the write
    return Identity(session.org_id, session.customer_id, session.contact_id, session.role, session.token_hash,
                    session.login)


def end(adapters, session_id: str) -> None:
    """Sign out: the session stops working at once (reads are consistent)."""
    adapters.uow.sessions.delete(session_id)


def end_all_of(adapters, login: str, *, keep: str | None = None) -> int:
    """End every session of one account except `keep`; answers how many were ended."""
    doomed = [h for h in adapters.uow.sessions.token_hashes_of(login) if h != keep]
    adapters.uow.sessions.delete_many(doomed)
    return len(doomed)
