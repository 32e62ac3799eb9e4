"""Subscriptions as the portal shows them, the quotes of their actions, and what an action did. The
portal's answers are built here, once, from the typed results of the use cases
(services/subscriptions/views.py and actions.py): `SubscriptionPage.of`, `SubscriptionDetail.of`,
`SubscriptionOptions.of`, `SubscriptionDunning.of`, `Quote.of`, `ActionOutcome.of`; the back office's
`SubscriptionRecord.of` from the domain `Subscription`."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...domain.currencies import exponent
from ...domain.note_words import NoteKind
from ...domain.subscription_status import Status
from .catalog import Addon, Plan
from .documents import CreditNoteDetail, InvoiceDetail, Payment
from .shared import Answer, CurrencyExponent, LineWords, Page, line_words_field

if TYPE_CHECKING:
    from ...domain import cancellation_feedback as feedback, quotes, subscription as domain
    from ...services.subscriptions.actions import Outcome
    from ...services.subscriptions.dunning import DunningView
    from ...services.subscriptions.views import Line, Options, View


class SubscriptionSummary(Answer):
    subscription_id: str
    status: Status
    plan_name: str
    plan_code: str
    currency: str
    currency_exponent: CurrencyExponent
    amount_per_term_minor: int          # the current term's, less a coupon that discounts it
    price_per_term_minor: int           # every term's: less only a coupon that discounts every term
    next_billing_on: date | None        # the day the next invoice is raised (none while paused, unpaid ...)
    auto_charge: bool
    created_at: datetime
    reference: str

    @classmethod
    def of(cls, line: Line) -> SubscriptionSummary:
        return cls(**_summary(line))


def _summary(line: Line) -> dict:
    sub = line.subscription
    return dict(subscription_id=sub.subscription_id, status=sub.status, plan_name=sub.plan.name,
                plan_code=sub.plan.code, currency=sub.currency, currency_exponent=exponent(sub.currency),
                amount_per_term_minor=line.amount_per_term_minor, price_per_term_minor=line.price_per_term_minor,
                next_billing_on=sub.next_billing_on,
                auto_charge=sub.auto_charge, created_at=sub.created_at, reference=sub.reference)


class SubscriptionPage(Page[SubscriptionSummary]):
    pass   # answered by `Page.of`


class PlanSnapshot(Answer):
    """The plan as it was when subscribed (later catalog changes do not move it)."""
    code: str
    name: str
    price_minor: int
    interval: str
    interval_count: int
    trial_days: int


class SubscriptionAddon(Answer):
    """`recurring` false: billed once, on the next invoice; `billed_on` is the day it was billed."""
    code: str
    name: str
    price_minor: int
    quantity: int
    recurring: bool
    billed_on: date | None


class AppliedCoupon(Answer):
    """A coupon on a subscription; `cycles_remaining` counts the terms it still discounts on it
    (null: every term)."""
    code: str
    name: str
    duration: Literal["once", "forever", "repeating"]
    percent_off_bp: int | None
    amount_off_minor: int | None
    cycles_remaining: int | None

    @classmethod
    def of(cls, coupon: domain.AppliedCoupon | None, cycles_left: int | None) -> AppliedCoupon | None:
        return None if coupon is None else cls.mirroring(coupon, cycles_remaining=cycles_left)


class Period(Answer):
    """Calendar days [start, end) of the organization's time zone: `end` is the first day after."""
    start: date | None
    end: date | None


class ScheduledChange(Answer):
    plan: PlanSnapshot
    addons: list[SubscriptionAddon]
    coupon: AppliedCoupon | None
    effective_on: date | None
    requested_at: datetime | None


class ScheduledCancellation(Answer):
    effective_on: date | None
    reason: str | None


class PauseSchedule(Answer):
    """Days of the organization's calendar; `paid_days_kept`: paid days that continue on resuming."""
    pause_at: date | None
    resume_at: date | None
    paused_at: date | None
    paid_days_kept: int


class TrialExtensions(Answer):
    used: int
    allowed: int


class ActionState(Answer):
    """Whether the customer may do `action` now, and if not why (`reason`, `message`)."""
    action: str
    allowed: bool
    reason: str | None
    message: str | None


class UndoWindow(Answer):
    """The last immediate cancellation (`cancel_now`) or downgrade (`change_now`), which
    POST .../undo takes back until `until` (`minutes_left`, rounded up, at the organization's time)."""
    action: Literal["cancel_now", "change_now"]
    until: datetime
    minutes_left: int


