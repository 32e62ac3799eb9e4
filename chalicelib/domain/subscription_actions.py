"""What a customer may do to a subscription from the portal, what each action changes, and what
it would cost.

Every portal action is checked in one order: the merchant's preferences (403 feature_disabled),
then the subscription's status against the one transition table (409 invalid_status), then the
action's own rules (422). `allowed_actions` answers the same checks without raising, for the
subscription's detail. Quotes are plain data with a digest of everything they promise, so a
confirmation can prove it charges what the preview showed (quotes.py).

What an action bills is decided by billing.py; here each action says what it does to the
subscription, with `now` the instant it happens and the subscription's own calendar for the day.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from . import billing, coupon_cycles
from .billing import Bill
from .calendar import Term
from .errors import BusinessRuleViolation, DomainError, FeatureDisabled, InvalidInput, InvalidTransition
from .note_words import NoteWords
from .payments import PaymentMethod
from .preferences import EditPreferences, Preferences
from .subscription import (AppliedCoupon, PlanSnapshot, ScheduledChange, Subscription, SubscriptionAddon,
                           new_series, term_of_series)
from .subscription_status import Status, allows

When = Literal["now", "end_of_term"]

PORTAL_ACTIONS = ("activate", "extend_trial", "change_now", "change_at_term_end", "set_auto_charge",
                  "choose_payment_method", "pause", "remove_pause_schedule", "resume_now", "cancel_now",
                  "cancel_at_term_end", "remove_scheduled_cancellation", "reactivate")


# --- may the customer do it? -----------------------------------------------------------------

@dataclass(frozen=True)
class Refusal:
    reason: str                 # feature_disabled | invalid_status | a business rule
    message: str
    feature: str | None = None

    def error(self, action: str, sub: Subscription) -> DomainError:
        if self.reason == "feature_disabled":
            return FeatureDisabled(self.feature)
        if self.reason == "invalid_status":
            return InvalidTransition(action, Status(sub.status).value)
        return BusinessRuleViolation(self.message, self.reason)


@dataclass(frozen=True)
class ActionState:
    action: str
    allowed: bool
    reason: str | None = None
    message: str | None = None


def is_trial(sub: Subscription) -> bool:
    """In a trial, or a trial whose cancellation is scheduled for its end (never activated)."""
    return sub.status == Status.TRIAL or (
        sub.status == Status.NON_RENEWING and sub.activated_at is None and sub.trial_end is not None)


def refusal(action: str, sub: Subscription, prefs: Preferences, now: datetime) -> Refusal | None:
    """Why `action` is refused now (None: it is allowed)."""
    if action not in PORTAL_ACTIONS:
        raise ValueError(f"unknown portal action {action!r}")
    return (_feature_refusal(action, sub, prefs) or _status_refusal(action, sub)
            or _rule_refusal(action, sub, prefs, now))


def require(action: str, sub: Subscription, prefs: Preferences, now: datetime) -> None:
    """Raise the domain error of the first check `action` fails."""
    refused = refusal(action, sub, prefs, now)
    if refused is not None:
        raise refused.error(action, sub)


def allowed_actions(sub: Subscription, prefs: Preferences, now: datetime) -> tuple[ActionState, ...]:
    """Each portal action, whether it is allowed now and, if not, why."""
    states = []
    for action in PORTAL_ACTIONS:
        refused = refusal(action, sub, prefs, now)
        states.append(ActionState(action, True) if refused is None
                      else ActionState(action, False, refused.reason, refused.message))
    return tuple(states)


def _off(feature: str) -> Refusal:
    return Refusal("feature_disabled", f"The merchant has not enabled '{feature}' in the portal.", feature)


def _feature_refusal(action: str, sub: Subscription, prefs: Preferences) -> Refusal | None:
    features = prefs.enabled_features()
    if not features["subscriptions"]:
        return _off("subscriptions")
    if action in ("cancel_now", "cancel_at_term_end", "remove_scheduled_cancellation"):
        if is_trial(sub):
            return None if features["trial_cancel"] else _off("trial_cancel")
        if not features["cancel"]:
            return _off("cancel")
        when = {"cancel_now": "immediately", "cancel_at_term_end": "end_of_term"}.get(action)
        return _off(f"cancel.{when}") if when and when not in prefs.cancel.apply_when else None
    if action in ("change_now", "change_at_term_end"):
        if not features["edit_subscription"]:
            return _off("edit_subscription")
        when = "immediately" if action == "change_now" else "end_of_term"
        return None if when in prefs.edit_subscription.apply_when else _off(f"edit_subscription.{when}")
    if action in ("pause", "remove_pause_schedule") and sub.status == Status.PAUSED:
        # a paused subscription's only schedule is its resume date
        return None if features["customer_resume"] else _off(
            "customer_resume" if features["pause_resume"] else "pause_resume")
    feature = {"activate": "trial_convert", "extend_trial": "trial_extend", "set_auto_charge": "auto_charge",
               "choose_payment_method": "auto_charge",
               "pause": "pause_resume", "remove_pause_schedule": "pause_resume",
               "resume_now": "customer_resume", "reactivate": "reactivate"}[action]
    return None if features[feature] else _off(feature)


def _table_actions(action: str, sub: Subscription) -> tuple[str, ...]:
    """The transition-table actions a portal action may take from `sub`'s status."""
    if action == "remove_scheduled_cancellation":
        return ("remove_scheduled_cancellation_in_trial",) if is_trial(sub) else ("remove_scheduled_cancellation",)
    if action == "set_auto_charge":
        return ("set_auto_charge", "disable_auto_charge_in_dunning")
    if action == "pause":
        return ("schedule_pause", "pause_now")
    return (action,)


