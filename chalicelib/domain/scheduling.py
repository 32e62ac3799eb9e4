"""Scheduled work on a subscription: what is due at `now`, and what each piece of work turns the
subscription into (with what it bills). Pure: the runner (services/subscriptions/scheduled.py) reads,
claims, writes and charges.

Work falls due when the day it is for begins in the subscription's time zone (a renewal at the
start of the term's last day + 1, a pause at the start of its day ...). A term's first charge
happens after the invoice is committed, so a crash in between must leave a marker:
`unpaid_invoice_id` with `next_retry_at` (when to charge) on a subscription that is not in
dunning means "this invoice still has to be charged", and the next run charges it with the same
idempotency key instead of raising a second invoice.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import Enum

from . import billing
from .billing import Bill
from .dunning import retry_days
from .preferences import DunningSettings
from .subscription import Subscription, next_due_at
from .subscription_actions import (first_charge_pending, next_term_of, paused_on, pending_selection, resumed,
                                   starting_term, with_selection)
from .subscription_status import Status

RETRY_PENDING_AFTER = timedelta(minutes=10)   # a charge whose outcome is not known yet


class Work(str, Enum):
    START = "start"
    TRIAL_END = "trial_end"
    CANCEL_AT_TERM_END = "cancel_at_term_end"
    PAUSE = "pause"
    RESUME = "resume"
    RENEW = "renew"
    BILL_TERM = "bill_term"            # a term that started without its invoice (revived from unpaid)
    CHARGE = "charge"                  # the first charge of a term already invoiced
    DUNNING_RETRY = "dunning_retry"
    DUNNING_END = "dunning_end"        # the unpaid term ended with retries that did not fit before its end


def due_at(sub: Subscription) -> datetime | None:
    """When the runner next has something to do for `sub` (the `due` index's sort key)."""
    if first_charge_pending(sub):
        return sub.next_retry_at
    return next_due_at(sub)


def work_due(sub: Subscription, now: datetime) -> Work | None:
    """The one piece of work due for `sub` at `now` (None: nothing yet)."""
    at = due_at(sub)
    if at is None or at > now:
        return None
    if first_charge_pending(sub):
        return Work.CHARGE
    status = sub.status
    if status == Status.FUTURE:
        return Work.START
    if status == Status.TRIAL:
        return Work.TRIAL_END
    if status == Status.NON_RENEWING:
        return Work.CANCEL_AT_TERM_END
    if status == Status.PAUSED:
        return Work.RESUME
    if status == Status.DUNNING:
        return Work.DUNNING_END if dunning_term_over(sub, now) or sub.next_retry_at is None else Work.DUNNING_RETRY
    if sub.term_unbilled:
        return Work.BILL_TERM
    if sub.pause_at is not None and sub.day_starts(sub.pause_at) <= now and (
            sub.term_end is None or sub.pause_at <= sub.term_end):
        return Work.PAUSE
    return Work.RENEW


def dunning_term_over(sub: Subscription, now: datetime) -> bool:
    """The unpaid term has ended at `now`: the dunning ends, no charge made, whatever retry is still
    set (one on or after the term's end, scheduled before retries were kept within the term, or a
    charge's unknown outcome asked about until past it): no retry pays a term that has ended."""
    return sub.term_end is not None and now >= sub.day_starts(sub.term_end)


# --- what the work turns the subscription into -----------------------------------------------

def started(sub: Subscription) -> Bill:
    """A future subscription begins on its day: a trial if its plan has one, else its first term
    (invoiced), anchored on that day."""
    day = sub.starts_at
    if sub.plan.trial_days:
        return Bill(sub.apply("start_trial", trial_start=day, trial_end=day + timedelta(days=sub.plan.trial_days)))
    live = sub.apply("start", activated_at=sub.day_starts(day))
    return billing.term_bill(starting_term(live, day, sub.plan))


def first_term_after_trial(sub: Subscription) -> Bill:
    """The term that starts the day the trial ends (a change scheduled for the trial's end
    applies), invoiced; the status is still trial until it is paid, or live at once without
    auto-charge."""
    chosen = pending_selection(sub)
    first = starting_term(replace(with_selection(sub, chosen), scheduled_change=None), sub.trial_end, chosen.plan)
    return billing.term_bill(first)


def trial_converted(sub: Subscription) -> Subscription:
    return sub.apply("trial_converted", activated_at=sub.day_starts(sub.trial_end), unpaid_invoice_id=None,
                     next_retry_at=None)


def trial_charge_failed(sub: Subscription, now: datetime) -> Subscription:
    """Expired with the reason that lets the customer extend the trial. Its term never started and
    its invoice is taken back: the coupon cycle and one-time addons billed with it are given back."""
    before = billing.unbilled(sub, sub.term_start) if sub.term_start else sub
    return before.apply("trial_charge_failed", expired_at=now, expired_reason="trial_charge_failed",
                        term_start=None, term_end=None, billing_anchor=None, unpaid_invoice_id=None,
                        next_retry_at=None)


def cancelled_at_term_end(sub: Subscription) -> Subscription:
    return sub.apply("term_end_cancellation", cancelled_at=sub.day_starts(sub.term_end or sub.trial_end),
                     next_retry_at=None, unpaid_invoice_id=None)


def paused(sub: Subscription, unused_time: str) -> Bill:
    """Paused on its scheduled day, the unused days credited or kept as the merchant had chosen when
    it was scheduled (`unused_time`, the merchant's choice now, for a pause scheduled before that
    was kept with it)."""
    return paused_on(sub, sub.pause_at, sub.pause_unused_time or unused_time)


def resumed_on_schedule(sub: Subscription) -> Bill:
    """Live again on the resume day: the kept paid days first, or a new term from that day."""
    return resumed(sub, sub.day_starts(sub.resume_at))


def renewed(sub: Subscription) -> Bill:
    """The next term of the anchor's series, invoiced: a scheduled change applies (a plan of
    another billing period starts a series of its own); a coupon keeps discounting while it has
    cycles left."""
    chosen = pending_selection(sub)
    anchor, term = next_term_of(sub, chosen.plan)
    after = with_selection(sub, chosen).apply("renew", scheduled_change=None, billing_anchor=anchor,
                                              term_start=term.start, term_end=term.end)
    return billing.term_bill(after)


def unbilled_term(sub: Subscription) -> Bill:
    """The invoice of a term that started without one."""
    return billing.term_bill(sub)


def next_invoice(sub: Subscription) -> Bill | None:
    """The next invoice the scheduled work raises for `sub` as it stands, on `sub.next_billing_on`
    (None: nothing is billed next), built by the work itself: the next term with a scheduled change
    applied, the coupon while it discounts, the one-time addons still to bill and any Rounding
    line. What the subscription and its quotes show as the next invoice is this bill's total."""
    if sub.next_billing_on is None:
        return None
    if sub.status == Status.LIVE:
        if sub.term_unbilled:
            return unbilled_term(sub)
        if sub.pauses_before_renewing:
            return next_invoice(paused(sub, sub.pause_unused_time or "credit").subscription)
        return renewed(sub)
    if sub.status == Status.TRIAL:
        return first_term_after_trial(sub)
    if sub.status == Status.FUTURE:
        start = started(sub)
        return start if start.charge_lines else first_term_after_trial(start.subscription)
    if sub.status == Status.PAUSED:
        resume = resumed_on_schedule(sub)
        return resume if resume.charge_lines else renewed(resume.subscription)
    return None


def awaiting_charge(sub: Subscription, invoice_id: str, now: datetime) -> Subscription:
    """The marker of an invoice committed and not yet charged."""
    return replace(sub, unpaid_invoice_id=invoice_id, next_retry_at=now)


def charge_left(sub: Subscription) -> Subscription:
    """Paid, or left open for the customer (no retries off-session): nothing more to charge."""
    return replace(sub, unpaid_invoice_id=None, next_retry_at=None)


def carried(sub: Subscription, invoice_id: str | None) -> Subscription:
    """`invoice_id` left open as less than the payment service charges (None: the invoice asked to
    be charged, `sub.unpaid_invoice_id`): the subscription's next automatic charge pays it along."""
    invoice_id = invoice_id or sub.unpaid_invoice_id
    if invoice_id is None or invoice_id in sub.carried_invoice_ids:
        return sub
    return replace(sub, carried_invoice_ids=tuple(sorted({*sub.carried_invoice_ids, invoice_id})))


def carried_paid(sub: Subscription) -> Subscription:
    """A charge made with the invoices carried along: none of them is owed any more (each was paid by
    it, or found paid or void when it was made)."""
    return replace(sub, carried_invoice_ids=())


def charge_unknown(sub: Subscription, now: datetime) -> Subscription:
    """The payment service did not answer: ask again later with the same key."""
    return replace(sub, next_retry_at=now + RETRY_PENDING_AFTER)


def _retry_at(sub: Subscription, dunning: DunningSettings, attempt: int) -> datetime | None:
    """When the `attempt`-th retry (from 0) is made; None when it does not fit before the term ends."""
    days = retry_days(sub, dunning)
    return sub.day_starts(days[attempt]) if attempt < len(days) else None


def renewal_charge_failed(sub: Subscription, dunning: DunningSettings, failure_code: str | None = None) -> Subscription:
    """Dunning: retries on the organization's schedule, counted from the start of the term, those
    before its end (none fitting: the dunning waits for the term's end); the gateway's reason kept
    to tell the customer."""
    return sub.apply("renewal_charge_failed", dunning_attempts=0, last_failure_code=failure_code,
                     next_retry_at=_retry_at(sub, dunning, 0))


def dunning_paid(sub: Subscription, now: datetime) -> Subscription:
    """The unpaid invoice is paid: live again, the paid term going on, or, when it has ended (a
    charge confirmed late), one new term from the day of payment, as an unpaid subscription's."""
    paid = sub.apply("dunning_paid", dunning_attempts=0, next_retry_at=None, unpaid_invoice_id=None,
                     last_failure_code=None)
    return _on_from_payment_day(paid, sub.today(now))


def _on_from_payment_day(revived: Subscription, today: date) -> Subscription:
    """A subscription paid out of dunning or unpaid goes on with the term it paid for while that term
    lasts; once it has ended, a new term starts the day it is paid (anchored there, invoiced by the
    next run: one invoice, however many terms went by)."""
    if revived.term is None or today < revived.term.end:
        return revived
    return starting_term(replace(revived, term_unbilled=True), today, revived.plan)


def invoice_settled(sub: Subscription, invoice_id: str, now: datetime) -> tuple[Subscription, str] | None:
    """A subscription in dunning or unpaid whose unpaid invoice the customer (or the merchant)
    has just settled is live again at once, with the action that says so; None when the invoice is
    not what holds it back. Retries end: nothing is left to collect (`_on_from_payment_day` says
    which term it goes on with)."""
    if sub.unpaid_invoice_id != invoice_id:
        return None
    if sub.status == Status.DUNNING:
        return dunning_paid(sub, now), "dunning_paid"
    if sub.status == Status.UNPAID:
        revived = sub.apply("unpaid_paid", dunning_attempts=0, next_retry_at=None, unpaid_invoice_id=None)
        return _on_from_payment_day(revived, sub.today(now)), "unpaid_paid"
    return None


def dunning_retry_failed(sub: Subscription, dunning: DunningSettings, now: datetime,
                         failure_code: str | None = None) -> Subscription:
    """The next retry on the schedule that fits before the term ends; none fitting while the term
    lasts, the dunning waits for its end (`dunning_ended`); else the retries ran out: unpaid or
    cancelled per the organization's setting."""
    sub = replace(sub, last_failure_code=failure_code)
    attempts = sub.dunning_attempts + 1
    at = _retry_at(sub, dunning, attempts)
    if at is not None or (attempts < len(dunning.retry_after_days) and sub.term_end is not None
                             and sub.today(now) < sub.term_end):
        return sub.apply("dunning_retry_failed", dunning_attempts=attempts, next_retry_at=at)
    return _exhausted(replace(sub, dunning_attempts=attempts), dunning, now)


def dunning_ended(sub: Subscription, dunning: DunningSettings) -> Subscription:
    """The unpaid term ended with the retries that did not fit before its end unmade: the dunning
    ends there, on the run that would have renewed it."""
    return _exhausted(sub, dunning, sub.day_starts(sub.term_end))


def _exhausted(sub: Subscription, dunning: DunningSettings, at: datetime) -> Subscription:
    if dunning.when_exhausted == "cancel":
        return sub.apply("dunning_exhausted_to_cancelled", next_retry_at=None, cancelled_at=at,
                         cancel_reason="dunning_exhausted")
    return sub.apply("dunning_exhausted_to_unpaid", next_retry_at=None)
