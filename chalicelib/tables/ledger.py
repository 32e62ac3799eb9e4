"""Per-customer ledger: every change to what the customer owes, append-only, in time order.

Written in the same TransactWrite as the document change it records (the repositories' `save_in`),
so the statement of accounts is one (paged) Query on the customer's partition."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from ..domain.money import Money
from ..domain.statement import LedgerEntry
from .base import OwnedByCustomer, owner_key, table
from .transactions import Transaction


@table("ledger")
class LedgerEntryItem(OwnedByCustomer, Model):
    class Meta:
        pass

    entry_key = UnicodeAttribute(range_key=True)   # at#kind#reference, `at` as sortable UTC text
    at = UTCDateTimeAttribute()
    kind = UnicodeAttribute()
    reference = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    amount_minor = NumberAttribute()               # signed: its effect on what the customer owes
    currency = UnicodeAttribute()


class Ledger:
    """Each customer's ledger entries."""

    def record_in(self, tx: Transaction, org_id: str, customer_id: str, entries: Iterable[LedgerEntry]) -> None:
        """Append `entries` in the caller's transaction; an entry is never written twice."""
        for entry in entries:
            tx.save(_item(org_id, customer_id, entry), condition=LedgerEntryItem.entry_key.does_not_exist())

    def entries_before(self, org_id: str, customer_id: str, until: datetime) -> list[LedgerEntry]:
        """Every entry dated before the instant `until`, oldest first: one Query, page after page."""
        results = LedgerEntryItem.query(owner_key(org_id, customer_id), LedgerEntryItem.entry_key < _sortable(until),
                                        consistent_read=True)
        return [_entry(item) for item in results]

    def is_empty(self, org_id: str, customer_id: str) -> bool:
        """No entry at all: the customer's books predate the ledger (a Query of one item)."""
        return next(iter(LedgerEntryItem.query(owner_key(org_id, customer_id), limit=1, consistent_read=True)),
                    None) is None


def _item(org_id: str, customer_id: str, entry: LedgerEntry) -> LedgerEntryItem:
    return LedgerEntryItem(owner_key(org_id, customer_id), entry_key(entry), org_id=org_id, customer_id=customer_id,
                           at=entry.at, kind=entry.kind, reference=entry.reference, description=entry.description,
                           amount_minor=entry.amount.amount_minor, currency=entry.amount.currency)


def entry_key(entry: LedgerEntry) -> str:
    """`at#kind#reference`: sorts by time (fixed-width UTC text), unique per change."""
    return f"{_sortable(entry.at)}#{entry.kind}#{entry.reference}"


def _sortable(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _entry(item: LedgerEntryItem) -> LedgerEntry:
    """The entry an item holds, read from its values as each attribute's getter answers them (a
    statement reads every entry of the customer: the getters would cost more than the entry)."""
    values = item.attribute_values
    at: datetime = values.get("at")
    return LedgerEntry(at=at, kind=values.get("kind"), reference=values.get("reference"),
                       description=values.get("description"),
                       amount=Money(int(values.get("amount_minor")), values.get("currency")))