def _status_refusal(action: str, sub: Subscription) -> Refusal | None:
    if any(allows(table_action, sub.status) for table_action in _table_actions(action, sub)):
        return None
    status = Status(sub.status).value
    return Refusal("invalid_status", f"Not possible while the subscription is {status}.")


# what would bill a term again, change or credit it unbilled, or leave its invoice uncollected, while
# its charge is unanswered
WAIT_FOR_FIRST_CHARGE = ("activate", "change_now", "change_at_term_end", "pause", "cancel_now",
                         "cancel_at_term_end")


def first_charge_pending(sub: Subscription) -> bool:
    """A term invoiced by the scheduled work (a trial's first, a renewal) whose charge is still to
    be made or answered (the payment service is asked again later, with the same key): a trial
    becomes live or expires with the answer, a renewal is paid or goes to dunning."""
    return (sub.unpaid_invoice_id is not None and sub.next_retry_at is not None
            and sub.status in (Status.TRIAL, Status.LIVE))


def _rule_refusal(action: str, sub: Subscription, prefs: Preferences, now: datetime) -> Refusal | None:
    if action in WAIT_FOR_FIRST_CHARGE and first_charge_pending(sub):
        return Refusal("first_charge_pending", "The payment for this term is being confirmed; try again in a few "
                                               "minutes.")
    if action == "extend_trial":
        if sub.expired_reason != "trial_charge_failed":
            return Refusal("trial_not_extendable", "Only a trial that expired because its first charge "
                                                   "failed can be extended.")
        if sub.trial_extensions_used >= prefs.trial.extensions_allowed:
            return Refusal("extension_limit_reached", f"The trial was already extended "
                           f"{sub.trial_extensions_used} time(s), as often as the merchant allows.")
        if sub.plan.trial_days < 1:
            return Refusal("no_trial_period", "This plan has no trial period to extend by.")
    if action == "set_auto_charge" and not sub.payment_method_id:
        return Refusal("no_payment_method", "Add a payment method to this subscription first.")
    if action == "remove_pause_schedule" and sub.pause_at is None and sub.resume_at is None:
        return Refusal("no_pause_schedule", "No pause or resume is scheduled.")
    if action == "change_now" and sub.status == Status.LIVE and not in_term(sub, now):
        return Refusal("term_ended", "The current term has ended; try again once it has renewed.")
    return None


def in_term(sub: Subscription, now: datetime) -> bool:
    """Whether today (the subscription's) falls in its current, billed term."""
    term = sub.term
    return term is not None and not sub.term_unbilled and term.contains(sub.today(now))


# --- what the customer chooses ---------------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """A plan with its addons and coupon: what a subscription is, or is to become."""
    plan: PlanSnapshot
    addons: tuple[SubscriptionAddon, ...] = ()
    coupon: AppliedCoupon | None = None

    def key(self) -> tuple:
        return (self.plan.code, tuple(sorted((a.code, a.quantity) for a in self.addons)),
                self.coupon.key if self.coupon else None)


def current_selection(sub: Subscription) -> Selection:
    """The plan, the addons still billed (not a one-time addon billed already) and the coupon."""
    return Selection(sub.plan, tuple(a for a in sub.addons if a.pending), sub.coupon)


