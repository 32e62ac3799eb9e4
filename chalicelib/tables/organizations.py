"""Merchant organizations: public details, portal preferences, billing settings; each written back
on the version read."""
from __future__ import annotations

from pynamodb.attributes import (BooleanAttribute, ListAttribute, MapAttribute, NumberAttribute,
                                 UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute)
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from ..domain.errors import ConcurrentUpdate, NotFound
from ..domain.organization import Organization
from ..domain.preferences import Preferences, dunning_from_dict, preferences_from_dict
from .base import table
from .mapping import as_plain, from_item
from .transactions import Transaction, condition_failed


@table("organizations")
class OrganizationItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    currency = UnicodeAttribute()
    phone = UnicodeAttribute(default="")
    website = UnicodeAttribute(default="")
    address = MapAttribute(default=dict)
    preferences = MapAttribute(default=dict)
    dunning = MapAttribute(default=dict)
    custom_fields = ListAttribute(default=list)
    payment_terms_days = NumberAttribute(default=15)
    time_zone = UnicodeAttribute(default="UTC")
    locale = UnicodeAttribute(default="en-US")
    portal_name = UnicodeAttribute(default="")
    logo = UnicodeAttribute(default="")
    test_mode = BooleanAttribute(default=False)
    test_clock_at = UTCDateTimeAttribute(null=True)
    issuer_history = ListAttribute(default=list)    # who documents said issued them, before each change
    created_at = UTCDateTimeAttribute()
    version = VersionAttribute()


_PREFERENCES = ["org_id", "preferences"]


class Organizations:
    """The merchants' organizations, by id."""

    def get(self, org_id: str) -> Organization:
        try:
            item = OrganizationItem.get(org_id)
        except DoesNotExist:
            raise NotFound("organization") from None
        return organization_of(item)

    def preferences(self, org_id: str) -> Preferences:
        """The organization's portal preferences (which features are on), reading only them: a list a
        feature gates parses one attribute, not the whole organization."""
        try:
            item = OrganizationItem.get(org_id, attributes_to_get=_PREFERENCES)
        except DoesNotExist:
            raise NotFound("organization") from None
        return preferences_from_dict(item.preferences.as_dict())

    def add(self, org: Organization) -> None:
        item = _item(org)
        try:
            item.save(condition=OrganizationItem.org_id.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                raise ConcurrentUpdate("organization") from error
            raise

    def save(self, org: Organization) -> Organization:
        """Write back an organization read earlier; fails if it changed meanwhile."""
        item = _item(org)
        try:
            item.save()
        except PutError as error:
            if condition_failed(error):
                raise ConcurrentUpdate("organization") from error
            raise
        return organization_of(item)

    def save_in(self, tx: Transaction, org: Organization) -> OrganizationItem:
        """Write back an organization read earlier within `tx`; the transaction fails if it changed
        meanwhile. `saved` gives the organization as written."""
        item = _item(org)
        tx.save(item)
        return item

    def saved(self, item: OrganizationItem) -> Organization:
        return organization_of(item)


def _item(org: Organization) -> OrganizationItem:
    item = OrganizationItem(
        org.org_id, name=org.name, email=org.email, currency=org.currency, phone=org.phone,
        website=org.website, address=as_plain(org.address), preferences=org.preferences.to_dict(),
        dunning=org.dunning.to_dict(), custom_fields=as_plain(org.custom_fields),
        payment_terms_days=org.payment_terms_days, time_zone=org.time_zone, portal_name=org.portal_name, logo=org.logo,
        locale=org.locale, test_mode=org.test_mode,
        test_clock_at=org.test_clock_at, issuer_history=as_plain(org.issuer_history), created_at=org.created_at)
    if org.version is not None:
        item.version = org.version
    return item


def organization_of(item: OrganizationItem) -> Organization:
    """The organization an item holds (also for items read along with other tables'): its preferences
    and dunning settings read by their own rules (keys of older versions ignored), the rest by type."""
    return from_item(
        Organization, item,
        preferences=preferences_from_dict(item.preferences.as_dict()),
        dunning=dunning_from_dict(item.dunning.as_dict()),
    )
