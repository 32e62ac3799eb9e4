"""Reactivating a cancelled or expired subscription from the portal: a summary of the charges
first (a new term from today), optionally with a different plan, addons or coupon when the
merchant lets customers edit subscriptions; then live, invoiced, and charged with auto-charge."""
from __future__ import annotations

from datetime import datetime

from ..domain import subscription_actions as actions
from ..domain.subscription_actions import Quote, Selection
from . import invoicing
from .subscription_changes import ChangeRequest, resolve
from .subscriptions_portal import Caller, Context, charge, commit, load, outcome


def reactivation_preview(caller: Caller, subscription_id: str, *, changes: ChangeRequest | None,
                         now: datetime) -> Quote:
    ctx = load(caller, subscription_id, now, "reactivate")
    after = actions.reactivated(ctx.sub, _chosen(ctx, changes), ctx.now)
    credits = invoicing.open_credits(caller.org_id, caller.customer_id)
    return actions.new_term_quote("reactivate", after, invoicing.available(credits), ctx.now)


def reactivate(caller: Caller, subscription_id: str, *, changes: ChangeRequest | None, quote_id: str | None,
               now: datetime) -> dict:
    ctx = load(caller, subscription_id, now, "reactivate")
    after = actions.reactivated(ctx.sub, _chosen(ctx, changes), ctx.now)
    credits = invoicing.open_credits(caller.org_id, caller.customer_id)
    actions.new_term_quote("reactivate", after, invoicing.available(credits), ctx.now).honour(quote_id)
    billed = invoicing.bill_term(ctx.org, after, now=ctx.now, actor=ctx.actor, credits=credits)
    done = commit(ctx, after, "subscription.reactivated",
                  f"Reactivated ({after.plan.name}); new term to {after.term_end.date().isoformat()}", billed)
    payment = charge(ctx, done, f"reactivate:{after.subscription_id}:{after.term_start.isoformat()}")
    return outcome(ctx, done, payment)


def _chosen(ctx: Context, changes: ChangeRequest | None) -> Selection:
    """What comes back: as it was, or as the customer edits it (only with the edit permission)."""
    current = actions.current_selection(ctx.sub)
    if changes is None:
        return current
    ctx.org.preferences.require("edit_subscription")
    chosen = resolve(ctx.caller.org_id, ctx.sub, current, changes)
    actions.check_edit(current, chosen, ctx.org.preferences.edit_subscription)
    return chosen
