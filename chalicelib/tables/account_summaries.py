"""Per-customer figures behind the dashboard (domain/account_summary.py), kept exact by the
transactions that change them.

The figures have no version: every change is a commutative ADD (or a set DELETE) inside the transaction that
changes the underlying items, so concurrent writers never conflict nor lose each other's updates. The
open credit notes are `open_credit_note_ids` minus `closed_credit_note_ids`: one UpdateItem cannot
ADD to and DELETE from the same set, so a transaction that both opens and closes notes records the
closed ones in the second set instead of deleting them. A note given its credit back (an undo, a
void) is opened again: ADDed to the first set and DELETEd from the second, where an earlier
transaction may have put it. When the same transaction also closes notes, those stay listed though
closed, as neither set is free for them: the list may name a closed note, never miss an open one,
and its readers keep the notes read that are open with a balance (services/documents/invoicing.py).

The customer's saved payment methods are mirrored here too (`payment_methods`), so the dashboard and
the list of cards are read with the session check alone. Unlike the figures, the mirror is written
whole, on its own version (`methods_version`), by every transaction that puts or deletes methods
(services/payments/mirror.py); the one exception, the payment that saves a card, appends it and ADDs
1 to the version, so a whole write prepared before it fails its condition. The mirror is trusted only
where `methods_mirrored` is true: set when the customer is created with no methods, by every whole
write, and by the backfill (`record-payment-methods`, docs/deploy.md); elsewhere it is None and the
methods are read from their table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import (BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute,
                                 UnicodeSetAttribute, UTCDateTimeAttribute)
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from ..domain.account_summary import AccountSummary, SummaryChange
from ..domain.payments import PaymentMethod
from .base import owner_key, table
from .transactions import Transaction, condition_failed


@table("account_summaries")
class AccountSummaryItem(Model):
    class Meta:
        pass

    owner = UnicodeAttribute(hash_key=True)
    currency = UnicodeAttribute()
    outstanding_count = NumberAttribute(default=0)
    outstanding_minor = NumberAttribute(default=0)
    credits_minor = NumberAttribute(default=0)
    last_payment_id = UnicodeAttribute(null=True)
    last_payment_minor = NumberAttribute(null=True)
    last_payment_at = UTCDateTimeAttribute(null=True)
    last_payment_invoice_id = UnicodeAttribute(null=True)
    pending_estimates = NumberAttribute(default=0)
    pending_timesheets = NumberAttribute(default=0)
    open_credit_note_ids = UnicodeSetAttribute(null=True)
    closed_credit_note_ids = UnicodeSetAttribute(null=True)
    # each a map of a method's attributes but its owner (created_at as ISO 8601 text); undeclared maps,
    # read as plain dicts (tables/items.py: a tenth of the time a declared map's attributes take)
    payment_methods = ListAttribute(null=True)
    methods_version = NumberAttribute(null=True)
    methods_mirrored = BooleanAttribute(null=True)


@dataclass(frozen=True)
class MirrorRead:
    """What a whole write of the methods' mirror is conditional on: its version read (None: never
    written), and the summary's currency (None: no summary yet, the write creates it)."""
    version: int | None
    currency: str | None


