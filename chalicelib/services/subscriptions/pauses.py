"""Pausing and resuming from the portal: a pause today or on a later day with an optional resume
day (if the merchant lets customers resume), changing or deleting that schedule, and resuming
today. While paused nothing is billed. The paid, unused days of the term are credited at the
pause, or kept for after the resume, as the merchant chose; on resuming the kept days continue,
else a new term starts, invoiced and charged with auto-charge."""
from __future__ import annotations

from datetime import date, datetime

from ...domain import quotes
from ...domain import subscription_actions as actions
from ...domain.billing import Bill
from ...domain.quotes import Quote
from ..documents import invoicing
from ..numbering import retried
from .actions import Caller, Outcome, charge, commit, load, outcome


def pause_preview(adapters, caller: Caller, subscription_id: str, *, pause_at: date | None, resume_at: date | None,
                  now: datetime) -> Quote:
    """What the pause does to the paid time of the term: credited (by day) or kept."""
    ctx = load(adapters, caller, subscription_id, now, "pause")
    return quotes.pause_quote(ctx.sub, ctx.org.preferences, pause_at=pause_at, resume_at=resume_at, now=ctx.now)


@retried
def set_pause_schedule(adapters, caller: Caller, subscription_id: str, *, pause_at: date | None,
                       resume_at: date | None, now: datetime, quote_id: str | None = None) -> Outcome:
    """Pause today or later (or move the resume day of a paused subscription), honouring the
    previewed quote when one is named."""
    ctx = load(adapters, caller, subscription_id, now, "pause")
    if quote_id is not None:
        quotes.pause_quote(ctx.sub, ctx.org.preferences, pause_at=pause_at, resume_at=resume_at,
                           now=ctx.now).honour(quote_id)
    result = actions.pause_scheduled(ctx.sub, ctx.org.preferences, pause_at=pause_at, resume_at=resume_at,
                                     now=ctx.now)
    if isinstance(result, Bill):
        after = result.subscription
        billed = invoicing.issue(adapters, ctx.org, result, now=ctx.now,
                                 actor=ctx.actor) if result.credit_lines else None
        action, text = "subscription.paused", "Paused today"
    else:
        after, billed = result, None
        action, text = "subscription.pause_scheduled", f"Pause scheduled for {_day(after.pause_at)}"
    if after.resume_at is not None:
        text += f", resuming on {_day(after.resume_at)}"
    return outcome(adapters, ctx, commit(adapters, ctx, after, action, text, billed))


def remove_pause_schedule(adapters, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
    ctx = load(adapters, caller, subscription_id, now, "remove_pause_schedule")
    after = actions.pause_schedule_removed(ctx.sub)
    return outcome(adapters, ctx,
                   commit(adapters, ctx, after, "subscription.pause_schedule_removed", "Pause schedule removed"))


def resume_preview(adapters, caller: Caller, subscription_id: str, *, now: datetime) -> Quote:
    """The kept paid days continuing, or the invoice of the term that starts on resuming today."""
    ctx = load(adapters, caller, subscription_id, now, "resume_now")
    credits = invoicing.open_credits(adapters, caller.org_id, caller.customer_id)
    return quotes.new_term_quote("resume", actions.resumed(ctx.sub, ctx.now), invoicing.available(credits), ctx.now)


@retried
def resume(adapters, caller: Caller, subscription_id: str, *, quote_id: str | None, now: datetime) -> Outcome:
    ctx = load(adapters, caller, subscription_id, now, "resume_now", numbered=True)
    bill = actions.resumed(ctx.sub, ctx.now)
    after = bill.subscription
    credits = invoicing.open_credits(adapters, caller.org_id, caller.customer_id)
    quotes.new_term_quote("resume", bill, invoicing.available(credits), ctx.now).honour(quote_id)
    billed = (invoicing.issue(adapters, ctx.org, bill, now=ctx.now, actor=ctx.actor, credits=credits,
                              numbers=ctx.numbers(adapters))
              if bill.charge_lines or bill.credit_lines else None)
    done = commit(adapters, ctx, after, "subscription.resumed", f"Resumed; term to {_day(after.term_end)}", billed)
    payment = charge(adapters, ctx, done)
    return outcome(adapters, ctx, done, payment)


def _day(day: date | None) -> str:
    return day.isoformat() if day else "-"
