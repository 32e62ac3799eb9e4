"""The merchant's logo: set (a PNG checked by domain/logos.py), removed, and read back by the version
the organization names, for the portal, emails and PDFs."""
from __future__ import annotations

from dataclasses import replace

from ...domain.logos import checked_logo
from ...domain.organization import Organization


def set_logo(adapters, org_id: str, data: bytes) -> Organization:
    """The organization with `data` as its logo: the bytes and the organization's version of them
    written together, on the organization's version read."""
    logo = checked_logo(data)
    org = adapters.uow.organizations.get(org_id)
    with adapters.uow.transaction("organization") as tx:
        adapters.uow.logos.put_in(tx, org_id, logo.version, logo.data)
        item = adapters.uow.organizations.save_in(tx, replace(org, logo=logo.version))
    return adapters.uow.organizations.saved(item)


def remove_logo(adapters, org_id: str) -> Organization:
    org = adapters.uow.organizations.get(org_id)
    if not org.logo:
        return org
    with adapters.uow.transaction("organization") as tx:
        adapters.uow.logos.remove_in(tx, org_id)
        item = adapters.uow.organizations.save_in(tx, replace(org, logo=""))
    return adapters.uow.organizations.saved(item)


def logo(adapters, org_id: str, version: str) -> bytes | None:
    """The logo's bytes when `version` is the organization's logo (an older one's address answers none)."""
    return adapters.uow.logos.get(org_id, version)
