"""Passkeys (WebAuthn credentials) of portal accounts: by credential id, and per contact person for
their security screen. Only public keys are kept; the private key never leaves the authenticator."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .base import table
from .transactions import Transaction


def holder_key(org_id: str, customer_id: str, contact_id: str) -> str:
    return f"{org_id}#{customer_id}#{contact_id}"


class PasskeysByHolder(GlobalSecondaryIndex):
    class Meta:
        index_name = "holder"
        projection = AllProjection()

    holder = UnicodeAttribute(hash_key=True)          # org#customer#contact
    created_at = UTCDateTimeAttribute(range_key=True)


@table("passkeys", deletable=True)   # the customer removes a passkey
class PasskeyItem(Model):
    class Meta:
        pass

    credential_id = UnicodeAttribute(hash_key=True)   # base64url, as the browser names it
    holder = UnicodeAttribute()
    login = UnicodeAttribute()                        # the account it signs in (org#email)
    org_id = UnicodeAttribute()
    user_handle = UnicodeAttribute()                  # base64url; never an email or an id
    public_key = UnicodeAttribute()                   # COSE key, base64url
    sign_count = NumberAttribute()
    name = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    last_used_at = UTCDateTimeAttribute(null=True)

    by_holder = PasskeysByHolder()


@dataclass(frozen=True)
class Passkey:
    credential_id: str
    holder: str
    login: str
    org_id: str
    user_handle: str
    public_key: str
    sign_count: int
    name: str
    created_at: datetime
    last_used_at: datetime | None = None


class Passkeys:
    """Passkeys by credential id; a contact person's, newest last."""

    def get(self, credential_id: str) -> Passkey | None:
        try:
            return _passkey(PasskeyItem.get(credential_id, consistent_read=True))
        except DoesNotExist:
            return None

    def of_holder(self, holder: str) -> list[Passkey]:
        return [_passkey(item) for item in PasskeyItem.by_holder.query(holder)]

    def add(self, passkey: Passkey) -> bool:
        """Keep a new passkey; False if its credential id is registered already."""
        try:
            _item(passkey).save(condition=PasskeyItem.credential_id.does_not_exist())
        except PutError as error:
            if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
                return False   # (condition_failed reads transactions' and updates' errors, not a delete's)
            raise
        return True

    def used_in(self, tx: Transaction, passkey: Passkey, sign_count: int, now: datetime) -> None:
        """Record a sign-in within `tx`, on the sign count read: two sign-ins racing with one
        assertion cannot both succeed."""
        P = PasskeyItem
        tx.update(P(passkey.credential_id), actions=[P.sign_count.set(sign_count), P.last_used_at.set(now)],
                  condition=P.credential_id.exists() & (P.sign_count == passkey.sign_count))

    def remove(self, holder: str, credential_id: str) -> bool:
        """Remove one of the holder's passkeys; False if the holder has none by that id."""
        try:
            PasskeyItem(credential_id).delete(condition=PasskeyItem.holder == holder)
        except DeleteError as error:
            if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
                return False   # (condition_failed reads transactions' and updates' errors, not a delete's)
            raise
        return True

    def remove_every(self, passkeys: list[Passkey]) -> None:
        """Remove these passkeys in one batch (each holder's are at most ten)."""
        with PasskeyItem.batch_write() as batch:
            for passkey in passkeys:
                batch.delete(PasskeyItem(passkey.credential_id))


def _passkey(item: PasskeyItem) -> Passkey:
    return Passkey(item.credential_id, item.holder, item.login, item.org_id, item.user_handle, item.public_key,
                   int(item.sign_count), item.name, item.created_at, item.last_used_at)


def _item(passkey: Passkey) -> PasskeyItem:
    return PasskeyItem(passkey.credential_id, holder=passkey.holder, login=passkey.login, org_id=passkey.org_id,
                       user_handle=passkey.user_handle, public_key=passkey.public_key, sign_count=passkey.sign_count,
                       name=passkey.name, created_at=passkey.created_at, last_used_at=passkey.last_used_at)