class AccountSummaries:
    """Each customer's account summary."""

    def get(self, org_id: str, customer_id: str, currency: str) -> AccountSummary:
        try:
            item = AccountSummaryItem.get(owner_key(org_id, customer_id))
        except DoesNotExist:
            return AccountSummary(currency=currency)
        return summary_of(item)

    def mirrored_methods(self, org_id: str, customer_id: str, *,
                         consistent: bool = True) -> tuple[PaymentMethod, ...] | None:
        """The customer's saved methods as the summary mirrors them, oldest first; None where it
        does not (yet): read them from their table."""
        try:
            item = AccountSummaryItem.get(owner_key(org_id, customer_id), consistent_read=consistent)
        except DoesNotExist:
            return None
        return _methods_of(item)

    def start(self, org_id: str, customer_id: str, currency: str) -> None:
        """A new customer's summary, its mirror of methods empty and trusted, unless something wrote
        the summary first (that write then decides whether the mirror is trusted)."""
        item = AccountSummaryItem(owner_key(org_id, customer_id), currency=currency, payment_methods=[],
                                  methods_version=0, methods_mirrored=True)
        try:
            item.save(condition=AccountSummaryItem.owner.does_not_exist())
        except PutError as error:
            if not condition_failed(error):
                raise

    def mirror_ahead(self, org_id: str, customer_id: str) -> list[tuple]:
        """(model, key, consistent) of what `mirror_read` reads, for the session check of a change of
        the methods to read in its own call (tables/read_ahead.py "A change's first read")."""
        return [(AccountSummaryItem, (owner_key(org_id, customer_id),), True)]

    def mirror_read(self, org_id: str, customer_id: str) -> MirrorRead:
        """What a whole write of the mirror is conditional on, read consistently: read it BEFORE the
        methods, so that a change of them committed in between fails the write."""
        try:
            item = AccountSummaryItem.get(owner_key(org_id, customer_id), consistent_read=True,
                                          attributes_to_get=["methods_version", "currency"])
        except DoesNotExist:
            return MirrorRead(None, None)
        return MirrorRead(None if item.methods_version is None else int(item.methods_version), item.currency)

    def mirror_in(self, tx: Transaction, org_id: str, customer_id: str, read: MirrorRead, currency: str,
                  kept: list[PaymentMethod], *, put: tuple[PaymentMethod, ...] = (),
                  deleted: tuple[PaymentMethod, ...] = ()) -> None:
        """Write the whole mirror on the version `read`, within the caller's transaction, which puts
        and deletes those methods of the customer's methods `kept` as read (after `read`): a change
        of the methods since then fails it."""
        actions, condition = _mirror_write(read, currency, _after(kept, put, deleted))
        tx.update(AccountSummaryItem(owner_key(org_id, customer_id)), actions=actions, condition=condition)

    def apply_in(self, tx: Transaction, org_id: str, customer_id: str, currency: str, change: SummaryChange,
                 *, last_payment: tuple[str, int, datetime, str | None] | None = None,
                 new_method: PaymentMethod | None = None) -> None:
        """Add `change` (and record the last payment, and append `new_method`, a method the caller's
        transaction saves) within the caller's transaction."""
        if change.is_empty and last_payment is None and new_method is None:
            return
        S = AccountSummaryItem
        actions = [S.currency.set(S.currency | currency)]
        for name, delta in (("outstanding_count", change.outstanding_count),
                            ("outstanding_minor", change.outstanding_minor),
                            ("credits_minor", change.credits_minor),
                            ("pending_estimates", change.pending_estimates),
                            ("pending_timesheets", change.pending_timesheets)):
            if delta:
                actions.append(getattr(S, name).add(delta))
        actions += _credit_note_list(change)
        if last_payment is not None:
            payment_id, amount_minor, at, invoice_id = last_payment
            actions += [S.last_payment_id.set(payment_id), S.last_payment_minor.set(amount_minor),
                        S.last_payment_at.set(at)]
            actions.append(S.last_payment_invoice_id.set(invoice_id) if invoice_id
                           else S.last_payment_invoice_id.remove())
        if new_method is not None:
            actions += _appended(new_method)
        tx.update(AccountSummaryItem(owner_key(org_id, customer_id)), actions=actions)


def summary_of(item: AccountSummaryItem) -> AccountSummary:
    """The summary an item holds (also for items read along with other tables')."""
    return AccountSummary(
        currency=item.currency, outstanding_count=int(item.outstanding_count),
        outstanding_minor=int(item.outstanding_minor), credits_minor=int(item.credits_minor),
        last_payment_id=item.last_payment_id,
        last_payment_minor=None if item.last_payment_minor is None else int(item.last_payment_minor),
        last_payment_at=item.last_payment_at, last_payment_invoice_id=item.last_payment_invoice_id,
        pending_estimates=int(item.pending_estimates), pending_timesheets=int(item.pending_timesheets),
        open_credit_note_ids=frozenset(item.open_credit_note_ids or ()) - frozenset(item.closed_credit_note_ids or ()),
        payment_methods=_methods_of(item),
        methods_version=None if item.methods_version is None else int(item.methods_version))


