"""Portal names (domain/portal_address.py): which organization a name opens. One item per name, so a
name is unique by its key; taking a name and giving up the old one happen in the transaction that
writes the organization."""
from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from .base import table
from .transactions import Transaction


@table("portal_addresses", deletable=True)   # a name given up is free for another organization
class PortalAddressItem(Model):
    class Meta:
        pass

    portal_name = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()


class PortalAddresses:
    """The organizations' portal names."""

    def org_for(self, portal_name: str) -> str | None:
        try:
            return PortalAddressItem.get(portal_name).org_id
        except DoesNotExist:
            return None

    def take_in(self, tx: Transaction, portal_name: str, org_id: str) -> None:
        """The transaction fails if another organization holds the name."""
        tx.save(PortalAddressItem(portal_name, org_id=org_id),
                condition=PortalAddressItem.portal_name.does_not_exist())

    def give_up_in(self, tx: Transaction, portal_name: str, org_id: str) -> None:
        tx.delete(PortalAddressItem(portal_name), condition=PortalAddressItem.org_id == org_id)
