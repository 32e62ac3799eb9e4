"""Trials from the portal: convert to live now (after a preview of the charges), and extend a
trial that expired because its first charge failed."""
from __future__ import annotations

from datetime import datetime

from ...domain import quotes
from ...domain import subscription_actions as actions
from ...domain.quotes import Quote
from ..documents import invoicing
from ..numbering import retried
from .actions import Caller, Outcome, charge, commit, load, outcome


def activation_preview(adapters, caller: Caller, subscription_id: str, *, now: datetime) -> Quote:
    """The invoice of the first term, were the trial to end now."""
    ctx = load(adapters, caller, subscription_id, now, "activate")
    credits = invoicing.open_credits(adapters, caller.org_id, caller.customer_id)
    return quotes.new_term_quote("activate", actions.activated(ctx.sub, ctx.now), invoicing.available(credits),
                                 ctx.now)


@retried
def activate(adapters, caller: Caller, subscription_id: str, *, quote_id: str | None, now: datetime) -> Outcome:
    """End the trial now: live, the first term invoiced (available credits applied) and charged
    with auto-charge; a failed charge leaves the invoice open and the subscription live."""
    ctx = load(adapters, caller, subscription_id, now, "activate", numbered=True)
    bill = actions.activated(ctx.sub, ctx.now)
    after = bill.subscription
    credits = invoicing.open_credits(adapters, caller.org_id, caller.customer_id)
    quotes.new_term_quote("activate", bill, invoicing.available(credits), ctx.now).honour(quote_id)
    billed = invoicing.issue(adapters, ctx.org, bill, now=ctx.now, actor=ctx.actor, credits=credits,
                             numbers=ctx.numbers(adapters))
    done = commit(adapters, ctx, after, "subscription.activated", f"Trial converted to live ({after.plan.name})",
                  billed)
    payment = charge(adapters, ctx, done)
    return outcome(adapters, ctx, done, payment)


def extend_trial(adapters, caller: Caller, subscription_id: str, *, now: datetime) -> Outcome:
    """A new trial of the plan's trial period, for a trial that expired on a failed charge."""
    ctx = load(adapters, caller, subscription_id, now, "extend_trial")
    after = actions.trial_extended(ctx.sub, ctx.now)
    saved = commit(adapters, ctx, after, "subscription.trial_extended",
                   f"Trial extended by {after.plan.trial_days} days to {after.trial_end.isoformat()}")
    return outcome(adapters, ctx, saved)

