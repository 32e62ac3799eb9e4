"""What a customer may do to a subscription from the portal, what each action changes, and what
it would cost.

Every portal action is checked in one order: the merchant's preferences (403 feature_disabled),
then the subscription's status against the one transition table (409 invalid_status), then the
action's own rules (422). `allowed_actions` answers the same checks without raising, for the
subscription's detail. Quotes are plain data with a digest of everything they promise, so a
confirmation can prove it charges what the preview showed.

Convention: `Subscription.coupon` is the coupon as it applied to the current (last invoiced)
term; a new term after a billed one gets the coupon's next cycle.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal, Sequence

from .billing import coupon_terms, priced_items, term_from
from .calendar import Term
from .credits import AvailableCredit, allocate_credits
from .errors import BusinessRuleViolation, Conflict, DomainError, FeatureDisabled, InvalidInput, InvalidTransition
from .money import Money
from .preferences import EditPreferences, Preferences
from .pricing import Line, PricedItem, discount_for, subtotal, term_lines, total
from .proration import ProrationQuote, prorate_change
from .subscription import AppliedCoupon, PlanSnapshot, ScheduledChange, Subscription, SubscriptionAddon
from .subscription_status import Status, allows

When = Literal["now", "end_of_term"]

PORTAL_ACTIONS = ("activate", "extend_trial", "change_now", "change_at_term_end", "set_auto_charge",
                  "pause", "remove_pause_schedule", "resume_now", "cancel_now", "cancel_at_term_end",
                  "remove_scheduled_cancellation", "reactivate")

# A pause asked for "now" from a browser whose clock runs a little behind is still now.
PAUSE_CLOCK_SKEW = timedelta(minutes=5)


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


def _rule_refusal(action: str, sub: Subscription, prefs: Preferences, now: datetime) -> Refusal | None:
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
    if action == "change_now" and sub.status == Status.LIVE and not _in_term(sub, now):
        return Refusal("term_ended", "The current term has ended; try again once it has renewed.")
    return None


def _in_term(sub: Subscription, now: datetime) -> bool:
    return sub.term_start is not None and sub.term_end is not None and sub.term_start <= now < sub.term_end


# --- what the customer chooses ---------------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """A plan with its addons and coupon: what a subscription is, or is to become."""
    plan: PlanSnapshot
    addons: tuple[SubscriptionAddon, ...] = ()
    coupon: AppliedCoupon | None = None

    def key(self) -> tuple:
        return (self.plan.code, tuple(sorted((a.code, a.quantity) for a in self.addons)),
                self.coupon.code if self.coupon else None)


def current_selection(sub: Subscription) -> Selection:
    return Selection(sub.plan, sub.addons, sub.coupon)


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
            raise InvalidInput({"plan": "This plan cannot be chosen in the portal."})
    if wanted.key()[1] != current.key()[1] and not edit.change_addons:
        raise FeatureDisabled("edit_subscription.change_addons")
    if wanted.key()[2] != current.key()[2] and not edit.change_coupon:
        raise FeatureDisabled("edit_subscription.change_coupon")


def next_cycle_coupon(coupon: AppliedCoupon | None) -> AppliedCoupon | None:
    """The coupon for the term after the one it was last invoiced with."""
    if coupon is None or coupon.duration == "once":
        return None
    if coupon.duration == "forever":
        return coupon
    if (coupon.cycles_remaining or 0) <= 1:
        return None
    return replace(coupon, cycles_remaining=coupon.cycles_remaining - 1)


def _new_term_coupon(sub: Subscription, chosen: AppliedCoupon | None) -> AppliedCoupon | None:
    """A coupon the subscription keeps moves to its next cycle once a term was billed with it;
    a newly chosen one starts at its first."""
    kept = chosen is not None and sub.coupon is not None and chosen.code == sub.coupon.code
    if kept and sub.activated_at is not None:
        return next_cycle_coupon(sub.coupon)
    return chosen


def amount_per_term(selection: Selection, currency: str) -> Money:
    """What one term of `selection` costs, its coupon taken off."""
    items = _items(selection, currency)
    gross = subtotal(items)
    coupon = coupon_terms(selection.coupon, currency)
    return gross - discount_for(coupon, gross) if coupon else gross


def _items(selection: Selection, currency: str) -> list[PricedItem]:
    plan = selection.plan
    return [PricedItem(plan.code, plan.name, Money(plan.price_minor, currency), 1, "plan"),
            *(PricedItem(a.code, a.name, Money(a.price_minor, currency), a.quantity, "addon")
              for a in selection.addons)]


# --- what each action does to the subscription -----------------------------------------------

def activated(sub: Subscription, now: datetime) -> Subscription:
    """The trial ends now and the first term starts; a change scheduled for the trial's end applies."""
    chosen = pending_selection(sub)
    term = term_from(now, chosen.plan)
    return sub.apply("activate", plan=chosen.plan, addons=chosen.addons, coupon=chosen.coupon,
                     scheduled_change=None, trial_end=now, term_start=term.start, term_end=term.end,
                     activated_at=now)