class SubscriptionDetail(SubscriptionSummary):
    plan: PlanSnapshot
    addons: list[SubscriptionAddon]
    coupon: AppliedCoupon | None
    current_term: Period | None
    trial: Period | None
    next_billing_amount_minor: int | None
    payment_method_id: str | None
    scheduled_change: ScheduledChange | None
    scheduled_cancellation: ScheduledCancellation | None
    pause: PauseSchedule | None
    activated_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    expired_at: datetime | None
    expired_reason: str | None
    trial_extensions: TrialExtensions
    allowed_actions: list[ActionState]
    undo: UndoWindow | None

    @classmethod
    def of(cls, view: View) -> SubscriptionDetail:
        sub, change = view.subscription, view.subscription.scheduled_change
        return cls(
            **_summary(view),
            plan=PlanSnapshot.mirroring(sub.plan),
            addons=[SubscriptionAddon.mirroring(addon) for addon in sub.addons if addon.pending],
            coupon=AppliedCoupon.of(sub.coupon, view.coupon_cycles_left),
            current_term=Period(start=sub.term_start, end=sub.term_end) if view.shows_current_term else None,
            trial=Period(start=sub.trial_start, end=sub.trial_end) if sub.trial_end else None,
            next_billing_amount_minor=view.next_billing_amount_minor,
            payment_method_id=sub.payment_method_id,
            scheduled_change=ScheduledChange(
                plan=PlanSnapshot.mirroring(change.plan),
                addons=[SubscriptionAddon.mirroring(addon) for addon in change.addons],
                coupon=AppliedCoupon.of(change.coupon, view.scheduled_coupon_cycles_left),
                effective_on=view.term_ends_on, requested_at=change.requested_at) if change else None,
            scheduled_cancellation=(ScheduledCancellation(effective_on=view.term_ends_on, reason=sub.cancel_reason)
                                    if sub.status == Status.NON_RENEWING else None),
            pause=(PauseSchedule(pause_at=sub.pause_at, resume_at=sub.resume_at, paused_at=sub.paused_at,
                                 paid_days_kept=view.paid_days_kept)
                   if sub.pause_at or sub.resume_at or sub.paused_at else None),
            activated_at=sub.activated_at, cancelled_at=sub.cancelled_at, cancel_reason=sub.cancel_reason,
            expired_at=sub.expired_at, expired_reason=sub.expired_reason,
            trial_extensions=TrialExtensions(used=sub.trial_extensions_used, allowed=view.trial_extensions_allowed),
            allowed_actions=[ActionState.mirroring(state) for state in view.allowed_actions],
            undo=UndoWindow(action=sub.undo.action, until=view.undo_until, minutes_left=view.undo_minutes_left)
            if view.undo_until else None)


class DunningInvoice(Answer):
    """The invoice whose charge failed, with what is left to pay."""
    invoice_id: str
    number: str
    currency: str
    currency_exponent: CurrencyExponent
    amount_due_minor: int
    due_on: date


class DunningFailure(Answer):
    """Why the last charge failed: the gateway's code, and what it means in words for the customer."""
    code: str | None
    message: str


class SubscriptionDunning(Answer):
    """A subscription in dunning as its customer sees it. `next_retries`: the days the saved card is
    charged again, the next first (only those before the unpaid term ends: dunning never outlasts it);
    `ends_on`: the day the dunning ends if the invoice is still unpaid, the last retry's, or the term's
    end when retries of the schedule did not fit before it; `after_last_retry`: what the subscription
    becomes then (`unpaid`: kept, nothing renews until it is paid; `cancel`: cancelled). Paying the
    invoice (POST /portal/payments) ends the retries at once."""
    subscription_id: str
    invoice: DunningInvoice
    failure: DunningFailure
    attempts_made: int
    next_retries: list[date]
    ends_on: date | None
    after_last_retry: Literal["unpaid", "cancel"]
    payment_method_id: str | None       # the saved card the retries charge
    auto_charge: bool

    @classmethod
    def of(cls, view: DunningView) -> SubscriptionDunning:
        sub, invoice, retries = view.subscription, view.invoice, view.retries
        return cls(subscription_id=sub.subscription_id,
                   invoice=DunningInvoice(invoice_id=invoice.invoice_id, number=invoice.number,
                                          currency=invoice.currency, currency_exponent=exponent(invoice.currency),
                                          amount_due_minor=invoice.balance_minor, due_on=invoice.due_on),
                   failure=DunningFailure(code=view.failure_code, message=view.failure_message),
                   attempts_made=retries.attempts_made, next_retries=list(retries.next_retries),
                   ends_on=retries.ends_on, after_last_retry=retries.after_last,
                   payment_method_id=sub.payment_method_id, auto_charge=sub.auto_charge)


