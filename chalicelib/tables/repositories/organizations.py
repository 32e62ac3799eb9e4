"""Organizations and their merchant API keys."""
from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from ...domain.customers import Address, CustomFieldDefinition
from ...domain.errors import ConcurrentUpdate, NotFound
from ...domain.organization import Organization
from ...domain.preferences import dunning_from_dict, preferences_from_dict
from ..api_keys import ApiKeyItem
from ..mapping import as_plain, from_dict, from_item
from ..organizations import OrganizationItem
from ..sequences import SequenceItem
from ..transactions import condition_failed


def get(org_id: str) -> Organization:
    try:
        item = OrganizationItem.get(org_id)
    except DoesNotExist:
        raise NotFound("organization") from None
    return to_domain(item)


def add(org: Organization) -> None:
    item = _to_item(org)
    try:
        item.save(condition=OrganizationItem.org_id.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            raise ConcurrentUpdate("organization") from error
        raise


def save(org: Organization) -> Organization:
    """Write back an organization read earlier; fails if it changed meanwhile."""
    item = _to_item(org)
    try:
        item.save()
    except PutError as error:
        if condition_failed(error):
            raise ConcurrentUpdate("organization") from error
        raise
    return to_domain(item)


def next_number(org_id: str, sequence: str) -> int:
    """Atomically take the next document number of a sequence (invoice_seq, credit_note_seq, ...).
    Taken before the document's transaction: a failed transaction leaves a gap, never a duplicate."""
    item = SequenceItem(f"{org_id}#{sequence}")
    item.update(actions=[SequenceItem.value.add(1)])
    return int(item.value)


def add_api_key(*, key_hash: str, key_id: str, org_id: str, name: str, hint: str, now: datetime) -> None:
    ApiKeyItem(key_hash, key_id=key_id, org_id=org_id, name=name, hint=hint, created_at=now).save(
        condition=ApiKeyItem.key_hash.does_not_exist())


def org_for_api_key(key_hash: str) -> str | None:
    try:
        item = ApiKeyItem.get(key_hash)
    except DoesNotExist:
        return None
    return None if item.revoked_at else item.org_id


def _to_item(org: Organization) -> OrganizationItem:
    item = OrganizationItem(
        org.org_id, name=org.name, email=org.email, currency=org.currency, phone=org.phone,
        website=org.website, address=as_plain(org.address), preferences=org.preferences.to_dict(),
        dunning=org.dunning.to_dict(), custom_fields=as_plain(org.custom_fields),
        payment_terms_days=org.payment_terms_days, time_zone=org.time_zone, test_mode=org.test_mode,
        test_clock_at=org.test_clock_at, created_at=org.created_at)
    if org.version is not None:
        item.version = org.version
    return item


def to_domain(item: OrganizationItem) -> Organization:
    return from_item(
        Organization, item,
        address=from_dict(Address, item.address.as_dict()),
        preferences=preferences_from_dict(item.preferences.as_dict()),
        dunning=dunning_from_dict(item.dunning.as_dict()),
        custom_fields=tuple(from_dict(CustomFieldDefinition, dict(d)) for d in item.custom_fields or []),
    )
