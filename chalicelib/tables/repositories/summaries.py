"""The per-customer account summary behind the dashboard.

Changes are ADD actions inside the transaction that changes the underlying items: they commute,
so concurrent transactions never lose each other's updates.
"""
from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from ...domain.account_summary import AccountSummary, SummaryChange
from ..account_summaries import AccountSummaryItem
from ..base import owner_key


def get(org_id: str, customer_id: str, currency: str) -> AccountSummary:
    try:
        item = AccountSummaryItem.get(owner_key(org_id, customer_id))
    except DoesNotExist:
        return AccountSummary(currency=currency)
    return to_domain(item)


def to_domain(item: AccountSummaryItem) -> AccountSummary:
    return AccountSummary(
        currency=item.currency, outstanding_count=int(item.outstanding_count),
        outstanding_minor=int(item.outstanding_minor), credits_minor=int(item.credits_minor),
        last_payment_id=item.last_payment_id,
        last_payment_minor=None if item.last_payment_minor is None else int(item.last_payment_minor),
        last_payment_at=item.last_payment_at, last_payment_invoice_id=item.last_payment_invoice_id,
        pending_estimates=int(item.pending_estimates), pending_timesheets=int(item.pending_timesheets),
        open_credit_note_ids=frozenset(item.open_credit_note_ids or ()) - frozenset(item.closed_credit_note_ids or ()))


def apply_in(tx: TransactWrite, org_id: str, customer_id: str, currency: str, change: SummaryChange,
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


def _credit_note_list(change: SummaryChange) -> list:
    """ADD the opened notes, DELETE the closed ones; both at once would name the same set twice,
    which DynamoDB refuses, so then the closed ones are ADDed to the set that is subtracted."""
    listed, struck = AccountSummaryItem.open_credit_note_ids, AccountSummaryItem.closed_credit_note_ids
    opened, closed = set(change.credit_notes_opened), set(change.credit_notes_closed)
    actions = [listed.add(opened)] if opened else []
    if closed:
        actions.append(struck.add(closed) if opened else AccountSummaryItem.open_credit_note_ids.delete(closed))
    return actions
