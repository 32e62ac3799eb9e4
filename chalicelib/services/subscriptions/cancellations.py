"""Cancelling from the portal: now or at the end of the term (non-renewing), with an optional
reason kept for the merchant; and taking back a scheduled cancellation. Nothing of a term in use
is refunded; paid days kept at a pause are credited."""
from __future__ import annotations

from datetime import datetime

from ...domain import quotes
from ...domain import subscription_actions as actions
from ...domain.quotes import Quote
from ...domain.subscription_actions import When
from ..documents import invoicing
from .actions import Caller, Outcome, commit, load, outcome


def cancellation_preview(adapters, caller: Caller, subscription_id: str, *, when: When, now: datetime) -> Quote:
    """When it would end, and that nothing is refunded."""
    ctx = load(adapters, caller, subscription_id, now, _action(when))
    return quotes.cancellation_quote(ctx.sub, when, ctx.now)


def cancel(adapters, caller: Caller, subscription_id: str, *, when: When, reason: str | None,
           now: datetime) -> Outcome:
    ctx = load(adapters, caller, subscription_id, now, _action(when))
    if when == "now":
        bill = actions.cancelled_now(ctx.sub, reason, ctx.now)
        billed = invoicing.issue(adapters, ctx.org, bill, now=ctx.now, actor=ctx.actor) if bill.credit_lines else None
        saved = commit(adapters, ctx, bill.subscription, "subscription.cancelled",
                       _with_reason("Cancelled now", reason), billed)
    else:
        after = actions.cancel_scheduled(ctx.sub, reason)
        ends = actions.term_end_of(after)
        saved = commit(adapters, ctx, after, "subscription.cancellation_scheduled",
                       _with_reason(f"Cancellation scheduled for {ends.isoformat() if ends else 'term end'}",
                                    reason))
    return outcome(adapters, ctx, saved)


def remove_scheduled_cancellation(adapters, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
    """It renews (or, in a trial, converts) at the end of the term again."""
    ctx = load(adapters, caller, subscription_id, now, "remove_scheduled_cancellation")
    after = actions.scheduled_cancellation_removed(ctx.sub)
    saved = commit(adapters, ctx, after, "subscription.scheduled_cancellation_removed",
                   "Scheduled cancellation removed")
    return outcome(adapters, ctx, saved)


def _action(when: When) -> str:
    return "cancel_now" if when == "now" else "cancel_at_term_end"


def _with_reason(text: str, reason: str | None) -> str:
    return f"{text}: {reason}" if reason else text
