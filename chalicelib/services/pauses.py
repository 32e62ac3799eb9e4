"""Pausing and resuming from the portal: a pause now or later with an optional resume date (if the
merchant lets customers resume), changing or deleting that schedule, and resuming now. While
paused nothing is billed; on resuming a new term starts, invoiced and charged with auto-charge."""
from __future__ import annotations

from datetime import datetime

from ..domain import subscription_actions as actions
from ..domain.subscription_actions import Quote
from . import invoicing
from .subscriptions_portal import Caller, charge, commit, load, outcome


def set_pause_schedule(caller: Caller, subscription_id: str, *, pause_at: datetime | None,
                       resume_at: datetime | None, now: datetime) -> dict:
    ctx = load(caller, subscription_id, now, "pause")
    after = actions.pause_scheduled(ctx.sub, ctx.org.preferences, pause_at=pause_at, resume_at=resume_at,
                                    now=ctx.now)
    if after.status != ctx.sub.status:
        action, text = "subscription.paused", "Paused now"
    else:
        action, text = "subscription.pause_scheduled", f"Pause scheduled for {_day(after.pause_at)}"
    if after.resume_at is not None:
        text += f", resuming on {_day(after.resume_at)}"
    return outcome(ctx, commit(ctx, after, action, text))


def remove_pause_schedule(caller: Caller, subscription_id: str, *, now: datetime) -> dict:
    ctx = load(caller, subscription_id, now, "remove_pause_schedule")
    after = actions.pause_schedule_removed(ctx.sub)
    return outcome(ctx, commit(ctx, after, "subscription.pause_schedule_removed", "Pause schedule removed"))


def resume_preview(caller: Caller, subscription_id: str, *, now: datetime) -> Quote:
    """The invoice of the term that starts on resuming now."""
    ctx = load(caller, subscription_id, now, "resume_now")
    credits = invoicing.open_credits(caller.org_id, caller.customer_id)
    return actions.new_term_quote("resume", actions.resumed(ctx.sub, ctx.now), invoicing.available(credits), ctx.now)


def resume(caller: Caller, subscription_id: str, *, quote_id: str | None, now: datetime) -> dict:
    ctx = load(caller, subscription_id, now, "resume_now")
    after = actions.resumed(ctx.sub, ctx.now)
    credits = invoicing.open_credits(caller.org_id, caller.customer_id)
    actions.new_term_quote("resume", after, invoicing.available(credits), ctx.now).honour(quote_id)
    billed = invoicing.bill_term(ctx.org, after, now=ctx.now, actor=ctx.actor, credits=credits)
    done = commit(ctx, after, "subscription.resumed", f"Resumed; new term to {_day(after.term_end)}", billed)
    payment = charge(ctx, done, f"resume:{after.subscription_id}:{after.term_start.isoformat()}")
    return outcome(ctx, done, payment)


def _day(at: datetime | None) -> str:
    return at.date().isoformat() if at else "-"
