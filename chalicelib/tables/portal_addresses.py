"""Portal names (domain/portal_address.py): which organization a name opens. One item per name, so a
name is unique by its key; taking a name and retiring the old one happen in the transaction that
writes the organization. A retired name keeps opening its organization's portal, and is held from
others, until it expires (`domain.portal_address.RETIRED_NAME_KEPT`); DynamoDB's TTL removes it later."""
from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from .base import table
from .transactions import Transaction


@table("portal_addresses")
class PortalAddressItem(Model):
    class Meta:
        pass

    portal_name = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    expires_at = TTLAttribute(null=True)     # a retired name's: free for any organization from then


class PortalAddresses:
    """The organizations' portal names."""

    def org_for(self, portal_name: str, now: datetime) -> str | None:
        """The organization the name opens: its portal's name now, or one it retired not yet expired."""
        try:
            item = PortalAddressItem.get(portal_name)
        except DoesNotExist:
            return None
        return item.org_id if item.expires_at is None or now < item.expires_at else None

    def take_in(self, tx: Transaction, portal_name: str, org_id: str, now: datetime) -> None:
        """The transaction fails if another organization holds the name (as its portal's, or retired
        and not yet expired); the organization's own retired name it takes back."""
        tx.save(PortalAddressItem(portal_name, org_id=org_id),
                condition=PortalAddressItem.portal_name.does_not_exist() | (PortalAddressItem.org_id == org_id)
                | (PortalAddressItem.expires_at <= now))

    def retire_in(self, tx: Transaction, portal_name: str, org_id: str, until: datetime) -> None:
        """The organization's old name, still its own until `until`."""
        tx.save(PortalAddressItem(portal_name, org_id=org_id, expires_at=until),
                condition=PortalAddressItem.org_id == org_id)
