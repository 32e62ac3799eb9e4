"""The console's sessions (a merchant user signed in), stored by the hash of their token.

A table of their own, not the portal's `sessions`: a token is looked up only where its audience's
sessions are, so a portal session can never open the admin API, nor a console session the portal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from .base import table
from .mapping import from_item, to_item
from .transactions import condition_failed


class MerchantSessionsByUser(GlobalSecondaryIndex):
    """Every session of a user, to end them all (password change, role change)."""
    class Meta:
        index_name = "user"
        projection = KeysOnlyProjection()

    login = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("merchant_sessions", deletable=True)   # signing out ends a session at once
class MerchantSessionItem(Model):
    class Meta:
        pass

    token_hash = UnicodeAttribute(hash_key=True)
    login = UnicodeAttribute()
    user_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    role = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()

    by_user = MerchantSessionsByUser()


@dataclass(frozen=True)
class MerchantSession:
    token_hash: str
    login: str
    user_id: str
    org_id: str
    role: str            # the user's role when signed in: a role change ends the user's sessions
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


class MerchantSessions:
    """Console sessions, by the hash of their token."""

    def add(self, session: MerchantSession) -> None:
        to_item(MerchantSessionItem, session).save()

    def get(self, token_hash: str) -> MerchantSession | None:
        """Read consistently: a session ended a moment ago must not be found."""
        try:
            return from_item(MerchantSession, MerchantSessionItem.get(token_hash, consistent_read=True))
        except DoesNotExist:
            return None

    def touch(self, token_hash: str, *, last_seen_at: datetime, expires_at: datetime) -> bool:
        """Record use of a session; False if it has ended meanwhile (an update must not revive it)."""
        try:
            MerchantSessionItem(token_hash).update(
                actions=[MerchantSessionItem.last_seen_at.set(last_seen_at),
                         MerchantSessionItem.expires_at.set(expires_at)],
                condition=MerchantSessionItem.token_hash.exists())
        except UpdateError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def delete(self, token_hash: str) -> None:
        MerchantSessionItem(token_hash).delete()

    def token_hashes_of(self, login: str) -> list[str]:
        """Every live session of one user (the `user` index; eventually consistent)."""
        return [item.token_hash for item in MerchantSessionItem.by_user.query(login)]

    def delete_many(self, token_hashes: list[str]) -> None:
        with MerchantSessionItem.batch_write() as batch:
            for token_hash in token_hashes:
                batch.delete(MerchantSessionItem(token_hash))