def pending_selection(sub: Subscription) -> Selection:
    """What the next term will be: the scheduled change if there is one."""
    change = sub.scheduled_change
    return Selection(change.plan, change.addons, change.coupon) if change else current_selection(sub)


def check_edit(current: Selection, wanted: Selection, edit: EditPreferences) -> None:
    """The parts of the subscription the merchant lets customers change; the plans they may choose."""
    if wanted.plan.code != current.plan.code:
        if not edit.change_plan:
            raise FeatureDisabled("edit_subscription.change_plan")
        if edit.allowed_plan_codes and wanted.plan.code not in edit.allowed_plan_codes:
            raise InvalidInput({"plan": "This plan cannot be chosen in the portal."}, codes={"plan": "plan_not_available"})
    if wanted.key()[1] != current.key()[1] and not edit.change_addons:
        raise FeatureDisabled("edit_subscription.change_addons")
    if wanted.key()[2] != current.key()[2] and not edit.change_coupon:
        raise FeatureDisabled("edit_subscription.change_coupon")


def check_coupon_cycles(sub: Subscription, chosen: Selection, *, within_term: bool = False) -> None:
    """A coupon the subscription used up cannot be applied to it again: its cycles count per
    subscription, so removing and re-applying it never restarts them. Applied again within the
    term it was counted for (`within_term`: a change now), it discounts that term still."""
    coupon = chosen.coupon
    if coupon is None or (sub.coupon is not None and sub.coupon.key == coupon.key):
        return
    if within_term and sub.term is not None and coupon_cycles.discounts(sub, coupon, sub.term_start):
        return
    if coupon_cycles.cycles_left(sub, coupon) == 0:
        raise InvalidInput({"coupon": f"Coupon {coupon.code} was already used up on this subscription."},
                           codes={"coupon": "coupon_used_up"})


def with_selection(sub: Subscription, chosen: Selection) -> Subscription:
    return replace(sub, plan=chosen.plan, addons=chosen.addons, coupon=chosen.coupon)


# --- terms -----------------------------------------------------------------------------------

def next_term_of(sub: Subscription, plan: PlanSnapshot) -> tuple[date, Term]:
    """The anchor and the term that follow `sub`'s current term, for `plan`: the next of the
    anchor's series; a plan of another billing period starts a series of its own at the term's end."""
    end = sub.term_end
    anchor = sub.billing_anchor or _implied_anchor(sub)
    if plan.bills_like(sub.plan) and anchor <= end:
        term = term_of_series(anchor, plan, end)
        if term.start == end:
            return anchor, term
    return end, new_series(end, plan)


def _implied_anchor(sub: Subscription) -> date:
    """A subscription stored before anchors were kept: its term's start when the term is one
    period of it, else its end (a term cut to another length renews from where it ends)."""
    if sub.term_start is not None and new_series(sub.term_start, sub.plan).end == sub.term_end:
        return sub.term_start
    return sub.term_end


def starting_term(sub: Subscription, day: date, plan: PlanSnapshot) -> Subscription:
    """`sub` with a new series of terms anchored on `day`."""
    term = new_series(day, plan)
    return replace(sub, billing_anchor=day, term_start=term.start, term_end=term.end)


# --- what each action does to the subscription -----------------------------------------------

def activated(sub: Subscription, now: datetime) -> Bill:
    """The trial ends now and the first term starts today, invoiced; a change scheduled for the
    trial's end applies."""
    today = sub.today(now)
    chosen = pending_selection(sub)
    started = starting_term(with_selection(sub, chosen), today, chosen.plan)
    live = started.apply("activate", scheduled_change=None, trial_end=today, activated_at=now)
    return billing.term_bill(live)


def trial_extended(sub: Subscription, now: datetime) -> Subscription:
    """A new trial of the plan's trial period, from today."""
    today = sub.today(now)
    return sub.apply("extend_trial", trial_start=today, trial_end=today + timedelta(days=sub.plan.trial_days),
                     trial_extensions_used=sub.trial_extensions_used + 1, expired_at=None, expired_reason=None)


def changed_now(sub: Subscription, chosen: Selection, now: datetime) -> Bill:
    """The change at once: on a live subscription billed by day (or, to another billing period, a
    new term from today); before billing starts (trial, future) nothing is billed now."""
    after = with_selection(sub, chosen).apply("change_now", scheduled_change=None)
    if sub.status != Status.LIVE:
        return Bill(after)
    return billing.change_bill(sub, after, sub.today(now))


def change_scheduled(sub: Subscription, chosen: Selection, now: datetime) -> Subscription:
    return sub.apply("change_at_term_end", scheduled_change=ScheduledChange(chosen.plan, chosen.addons,
                                                                            chosen.coupon, now))


