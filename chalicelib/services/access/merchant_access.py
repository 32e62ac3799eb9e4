"""Organizations and the merchant API keys that open the admin API."""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import replace
from datetime import datetime

from ...domain import audit, currencies
from ...domain.catalog import coupon_key
from ...domain.customers import Address
from ...domain.errors import AlreadyExists, BusinessRuleViolation, InvalidInput, NotFound
from ...domain.ids import new_id
from ...domain.organization import Organization
from ...domain.portal_address import problem_with
from ...domain.preferences import RetentionOffer
from ...domain.tokens import new_api_key, org_named_in_api_key
from .commands import OrganizationChanges

KEY_PREFIX = "pk_admin_"


def key_hash(api_key: str) -> str:
    # API keys are 256-bit random: a plain SHA-256 is enough to make a stolen table useless.
    return hashlib.sha256(api_key.encode()).hexdigest()


def create_organization(adapters, *, name: str, email: str, currency: str, now: datetime, test_mode: bool = False,
                        phone: str = "", website: str = "", address: Address | None = None,
                        org_id: str | None = None, time_zone: str = "UTC") -> tuple[Organization, str]:
    """A new organization and its first API key (returned once, stored only as a hash). Its
    currency must be one the payment gateway accepts."""
    currencies.require_supported(currency)
    org = Organization(org_id=org_id or new_id("organization", now), name=name, email=email,
                       currency=currency, created_at=now, phone=phone, website=website,
                       address=address or Address(), test_mode=test_mode, time_zone=time_zone)
    adapters.uow.organizations.add(org)
    return org, issue_api_key(adapters, org.org_id, name="first key", now=now)


def issue_api_key(adapters, org_id: str, *, name: str, now: datetime) -> str:
    api_key = new_api_key(KEY_PREFIX, org_id)
    adapters.uow.api_keys.add(key_hash=key_hash(api_key), key_id=new_id("api_key", now), org_id=org_id,
                              name=name, hint=api_key[-4:], now=now)
    return api_key


def org_for_api_key(adapters, api_key: str, ahead=None) -> str | None:
    """The organization a live API key belongs to, or None. A key naming its organization is read with
    what a GET route reads of it (`ahead`, tables/read_ahead.py), and must belong to the organization
    it names; a key of the older form (issued before keys named it) is read alone."""
    if not api_key.startswith(KEY_PREFIX) or len(api_key) > 200:
        return None
    try:
        named = org_named_in_api_key(api_key, KEY_PREFIX)
    except ValueError:
        return None
    if named is None:
        return adapters.uow.api_keys.org_for(key_hash(api_key))
    found = adapters.uow.api_keys.org_for_named(key_hash(api_key), named, ahead)
    return found if found == named else None


def get_organization(adapters, org_id: str) -> Organization:
    return adapters.uow.organizations.get(org_id)


def update_organization(adapters, org_id: str, changes: OrganizationChanges,
                        now: datetime | None = None) -> Organization:
    """Apply validated changes (preferences, dunning, details, custom fields, test mode)."""
    org = adapters.uow.organizations.get(org_id)
    if changes.test_mode not in (None, org.test_mode) and _has_subscriptions(adapters, org_id):
        # each subscription's due work is indexed on the clock it was created under: switching
        # afterwards would leave them on the other clock
        raise BusinessRuleViolation("Test mode is chosen before the first subscription; this organization has "
                                    "subscriptions already.", "test_mode_locked")
    if changes.time_zone not in (None, org.time_zone) and _has_subscriptions(adapters, org_id):
        # each subscription's terms are days of the time zone it was created in, and its due work
        # is indexed at the instants those days begin there
        raise BusinessRuleViolation("The time zone is chosen before the first subscription; this organization "
                                    "has subscriptions already.", "time_zone_locked")
    if changes.preferences is not None:
        _check_retention_offer(adapters, org_id, changes.preferences.cancel.retention_offer)
    given, now = changes.given(), now or adapters.now()
    changed = replace(org, **given).keeping_issuer_history(org, now)
    adapters.uow.audit_log.describe(_changed(org, changed))
    if changed.portal_name != org.portal_name:
        return _rename_portal(adapters, changed, org.portal_name)
    return adapters.uow.organizations.save(changed)


def _changed(before: Organization, after: Organization) -> dict[str, str]:
    """What the audit log says of the change: each setting that moved, old → new."""
    def settings(org: Organization) -> dict:
        return {"preferences": org.preferences.to_dict(), "dunning": org.dunning.to_dict(),
                "address": dataclasses.asdict(org.address),
                **{name: getattr(org, name) for name in ("name", "email", "phone", "website", "payment_terms_days",
                                                         "time_zone", "locale", "portal_name", "test_mode")}}
    return audit.changed(settings(before), settings(after))


def _check_retention_offer(adapters, org_id: str, offer: RetentionOffer | None) -> None:
    """The cancel flow's offer names a coupon of the catalogue that is not withdrawn (one that
    expires or is used up later is simply no longer offered)."""
    if offer is None:
        return
    coupon = adapters.uow.catalog.get_many(org_id, "coupon", [offer.coupon_code]).get(coupon_key(offer.coupon_code))
    if coupon is None or not coupon.active:
        raise InvalidInput({"preferences.cancel.retention_offer.coupon_code": "No such coupon in the catalogue."})


def organization_for_portal(adapters, portal_name: str) -> Organization:
    """The organization whose portal has this name, or had it before a rename (NotFound otherwise):
    its answer names the portal as it is now."""
    org_id = adapters.uow.portal_addresses.org_for(portal_name)
    if org_id is None:
        raise NotFound("portal")
    return adapters.uow.organizations.get(org_id)


def _rename_portal(adapters, org: Organization, old_name: str) -> Organization:
    """The organization with its new portal name, taken in the same transaction that keeps the old
    one: a name belongs to one organization, and a taken one is refused in words. The old name keeps
    opening this portal, and no other, for good (the links already emailed carry it)."""
    problem = problem_with(org.portal_name)
    if problem:
        raise InvalidInput({"portal_name": problem})
    holder = adapters.uow.portal_addresses.org_for(org.portal_name)
    if holder is not None and holder != org.org_id:
        raise AlreadyExists("portal name", org.portal_name)
    with adapters.uow.transaction("organization") as tx:
        adapters.uow.portal_addresses.take_in(tx, org.portal_name, org.org_id)
        if old_name:
            adapters.uow.portal_addresses.take_in(tx, old_name, org.org_id)    # it stays ours
        item = adapters.uow.organizations.save_in(tx, org)
    return adapters.uow.organizations.saved(item)


def _has_subscriptions(adapters, org_id: str) -> bool:
    return bool(adapters.uow.subscriptions.page_for_organization(org_id, limit=1, cursor=None).items)