class QuoteLine(Answer):
    description: str
    amount_minor: int
    code: str | None
    kind: str
    words: LineWords | None = line_words_field()

    @classmethod
    def of(cls, line: quotes.QuoteLine) -> QuoteLine:
        return cls.mirroring(line, words=LineWords.of(line.words))


class NoteWords(Answer):
    """What a quote's note says, as data, for the reader's browser to write in the reader's language.
    `kind` says which fields are given (the others are null, or "" for `name`): `days` for the notes
    that count days, with `days_in_term` (the term's days) for prorated_by_day, term_restarts_today and
    unused_days_credited; `day` for kept_days_continue, unpaid_term_goes_on, replaces_scheduled_change,
    pauses_on and active_until; `name` (a plan's) for term_restarts_today and replaces_scheduled_change."""
    kind: NoteKind
    days: int | None
    days_in_term: int | None
    day: date | None
    name: str


class QuotedAddon(Answer):
    code: str
    quantity: int


class Quote(Answer):
    """What confirming an action will do, in money; confirm with its `quote_id`."""
    action: str
    subscription_id: str
    currency: str
    currency_exponent: CurrencyExponent
    when: Literal["now", "end_of_term"]
    effective_on: date
    plan_code: str
    addons: list[QuotedAddon]
    coupon_code: str | None
    period_start: date | None
    period_end: date | None
    invoice_lines: list[QuoteLine]
    invoice_total_minor: int
    credit_note_lines: list[QuoteLine]
    credit_note_total_minor: int
    net_minor: int
    credits_applied_minor: int
    amount_due_minor: int
    refund_minor: int
    next_term_total_minor: int | None
    next_billing_on: date | None
    notes: list[str]
    note_words: list[NoteWords] = Field(description=(
        "Each note's words as data, in the order of `notes`, to write in the reader's language; a note "
        "of a kind the reader does not know: show its text from `notes`."))
    quote_id: str

    @classmethod
    def of(cls, quote: quotes.Quote) -> Quote:
        return cls.mirroring(quote, addons=[QuotedAddon.mirroring(addon) for addon in quote.addons],
                             invoice_lines=[QuoteLine.of(line) for line in quote.invoice_lines],
                             credit_note_lines=[QuoteLine.of(line) for line in quote.credit_note_lines],
                             notes=[note.english() for note in quote.notes],
                             note_words=[NoteWords.mirroring(note) for note in quote.notes])


class OpenRetentionOffer(Answer):
    """A coupon of the catalogue for `cycles` terms, from the next term on; `quote` is what accepting does."""
    coupon_code: str
    name: str
    percent_off_bp: int | None
    amount_off_minor: int | None
    cycles: int
    quote: Quote


class CancelDialog(Answer):
    """`reasons`: choose one (empty: the reason is free text); `offer`: shown once, null if none is open."""
    reasons: list[str]
    reason_required: bool
    comments: bool
    offer: OpenRetentionOffer | None

    @classmethod
    def of(cls, dialog) -> "CancelDialog":
        prefs, offer = dialog.prefs, dialog.offer
        return cls(reasons=list(prefs.reasons), reason_required=prefs.reason_required, comments=prefs.comments,
                   offer=None if offer is None else OpenRetentionOffer(
                       coupon_code=offer.code, name=offer.name, percent_off_bp=offer.percent_off_bp,
                       amount_off_minor=offer.amount_off_minor, cycles=offer.cycles, quote=Quote.of(dialog.quote)))


class CancellationReason(Answer):
    reason: str
    count: int


class CancellationReport(Answer):
    """Cancellations from `start` to `end` (the query's `from` and `to`: days of the organization's
    time zone, both included), by reason (most frequent first), and the answers to the retention offer."""
    start: date
    end: date
    cancellations: int
    reasons: list[CancellationReason]
    offers_accepted: int
    offers_declined: int

    @classmethod
    def of(cls, report: feedback.CancellationReport) -> CancellationReport:
        return cls.mirroring(report, reasons=[CancellationReason(reason=reason, count=count)
                                              for reason, count in report.reasons])


