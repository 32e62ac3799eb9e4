"""Plans, addons and coupons of an organization (one table, `item_key` = kind#code; a coupon's
code in the key is its case-insensitive form, `code` keeps it as the merchant wrote it).

Entries read by key are answered by (kind, lookup code): a coupon's lookup code is its
case-insensitive key (`domain.catalog.coupon_key`), a plan's or addon's its code."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from pynamodb.attributes import (BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute,
                                 UTCDateTimeAttribute, VersionAttribute)
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from ..domain import coupons
from ..domain.catalog import Addon, Coupon, Plan, coupon_key
from ..domain.customers import Customer
from ..domain.documents import CreditNote
from ..domain.errors import AlreadyExists, ConcurrentUpdate, DomainError, InvalidInput, NotFound
from ..domain.organization import Organization
from .base import owner_key, table
from .batch_reads import batch_get
from .credit_notes import CreditNoteItem
from .customers import CustomerItem
from .mapping import from_item, to_attributes, to_item
from .organizations import OrganizationItem, organization_of
from .sequences import SequenceItem, last_numbers_read, sequence_keys
from .transactions import Transaction, condition_failed

KINDS = {"plan": Plan, "addon": Addon, "coupon": Coupon}


def catalog_key(kind: str, code: str) -> str:
    """The item key of a catalog entry; coupons are found by their code in any case."""
    return f"{kind}#{coupon_key(code) if kind == 'coupon' else code}"


@table("catalog")
class CatalogItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    item_key = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()                     # plan | addon | coupon
    code = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    active = BooleanAttribute(default=True)
    currency = UnicodeAttribute(null=True)
    price_minor = NumberAttribute(null=True)
    interval = UnicodeAttribute(null=True)
    interval_count = NumberAttribute(null=True)
    trial_days = NumberAttribute(null=True)
    recurring = BooleanAttribute(null=True)
    plan_codes = ListAttribute(null=True)
    duration = UnicodeAttribute(null=True)
    cycles = NumberAttribute(null=True)
    percent_off_bp = NumberAttribute(null=True)
    amount_off_minor = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    # coupons; absent on coupons stored before them: not offered in the portal, no limits, none redeemed
    portal = BooleanAttribute(null=True)
    max_redemptions = NumberAttribute(null=True)
    expires_at = UTCDateTimeAttribute(null=True)
    redemptions = NumberAttribute(null=True)
    version = VersionAttribute()


class Catalog:
    """An organization's plans, addons and coupons."""

    def get(self, org_id: str, kind: str, code: str):
        """One entry, read consistently (a change is written back on the condition of its version)."""
        try:
            item = CatalogItem.get(org_id, catalog_key(kind, code), consistent_read=True)
        except DoesNotExist:
            raise NotFound(kind) from None
        return from_item(KINDS[kind], item)

    def get_many(self, org_id: str, kind: str, codes: list[str]) -> dict:
        """Several items of one kind by lookup code, in one BatchGet; missing codes are simply absent."""
        keys = [(org_id, catalog_key(kind, code)) for code in dict.fromkeys(codes)]
        return ({lookup_code(kind, item.code): from_item(KINDS[kind], item) for item in CatalogItem.batch_get(keys)}
                if keys else {})

    def list_all(self, org_id: str, kind: str, *, active_only: bool = False) -> list:
        condition = CatalogItem.active == True if active_only else None  # noqa: E712
        items = CatalogItem.query(org_id, CatalogItem.item_key.startswith(f"{kind}#"),
                                  filter_condition=condition)
        return [from_item(KINDS[kind], item) for item in items]

    def active_by_kind(self, org_id: str) -> dict[str, list]:
        """The active plans, addons and coupons, by kind, in one Query of the organization's catalog
        partition (`list_all` reads one kind per Query)."""
        found: dict[str, list] = {kind: [] for kind in KINDS}
        for item in CatalogItem.query(org_id, filter_condition=CatalogItem.active == True):  # noqa: E712
            if item.kind in KINDS:
                found[item.kind].append(from_item(KINDS[item.kind], item))
        return found

    def with_credit_notes(self, org_id: str, customer_id: str, catalog_keys: list[tuple[str, str]],
                          credit_note_ids: Iterable[str]) -> tuple[dict, list[CreditNote]]:
        """Catalog entries by (kind, code) and the customer's credit notes by id, in one BatchGetItem
        (none if nothing is wanted); missing ones are simply absent."""
        owner = owner_key(org_id, customer_id)
        wanted = {CatalogItem: entry_keys(org_id, catalog_keys),
                  CreditNoteItem: [(owner, note_id) for note_id in sorted(credit_note_ids)]}
        if not any(wanted.values()):
            return {}, []
        found = batch_get({model: keys for model, keys in wanted.items() if keys})
        return (entries_of(found.get(CatalogItem, [])),
                [from_item(CreditNote, item) for item in found.get(CreditNoteItem, [])])

    def with_organization_and_customer(self, org_id: str, customer_id: str, catalog_keys: list[tuple[str, str]],
                                       sequences: tuple[str, ...] = ()
                                       ) -> tuple[Organization, Customer, dict, dict[str, int]]:
        """The organization, one of its customers (NotFound if either is missing), catalog entries by
        (kind, code) (missing ones simply absent) and the last numbers of `sequences` (by name), in one
        consistent BatchGetItem."""
        numbered = sequence_keys(org_id, sequences)
        found = batch_get({OrganizationItem: [(org_id,)], CustomerItem: [(org_id, customer_id)],
                           CatalogItem: entry_keys(org_id, catalog_keys), SequenceItem: [(k,) for k in numbered]})
        if not found[OrganizationItem]:
            raise NotFound("organization")
        if not found[CustomerItem]:
            raise NotFound("customer")
        return (organization_of(found[OrganizationItem][0]), from_item(Customer, found[CustomerItem][0]),
                entries_of(found[CatalogItem]), last_numbers_read(numbered, found[SequenceItem]))

    def add(self, org_id: str, kind: str, entry) -> None:
        """A new entry; AlreadyExists if its code is taken (a coupon's in any case)."""
        item = CatalogItem(org_id, catalog_key(kind, entry.code), kind=kind, **to_attributes(entry))
        try:
            item.save(condition=CatalogItem.item_key.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                raise AlreadyExists(kind, entry.code) from error
            raise

    def save_coupon(self, org_id: str, coupon: Coupon) -> Coupon:
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

    def redeem_in(self, tx: Transaction, org_id: str, code: str, *, now: datetime, by: coupons.Applier,
                  field: str) -> None:
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


    def give_back_in(self, tx: Transaction, org_id: str, code: str) -> None:
        """Take back one redemption of coupon `code` in `tx` (the change that redeemed it was undone):
        the coupon may be redeemed by another subscription again."""
        item = CatalogItem(org_id, catalog_key("coupon", code))
        item.version = 0   # as a redemption: the version is moved on but not checked
        tx.update(item, [CatalogItem.redemptions.add(-1)], condition=CatalogItem.redemptions > 0,
                  add_version_condition=False)


def lookup_code(kind: str, code: str) -> str:
    """What an entry is found by in the answers above: coupons in any case."""
    return coupon_key(code) if kind == "coupon" else code


def entry_keys(org_id: str, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((org_id, catalog_key(kind, code)) for kind, code in keys))


def entries_of(items) -> dict:
    """{(kind, lookup code): entry} of catalog items read."""
    return {(item.kind, lookup_code(item.kind, item.code)): from_item(KINDS[item.kind], item) for item in items}
