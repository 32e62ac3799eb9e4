"""What every portal subscription action shares: loading the subscription the customer asked
for (their own, or 404) at the organization's time, committing the change in one transaction
conditional on the version that was read, with its documents and an activity record, then
charging the invoice it raised when the subscription has auto-charge."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from ... import logs
from ...domain import charge_attempts, coupons, paying
from ...domain import subscription_actions as actions
from ...domain import undo
from ...domain.account_summary import AccountSummary
from ...domain.cancellation_feedback import CancellationFeedback
from ...domain.coupons import Applier
from ...domain.documents import CreditNote, Invoice
from ...domain.engagement import ActivityRecord, Actor
from ...domain.errors import NotFound
from ...domain.ids import new_id
from ...domain.organization import Organization, clock_name
from ...domain.payments import Payment
from ...domain.subscription import Subscription
from ...tables.mapping import as_plain
from ..documents import invoices as invoices_portal, invoicing
from ..documents.views import InFull
from ..documents.invoicing import Billing, Written
from ..numbering import CREDIT_NOTE_NUMBERS, INVOICE_NUMBERS, Numbers
from .commands import Caller
from ..payments import mirror
from ..payments import views as payment_views
from .views import View, view

log = logs.logger("portico")


@dataclass(frozen=True)
class Context:
    """An action's starting point: who asks, the organization (its preferences and its time), and
    the subscription as it was read."""
    caller: Caller
    org: Organization
    sub: Subscription
    now: datetime
    summary: AccountSummary | None = None   # read with them by the actions that bill with credits
    last_numbers: dict[str, int] = field(default_factory=dict)   # read with them too: the documents' sequences

    @property
    def actor(self) -> Actor:
        return Actor("customer", self.caller.contact_id)

    def numbers(self, adapters) -> Numbers:
        """What the documents the action raises are numbered from (a sequence not read with the
        subscription is read when first used)."""
        return Numbers(adapters, self.caller.org_id, self.last_numbers)


def load(adapters, caller: Caller, subscription_id: str, real_now: datetime, action: str | None = None, *,
         with_summary: bool = False, numbered: bool = False, consistent: bool = True) -> Context:
    """The caller's subscription (NotFound for anyone else's), checked for `action`: preferences,
    then status, then the action's rules. Both (and the account summary, if asked: it lists the open
    credit notes; and, if `numbered`, the invoice and credit note sequences the action's documents are
    numbered from) are one read (the route's read budget: three with the session); `consistent`
    False for a preview, which only shows (the action itself reads again, consistently)."""
    summary, last_numbers = None, {}
    subscriptions = adapters.uow.subscriptions
    if with_summary or numbered:
        org, sub, summary, last_numbers = subscriptions.with_organization_and_summary(
            caller.org_id, caller.customer_id, subscription_id, consistent=consistent,
            sequences=(INVOICE_NUMBERS, CREDIT_NOTE_NUMBERS) if numbered else ())
    else:
        org, sub = subscriptions.with_organization(caller.org_id, caller.customer_id, subscription_id,
                                                   consistent=consistent)
    org.preferences.require("subscriptions")
    if sub is None:
        raise NotFound("subscription")
    now = org.now(real_now)
    if action is not None:
        actions.require(action, sub, org.preferences, now)
    return Context(caller, org, sub, now, summary, last_numbers)


@dataclass(frozen=True)
class Committed:
    """An action's result as stored: the subscription, and the documents it raised."""
    subscription: Subscription
    invoice: Invoice | None = None
    credit_note: CreditNote | None = None


def commit(adapters, ctx: Context, after: Subscription, action: str, summary: str,
           billed: Billing | None = None, *, feedback: CancellationFeedback | None = None,
           redeemed_by: Applier = "customer", undoable_as: str | None = None,
           card: mirror.Chosen | None = None) -> Committed:
    """Write `after` on the condition that the subscription is still the version read, with the
    documents `billed`, the cancel flow's `feedback` and the activity record, all or nothing
    (ConcurrentUpdate: 409). A coupon `after` holds that the subscription never had is redeemed in
    the same transaction, on the condition that `redeemed_by` may still apply it (refused as the
    coupon then stands: 400; the merchant's retention offer is not limited to portal coupons).
    `undoable_as`: the portal action it is (cancel_now, change_now), kept for the merchant's undo
    window where it may be undone (domain/undo.py); any other write ends an earlier one's window (the
    record it carries names the version before it: undoing answers `subscription_changed`). `card`: the
    saved card the subscription is charged to from now on, written again with it (mirror.chosen_in)."""
    org_id = ctx.caller.org_id
    if billed is not None and after.charges_automatically and paying.worth_charging(billed.amount_due_minor,
                                                                                      after.currency):
        after = charge_attempts.attempted(after)   # the attempt `charge` makes, reserved with its invoice
    redeemed = coupons.redeemed(ctx.sub, after)
    after = coupons.remembering_coupons(ctx.sub, after)
    if undoable_as is not None:
        after = undo.opened(undoable_as, ctx.sub, after, ctx.now, ctx.org.preferences.undo_minutes,
                            version=adapters.uow.subscriptions.written_version(ctx.sub),
                            invoice=billed.invoice if billed else None,
                            credit_note=billed.credit_note if billed else None, redeemed=tuple(redeemed))
    before_fields, after_fields = _difference(ctx.sub, after)
    record = ActivityRecord(activity_id=new_id("activity", ctx.now), customer_id=ctx.caller.customer_id,
                            actor=ctx.actor, action=action, subject_type="subscription",
                            subject_id=after.subscription_id, at=ctx.now, summary=summary,
                            before=before_fields, after=after_fields)
    written = Written()
    with adapters.uow.transaction("subscription") as tx:
        item = adapters.uow.subscriptions.put_in(tx, org_id, after, clock=clock_name(ctx.org), updated_at=ctx.now)
        if billed is not None:
            written = invoicing.write(adapters, tx, org_id, billed, now=ctx.now)
        for code in redeemed:
            adapters.uow.catalog.redeem_in(tx, org_id, code, now=ctx.now, by=redeemed_by, field="coupon")
        if feedback is not None:
            adapters.uow.cancellation_feedback.add_in(tx, org_id, feedback, ctx.sub.version)
        if card is not None:
            mirror.chosen_in(adapters, tx, org_id, ctx.caller.customer_id, card)
        adapters.uow.activity.record(org_id, record, tx)
    return Committed(adapters.uow.subscriptions.saved(item), written.invoice(adapters), written.credit_note(adapters))


def charge(adapters, ctx: Context, done: Committed) -> Payment | None:
    """Collect the invoice off-session when the subscription has auto-charge and a method, with the
    key of the attempt the commit reserved (never one an earlier attempt used). A failed charge
    leaves the invoice open and the subscription as it is: the action stands."""
    sub, invoice = done.subscription, done.invoice
    if invoice is None or not paying.worth_charging(invoice.balance_minor, invoice.currency) \
            or not sub.charges_automatically:
        return None     # nothing due, or less than the payment service charges: the invoice stays open
    if sub.charge_attempts <= ctx.sub.charge_attempts:
        return None     # no attempt reserved: charging with the last key would replay its answer
    try:
        from ..payments import collection
        return collection.collect_off_session(adapters, ctx.caller.org_id, ctx.caller.customer_id, invoice.invoice_id,
                                              payment_method_id=sub.payment_method_id,
                                              idempotency_key=charge_attempts.reserved_attempt_key(sub), now=ctx.now,
                                              source="auto_charge")
    except Exception:  # noqa: BLE001 - the subscription change is committed; the invoice stays payable
        log.exception("auto-charge of invoice %s for subscription %s failed", invoice.invoice_id,
                      sub.subscription_id)
        return None



@dataclass(frozen=True)
class Outcome:
    """What an action answers: the subscription as it now stands, and the invoice (in full) and credit
    note it raised and the payment it took, as the portal shows a payment (None when it raised or
    took none)."""
    subscription: View
    invoice: InFull | None = None
    credit_note: CreditNote | None = None
    payment: payment_views.Shown | None = None


def outcome(adapters, ctx: Context, done: Committed, payment: Payment | None = None) -> Outcome:
    """The answer of an action, in the portal's views."""
    invoice = done.invoice
    if invoice is not None and payment is not None:   # the payment changed it
        invoice = adapters.uow.invoices.get(ctx.caller.org_id, ctx.caller.customer_id, invoice.invoice_id)
    return Outcome(
        view(ctx.org, done.subscription, ctx.now),
        invoices_portal.in_full(adapters, ctx.caller.org_id, ctx.caller.customer_id, invoice,
                                ctx.org.today(ctx.now)) if invoice else None,
        done.credit_note,
        payment_views.shown(adapters, payment) if payment else None)


def _difference(before: Subscription, after: Subscription) -> tuple[dict, dict]:
    """The fields an action changed, before and after, as plain values."""
    changed = [f.name for f in fields(Subscription)
               if f.name not in ("version", "undo") and getattr(before, f.name) != getattr(after, f.name)]
    return ({name: as_plain(getattr(before, name)) for name in changed},
            {name: as_plain(getattr(after, name)) for name in changed})
