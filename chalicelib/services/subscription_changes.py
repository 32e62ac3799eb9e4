"""Editing a subscription from the portal: plan, addons and coupon, now (prorated by day) or at
the end of the term (a scheduled change); and turning auto-charge on or off."""
from __future__ import annotations

from datetime import datetime

from ..domain import subscription_actions as actions
from ..domain.errors import InvalidInput, NotFound
from ..domain.subscription import AppliedCoupon, PlanSnapshot, Subscription, SubscriptionAddon
from ..domain.subscription_actions import Quote, Selection, When
from ..domain.subscription_status import Status
from ..tables.repositories import catalog
from . import invoicing
from .inputs import ChangeRequest
from .subscriptions_portal import Caller, Committed, Context, charge, commit, load, outcome


def change_preview(caller: Caller, subscription_id: str, request: ChangeRequest, *, when: When,
                   now: datetime) -> Quote:
    ctx = load(caller, subscription_id, now, _action(when))
    chosen = chosen_selection(ctx, request, when)
    credits = invoicing.open_credits(caller.org_id, caller.customer_id)
    return actions.change_quote(ctx.sub, chosen, when, invoicing.available(credits), ctx.now)


def change(caller: Caller, subscription_id: str, request: ChangeRequest, *, when: When, quote_id: str | None,
           now: datetime) -> dict:
    """Now: the subscription changes at once; on a live one a credit note for the unused part of
    the old price and an invoice for the rest of the term at the new one (credits applied, charged
    with auto-charge). At term end: stored as the scheduled change."""
    ctx = load(caller, subscription_id, now, _action(when))
    chosen = chosen_selection(ctx, request, when)
    credits = invoicing.open_credits(caller.org_id, caller.customer_id)
    actions.change_quote(ctx.sub, chosen, when, invoicing.available(credits), ctx.now).honour(quote_id)
    if when == "end_of_term":
        after = actions.change_scheduled(ctx.sub, chosen, ctx.now)
        saved = commit(ctx, after, "subscription.change_scheduled", f"Change to {_text(chosen)} at term end")
        return outcome(ctx, saved)
    after = actions.changed_now(ctx.sub, chosen)
    billed = _prorated(ctx, after, credits) if ctx.sub.status == Status.LIVE else None
    done = commit(ctx, after, "subscription.changed", f"Changed to {_text(chosen)}", billed)
    invoice = done.invoice
    payment = charge(ctx, done, f"change:{after.subscription_id}:{invoice.invoice_id}") if invoice else None
    return outcome(ctx, done, payment)


def set_auto_charge(caller: Caller, subscription_id: str, *, enabled: bool, now: datetime) -> dict:
    """Auto-charge on or off for a subscription with a payment method. Off in dunning: live again,
    no more retries. On: invoices already raised are not collected."""
    ctx = load(caller, subscription_id, now, "set_auto_charge")
    if ctx.sub.auto_charge == enabled:
        return outcome(ctx, Committed(ctx.sub))
    after = actions.auto_charge_set(ctx.sub, enabled)
    saved = commit(ctx, after, f"subscription.auto_charge_{'enabled' if enabled else 'disabled'}",
                   f"Auto-charge turned {'on' if enabled else 'off'}")
    return outcome(ctx, saved)


# --- what the customer chose, checked against the catalog and the preferences ----------------

def chosen_selection(ctx: Context, request: ChangeRequest, when: When = "now") -> Selection:
    """The selection the request describes, starting from the subscription now (or, at term end,
    from what is already scheduled); refused if nothing would change or the merchant does not
    let customers change that part."""
    base = actions.pending_selection(ctx.sub) if when == "end_of_term" else actions.current_selection(ctx.sub)
    chosen = resolve(ctx.caller.org_id, ctx.sub, base, request)
    if chosen.key() == base.key():
        raise InvalidInput({"body": "Nothing would change."})
    actions.check_edit(base, chosen, ctx.org.preferences.edit_subscription)
    return chosen


def resolve(org_id: str, sub: Subscription, base: Selection, request: ChangeRequest) -> Selection:
    plan = _plan(org_id, sub.currency, base.plan, request.plan)
    plan_changed = plan.code != base.plan.code
    if request.addons is None:
        addons = base.addons
        if plan_changed:
            _check_addons_fit(org_id, plan.code, addons)
    else:
        addons = _addons(org_id, sub.currency, plan.code, base.addons, request.addons)
    if request.remove_coupon:
        coupon = None
    elif request.coupon is not None and (base.coupon is None or request.coupon != base.coupon.code):
        coupon = _coupon(org_id, sub.currency, plan.code, request.coupon)
    else:
        coupon = base.coupon
        if coupon is not None and plan_changed:
            _check_coupon_fits(org_id, plan.code, coupon)
    return Selection(plan, addons, coupon)


