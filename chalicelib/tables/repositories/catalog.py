"""Plans, addons and coupons. Entries read by key are answered by (kind, lookup code): a coupon's
lookup code is its case-insensitive key (`domain.catalog.coupon_key`), a plan's or addon's its code."""
from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from ...domain import coupons
from ...domain.catalog import Addon, Coupon, Plan, coupon_key
from ...domain.errors import AlreadyExists, ConcurrentUpdate, DomainError, InvalidInput, NotFound
from ..catalog import CatalogItem, catalog_key
from ..mapping import from_item, to_attributes, to_item
from ..transactions import Transaction, condition_failed

KINDS = {"plan": Plan, "addon": Addon, "coupon": Coupon}


def lookup_code(kind: str, code: str) -> str:
    """What an entry is found by in the answers below: coupons in any case."""
    return coupon_key(code) if kind == "coupon" else code


def get(org_id: str, kind: str, code: str):
    """One entry, read consistently (a change is written back on the condition of its version)."""
    try:
        item = CatalogItem.get(org_id, catalog_key(kind, code), consistent_read=True)
    except DoesNotExist:
        raise NotFound(kind) from None
    return from_item(KINDS[kind], item)


def get_many(org_id: str, kind: str, codes: list[str]) -> dict:
    """Several items of one kind by lookup code, in one BatchGet; missing codes are simply absent."""
    keys = [(org_id, catalog_key(kind, code)) for code in dict.fromkeys(codes)]
    return ({lookup_code(kind, item.code): from_item(KINDS[kind], item) for item in CatalogItem.batch_get(keys)}
            if keys else {})


def entry_keys(org_id: str, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((org_id, catalog_key(kind, code)) for kind, code in keys))


def entries_of(items) -> dict:
    """{(kind, lookup code): entry} of catalog items read."""
    return {(item.kind, lookup_code(item.kind, item.code)): from_item(KINDS[item.kind], item) for item in items}


def list_all(org_id: str, kind: str, *, active_only: bool = False) -> list:
    condition = CatalogItem.active == True if active_only else None  # noqa: E712
    items = CatalogItem.query(org_id, CatalogItem.item_key.startswith(f"{kind}#"),
                              filter_condition=condition)
    return [from_item(KINDS[kind], item) for item in items]


def add(org_id: str, kind: str, entry) -> None:
    """A new entry; AlreadyExists if its code is taken (a coupon's in any case)."""
    item = CatalogItem(org_id, catalog_key(kind, entry.code), kind=kind, **to_attributes(entry))
    try:
        item.save(condition=CatalogItem.item_key.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            raise AlreadyExists(kind, entry.code) from error
        raise


def save_coupon(org_id: str, coupon: Coupon) -> Coupon:
    """Write back a coupon read earlier (its version); ConcurrentUpdate if it changed meanwhile
    (a redemption counted, another change)."""
    item = to_item(CatalogItem, coupon, org_id=org_id, item_key=catalog_key("coupon", coupon.code), kind="coupon")
    try:
        item.save()
    except PutError as error:
        if condition_failed(error):
            raise ConcurrentUpdate("coupon") from error
        raise
    return from_item(Coupon, item)


def redeem_in(tx: Transaction, org_id: str, code: str, *, now: datetime, by: coupons.Applier, field: str) -> None:
    """Count one redemption of coupon `code` in `tx`, on the condition that it may still be newly
    applied at `now` by `by` (it exists, is active, unexpired, below its limit; offered in the portal
    if a customer applies it). If that condition is what cancels `tx`, the caller is refused as
    the coupon then stood (InvalidInput naming `field`), and nothing is written."""
    item = CatalogItem(org_id, catalog_key("coupon", code))
    item.version = 0   # the version is moved on (a change read before this is stale) but not checked
    condition = (CatalogItem.item_key.exists() & (CatalogItem.active == True)  # noqa: E712
                 & (CatalogItem.expires_at.does_not_exist() | (CatalogItem.expires_at > now))
                 & (CatalogItem.max_redemptions.does_not_exist() | CatalogItem.redemptions.does_not_exist()
                    | (CatalogItem.redemptions < CatalogItem.max_redemptions)))
    if by == "customer":
        condition &= CatalogItem.portal == True  # noqa: E712

    def refused(raw_item: dict | None) -> DomainError:
        coupon = from_item(Coupon, CatalogItem.from_raw_data(raw_item)) if raw_item else None
        why = coupons.refusal(coupon, by=by, now=now)
        return InvalidInput({field: why}) if why else ConcurrentUpdate("coupon")

    tx.update_or_refuse(item, [CatalogItem.redemptions.add(1)], condition, refused)
