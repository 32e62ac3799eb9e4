"""Single-use tokens for invitations, password resets and sign-in email changes, stored by the hash of
the token, with TTL."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from .base import table
from .transactions import Transaction


@table("one_time_tokens")
class OneTimeTokenItem(Model):
    class Meta:
        pass

    token_hash = UnicodeAttribute(hash_key=True)
    purpose = UnicodeAttribute()                      # invite | reset | email_change
    login = UnicodeAttribute()
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute()
    new_email = UnicodeAttribute(null=True)           # email_change: the address it confirms


@dataclass(frozen=True)
class OneTimeToken:
    token_hash: str
    purpose: str                 # invite | reset | email_change
    login: str
    org_id: str
    customer_id: str
    contact_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    new_email: str | None = None  # email_change: the address confirmed by whoever holds the token

    def is_usable(self, purpose: str, org_id: str, now: datetime) -> bool:
        # DynamoDB's TTL deletes expired items eventually, not at once: the expiry is checked here.
        return (self.purpose == purpose and self.org_id == org_id and self.used_at is None
                and now < self.expires_at)


class OneTimeTokens:
    """Invitation, password-reset and email-change tokens, by the hash of the token."""

    def get(self, token_hash: str) -> OneTimeToken | None:
        try:
            item = OneTimeTokenItem.get(token_hash, consistent_read=True)
        except DoesNotExist:
            return None
        return OneTimeToken(item.token_hash, item.purpose, item.login, item.org_id, item.customer_id,
                            item.contact_id, item.created_at, item.expires_at, item.used_at, item.new_email)

    def put_in(self, tx: Transaction, token: OneTimeToken) -> None:
        """Keep a new token within the caller's transaction (with the email whose link carries it)."""
        tx.save(_item(token))

    def add(self, token: OneTimeToken) -> None:
        """Keep a new token (as its email is sent: the token itself is never stored)."""
        _item(token).save(condition=OneTimeTokenItem.token_hash.does_not_exist())

    def use_in(self, tx: Transaction, token_hash: str, now: datetime) -> None:
        """Mark the token used within `tx`; the transaction fails if it was used already, so two
        requests racing with one token cannot both succeed."""
        T = OneTimeTokenItem
        tx.update(T(token_hash), actions=[T.used_at.set(now)],
                  condition=T.token_hash.exists() & T.used_at.does_not_exist())


def _item(token: OneTimeToken) -> OneTimeTokenItem:
    return OneTimeTokenItem(token.token_hash, purpose=token.purpose, login=token.login, org_id=token.org_id,
                            customer_id=token.customer_id, contact_id=token.contact_id,
                            created_at=token.created_at, used_at=token.used_at, expires_at=token.expires_at,
                            new_email=token.new_email)
