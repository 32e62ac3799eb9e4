"""Reactivating a cancelled or expired subscription from the portal: a summary of the charges
first (a new term from today), optionally with a different plan, addons or coupon when the
merchant lets customers edit subscriptions; then live, invoiced, and charged with auto-charge."""
from __future__ import annotations

from datetime import datetime

from ...domain import quotes
from ...domain import subscription_actions as actions
from ...domain.documents import CreditNote
from ...domain.quotes import Quote
from ...domain.subscription_actions import Selection
from ..documents import invoicing
from ..numbering import retried
from .actions import Caller, Context, Outcome, charge, commit, load, outcome
from .changes import ChangeRequest, catalog_keys, read_catalog_and_credits, resolve


def reactivation_preview(adapters, caller: Caller, subscription_id: str, *, changes: ChangeRequest | None,
                         now: datetime) -> Quote:
    ctx = load(adapters, caller, subscription_id, now, "reactivate", with_summary=True)
    chosen, credits = _chosen_and_credits(adapters, ctx, changes)
    bill = actions.reactivated(ctx.sub, chosen, ctx.now)
    return quotes.new_term_quote("reactivate", bill, invoicing.available(credits), ctx.now)


@retried
def reactivate(adapters, caller: Caller, subscription_id: str, *, changes: ChangeRequest | None, quote_id: str | None,
               now: datetime) -> Outcome:
    ctx = load(adapters, caller, subscription_id, now, "reactivate", with_summary=True, numbered=True)
    chosen, credits = _chosen_and_credits(adapters, ctx, changes)
    bill = actions.reactivated(ctx.sub, chosen, ctx.now)
    after = bill.subscription
    quotes.new_term_quote("reactivate", bill, invoicing.available(credits), ctx.now).honour(quote_id)
    billed = invoicing.issue(adapters, ctx.org, bill, now=ctx.now, actor=ctx.actor, credits=credits,
                             numbers=ctx.numbers(adapters))
    done = commit(adapters, ctx, after, "subscription.reactivated",
                  f"Reactivated ({after.plan.name}); new term to {after.term_end.isoformat()}", billed)
    payment = charge(adapters, ctx, done)
    return outcome(adapters, ctx, done, payment)


def _chosen_and_credits(adapters, ctx: Context, changes: ChangeRequest | None) -> tuple[Selection, list[CreditNote]]:
    """What comes back: as it was, or as the customer edits it (only with the edit permission); with
    the open credits the new term's invoice uses, read with the catalog entries the edit needs."""
    current = actions.current_selection(ctx.sub)
    if changes is not None:
        ctx.org.preferences.require("edit_subscription")
    keys = catalog_keys(ctx.sub, current, changes) if changes is not None else []
    found, credits = read_catalog_and_credits(adapters, ctx, keys, with_credits=True)
    if changes is None:
        return current, credits
    chosen = resolve(ctx.sub, current, changes, found, ctx.now)
    actions.check_edit(current, chosen, ctx.org.preferences.edit_subscription)
    actions.check_coupon_cycles(ctx.sub, chosen)
    return chosen, credits
