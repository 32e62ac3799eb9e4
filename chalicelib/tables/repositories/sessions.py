"""Portal sessions, stored under the hash of their token."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, UpdateError

from ..sessions import SessionItem
from ..transactions import condition_failed


@dataclass(frozen=True)
class Session:
    token_hash: str
    login: str
    org_id: str
    customer_id: str
    contact_id: str
    role: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


def item_for(session: Session) -> SessionItem:
    return SessionItem(session.token_hash, login=session.login, org_id=session.org_id,
                       customer_id=session.customer_id, contact_id=session.contact_id, role=session.role,
                       created_at=session.created_at, last_seen_at=session.last_seen_at,
                       expires_at=session.expires_at)


def get(token_hash: str) -> Session | None:
    """Read consistently: a session ended a moment ago must not be found."""
    try:
        item = SessionItem.get(token_hash, consistent_read=True)
    except DoesNotExist:
        return None
    return Session(item.token_hash, item.login, item.org_id, item.customer_id, item.contact_id, item.role,
                   item.created_at, item.last_seen_at, item.expires_at)


def touch(token_hash: str, *, last_seen_at: datetime, expires_at: datetime) -> bool:
    """Record use of a session; False if it has ended meanwhile (an update must not revive it)."""
    try:
        SessionItem(token_hash).update(
            actions=[SessionItem.last_seen_at.set(last_seen_at), SessionItem.expires_at.set(expires_at)],
            condition=SessionItem.token_hash.exists())
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def delete(token_hash: str) -> None:
    SessionItem(token_hash).delete()


def token_hashes_of(login: str) -> list[str]:
    """Every live session of one account (the `user` index; eventually consistent)."""
    return [item.token_hash for item in SessionItem.by_user.query(login)]


def delete_many(token_hashes: list[str]) -> None:
    with SessionItem.batch_write() as batch:
        for token_hash in token_hashes:
            batch.delete(SessionItem(token_hash))
