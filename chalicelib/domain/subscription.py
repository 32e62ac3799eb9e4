"""The subscription aggregate: what a customer subscribes to and where it stands.

Its dates (start, trial, term, pause and resume days) are calendar dates in the subscription's
time zone, its organization's; the instants it records are events (activated, cancelled, expired)
and the next dunning retry.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .calendar import DEFAULT_TIME_ZONE, Term, first_term, local_date, start_of_day, term_containing
from .documents import CreditApplication
from .subscription_status import Status, transition


@dataclass(frozen=True)
class PlanSnapshot:
    """The plan as it was sold: later catalog edits do not reprice a running subscription."""
    code: str
    name: str
    price_minor: int
    interval: str = "month"
    interval_count: int = 1
    trial_days: int = 0

    def bills_like(self, other: "PlanSnapshot") -> bool:
        """Whether both plans bill over the same period (unit and count)."""
        return (self.interval, self.interval_count) == (other.interval, other.interval_count)


@dataclass(frozen=True)
class SubscriptionAddon:
    """A recurring addon bills with every term; a one-time addon (`recurring` False) bills once,
    in full, on the subscription's next invoice. `billed_on` marks a one-time addon billed (the day
    of the invoice that billed it): it stays until that invoice can no longer be taken back (a
    trial whose first charge fails gives it back), and is gone at the next change or term."""
    code: str
    name: str
    price_minor: int
    quantity: int = 1
    recurring: bool = True
    billed_on: date | None = None

    @property
    def pending(self) -> bool:
        """Still to be billed: every recurring addon, a one-time addon until it is billed."""
        return self.recurring or self.billed_on is None


@dataclass(frozen=True)
class AppliedCoupon:
    """A coupon on a subscription, as it was sold. `cycles` is how many terms it discounts:
    1 for "once", the merchant's number for "repeating", None ("forever") for every term."""
    code: str
    name: str
    duration: str                      # once | forever | repeating
    percent_off_bp: int | None = None
    amount_off_minor: int | None = None
    cycles: int | None = None

    def __post_init__(self):
        if self.duration == "once" and self.cycles is None:
            object.__setattr__(self, "cycles", 1)

    @property
    def key(self) -> str:
        """Codes match case-insensitively."""
        return self.code.casefold()


@dataclass(frozen=True)
class CouponUse:
    """How many terms a coupon has discounted on this subscription (whatever came and went in
    between), and the start of the last one: a term is counted once, however often it is billed."""
    code: str                          # the coupon's key (case-folded)
    terms: int = 0
    last_term_start: date | None = None
    # the billing period of the last term counted (None: counted before periods were kept), and, once
    # a term of another period was counted, the day by which its terms would have run out
    interval: str | None = None
    interval_count: int | None = None
    ends_before: date | None = None


@dataclass(frozen=True)
class ScheduledChange:
    """A plan/addon/coupon change the customer chose to apply at the end of the term."""
    plan: PlanSnapshot
    addons: tuple[SubscriptionAddon, ...] = ()
    coupon: AppliedCoupon | None = None
    requested_at: datetime | None = None


@dataclass(frozen=True)
class UndoRecord:
    """What the customer may undo of the subscription's last immediate cancellation or downgrade
    (domain/undo.py): the subscription as it was before (`prior`, without a record of its own), the
    version the action wrote (the record holds while the subscription is still that version), the
    documents it issued and what it left on them, until `until`. `undone_at`: used, once."""
    action: str                                # cancel_now | change_now
    taken_at: datetime
    until: datetime
    prior: "Subscription"
    version: int
    invoice_id: str | None = None
    credit_note_id: str | None = None
    credit_note_balance_minor: int = 0         # what the action left on its credit note
    credits_applied: tuple[CreditApplication, ...] = ()   # the credits the action applied to its invoice
    redeemed: tuple[str, ...] = ()             # coupons (keys) the action redeemed
    undone_at: datetime | None = None


