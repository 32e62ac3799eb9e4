"""Portal names (domain/portal_address.py): which organization a name opens. One item per name, so a
name is unique by its key; taking a name and retiring the old one happen in the transaction that
writes the organization. A name, once an organization's, is its own for good: retired by a rename it
keeps opening that portal, only that organization may take it back, and its item is never deleted
(nor does it expire), so the condition that refuses everyone else always has it to read."""
from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from .base import table
from .transactions import Transaction


@table("portal_addresses")
class PortalAddressItem(Model):
    class Meta:
        # Stages made before names were kept for good expire this attribute: the template switches
        # their TTL off by name (a template merely without TTL would not be seen to say so)
        ttl_switched_off = "expires_at"

    portal_name = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    # Items retired before names were kept for good still carry `expires_at`: nothing reads it, the
    # table no longer expires anything, and the next Put of the name writes the item without it.


class PortalAddresses:
    """The organizations' portal names."""

    def org_for(self, portal_name: str) -> str | None:
        """The organization the name opens: its portal's name now, or one it renamed away from."""
        try:
            return PortalAddressItem.get(portal_name).org_id
        except DoesNotExist:
            return None

    def take_in(self, tx: Transaction, portal_name: str, org_id: str) -> None:
        """The name is the organization's for good: the transaction fails if another organization
        holds it, as its portal's now or one it once had. A rename takes the new name and keeps the old
        one so (an old name never written, as names were before this table, is written then)."""
        tx.save(PortalAddressItem(portal_name, org_id=org_id),
                condition=PortalAddressItem.portal_name.does_not_exist() | (PortalAddressItem.org_id == org_id))