class ActionOutcome(Answer):
    """The subscription as it now stands, the invoice and credit note the action raised and the
    payment it took (null when it raised or took none)."""
    subscription: SubscriptionDetail
    invoice: InvoiceDetail | None
    credit_note: CreditNoteDetail | None
    payment: Payment | None

    @classmethod
    def of(cls, outcome: Outcome) -> ActionOutcome:
        """The answer from the typed result of an action: its invoice and credit note as their own
        routes show them."""
        return cls(subscription=SubscriptionDetail.of(outcome.subscription),
                   invoice=InvoiceDetail.of(outcome.invoice) if outcome.invoice else None,
                   credit_note=CreditNoteDetail.of(outcome.credit_note) if outcome.credit_note else None,
                   payment=Payment.of(outcome.payment) if outcome.payment else None)


class SubscriptionOptions(Answer):
    plans: list[Plan]
    addons: list[Addon]
    coupons: list["OfferedCoupon"]
    change_plan: bool
    change_addons: bool
    change_coupon: bool
    when: list[Literal["now", "end_of_term"]]

    @classmethod
    def of(cls, options: Options) -> SubscriptionOptions:
        edit = options.edit
        return cls(plans=[Plan.mirroring(plan) for plan in options.plans],
                   addons=[Addon.mirroring(addon) for addon in options.addons],
                   coupons=[OfferedCoupon(code=c.code, name=c.name, plan_codes=c.plan_codes) for c in options.coupons],
                   change_plan=edit.change_plan, change_addons=edit.change_addons, change_coupon=edit.change_coupon,
                   when=["now" if when == "immediately" else when for when in edit.apply_when])


class OfferedCoupon(Answer):
    code: str
    name: str
    plan_codes: list[str]


class StoredCoupon(Answer):
    """A coupon as the subscription stores it: `cycles` is how many terms it discounts (null: every term)."""
    code: str
    name: str
    duration: Literal["once", "forever", "repeating"]
    percent_off_bp: int | None
    amount_off_minor: int | None
    cycles: int | None

    @classmethod
    def of(cls, coupon: domain.AppliedCoupon | None) -> StoredCoupon | None:
        return None if coupon is None else cls.mirroring(coupon)


class CouponUse(Answer):
    """How many terms a coupon has discounted on the subscription, and the start of the last one."""
    code: str
    terms: int
    last_term_start: date | None


class SubscriptionRecord(Answer):
    """A subscription as the back office sees it. Days (start, trial, term, pause) are dates of the
    organization's time zone; a term is [term_start, term_end)."""
    subscription_id: str
    customer_id: str
    status: Status
    plan: PlanSnapshot
    currency: str
    currency_exponent: CurrencyExponent
    created_at: datetime
    addons: list[SubscriptionAddon]
    coupon: StoredCoupon | None
    coupon_uses: list[CouponUse]
    auto_charge: bool
    payment_method_id: str | None
    time_zone: str
    billing_anchor: date | None
    starts_at: date | None
    trial_start: date | None
    trial_end: date | None
    term_start: date | None
    term_end: date | None
    term_unbilled: bool
    activated_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    expired_at: datetime | None
    expired_reason: str | None
    scheduled_change: "StoredChange | None"
    pause_at: date | None
    resume_at: date | None
    paused_at: date | None
    trial_extensions_used: int
    dunning_attempts: int
    next_retry_at: datetime | None
    unpaid_invoice_id: str | None
    reference: str
    retention_offer: Literal["accepted", "declined"] | None   # the cancel flow's offer, once answered

    @classmethod
    def of(cls, sub: domain.Subscription) -> SubscriptionRecord:
        """The record of a subscription as stored (but its version: no route takes one back)."""
        change = sub.scheduled_change
        return cls.mirroring(
            sub, plan=PlanSnapshot.mirroring(sub.plan), addons=[SubscriptionAddon.mirroring(a) for a in sub.addons],
            coupon=StoredCoupon.of(sub.coupon), coupon_uses=[CouponUse.mirroring(use) for use in sub.coupon_uses],
            scheduled_change=StoredChange(
                plan=PlanSnapshot.mirroring(change.plan),
                addons=[SubscriptionAddon.mirroring(a) for a in change.addons],
                coupon=StoredCoupon.of(change.coupon), requested_at=change.requested_at) if change else None)


class StoredChange(Answer):
    plan: PlanSnapshot
    addons: list[SubscriptionAddon]
    coupon: StoredCoupon | None
    requested_at: datetime | None
