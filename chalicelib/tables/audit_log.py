"""The organization's audit log: one entry per change made through the admin API, by an API key
or a merchant user, kept for good (never deleted, never changed).

Keyed by organization and `at#entry_id`, so a time range is one Query on the table's own key,
newest first. An entry waiting to be written for the request under way is held here
(`pend`): the unit of work adds it to the first transaction the request commits, so a transactional
change and its entry are written together; a change written without a transaction gets its entry
right after (`settle`)."""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime

from pynamodb.attributes import MapAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table
from .mapping import from_raw, to_item
from .pages import ListScope, Page, collect
from .transactions import Transaction

def _at(at: datetime) -> str:
    """Fixed width (the year too), so the text sorts as the time does."""
    return (f"{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}:{at.minute:02d}:{at.second:02d}."
            f"{at.microsecond:06d}Z")


def entry_key(at: datetime, entry_id: str) -> str:
    return f"{_at(at)}#{entry_id}"


@table("audit_log")
class AuditEntryItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    entry_key = UnicodeAttribute(range_key=True)      # at#entry_id
    entry_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor_type = UnicodeAttribute()                   # api_key | merchant_user
    actor_id = UnicodeAttribute()                     # the user's id, or "API key"
    actor_email = UnicodeAttribute(default="")
    action = UnicodeAttribute()                       # the route: "PUT /admin/preferences"
    target_id = UnicodeAttribute(default="")
    changes = MapAttribute(default=dict)              # field path -> the value given (no secrets)


@dataclass(frozen=True)
class AuditEntry:
    org_id: str
    entry_id: str
    at: datetime
    actor_type: str
    actor_id: str
    action: str
    target_id: str = ""
    actor_email: str = ""
    changes: dict | None = None   # field path -> the value given, as text (no secrets)

    @property
    def key(self) -> str:
        return entry_key(self.at, self.entry_id)


_pending: ContextVar[AuditEntry | None] = ContextVar("audit_entry_pending", default=None)


class AuditLog:
    """The audit entries of each organization."""

    # the entry of the request under way (per request: a ContextVar, never shared between requests)

    def pend(self, entry: AuditEntry | None) -> None:
        """Hold `entry` until the request's change is written (None: forget any held)."""
        _pending.set(entry)

    def pending(self) -> AuditEntry | None:
        return _pending.get()

    def describe(self, changes: dict) -> None:
        """Say what changed, where the use case knows better than the request (before and after)."""
        entry = _pending.get()
        if entry is not None:
            _pending.set(replace(entry, changes=changes))

    def add_pending_in(self, tx: Transaction) -> AuditEntry | None:
        """Add the held entry to the caller's transaction (the change it records); answers it, to be
        marked written once the transaction commits (`written`)."""
        entry = _pending.get()
        if entry is None or tx.item_count() >= 100:
            return None
        tx.save(_item(entry), condition=AuditEntryItem.entry_key.does_not_exist())
        return entry

    def written(self, entry: AuditEntry) -> None:
        if _pending.get() is entry:
            _pending.set(None)

    def settle(self) -> None:
        """Write the held entry if no transaction took it (the change was a single write)."""
        entry = _pending.get()
        _pending.set(None)
        if entry is not None:
            _item(entry).save(condition=AuditEntryItem.entry_key.does_not_exist())

    # reading

    def page(self, org_id: str, *, start: datetime, end: datetime, limit: int,
             cursor: str | None) -> Page[AuditEntry]:
        """The entries from `start` up to (not including) `end`, newest first."""
        low, high = _at(start), _at(end)
        scope = ListScope(f"audit log {low} {high}", "org_id", org_id)
        results = AuditEntryItem.query(org_id, AuditEntryItem.entry_key.between(low, high), limit=limit,
                                       last_evaluated_key=scope.start(cursor), scan_index_forward=False)
        return collect(results, lambda raw: from_raw(AuditEntry, AuditEntryItem, raw), limit, scope)


def _item(entry: AuditEntry) -> AuditEntryItem:
    return to_item(AuditEntryItem, replace(entry, changes=entry.changes or {}), entry_key=entry.key)