def _methods_of(item: AccountSummaryItem) -> tuple[PaymentMethod, ...] | None:
    if not item.methods_mirrored:
        return None
    customer_id = item.owner.split("#", 1)[1]
    # oldest first, as their Query sorts them (by id within the same moment)
    return tuple(sorted((_method_of(customer_id, held) for held in item.payment_methods or ()),
                        key=lambda m: (m.created_at, m.payment_method_id)))


def _method_of(customer_id: str, held: dict) -> PaymentMethod:
    version = held.get("version")
    return PaymentMethod(held["payment_method_id"], customer_id, held["gateway"], held["gateway_method_id"],
                         held["brand"], held["last4"], int(held["exp_month"]), int(held["exp_year"]),
                         datetime.fromisoformat(held["created_at"]), is_default=bool(held.get("is_default")),
                         gateway_customer_id=held.get("gateway_customer_id"),
                         version=None if version is None else int(version))


def _after(kept: list[PaymentMethod], put: tuple[PaymentMethod, ...],
           deleted: tuple[PaymentMethod, ...]) -> list[dict]:
    """The methods once the transaction putting `put` and deleting `deleted` commits: a method put
    is stored one version on from the version read (a new one at 1), the others as read."""
    gone = {m.payment_method_id for m in put} | {m.payment_method_id for m in deleted}
    return [_mirrored(m, written=False) for m in kept if m.payment_method_id not in gone] + \
        [_mirrored(m, written=True) for m in put]


def _mirrored(method: PaymentMethod, *, written: bool) -> dict:
    """`method` as its item holds it (`written`: once the transaction writing it commits)."""
    held = {"payment_method_id": method.payment_method_id, "gateway": method.gateway,
            "gateway_method_id": method.gateway_method_id, "brand": method.brand, "last4": method.last4,
            "exp_month": method.exp_month, "exp_year": method.exp_year, "created_at": method.created_at.isoformat(),
            "is_default": method.is_default, "version": (method.version or 0) + 1 if written else method.version}
    if method.gateway_customer_id is not None:
        held["gateway_customer_id"] = method.gateway_customer_id
    return held


def _mirror_write(read: MirrorRead, currency: str, methods: list[dict]) -> tuple[list, object]:
    """The actions and condition of a whole write of the mirror on the version read."""
    S = AccountSummaryItem
    actions = [S.currency.set(S.currency | currency), S.payment_methods.set(methods),
               S.methods_version.set((read.version or 0) + 1), S.methods_mirrored.set(True)]
    condition = S.methods_version.does_not_exist() if read.version is None else S.methods_version == read.version
    return actions, condition


def _appended(method: PaymentMethod) -> list:
    """Append a method saved with a payment, unconditionally (a settlement is sent again as it is,
    never read again): ADDing 1 to the version fails any whole write prepared before it."""
    S = AccountSummaryItem
    return [S.payment_methods.set((S.payment_methods | []).append([_mirrored(method, written=True)])), S.methods_version.add(1)]


def _credit_note_list(change: SummaryChange) -> list:
    """ADD the opened notes, DELETE the closed ones; both at once would name the same set twice,
    which DynamoDB refuses, so then the closed ones are ADDed to the set that is subtracted, unless
    that set is taken by the notes opened again (they leave it): then they stay listed."""
    listed, struck = AccountSummaryItem.open_credit_note_ids, AccountSummaryItem.closed_credit_note_ids
    opened, closed = set(change.credit_notes_opened), set(change.credit_notes_closed)
    reopened = set(change.credit_notes_reopened)
    actions = [listed.add(opened)] if opened else []
    if reopened:
        actions.append(AccountSummaryItem.closed_credit_note_ids.delete(reopened))
    if closed and not opened:
        actions.append(AccountSummaryItem.open_credit_note_ids.delete(closed))
    elif closed and not reopened:
        actions.append(struck.add(closed))
    return actions
