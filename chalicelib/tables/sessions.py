"""Portal sessions, stored by the hash of their token; DynamoDB's TTL removes dead ones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from .base import table
from .transactions import Transaction, condition_failed


# a session started before portal roles names the primary contact's and the others' as they were
# then: the owner, and billing (what every contact could do; docs/security.md "Roles")
ROLES_BEFORE_ROLES = {"primary": "owner", "contact": "billing"}


class SessionsByUser(GlobalSecondaryIndex):
    """Every session of a user, to end them all (password change)."""
    class Meta:
        index_name = "user"
        projection = KeysOnlyProjection()

    login = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("sessions", deletable=True)   # signing out ends a session at once
class SessionItem(Model):
    class Meta:
        pass

    token_hash = UnicodeAttribute(hash_key=True)
    login = UnicodeAttribute()
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    role = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()

    by_user = SessionsByUser()


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


class Sessions:
    """Portal sessions, by the hash of their token."""

    def add(self, session: Session) -> None:
        _item(session).save()

    def put_in(self, tx: Transaction, session: Session) -> None:
        """Start a session within the caller's transaction (with the account it signs in)."""
        tx.save(_item(session))

    def get(self, token_hash: str) -> Session | None:
        """Read consistently: a session ended a moment ago must not be found."""
        try:
            item = SessionItem.get(token_hash, consistent_read=True)
        except DoesNotExist:
            return None
        return Session(item.token_hash, item.login, item.org_id, item.customer_id, item.contact_id,
                       ROLES_BEFORE_ROLES.get(item.role, item.role), item.created_at, item.last_seen_at, item.expires_at)

    def touch(self, token_hash: str, *, last_seen_at: datetime, expires_at: datetime) -> bool:
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

    def move_in(self, tx: Transaction, token_hash: str, login: str) -> None:
        """Within the caller's transaction, let a session belong to the account's new `login`, if it
        still exists (an update must not revive it)."""
        tx.update(SessionItem(token_hash), actions=[SessionItem.login.set(login)],
                  condition=SessionItem.token_hash.exists())

    def delete(self, token_hash: str) -> None:
        SessionItem(token_hash).delete()

    def token_hashes_of(self, login: str) -> list[str]:
        """Every live session of one account (the `user` index; eventually consistent)."""
        return [item.token_hash for item in SessionItem.by_user.query(login)]

    def delete_many(self, token_hashes: list[str]) -> None:
        with SessionItem.batch_write() as batch:
            for token_hash in token_hashes:
                batch.delete(SessionItem(token_hash))


def _item(session: Session) -> SessionItem:
    return SessionItem(session.token_hash, login=session.login, org_id=session.org_id,
                       customer_id=session.customer_id, contact_id=session.contact_id, role=session.role,
                       created_at=session.created_at, last_seen_at=session.last_seen_at,
                       expires_at=session.expires_at)