def trial_extended(sub: Subscription, now: datetime) -> Subscription:
    """A new trial of the plan's trial period, from now."""
    return sub.apply("extend_trial", trial_start=now, trial_end=now + timedelta(days=sub.plan.trial_days),
                     trial_extensions_used=sub.trial_extensions_used + 1, expired_at=None, expired_reason=None)


def changed_now(sub: Subscription, chosen: Selection) -> Subscription:
    return sub.apply("change_now", plan=chosen.plan, addons=chosen.addons, coupon=chosen.coupon,
                     scheduled_change=None)


def change_scheduled(sub: Subscription, chosen: Selection, now: datetime) -> Subscription:
    return sub.apply("change_at_term_end", scheduled_change=ScheduledChange(chosen.plan, chosen.addons,
                                                                            chosen.coupon, now))


def auto_charge_set(sub: Subscription, enabled: bool) -> Subscription:
    """Turning auto-charge off in dunning ends the retries: the subscription is live again."""
    if not enabled and sub.status == Status.DUNNING:
        return sub.apply("disable_auto_charge_in_dunning", auto_charge=False, next_retry_at=None,
                         dunning_attempts=0)
    return sub.apply("set_auto_charge", auto_charge=enabled)


def pause_scheduled(sub: Subscription, prefs: Preferences, *, pause_at: datetime | None,
                    resume_at: datetime | None, now: datetime) -> Subscription:
    """Pause now (`pause_at` None or due) or later, with an optional resume date (only with the
    customer resume permission). A paused subscription can only have its resume date set."""
    if resume_at is not None and not prefs.enabled_features()["customer_resume"]:
        raise FeatureDisabled("customer_resume")
    if sub.status == Status.PAUSED:
        if pause_at is not None:
            raise InvalidInput({"pause_at": "The subscription is already paused."})
        if resume_at is None:
            raise InvalidInput({"resume_at": "Give the date to resume on, or delete the schedule."})
        if resume_at <= now:
            raise InvalidInput({"resume_at": "Must be in the future; to resume now, resume."})
        return sub.apply("schedule_pause", resume_at=resume_at)
    if pause_at is not None and pause_at < now - PAUSE_CLOCK_SKEW:
        raise InvalidInput({"pause_at": "Must not be in the past."})
    starts = max(pause_at or now, now)
    if resume_at is not None and resume_at <= starts:
        raise InvalidInput({"resume_at": "Must be after the pause starts."})
    if starts <= now:
        return sub.apply("pause_now", paused_at=now, pause_at=None, resume_at=resume_at)
    return sub.apply("schedule_pause", pause_at=starts, resume_at=resume_at)


def pause_schedule_removed(sub: Subscription) -> Subscription:
    return sub.apply("remove_pause_schedule", pause_at=None, resume_at=None)


def resumed(sub: Subscription, now: datetime) -> Subscription:
    """Back to live with a new term from now (nothing was billed while paused)."""
    chosen = pending_selection(sub)
    term = term_from(now, chosen.plan)
    return sub.apply("resume_now", plan=chosen.plan, addons=chosen.addons,
                     coupon=_new_term_coupon(sub, chosen.coupon), scheduled_change=None, paused_at=None,
                     pause_at=None, resume_at=None, term_start=term.start, term_end=term.end)


def cancelled_now(sub: Subscription, reason: str | None, now: datetime) -> Subscription:
    return sub.apply("cancel_now", cancelled_at=now, cancel_reason=reason, scheduled_change=None,
                     pause_at=None, resume_at=None, next_retry_at=None)


def cancel_scheduled(sub: Subscription, reason: str | None) -> Subscription:
    """Non-renewing: it stays active until the end of its term (or trial), then is cancelled."""
    return sub.apply("cancel_at_term_end", cancel_reason=reason, scheduled_change=None, pause_at=None,
                     resume_at=None)


def scheduled_cancellation_removed(sub: Subscription) -> Subscription:
    action = _table_actions("remove_scheduled_cancellation", sub)[0]
    return sub.apply(action, cancel_reason=None)


