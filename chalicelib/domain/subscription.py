"""The subscription aggregate: what a customer subscribes to and where it stands."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .money import Money
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


@dataclass(frozen=True)
class SubscriptionAddon:
    code: str
    name: str
    price_minor: int
    quantity: int = 1
    recurring: bool = True


@dataclass(frozen=True)
class AppliedCoupon:
    code: str
    name: str
    duration: str                      # once | forever | repeating
    percent_off_bp: int | None = None
    amount_off_minor: int | None = None
    cycles_remaining: int | None = None


@dataclass(frozen=True)
class ScheduledChange:
    """A plan/addon/coupon change the customer chose to apply at the end of the term."""
    plan: PlanSnapshot
    addons: tuple[SubscriptionAddon, ...] = ()
    coupon: AppliedCoupon | None = None
    requested_at: datetime | None = None


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
    auto_charge: bool = False
    payment_method_id: str | None = None
    starts_at: datetime | None = None          # for future subscriptions
    trial_start: datetime | None = None
    trial_end: datetime | None = None
    term_start: datetime | None = None
    term_end: datetime | None = None
    activated_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    expired_at: datetime | None = None
    expired_reason: str | None = None          # "trial_charge_failed": the customer may extend the trial
    scheduled_change: ScheduledChange | None = None
    pause_at: datetime | None = None
    resume_at: datetime | None = None
    paused_at: datetime | None = None
    trial_extensions_used: int = 0
    dunning_attempts: int = 0
    next_retry_at: datetime | None = None
    unpaid_invoice_id: str | None = None
    reference: str = ""
    coupons_used: tuple[str, ...] = ()         # the key of every coupon it has had (domain/coupons.py)
    version: int | None = None

    @property
    def plan_price(self) -> Money:
        return Money(self.plan.price_minor, self.currency)

    @property
    def next_billing_at(self) -> datetime | None:
        """When the next invoice is due to be raised (None if nothing will be billed)."""
        if self.status in (Status.LIVE, Status.UNPAID):
            return self.term_end
        if self.status == Status.TRIAL:
            return self.trial_end
        if self.status == Status.FUTURE:
            return self.starts_at
        return None

    def apply(self, action: str, **changes) -> "Subscription":
        """A new subscription with the status `action` leads to and the given field changes."""
        return replace(self, status=transition(action, self.status), **changes)


def next_due_at(sub: Subscription) -> datetime | None:
    """When a scheduled job next has something to do for this subscription (None: nothing)."""
    candidates = {
        Status.FUTURE: (sub.starts_at,),
        Status.TRIAL: (sub.trial_end,),
        Status.LIVE: (sub.term_end, sub.pause_at),
        Status.NON_RENEWING: (sub.term_end or sub.trial_end,),   # a trial cancelled at its end has no term
        Status.DUNNING: (sub.next_retry_at,),
        Status.PAUSED: (sub.resume_at,),
    }.get(sub.status, ())
    if sub.unpaid_invoice_id and sub.status in (Status.TRIAL, Status.LIVE):
        # a term invoiced by a job whose charge has not happened yet: the charge is due work
        candidates = (*candidates, sub.next_retry_at)
    present = [c for c in candidates if c is not None]
    return min(present) if present else None
