"""Cancelling from the portal: now or at the end of the term (non-renewing), with the reason and
comment the merchant asks for, kept for their counts; the retention offer shown once in the cancel
flow (previewed as the change it makes, accepted at most once); and taking back a scheduled
cancellation. Nothing of a term in use is refunded; paid days kept at a pause are credited."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from ...domain import quotes
from ...domain import subscription_actions as actions
from ...domain.calendar import start_of_day
from ...domain.cancellation_feedback import (CancellationFeedback, CancellationReport, check_reason, days_range,
                                             open_offer, report)
from ...domain.errors import BusinessRuleViolation
from ...domain.preferences import CancelPreferences
from ...domain.quotes import Quote
from ...domain.subscription import AppliedCoupon
from ...domain.subscription_actions import Selection, When
from ..documents import invoicing
from ..numbering import retried
from .actions import Caller, Committed, Context, Outcome, commit, load, outcome


def cancellation_preview(adapters, caller: Caller, subscription_id: str, *, when: When, now: datetime) -> Quote:
    """When it would end, and that nothing is refunded."""
    ctx = load(adapters, caller, subscription_id, now, _action(when))
    return quotes.cancellation_quote(ctx.sub, when, ctx.now)


@retried
def cancel(adapters, caller: Caller, subscription_id: str, *, when: When, reason: str | None, now: datetime,
           comment: str | None = None) -> Outcome:
    """The reason checked against the merchant's list before anything is written; a retention offer
    that was open is declined by cancelling (it is not shown again)."""
    ctx = load(adapters, caller, subscription_id, now, _action(when))
    check_reason(ctx.org.preferences.cancel, reason, comment)
    declined = "declined" if _offer(adapters, ctx) is not None else None
    feedback = CancellationFeedback(ctx.sub.subscription_id, caller.customer_id, "cancelled", ctx.now,
                                    reason, comment, declined)
    if when == "now":
        bill = actions.cancelled_now(ctx.sub, reason, ctx.now)
        billed = invoicing.issue(adapters, ctx.org, bill, now=ctx.now, actor=ctx.actor) if bill.credit_lines else None
        saved = commit(adapters, ctx, replace(bill.subscription, retention_offer=declined), "subscription.cancelled",
                       _with_reason("Cancelled now", reason), billed, feedback=feedback, undoable_as="cancel_now")
    else:
        after = actions.cancel_scheduled(ctx.sub, reason)
        ends = actions.term_end_of(after)
        saved = commit(adapters, ctx, replace(after, retention_offer=declined),
                       "subscription.cancellation_scheduled",
                       _with_reason(f"Cancellation scheduled for {ends.isoformat() if ends else 'term end'}",
                                    reason), feedback=feedback)
    return outcome(adapters, ctx, saved)


def remove_scheduled_cancellation(adapters, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
    """It renews (or, in a trial, converts) at the end of the term again."""
    ctx = load(adapters, caller, subscription_id, now, "remove_scheduled_cancellation")
    after = actions.scheduled_cancellation_removed(ctx.sub)
    saved = commit(adapters, ctx, after, "subscription.scheduled_cancellation_removed",
                   "Scheduled cancellation removed")
    return outcome(adapters, ctx, saved)


# --- the retention offer ----------------------------------------------------------------------

@dataclass(frozen=True)
class CancelDialog:
    """What the cancel dialog asks (the merchant's reasons, whether one is required, whether a
    comment is asked for) and the offer open to this subscription (None: none is) with the change
    accepting it makes, as a quote."""
    prefs: CancelPreferences
    offer: AppliedCoupon | None
    quote: Quote | None


def cancel_dialog(adapters, caller: Caller, subscription_id: str, *, now: datetime) -> CancelDialog:
    """The questions of the cancel flow; with an open offer, its coupon scheduled for the next
    term, quoted."""
    ctx = _in_cancel_flow(adapters, caller, subscription_id, now, consistent=False)
    offered = _offer(adapters, ctx)
    return CancelDialog(ctx.org.preferences.cancel, offered, _quote(ctx, offered) if offered else None)


def accept_retention_offer(adapters, caller: Caller, subscription_id: str, *, quote_id: str | None,
                           now: datetime) -> Outcome:
    """Keep the subscription with the offer's coupon from the next term on, as previewed; the
    coupon is redeemed in the same transaction. Accepted already: the subscription as it stands
    (a retried request changes nothing)."""
    ctx = load(adapters, caller, subscription_id, now)
    if ctx.sub.retention_offer == "accepted":
        return outcome(adapters, ctx, Committed(ctx.sub))
    _require_cancel_flow(ctx)
    offered = _offer(adapters, ctx)
    if offered is None:
        raise BusinessRuleViolation("No offer is open for this subscription.", "no_retention_offer")
    _quote(ctx, offered).honour(quote_id)
    after = replace(actions.change_scheduled(ctx.sub, _with_coupon(ctx, offered), ctx.now), retention_offer="accepted")
    feedback = CancellationFeedback(ctx.sub.subscription_id, caller.customer_id, "offer_accepted", ctx.now,
                                    offer="accepted")
    saved = commit(adapters, ctx, after, "subscription.retention_offer_accepted",
                   f"Offer accepted: coupon {offered.code} for {offered.cycles} term(s)", feedback=feedback,
                   redeemed_by="merchant")
    return outcome(adapters, ctx, saved)


def _in_cancel_flow(adapters, caller: Caller, subscription_id: str, now: datetime, *, consistent: bool) -> Context:
    ctx = load(adapters, caller, subscription_id, now, consistent=consistent)
    _require_cancel_flow(ctx)
    return ctx


def _require_cancel_flow(ctx: Context) -> None:
    """The offer belongs to the cancel flow: shown only where the customer may cancel."""
    prefs = ctx.org.preferences
    if actions.refusal("cancel_at_term_end", ctx.sub, prefs, ctx.now) is not None:
        actions.require("cancel_now", ctx.sub, prefs, ctx.now)


def _offer(adapters, ctx: Context) -> AppliedCoupon | None:
    """The retention offer open to the subscription (its coupon read only when one may be)."""
    offer = ctx.org.preferences.cancel.retention_offer
    if offer is None or ctx.sub.retention_offer is not None:
        return None
    found = adapters.uow.catalog.get_many(ctx.caller.org_id, "coupon", [offer.coupon_code])
    coupon = found.get(offer.coupon_code.casefold())
    return open_offer(ctx.org.preferences.cancel, ctx.sub, coupon, ctx.now,
                      actions.pending_selection(ctx.sub).plan.code)


def _with_coupon(ctx: Context, offered: AppliedCoupon) -> Selection:
    base = actions.pending_selection(ctx.sub)
    return Selection(base.plan, base.addons, offered)


def _quote(ctx: Context, offered: AppliedCoupon) -> Quote:
    return quotes.change_quote(ctx.sub, _with_coupon(ctx, offered), "end_of_term", (), ctx.now)


# --- the merchant's counts --------------------------------------------------------------------

def cancellation_report(adapters, org_id: str, *, start: date, end: date) -> CancellationReport:
    """Reasons and offer answers from `start` to `end`, days of the organization's time zone."""
    days_range(start, end)
    org = adapters.uow.organizations.get(org_id)
    feedback = adapters.uow.cancellation_feedback.between(
        org_id, start_of_day(start, org.time_zone), start_of_day(end + timedelta(days=1), org.time_zone))
    return report(feedback, start, end)


def _action(when: When) -> str:
    return "cancel_now" if when == "now" else "cancel_at_term_end"


def _with_reason(text: str, reason: str | None) -> str:
    return f"{text}: {reason}" if reason else text