def _plan(org_id: str, currency: str, current: PlanSnapshot, code: str | None) -> PlanSnapshot:
    if code is None or code == current.code:
        return current
    try:
        plan = catalog.get(org_id, "plan", code)
    except NotFound:
        raise InvalidInput({"plan": "No such plan."}) from None
    if not plan.active or plan.currency != currency:
        raise InvalidInput({"plan": "This plan cannot be chosen."})
    return PlanSnapshot(plan.code, plan.name, plan.price_minor, plan.interval, plan.interval_count, plan.trial_days)


def _addons(org_id: str, currency: str, plan_code: str, current: tuple[SubscriptionAddon, ...],
            wanted: tuple[tuple[str, int], ...]) -> tuple[SubscriptionAddon, ...]:
    codes = [code for code, _ in wanted]
    if len(set(codes)) != len(codes):
        raise InvalidInput({"addons": "Each addon at most once."})
    kept = {addon.code: addon for addon in current}
    found = catalog.get_many(org_id, "addon", [code for code in codes if code not in kept])
    chosen = []
    for index, (code, quantity) in enumerate(wanted):
        if code in kept:
            chosen.append(SubscriptionAddon(code, kept[code].name, kept[code].price_minor, quantity,
                                            kept[code].recurring))
            continue
        addon = found.get(code)
        if addon is None or not addon.active or not addon.recurring or addon.currency != currency \
                or not addon.fits(plan_code):
            raise InvalidInput({f"addons.{index}.code": "Not an addon of this plan."})
        chosen.append(SubscriptionAddon(addon.code, addon.name, addon.price_minor, quantity, True))
    _check_addons_fit(org_id, plan_code, tuple(a for a in chosen if a.code in kept))
    return tuple(chosen)


def _check_addons_fit(org_id: str, plan_code: str, addons: tuple[SubscriptionAddon, ...]) -> None:
    found = catalog.get_many(org_id, "addon", [a.code for a in addons])
    for addon in addons:
        entry = found.get(addon.code)
        if entry is not None and not entry.fits(plan_code):
            raise InvalidInput({"addons": f"{addon.name} is not available with this plan; remove it first."})


def _coupon(org_id: str, currency: str, plan_code: str, code: str) -> AppliedCoupon:
    try:
        coupon = catalog.get(org_id, "coupon", code)
    except NotFound:
        raise InvalidInput({"coupon": "No such coupon."}) from None
    if not coupon.active or not coupon.fits(plan_code) or (coupon.currency not in (None, currency)):
        raise InvalidInput({"coupon": "This coupon does not apply to the plan."})
    return AppliedCoupon(coupon.code, coupon.name, coupon.duration, coupon.percent_off_bp,
                         coupon.amount_off_minor, coupon.cycles)


def _check_coupon_fits(org_id: str, plan_code: str, coupon: AppliedCoupon) -> None:
    try:
        entry = catalog.get(org_id, "coupon", coupon.code)
    except NotFound:
        return   # withdrawn from the catalog: the subscription keeps it as sold
    if not entry.fits(plan_code):
        raise InvalidInput({"coupon": f"Coupon {coupon.code} does not apply to this plan; remove it first."})


def _prorated(ctx: Context, after: Subscription, credits) -> invoicing.Billing:
    sub = ctx.sub
    term = actions.term_of(sub)
    proration = actions.proration_of(sub, after, ctx.now)
    return invoicing.bill(ctx.org, customer_id=sub.customer_id, currency=sub.currency, now=ctx.now,
                          actor=ctx.actor, subscription_id=sub.subscription_id,
                          charge_lines=proration.charge_lines, period=(ctx.now, term.end),
                          credit_lines=proration.credit_lines, credit_reason="Subscription changed mid-term",
                          credits=credits)


def _action(when: When) -> str:
    return "change_now" if when == "now" else "change_at_term_end"


def _text(chosen: Selection) -> str:
    parts = [chosen.plan.name, *(f"{a.quantity} x {a.name}" for a in chosen.addons)]
    if chosen.coupon:
        parts.append(f"coupon {chosen.coupon.code}")
    return ", ".join(parts)
