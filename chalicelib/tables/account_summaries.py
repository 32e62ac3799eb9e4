"""Per-customer figures behind the dashboard (domain/account_summary.py), kept exact by the
transactions that change them.

No version attribute: every change is a commutative ADD (or a set DELETE) inside the transaction that
changes the underlying items, so concurrent writers never conflict nor lose each other's updates. The
open credit notes are `open_credit_note_ids` minus `closed_credit_note_ids`: one UpdateItem cannot
ADD to and DELETE from the same set, so a transaction that both opens and closes notes records the
closed ones in the second set instead of deleting them. A note given its credit back (an undo, a
void) is opened again: ADDed to the first set and DELETEd from the second, where an earlier
transaction may have put it. When the same transaction also closes notes, those stay listed though
closed, as neither set is free for them: the list may name a closed note, never miss an open one,
and its readers keep the notes read that are open with a balance (services/documents/invoicing.py)."""
from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from ..domain.account_summary import AccountSummary, SummaryChange
from .base import owner_key, table
from .transactions import Transaction


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


class AccountSummaries:
    """Each customer's account summary."""

    def get(self, org_id: str, customer_id: str, currency: str) -> AccountSummary:
        try:
            item = AccountSummaryItem.get(owner_key(org_id, customer_id))
        except DoesNotExist:
            return AccountSummary(currency=currency)
        return summary_of(item)

    def apply_in(self, tx: Transaction, org_id: str, customer_id: str, currency: str, change: SummaryChange,
                 *, last_payment: tuple[str, int, datetime, str | None] | None = None) -> None:
        """Add `change` (and record the last payment) within the caller's transaction."""
        if change.is_empty and last_payment is None:
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
        open_credit_note_ids=frozenset(item.open_credit_note_ids or ()) - frozenset(item.closed_credit_note_ids or ()))


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
