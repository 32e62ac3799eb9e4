"""Undoing an immediate cancellation or downgrade from the portal, within the merchant's window: the
subscription as it was, what the action issued voided, in one transaction on the condition that
nothing changed since it was read (domain/undo.py decides whether and what)."""
from __future__ import annotations

from datetime import datetime

from ...domain import undo
from ...domain.cancellation_feedback import CancellationFeedback
from ...domain.documents import CreditNote, Invoice
from ...domain.engagement import ActivityRecord
from ...domain.errors import ConcurrentUpdate
from ...domain.ids import new_id
from ...domain.organization import clock_name
from ...domain.subscription import Subscription
from .actions import Caller, Committed, Context, Outcome, load, outcome

WORDS = {"cancel_now": "cancellation", "change_now": "change"}


def undo_last_action(adapters, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
    """Restore the subscription as it was before its last immediate cancellation or downgrade and
    void what that issued; refused (409, the reason as the code) when the window has passed or
    something since depends on it. Asked again after it was undone: the subscription as the undo
    left it, nothing written."""
    ctx = load(adapters, caller, subscription_id, now)
    record = ctx.sub.undo
    invoice, note, unpaid = _documents(adapters, ctx)
    owed = next((i for i in (invoice, unpaid) if i is not None and i.is_outstanding()), None)
    claimed = owed is not None and adapters.uow.invoice_claims.holder_of(
        caller.org_id, caller.customer_id, owed.invoice_id) is not None
    reason = undo.refusal(ctx.sub, ctx.now, invoice, note, invoice_claimed=claimed, unpaid=unpaid)
    if reason is not None:
        if reason in undo.DOCUMENT_REASONS and _moved_on(adapters, ctx):
            raise ConcurrentUpdate("subscription")   # undone (or changed) while its documents were read
        raise undo.refused(reason)
    if record.undone_at is not None:
        return outcome(adapters, ctx, Committed(ctx.sub))
    earlier = _earlier_notes(adapters, ctx, invoice, note)
    undoing = undo.undone(ctx.sub, ctx.now, version=adapters.uow.subscriptions.written_version(ctx.sub),
                          invoice=invoice, credit_note=note, earlier_notes=earlier)
    return outcome(adapters, ctx, Committed(_write(adapters, ctx, undoing, owed)))


def _documents(adapters, ctx: Context) -> tuple[Invoice | None, CreditNote | None, Invoice | None]:
    """The invoice and credit note the action issued, and the invoice a cancelled subscription was
    retrying, as they are now (read consistently)."""
    record, org_id, customer_id = ctx.sub.undo, ctx.caller.org_id, ctx.caller.customer_id
    if record is None or record.undone_at is not None:
        return None, None, None

    def read(invoice_id: str | None) -> Invoice | None:
        return adapters.uow.invoices.get(org_id, customer_id, invoice_id, consistent=True) if invoice_id else None

    note = (adapters.uow.credit_notes.get(org_id, customer_id, record.credit_note_id, consistent=True)
            if record.credit_note_id else None)
    return read(record.invoice_id), note, read(record.prior.unpaid_invoice_id)


def _moved_on(adapters, ctx: Context) -> bool:
    """Whether the subscription was written since `ctx` read it (read again, consistently)."""
    again = adapters.uow.subscriptions.get_many(ctx.caller.org_id, ctx.caller.customer_id, [ctx.sub.subscription_id])
    return [sub.version for sub in again] != [ctx.sub.version]


def _earlier_notes(adapters, ctx: Context, invoice: Invoice | None, note: CreditNote | None) -> dict[str, CreditNote]:
    """The other credit notes whose credit the action applied to its invoice: it goes back to them."""
    if invoice is None:
        return {}
    own = note.credit_note_id if note else None
    ids = dict.fromkeys(a.credit_note_id for a in invoice.credits_applied if a.credit_note_id != own)
    return {note_id: adapters.uow.credit_notes.get(ctx.caller.org_id, ctx.caller.customer_id, note_id, consistent=True)
            for note_id in ids}


def _write(adapters, ctx: Context, undoing: undo.Undoing, owed: Invoice | None) -> Subscription:
    """All or nothing: each item on the version read (ConcurrentUpdate, 409, if any changed), the
    invoice still owed (the action's, or the one the cancelled subscription was retrying) on the
    condition that no payment claims it meanwhile. The subscription as written."""
    org_id, record = ctx.caller.org_id, ctx.sub.undo
    sub = undoing.subscription
    activity = ActivityRecord(new_id("activity", ctx.now), ctx.caller.customer_id, ctx.actor, "subscription.undone",
                              "subscription", sub.subscription_id, ctx.now,
                              f"The {WORDS[record.action]} of {record.taken_at.isoformat(timespec='minutes')} "
                              "was undone", before={"status": ctx.sub.status.value},
                              after={"status": sub.status.value})
    with adapters.uow.transaction("subscription") as tx:
        item = adapters.uow.subscriptions.put_in(tx, org_id, sub, clock=clock_name(ctx.org), updated_at=ctx.now)
        for before, after in undoing.documents:
            repository = adapters.uow.invoices if isinstance(after, Invoice) else adapters.uow.credit_notes
            repository.save_in(tx, org_id, after, before=before, now=ctx.now)
            if _is_void(before, after):
                adapters.uow.activity.record(org_id, _voided(ctx, after), tx)
        if owed is not None:
            adapters.uow.invoice_claims.unclaimed_in(tx, org_id, ctx.caller.customer_id, owed.invoice_id)
        if undoing.documents:
            adapters.uow.account_summaries.apply_in(tx, org_id, ctx.caller.customer_id, sub.currency, undoing.summary)
        for code in undoing.redeemed:
            adapters.uow.catalog.give_back_in(tx, org_id, code)
        if record.action == "cancel_now":
            adapters.uow.cancellation_feedback.add_in(tx, org_id, _taken_back(ctx), record.prior.version)
        adapters.uow.activity.record(org_id, activity, tx)
    return adapters.uow.subscriptions.saved(item)


def _is_void(before: Invoice | CreditNote, after: Invoice | CreditNote) -> bool:
    return after.status.value == "void" and before.status.value != "void"


def _voided(ctx: Context, after: Invoice | CreditNote) -> ActivityRecord:
    kind = "invoice" if isinstance(after, Invoice) else "credit_note"
    subject = after.invoice_id if kind == "invoice" else after.credit_note_id
    return ActivityRecord(new_id("activity", ctx.now), ctx.caller.customer_id, ctx.actor, f"{kind}.voided", kind,
                          subject, ctx.now, f"{after.number}: the {WORDS[ctx.sub.undo.action]} was undone")


def _taken_back(ctx: Context) -> CancellationFeedback:
    """The merchant's counts forget an undone cancellation: its reason and declined offer are taken off,
    at the instant of the cancellation, so every range of days counts both or neither."""
    sub, record = ctx.sub, ctx.sub.undo
    declined = "declined" if sub.retention_offer == "declined" and record.prior.retention_offer is None else None
    return CancellationFeedback(sub.subscription_id, ctx.caller.customer_id, "undone", record.taken_at,
                                sub.cancel_reason, offer=declined)