def auto_charge_set(sub: Subscription, enabled: bool) -> Subscription:
    """Turning auto-charge off in dunning ends the retries: the subscription is live again."""
    if not enabled and sub.status == Status.DUNNING:
        return sub.apply("disable_auto_charge_in_dunning", auto_charge=False, next_retry_at=None,
                         dunning_attempts=0)
    return sub.apply("set_auto_charge", auto_charge=enabled)


def payment_method_chosen(sub: Subscription, method: PaymentMethod, *, auto_charge: bool | None,
                          now: datetime) -> Subscription:
    """Charged to `method` (one of the customer's saved cards) from now on: the next renewal, and in
    dunning the retries still to come. `auto_charge` None keeps it as it is; False in dunning ends
    the retries, as turning it off does. An expired card is refused: nothing could be charged to it."""
    if method.expired_on(sub.today(now)):
        raise BusinessRuleViolation(f"{method.summary} expired at the end of {method.exp_month:02d}/{method.exp_year}; "
                                    "choose another card or add a new one.", "card_expired")
    chosen = sub.apply("choose_payment_method", payment_method_id=method.payment_method_id)
    if auto_charge is None or auto_charge == sub.auto_charge:
        return chosen
    return auto_charge_set(chosen, auto_charge)


def pause_scheduled(sub: Subscription, prefs: Preferences, *, pause_at: date | None,
                    resume_at: date | None, now: datetime) -> Subscription | Bill:
    """Pause today (`pause_at` None or today) or on a later day, with an optional resume day
    (only with the customer resume permission). A paused subscription can only have its resume
    day set. A pause today answers its Bill (the unused days credited or kept)."""
    if resume_at is not None and not prefs.enabled_features()["customer_resume"]:
        raise FeatureDisabled("customer_resume")
    today = sub.today(now)
    if sub.status == Status.PAUSED:
        if pause_at is not None:
            raise InvalidInput({"pause_at": "The subscription is already paused."}, codes={"pause_at": "already_paused"})
        if resume_at is None:
            raise InvalidInput({"resume_at": "Give the day to resume on, or delete the schedule."},
                               codes={"resume_at": "resume_day_needed"})
        if resume_at <= today:
            raise InvalidInput({"resume_at": "Must be after today; to resume today, resume."},
                               codes={"resume_at": "resume_after_today"})
        return sub.apply("schedule_pause", resume_at=resume_at)
    if pause_at is not None and pause_at < today:
        raise InvalidInput({"pause_at": "Must not be in the past."}, codes={"pause_at": "day_in_past"})
    if pause_at is not None and sub.term_end is not None and pause_at > sub.term_end:
        raise InvalidInput({"pause_at": f"Choose a day up to the end of the current term "
                                        f"({sub.term_end.isoformat()})."}, codes={"pause_at": "day_after_term"})
    starts = max(pause_at or today, today)
    if resume_at is not None and resume_at <= starts:
        raise InvalidInput({"resume_at": "Must be after the pause starts."}, codes={"resume_at": "resume_after_pause"})
    if starts == today:
        return paused_on(replace(sub, resume_at=resume_at), today, prefs.pause_resume.unused_time)
    return sub.apply("schedule_pause", pause_at=starts, resume_at=resume_at,
                     pause_unused_time=prefs.pause_resume.unused_time)


def paused_on(sub: Subscription, day: date, unused_time: str) -> Bill:
    """Paused from `day`: the paid, unused days of the term are credited by day ("credit"), or kept
    for after the resume ("keep": the term stays on the subscription, to be moved on resuming)."""
    credit = billing.unused_time_credit(sub, day) if sub.term and not sub.term_unbilled else []
    if unused_time == "keep" and credit:
        return Bill(sub.apply("pause_now", paused_at=day, pause_at=None))
    after = sub.apply("pause_now", paused_at=day, pause_at=None, term_start=None, term_end=None)
    return Bill(after, credit_lines=tuple(credit), credit_reason="Subscription paused",
                explanation=(NoteWords("unused_days_credited", credit[0].period.days, sub.term.days)
                             if credit else None))


def pause_schedule_removed(sub: Subscription) -> Subscription:
    return sub.apply("remove_pause_schedule", pause_at=None, resume_at=None)


