"""Single-use tokens (invitations, password resets), stored under the hash of the token."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from ..one_time_tokens import OneTimeTokenItem


@dataclass(frozen=True)
class OneTimeToken:
    token_hash: str
    purpose: str                 # invite | reset
    login: str
    org_id: str
    customer_id: str
    contact_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def is_usable(self, purpose: str, org_id: str, now: datetime) -> bool:
        # DynamoDB's TTL deletes expired items eventually, not at once: the expiry is checked here.
        return (self.purpose == purpose and self.org_id == org_id and self.used_at is None
                and now < self.expires_at)


def item_for(token: OneTimeToken) -> OneTimeTokenItem:
    return OneTimeTokenItem(token.token_hash, purpose=token.purpose, login=token.login, org_id=token.org_id,
                            customer_id=token.customer_id, contact_id=token.contact_id,
                            created_at=token.created_at, used_at=token.used_at, expires_at=token.expires_at)


def get(token_hash: str) -> OneTimeToken | None:
    try:
        item = OneTimeTokenItem.get(token_hash, consistent_read=True)
    except DoesNotExist:
        return None
    return OneTimeToken(item.token_hash, item.purpose, item.login, item.org_id, item.customer_id,
                        item.contact_id, item.created_at, item.expires_at, item.used_at)


def use_in(tx: TransactWrite, token_hash: str, now: datetime) -> None:
    """Mark the token used within `tx`; the transaction fails if it was used already, so two
    requests racing with one token cannot both succeed."""
    T = OneTimeTokenItem
    tx.update(T(token_hash), actions=[T.used_at.set(now)],
              condition=T.token_hash.exists() & T.used_at.does_not_exist())
