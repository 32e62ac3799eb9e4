"""Merchant API keys, stored only as a hash of the key."""
from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from . import read_ahead
from .base import table
from .batch_reads import batch_get


@table("api_keys")
class ApiKeyItem(Model):
    class Meta:
        pass

    key_hash = UnicodeAttribute(hash_key=True)
    key_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    name = UnicodeAttribute(default="")
    hint = UnicodeAttribute()            # the key's last four characters, to tell keys apart
    created_at = UTCDateTimeAttribute()
    revoked_at = UTCDateTimeAttribute(null=True)


class ApiKeys:
    """The merchants' API keys, by the hash of the key."""

    def add(self, *, key_hash: str, key_id: str, org_id: str, name: str, hint: str, now: datetime) -> None:
        ApiKeyItem(key_hash, key_id=key_id, org_id=org_id, name=name, hint=hint, created_at=now).save(
            condition=ApiKeyItem.key_hash.does_not_exist())

    def org_for(self, key_hash: str) -> str | None:
        """The organization a key (not revoked) belongs to."""
        try:
            item = ApiKeyItem.get(key_hash)
        except DoesNotExist:
            return None
        return None if item.revoked_at else item.org_id

    def org_for_named(self, key_hash: str, org_id: str, ahead=None) -> str | None:
        """As `org_for`, for a key that names its organization `org_id`: the key read with what a GET
        route reads of the organization (`ahead`: tables/read_ahead.py) in one BatchGetItem. The
        caller checks that the key belongs to the organization it names."""
        ahead_keys = read_ahead.wanted_by_merchant(org_id, ahead)
        if not ahead_keys:
            return self.org_for(key_hash)     # the key alone: a GetItem
        wanted = {ApiKeyItem: [(key_hash,)], **{model: [key] for model, key, _ in ahead_keys}}
        found = batch_get(wanted, consistent_read=False, keep_ahead=True)
        item = next(iter(found[ApiKeyItem]), None)
        return None if item is None or item.revoked_at else item.org_id
