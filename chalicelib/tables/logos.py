"""Organizations' logos (domain/logos.py): one item per organization, its PNG bytes and version. Kept
out of the organization's item, which nearly every request reads: the bytes are read only when
the logo itself is asked for (the portal's header, an email, a PDF)."""
from __future__ import annotations

from pynamodb.attributes import BinaryAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from .base import table
from .transactions import Transaction


@table("logos", deletable=True)   # a logo the merchant removes is gone
class LogoItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    version = UnicodeAttribute()
    data = BinaryAttribute(legacy_encoding=False)


class Logos:
    """The organizations' logos, by organization."""

    def get(self, org_id: str, version: str) -> bytes | None:
        """The logo's bytes if `version` is the organization's logo now."""
        try:
            item = LogoItem.get(org_id)
        except DoesNotExist:
            return None
        return item.data if item.version == version else None

    def put_in(self, tx: Transaction, org_id: str, version: str, data: bytes) -> None:
        tx.save(LogoItem(org_id, version=version, data=data))

    def remove_in(self, tx: Transaction, org_id: str) -> None:
        tx.delete(LogoItem(org_id))
