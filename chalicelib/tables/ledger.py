"""Per-customer ledger: every change to what the customer owes, append-only, in time order.

Written in the same TransactWrite as the document change it records (the repositories' `save_in`),
so the statement of accounts is one (paged) Query on the customer's partition.

With the entries, the same transaction ADDs each currency's amounts and count to the customer's
balance of that currency (`~balance#USD`): what all its entries add up to, kept without reading
them. A statement then reads the entries from its start on and the balances, in one Query (their
keys sort after every entry's, which begin with the year), never the entries before its start:
the opening balance is the balance less what came since (`domain.statement.statements_since`).
The balances are trusted where the customer's marker (`~balances`) says they count every entry:
put when the customer is created, before any entry, or by the backfill (`record-ledger-balances`,
docs/deploy.md), which counts the entries of a customer from before the balances on the balances'
counts as read, so that an entry written meanwhile makes it read again."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from ..domain.money import Money
from ..domain.statement import Balance, LedgerEntry, LedgerSince
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
    # a balance's (`~balance#USD`; an entry's attributes above are absent there)
    total_minor = NumberAttribute(null=True)       # what the currency's entries add up to
    entries = NumberAttribute(null=True)           # how many there are
    kept = BooleanAttribute(null=True)             # the marker's (`~balances`): the balances count every entry


BALANCES = "~"                                     # the balances' keys begin so: after every entry's
KEPT = "~balances"
_BALANCE = "~balance#"


class Ledger:
    """Each customer's ledger entries."""

    def record_in(self, tx: Transaction, org_id: str, customer_id: str, entries: Iterable[LedgerEntry]) -> None:
        """Append `entries` in the caller's transaction, each currency's added to its balance; an
        entry is never written twice."""
        owner, added = owner_key(org_id, customer_id), {}
        for entry in entries:
            tx.save(_item(org_id, customer_id, entry), condition=LedgerEntryItem.entry_key.does_not_exist())
            total, count = added.get(entry.amount.currency, (0, 0))
            added[entry.amount.currency] = (total + entry.amount.amount_minor, count + 1)
        for currency, (total, count) in added.items():
            tx.add_to(LedgerEntryItem, owner, balance_key(currency), total_minor=total, entries=count)

    def mark_balances_complete(self, org_id: str, customer_id: str) -> None:
        """The customer's marker: its balances count every entry (put when it is created, before any
        entry, or once every entry it has was written with them)."""
        LedgerEntryItem(owner_key(org_id, customer_id), KEPT).update(actions=[LedgerEntryItem.kept.set(True)])

    def entries_before(self, org_id: str, customer_id: str, until: datetime | None = None) -> list[LedgerEntry]:
        """Every entry dated before the instant `until` (None: every entry), oldest first: one
        Query, page after page."""
        bound = _sortable(until) if until is not None else BALANCES
        results = LedgerEntryItem.query(owner_key(org_id, customer_id), LedgerEntryItem.entry_key < bound,
                                        consistent_read=True)
        return [_entry(item) for item in results]

    def between(self, org_id: str, customer_id: str, start: datetime, until: datetime) -> list[LedgerEntry]:
        """The entries dated from the instant `start` up to (not including) `until`, oldest first."""
        results = LedgerEntryItem.query(owner_key(org_id, customer_id),
                                        LedgerEntryItem.entry_key.between(_sortable(start), _sortable(until)),
                                        consistent_read=True)
        return [_entry(item) for item in results]

    def since(self, org_id: str, customer_id: str, start: datetime) -> LedgerSince:
        """The entries dated from the instant `start` on, oldest first, with the balances of all the
        customer's entries and whether they are known to count every entry (its marker), in one Query."""
        entries, balances, kept = [], {}, False
        for item in LedgerEntryItem.query(owner_key(org_id, customer_id),
                                          LedgerEntryItem.entry_key >= _sortable(start), consistent_read=True):
            if item.entry_key.startswith(BALANCES):
                kept = kept or item.entry_key == KEPT
                if item.entry_key.startswith(_BALANCE):
                    balances[item.entry_key[len(_BALANCE):]] = _balance(item)
            else:
                entries.append(_entry(item))
        return LedgerSince(entries, balances, kept)

    def balances(self, org_id: str, customer_id: str) -> tuple[dict[str, Balance], bool]:
        """The customer's balances as they stand, and whether its marker says they count every entry."""
        items = list(LedgerEntryItem.query(owner_key(org_id, customer_id), LedgerEntryItem.entry_key >= BALANCES,
                                           consistent_read=True))
        return ({item.entry_key[len(_BALANCE):]: _balance(item) for item in items
                 if item.entry_key.startswith(_BALANCE)}, any(item.entry_key == KEPT for item in items))

    def keep_balances_in(self, tx: Transaction, org_id: str, customer_id: str, counted: dict[str, Balance],
                         read: dict[str, Balance]) -> None:
        """Set the balances to `counted` (every entry of the customer) and put the marker, in the
        caller's transaction, each balance on its count as `read` (absent: still missing), so that
        an entry written since fails the transaction (ConcurrentUpdate: count them again)."""
        owner = owner_key(org_id, customer_id)
        for currency, balance in counted.items():
            held = read.get(currency)
            condition = (LedgerEntryItem.entries == held.entries if held is not None
                         else LedgerEntryItem.entries.does_not_exist())
            tx.update(LedgerEntryItem(owner, balance_key(currency)),
                      [LedgerEntryItem.total_minor.set(balance.total_minor),
                       LedgerEntryItem.entries.set(balance.entries)], condition=condition,
                      add_version_condition=False)
        tx.update(LedgerEntryItem(owner, KEPT), [LedgerEntryItem.kept.set(True)], add_version_condition=False)

    def is_empty(self, org_id: str, customer_id: str) -> bool:
        """No entry at all: the customer's books predate the ledger (a Query of one item)."""
        return next(iter(LedgerEntryItem.query(owner_key(org_id, customer_id), LedgerEntryItem.entry_key < BALANCES,
                                               limit=1, consistent_read=True)), None) is None


def _item(org_id: str, customer_id: str, entry: LedgerEntry) -> LedgerEntryItem:
    return LedgerEntryItem(owner_key(org_id, customer_id), entry_key(entry), org_id=org_id, customer_id=customer_id,
                           at=entry.at, kind=entry.kind, reference=entry.reference, description=entry.description,
                           amount_minor=entry.amount.amount_minor, currency=entry.amount.currency)


def balance_key(currency: str) -> str:
    return _BALANCE + currency


def entries_of(items: Iterable[LedgerEntryItem]) -> list[LedgerEntry]:
    """The entries `items` hold (an import's, before they are written)."""
    return [_entry(item) for item in items]


def _balance(item: LedgerEntryItem) -> Balance:
    values = item.attribute_values
    return Balance(int(values.get("total_minor") or 0), int(values.get("entries") or 0))


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