def resumed(sub: Subscription, now: datetime) -> Bill:
    """Live again today. Paid days kept at the pause come first, on what was paid for: the term
    moves on by the days paused and nothing is invoiced until it ends (a change scheduled for the
    term's end applies then). Otherwise a new term starts today, invoiced, with the scheduled
    change applied."""
    today = sub.today(now)
    kept = sub.term
    if kept is None or sub.paused_at is None:
        chosen = pending_selection(sub)
        back = with_selection(sub, chosen).apply("resume_now", scheduled_change=None, paused_at=None,
                                                 pause_at=None, resume_at=None)
        return billing.term_bill(starting_term(back, today, chosen.plan))
    shift = today - sub.paused_at
    moved = sub.apply("resume_now", paused_at=None, pause_at=None, resume_at=None, term_start=kept.start + shift,
                      term_end=kept.end + shift, billing_anchor=kept.end + shift,
                      coupon_uses=_moved_uses(sub, kept.start, kept.start + shift))
    return Bill(moved, explanation=NoteWords("kept_days_continue", kept.days_remaining(sub.paused_at),
                                             day=moved.term_end))


def _moved_uses(sub: Subscription, old_start: date, new_start: date):
    return tuple(replace(u, last_term_start=new_start) if u.last_term_start == old_start else u
                 for u in sub.coupon_uses)


def cancelled_now(sub: Subscription, reason: str | None, now: datetime) -> Bill:
    """Ended now. Nothing of a term in use is refunded; paid days kept at a pause are credited (as
    a pause that credits them would have)."""
    after = sub.apply("cancel_now", cancelled_at=now, cancel_reason=reason, scheduled_change=None,
                      pause_at=None, resume_at=None, next_retry_at=None)
    if not kept_at_pause(sub):
        return Bill(after)
    credit = billing.unused_time_credit(sub, sub.paused_at)
    return Bill(replace(after, term_start=None, term_end=None), credit_lines=tuple(credit),
                credit_reason="Subscription cancelled while paused",
                explanation=NoteWords("kept_days_credited", credit[0].period.days))


def kept_at_pause(sub: Subscription) -> bool:
    """Paused with the paid, unused days of its term kept for after the resume."""
    return sub.status == Status.PAUSED and sub.term is not None and sub.paused_at is not None \
        and sub.term.contains(sub.paused_at)


def cancel_scheduled(sub: Subscription, reason: str | None) -> Subscription:
    """Non-renewing: it stays active until the end of its term (or trial), then is cancelled."""
    return sub.apply("cancel_at_term_end", cancel_reason=reason, scheduled_change=None, pause_at=None,
                     resume_at=None)


def scheduled_cancellation_removed(sub: Subscription) -> Subscription:
    action = _table_actions("remove_scheduled_cancellation", sub)[0]
    return sub.apply(action, cancel_reason=None)


def reactivated(sub: Subscription, chosen: Selection, now: datetime) -> Bill:
    """Live again, with what the customer chose. A term it did not pay for that has not ended goes
    on, its open invoice due (charged by the next run with auto-charge): nothing new is invoiced.
    Otherwise a new term starts today, invoiced, and days of the old term that were paid and are
    still to come (cancelled before its end) are credited by day, so no day is billed twice."""
    today = sub.today(now)
    cleared = dict(activated_at=sub.activated_at or now, cancelled_at=None, cancel_reason=None, expired_at=None,
                   expired_reason=None, scheduled_change=None, pause_at=None, resume_at=None, paused_at=None,
                   dunning_attempts=0)
    if sub.unpaid_invoice_id and sub.term is not None and sub.term.contains(today):
        if chosen.key() != current_selection(sub).key():
            raise BusinessRuleViolation("This subscription's current term is not paid: reactivate it as it is, "
                                        "then change it.", "term_unpaid")
        back = sub.apply("reactivate", next_retry_at=now, **cleared)
        return Bill(back, explanation=NoteWords("unpaid_term_goes_on", day=sub.term_end))
    back = with_selection(sub, chosen).apply("reactivate", next_retry_at=None, unpaid_invoice_id=None, **cleared)
    first = billing.term_bill(starting_term(back, today, chosen.plan))
    overlap = billing.unused_time_credit(sub, today) if not sub.term_unbilled else []
    if not overlap:
        return first
    return replace(first, credit_lines=tuple(overlap), credit_reason="Subscription reactivated within a paid term",
                   explanation=NoteWords("cancelled_term_days_credited", overlap[0].period.days))


def term_end_of(sub: Subscription) -> date | None:
    """The day the current term (or, in a trial, the trial) ends."""
    return sub.trial_end if is_trial(sub) else sub.term_end