def reactivated(sub: Subscription, chosen: Selection, now: datetime) -> Subscription:
    """Live again, a new term from now, with what the customer chose."""
    term = term_from(now, chosen.plan)
    return sub.apply("reactivate", plan=chosen.plan, addons=chosen.addons,
                     coupon=_new_term_coupon(sub, chosen.coupon), term_start=term.start, term_end=term.end,
                     activated_at=sub.activated_at or now, cancelled_at=None, cancel_reason=None,
                     expired_at=None, expired_reason=None, scheduled_change=None, pause_at=None,
                     resume_at=None, paused_at=None, dunning_attempts=0, next_retry_at=None)


def term_of(sub: Subscription) -> Term:
    """The subscription's current billing term."""
    if sub.term_start is None or sub.term_end is None:
        raise BusinessRuleViolation("This subscription has no current term.", "no_current_term")
    return Term(sub.term_start, sub.term_end)


def term_end_of(sub: Subscription) -> datetime | None:
    """When the current term (or, in a trial, the trial) ends."""
    return sub.trial_end if is_trial(sub) else sub.term_end


# --- quotes ----------------------------------------------------------------------------------

class QuoteChanged(Conflict):
    """The amounts differ from the preview the customer confirmed (time moved on, credits were
    used, the subscription changed...): show the new quote and ask again."""
    code = "quote_changed"

    def __init__(self, quote: "Quote"):
        super().__init__("The charges changed since the preview; review the new quote.",
                         {"quote_id": quote.quote_id})


@dataclass(frozen=True)
class QuoteLine:
    description: str
    amount_minor: int
    code: str | None = None
    kind: str = "charge"


@dataclass(frozen=True)
class QuotedAddon:
    """An addon of the selection a quote prices, in the shape requests choose it."""
    code: str
    quantity: int


@dataclass(frozen=True)
class Quote:
    """What confirming an action will do, in money. The invoice is raised now (its total less
    the available credits applied is what is due); the credit note is issued now."""
    action: str
    subscription_id: str
    currency: str
    when: str                                   # now | end_of_term
    effective_on: date
    plan_code: str
    addons: tuple[QuotedAddon, ...] = ()
    coupon_code: str | None = None
    period_start: date | None = None            # of the invoice
    period_end: date | None = None
    invoice_lines: tuple[QuoteLine, ...] = ()
    invoice_total_minor: int = 0
    credit_note_lines: tuple[QuoteLine, ...] = ()
    credit_note_total_minor: int = 0
    net_minor: int = 0                          # invoice - credit note
    credits_applied_minor: int = 0              # available credits (the new credit note too) applied
    amount_due_minor: int = 0                   # what is left to pay (charged with auto-charge)
    refund_minor: int = 0
    next_term_total_minor: int | None = None    # what each following term will cost
    next_billing_on: date | None = None
    notes: tuple[str, ...] = ()
    quote_id: str = ""

    def honour(self, quote_id: str | None) -> None:
        """Refuse a confirmation of a preview that no longer holds (no id given: nothing to hold to)."""
        if quote_id is not None and quote_id != self.quote_id:
            raise QuoteChanged(self)


def _digest(quote: Quote) -> str:
    data = asdict(replace(quote, quote_id=""))
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return "quote_" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _sealed(quote: Quote) -> Quote:
    return replace(quote, quote_id=_digest(quote))


def _quote_lines(lines: Sequence[Line]) -> tuple[QuoteLine, ...]:
    return tuple(QuoteLine(line.description, line.amount.amount_minor, line.code, line.kind) for line in lines)


def _selection_fields(chosen: Selection) -> dict:
    plan_code, addons, coupon_code = chosen.key()
    return {"plan_code": plan_code, "addons": tuple(QuotedAddon(code, quantity) for code, quantity in addons),
            "coupon_code": coupon_code}


def _credits_applied(amount: Money, credits: Sequence[AvailableCredit]) -> int:
    return sum(applied.amount_minor for _, applied in allocate_credits(amount, credits))


def next_term_amount(sub: Subscription) -> Money:
    """What the next term will cost: the scheduled change if any, the coupon's next cycle."""
    chosen = pending_selection(sub)
    return amount_per_term(replace(chosen, coupon=_new_term_coupon(sub, chosen.coupon)), sub.currency)


def new_term_quote(action: str, sub_after: Subscription, credits: Sequence[AvailableCredit],
                   now: datetime) -> Quote:
    """The invoice of the term a subscription starts now (activate, resume, reactivate)."""
    term = term_of(sub_after)
    lines = term_lines(priced_items(sub_after), coupon_terms(sub_after.coupon, sub_after.currency), term)
    invoice_total = total(lines, sub_after.currency)
    applied = _credits_applied(invoice_total, credits)
    notes = ["No refund or credit is given for the time already paid for."] if action == "reactivate" else []
    return _sealed(Quote(
        action=action, subscription_id=sub_after.subscription_id, currency=sub_after.currency, when="now",
        effective_on=now.date(), **_selection_fields(current_selection(sub_after)),
        period_start=term.start.date(), period_end=term.end.date(), invoice_lines=_quote_lines(lines),
        invoice_total_minor=invoice_total.amount_minor, net_minor=invoice_total.amount_minor,
        credits_applied_minor=applied, amount_due_minor=invoice_total.amount_minor - applied,
        next_term_total_minor=next_term_amount(sub_after).amount_minor, next_billing_on=term.end.date(),
        notes=tuple(notes)))


