"""Subscriptions as the portal shows them, the quotes of their actions, and what an action did."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ...domain.subscription_status import Status
from .catalog import Addon, Plan
from .documents import CreditNoteDetail, InvoiceDetail, Payment
from .shared import Answer, CurrencyExponent, Page


class SubscriptionSummary(Answer):
    subscription_id: str
    status: Status
    plan_name: str
    plan_code: str
    currency: str
    currency_exponent: CurrencyExponent
    amount_per_term_minor: int
    next_billing_on: date | None        # the day the next invoice is raised (none while paused, unpaid ...)
    auto_charge: bool
    created_at: datetime
    reference: str


class SubscriptionPage(Page[SubscriptionSummary]):
    pass


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


class QuoteLine(Answer):
    description: str
    amount_minor: int
    code: str | None
    kind: str


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
    quote_id: str


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


class ActionOutcome(Answer):
    """The subscription as it now stands, the invoice and credit note the action raised and the
    payment it took (null when it raised or took none)."""
    subscription: SubscriptionDetail
    invoice: InvoiceDetail | None
    credit_note: CreditNoteDetail | None
    payment: Payment | None


class SubscriptionOptions(Answer):
    plans: list[Plan]
    addons: list[Addon]
    coupons: list["OfferedCoupon"]
    change_plan: bool
    change_addons: bool
    change_coupon: bool
    when: list[Literal["now", "end_of_term"]]


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


class StoredChange(Answer):
    plan: PlanSnapshot
    addons: list[SubscriptionAddon]
    coupon: StoredCoupon | None
    requested_at: datetime | None
