"""Plans, addons and coupons."""
from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, PutError

from ...domain.catalog import Addon, Coupon, Plan
from ...domain.errors import AlreadyExists, NotFound
from ..catalog import CatalogItem, catalog_key
from ..mapping import from_item, to_attributes
from ..transactions import condition_failed

KINDS = {"plan": Plan, "addon": Addon, "coupon": Coupon}


def get(org_id: str, kind: str, code: str):
    try:
        item = CatalogItem.get(org_id, catalog_key(kind, code))
    except DoesNotExist:
        raise NotFound(kind) from None
    return from_item(KINDS[kind], item)


def get_many(org_id: str, kind: str, codes: list[str]) -> dict:
    """Several items of one kind by code, in one BatchGet; missing codes are simply absent."""
    keys = [(org_id, catalog_key(kind, code)) for code in dict.fromkeys(codes)]
    return {item.code: from_item(KINDS[kind], item) for item in CatalogItem.batch_get(keys)} if keys else {}


def get_entries(org_id: str, keys: list[tuple[str, str]]) -> dict:
    """Items of any kinds by (kind, code), in one BatchGet; missing ones are simply absent."""
    wanted = entry_keys(org_id, keys)
    return entries_of(CatalogItem.batch_get(wanted) if wanted else [])


def entry_keys(org_id: str, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(org_id, catalog_key(kind, code)) for kind, code in dict.fromkeys(keys)]


def entries_of(items) -> dict:
    """{(kind, code): entry} of catalog items read."""
    return {(item.kind, item.code): from_item(KINDS[item.kind], item) for item in items}


def list_all(org_id: str, kind: str, *, active_only: bool = False) -> list:
    condition = CatalogItem.active == True if active_only else None  # noqa: E712
    items = CatalogItem.query(org_id, CatalogItem.item_key.startswith(f"{kind}#"),
                              filter_condition=condition)
    return [from_item(KINDS[kind], item) for item in items]


def add(org_id: str, kind: str, entry) -> None:
    item = CatalogItem(org_id, catalog_key(kind, entry.code), kind=kind, **to_attributes(entry))
    try:
        item.save(condition=CatalogItem.item_key.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            raise AlreadyExists(kind, entry.code) from error
        raise