def change_quote(sub: Subscription, chosen: Selection, when: When, credits: Sequence[AvailableCredit],
                 now: datetime) -> Quote:
    """Now, on a live subscription: a credit note for the unused part of the old price and an
    invoice for the rest of the term at the new price, by day. Now, before billing starts (trial,
    future): nothing to bill. At term end: nothing now; the next term at the new price."""
    selected = _selection_fields(chosen)
    if when == "end_of_term":
        change_scheduled(sub, chosen, now)  # the status allows it, or InvalidTransition
        ends = term_end_of(sub)
        on = ends.date() if ends else now.date()
        next_total = amount_per_term(replace(chosen, coupon=_new_term_coupon(sub, chosen.coupon)), sub.currency)
        return _sealed(Quote(
            action="change", subscription_id=sub.subscription_id, currency=sub.currency, when=when,
            effective_on=on, **selected, next_term_total_minor=next_total.amount_minor, next_billing_on=on,
            notes=("Nothing is charged now; the change applies when the current term ends.",)))
    after = changed_now(sub, chosen)
    if sub.status != Status.LIVE:
        return _sealed(Quote(
            action="change", subscription_id=sub.subscription_id, currency=sub.currency, when=when,
            effective_on=now.date(), **selected,
            next_term_total_minor=amount_per_term(chosen, sub.currency).amount_minor,
            next_billing_on=after.next_billing_at.date() if after.next_billing_at else None,
            notes=("Nothing is charged now; billing starts with the first term.",)))
    if not _in_term(sub, now):
        raise BusinessRuleViolation("The current term has ended; try again once it has renewed.", "term_ended")
    term = term_of(sub)
    proration = proration_of(sub, after, now)
    new_note = ([AvailableCredit("new", proration.credit_total, now)]
                if proration.credit_total.amount_minor > 0 else [])
    applied = _credits_applied(proration.charge_total, [*credits, *new_note])
    return _sealed(Quote(
        action="change", subscription_id=sub.subscription_id, currency=sub.currency, when=when,
        effective_on=now.date(), **selected, period_start=now.date(), period_end=term.end.date(),
        invoice_lines=_quote_lines(proration.charge_lines),
        invoice_total_minor=proration.charge_total.amount_minor,
        credit_note_lines=_quote_lines(proration.credit_lines),
        credit_note_total_minor=proration.credit_total.amount_minor, net_minor=proration.net.amount_minor,
        credits_applied_minor=applied, amount_due_minor=proration.charge_total.amount_minor - applied,
        next_term_total_minor=next_term_amount(after).amount_minor, next_billing_on=term.end.date(),
        notes=(f"Prorated by day: {proration.days_remaining} of {proration.days_in_term} days remain.",)))


def proration_of(sub: Subscription, after: Subscription, now: datetime) -> ProrationQuote:
    """The by-day credit and charge of changing `sub` into `after` at `now`, within its term."""
    return prorate_change(priced_items(sub), coupon_terms(sub.coupon, sub.currency),
                          priced_items(after), coupon_terms(after.coupon, after.currency), term_of(sub), now)


def cancellation_quote(sub: Subscription, when: When, now: datetime) -> Quote:
    """Cancelling refunds nothing: now, the rest of a paid term is forfeited; at term end, the
    subscription stays active until then."""
    selected = _selection_fields(current_selection(sub))
    base = dict(action="cancel", subscription_id=sub.subscription_id, currency=sub.currency, when=when, **selected)
    if when == "end_of_term":
        ends = term_end_of(sub)
        on = ends.date() if ends else now.date()
        return _sealed(Quote(**base, effective_on=on,
                             notes=(f"It stays active until {on.isoformat()} and will not renew.",)))
    paid_term = (not is_trial(sub) and sub.term_start is not None and sub.term_end is not None
                 and sub.status != Status.PAUSED and sub.term_start <= now < sub.term_end)
    if paid_term:
        left = Term(sub.term_start, sub.term_end).days_remaining(now)
        note = (f"It ends now. No refund is given for the unused {left} day(s) of the current term; "
                "invoices already raised remain due.")
    else:
        note = "It ends now. Nothing is charged or refunded."
    return _sealed(Quote(**base, effective_on=now.date(), notes=(note,)))