@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    customer_id: str
    status: Status
    plan: PlanSnapshot
    currency: str
    created_at: datetime
    addons: tuple[SubscriptionAddon, ...] = ()
    coupon: AppliedCoupon | None = None
    coupon_uses: tuple[CouponUse, ...] = ()
    auto_charge: bool = False
    payment_method_id: str | None = None
    time_zone: str = DEFAULT_TIME_ZONE         # the organization's: where its days begin
    billing_anchor: date | None = None         # terms are counted from it
    starts_at: date | None = None              # for future subscriptions
    trial_start: date | None = None
    trial_end: date | None = None
    term_start: date | None = None
    term_end: date | None = None               # the first day after the term
    term_unbilled: bool = False                # the current term still has to be invoiced (a job does it)
    activated_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    expired_at: datetime | None = None
    expired_reason: str | None = None          # "trial_charge_failed": the customer may extend the trial
    scheduled_change: ScheduledChange | None = None
    pause_at: date | None = None
    # what the scheduled pause does with the term's paid, unused days (credit | keep): the merchant's
    # choice when it was scheduled, as its preview said; None: scheduled before it was kept here
    pause_unused_time: str | None = None
    resume_at: date | None = None
    paused_at: date | None = None              # the first day of the pause
    trial_extensions_used: int = 0
    dunning_attempts: int = 0
    charge_attempts: int = 0                   # ever made; never reset: each has its own key (charge_attempts.py)
    next_retry_at: datetime | None = None
    last_failure_code: str | None = None       # why the last charge of the unpaid invoice failed, as the gateway said
    unpaid_invoice_id: str | None = None
    # its invoices left open as less than the payment service's smallest charge, which its next
    # automatic charge pays along with what it charges (docs/billing.md "The smallest charge")
    carried_invoice_ids: tuple[str, ...] = ()
    reference: str = ""
    retention_offer: str | None = None         # accepted | declined: the cancel flow's offer is shown once
    undo: UndoRecord | None = None             # the last immediate cancellation or downgrade, while it may be undone
    version: int | None = None

    def today(self, now: datetime) -> date:
        """The date it is at `now` where the subscription's days begin."""
        return local_date(now, self.time_zone)

    def day_starts(self, day: date) -> datetime:
        return start_of_day(day, self.time_zone)

    @property
    def charges_automatically(self) -> bool:
        """Its invoices are charged to its card without the customer: auto-charge on, with a card."""
        return self.auto_charge and self.payment_method_id is not None

    @property
    def term(self) -> Term | None:
        if self.term_start is None or self.term_end is None:
            return None
        return Term(self.term_start, self.term_end)

    @property
    def next_billing_on(self) -> date | None:
        """The day the next invoice is raised (None if nothing will be billed: paused, unpaid,
        cancelled, not renewing ...)."""
        if self.status == Status.LIVE:
            if self.term_unbilled:
                return self.term_start
            if self.pauses_before_renewing:
                # no renewal at the term's end: the next invoice follows the resume (the kept days first)
                kept = self.term_end - self.pause_at if self.pause_unused_time == "keep" else timedelta()
                return self.resume_at + kept if self.resume_at is not None else None
            return self.term_end
        if self.status == Status.TRIAL:
            return self.trial_end
        if self.status == Status.FUTURE:
            # a plan with a trial starts with the trial: its first invoice is at the trial's end
            return self.starts_at + timedelta(days=self.plan.trial_days) if self.starts_at else None
        if self.status == Status.PAUSED:
            if self.resume_at is not None and self.term is not None and self.paused_at is not None:
                # the paid days kept at the pause run first, from the resume day
                return self.resume_at + (self.term_end - self.paused_at)
            return self.resume_at
        return None

    @property
    def pauses_before_renewing(self) -> bool:
        """A pause is scheduled for a day up to the term's end: the scheduled work pauses it then
        instead of renewing it (scheduling.work_due)."""
        return self.pause_at is not None and self.term_end is not None and self.pause_at <= self.term_end

    def kept_days_to_come(self, today: date) -> bool:
        """Paid days kept over a pause are still to be served on `today`: while paused with them, and
        after the resume until they have run (the term they moved to renews from its own end: its
        anchor is its end, `subscription_actions.resumed`). The invoice that billed them names the
        days before the pause, so its own days tell nothing of them."""
        term = self.term
        if term is None:
            return False
        if self.status == Status.PAUSED:
            return self.paused_at is not None and term.contains(self.paused_at)
        return self.billing_anchor == term.end and today < term.end

    def apply(self, action: str, **changes) -> "Subscription":
        """A new subscription with the status `action` leads to and the given field changes. The
        pause's way with unused days lives only as long as the pause is scheduled."""
        after = replace(self, status=transition(action, self.status), **changes)
        return replace(after, pause_unused_time=None) if after.pause_at is None and after.pause_unused_time else after


def term_of_series(anchor: date, plan: PlanSnapshot, day: date) -> Term:
    """The term of a plan's series anchored on `anchor` that `day` falls in."""
    return term_containing(anchor, plan.interval, plan.interval_count, day)


def new_series(day: date, plan: PlanSnapshot) -> Term:
    """The first term of a series that starts (and is anchored) on `day`."""
    return first_term(day, plan.interval, plan.interval_count)


def next_due_at(sub: Subscription) -> datetime | None:
    """When a scheduled job next has something to do for this subscription (None: nothing)."""
    days = {
        Status.FUTURE: (sub.starts_at,),
        Status.TRIAL: (sub.trial_end,),
        Status.LIVE: (sub.term_start if sub.term_unbilled else sub.term_end, sub.pause_at),
        Status.NON_RENEWING: (sub.term_end or sub.trial_end,),   # a trial cancelled at its end has no term
        Status.PAUSED: (sub.resume_at,),
        # the term's end ends the dunning, before any retry still set for then or later (as retries
        # were scheduled before they were kept within the term): scheduling.dunning_term_over
        Status.DUNNING: (sub.term_end,),
    }.get(sub.status, ())
    candidates = [sub.day_starts(day) for day in days if day is not None]
    if sub.status == Status.DUNNING and sub.next_retry_at is not None:
        candidates.append(sub.next_retry_at)
    if sub.unpaid_invoice_id and sub.status in (Status.TRIAL, Status.LIVE) and sub.next_retry_at is not None:
        # a term invoiced by a job whose charge has not happened yet: the charge is due work
        candidates.append(sub.next_retry_at)
    return min(candidates) if candidates else None
