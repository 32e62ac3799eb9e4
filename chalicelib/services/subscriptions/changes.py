"""Editing a subscription from the portal: plan, addons and coupon, now (prorated by day, or a new
term for a plan of another billing period) or at the end of the term (a scheduled change); and
turning auto-charge on or off; choosing the saved card it is charged to."""
from __future__ import annotations

from datetime import datetime

from ...domain import coupons, quotes
from ...domain import subscription_actions as actions
from ...domain.catalog import coupon_key
from ...domain.documents import CreditNote
from ...domain.errors import InvalidInput, NotFound
from ...domain.payments import PaymentMethod
from ...domain.quotes import Quote
from ...domain.subscription import AppliedCoupon, PlanSnapshot, Subscription, SubscriptionAddon
from ...domain.subscription_actions import Selection, When
from ...domain.subscription_status import Status
from ..documents import invoicing
from ..numbering import retried
from ..payments import mirror
from .commands import ChangeRequest
from .actions import Caller, Committed, Context, Outcome, charge, commit, load, outcome


def change_preview(adapters, caller: Caller, subscription_id: str, request: ChangeRequest, *, when: When,
                   now: datetime) -> Quote:
    ctx = load(adapters, caller, subscription_id, now, _action(when), with_summary=True, consistent=False)
    chosen, credits = _chosen_and_credits(adapters, ctx, request, when)
    return quotes.change_quote(ctx.sub, chosen, when, invoicing.available(credits), ctx.now)


@retried
def change(adapters, caller: Caller, subscription_id: str, request: ChangeRequest, *, when: When, quote_id: str | None,
           now: datetime) -> Outcome:
    """Now: the subscription changes at once; on a live one a credit note for the unused part of
    the old price and an invoice for the rest of the term at the new one, or for a new term of a
    plan of another billing period (credits applied, charged with auto-charge). At term end: stored
    as the scheduled change."""
    ctx = load(adapters, caller, subscription_id, now, _action(when), with_summary=True, numbered=when == "now")
    chosen, credits = _chosen_and_credits(adapters, ctx, request, when)
    quotes.change_quote(ctx.sub, chosen, when, invoicing.available(credits), ctx.now).honour(quote_id)
    if when == "end_of_term":
        after = actions.change_scheduled(ctx.sub, chosen, ctx.now)
        saved = commit(adapters, ctx, after, "subscription.change_scheduled", f"Change to {_text(chosen)} at term end")
        return outcome(adapters, ctx, saved)
    bill = actions.changed_now(ctx.sub, chosen, ctx.now)
    billed = (invoicing.issue(adapters, ctx.org, bill, now=ctx.now, actor=ctx.actor, credits=credits,
                              numbers=ctx.numbers(adapters))
              if bill.charge_lines or bill.credit_lines else None)
    done = commit(adapters, ctx, bill.subscription, "subscription.changed", f"Changed to {_text(chosen)}", billed,
                  undoable_as="change_now")
    invoice = done.invoice
    payment = charge(adapters, ctx, done) if invoice else None
    return outcome(adapters, ctx, done, payment)


def set_auto_charge(adapters, caller: Caller, subscription_id: str, *, enabled: bool,
                    now: datetime) -> Outcome:
    """Auto-charge on or off for a subscription with a payment method. Off in dunning: live again,
    no more retries. On: invoices already raised are not collected."""
    ctx = load(adapters, caller, subscription_id, now, "set_auto_charge")
    if ctx.sub.auto_charge == enabled:
        return outcome(adapters, ctx, Committed(ctx.sub))
    after = actions.auto_charge_set(ctx.sub, enabled)
    saved = commit(adapters, ctx, after, "subscription.auto_charge_enabled" if enabled else "subscription.auto_charge_disabled",
                   f"Auto-charge turned {'on' if enabled else 'off'}")
    return outcome(adapters, ctx, saved)


def choose_payment_method(adapters, caller: Caller, subscription_id: str, *, payment_method_id: str,
                          auto_charge: bool | None, now: datetime) -> Outcome:
    """Charge the subscription to one of the customer's saved cards from now on (docs/billing.md,
    "Cards and subscriptions"), optionally turning auto-charge on or off with it. The card it has
    already (and auto-charge as asked): the subscription as it stands."""
    ctx = load(adapters, caller, subscription_id, now, "choose_payment_method", with_summary=True)
    cards = mirror.saved_as_summarised(adapters, caller.org_id, caller.customer_id, ctx.summary)
    method = _saved_method(cards, payment_method_id)
    if ctx.sub.payment_method_id == method.payment_method_id and auto_charge in (None, ctx.sub.auto_charge):
        return outcome(adapters, ctx, Committed(ctx.sub))
    after = actions.payment_method_chosen(ctx.sub, method, auto_charge=auto_charge, now=ctx.now)
    summary = f"Charged to {method.summary}"
    if after.auto_charge != ctx.sub.auto_charge:
        summary += f"; auto-charge turned {'on' if after.auto_charge else 'off'}"
    saved = commit(adapters, ctx, after, "subscription.payment_method_chosen", summary,
                   card=mirror.Chosen(cards, method))
    return outcome(adapters, ctx, saved)


def _saved_method(cards: mirror.Saved, payment_method_id: str) -> PaymentMethod:
    """One of the caller's saved methods, as the account summary (read with the subscription) mirrors
    them, else from their table: another customer's, a removed or an unknown one is NotFound alike."""
    found = next((m for m in cards.methods if m.payment_method_id == payment_method_id), None)
    if found is None:
        raise NotFound("payment method")
    return found


# --- what the customer chose, checked against the catalog and the preferences ----------------

def _chosen_and_credits(adapters, ctx: Context, request: ChangeRequest, when: When) -> tuple[Selection,
                                                                                             list[CreditNote]]:
    """The selection the request describes, starting from the subscription now (or, at term end,
    from what is already scheduled); refused if nothing would change or the merchant does not
    let customers change that part. With the open credits, where the change bills now (a live
    subscription): both read in one BatchGet."""
    base = actions.pending_selection(ctx.sub) if when == "end_of_term" else actions.current_selection(ctx.sub)
    found, credits = read_catalog_and_credits(adapters, ctx, catalog_keys(ctx.sub, base, request),
                                              with_credits=when == "now" and ctx.sub.status == Status.LIVE)
    chosen = resolve(ctx.sub, base, request, found, ctx.now)
    if chosen.key() == base.key():
        raise InvalidInput({"body": "Nothing would change."}, codes={"body": "no_change"})
    actions.check_edit(base, chosen, ctx.org.preferences.edit_subscription)
    actions.check_coupon_cycles(ctx.sub, chosen, within_term=when == "now")
    return chosen, credits


def read_catalog_and_credits(adapters, ctx: Context, keys: list[tuple[str, str]], *,
                             with_credits: bool) -> tuple[dict, list[CreditNote]]:
    """The catalog entries `keys` and (if asked) the open credits, in one read: the credit notes
    the account summary (read with the subscription) lists are read by key with the catalog."""
    note_ids = invoicing.listed_credit_notes(ctx.summary) if with_credits else frozenset()
    found, notes = adapters.uow.catalog.with_credit_notes(ctx.caller.org_id, ctx.caller.customer_id, keys, note_ids)
    if not with_credits:
        return found, []
    return found, invoicing.open_credits_listed(adapters, ctx.caller.org_id, ctx.caller.customer_id, ctx.summary, notes)


def resolve(sub: Subscription, base: Selection, request: ChangeRequest, found: dict, now: datetime) -> Selection:
    """The selection `request` describes from `base`, checked against the catalog entries `found`
    (read for `catalog_keys(sub, base, request)`) at the organization's `now`."""
    plan = _plan(found, sub.currency, base.plan, request.plan)
    plan_changed = plan.code != base.plan.code
    if request.addons is None:
        addons = base.addons
        if plan_changed:
            _check_addons_fit(found, plan.code, addons)
    else:
        addons = _addons(found, sub.currency, plan.code, base.addons, request.addons)
    kept = _kept_coupon(sub, base, request)
    if request.remove_coupon:
        coupon = None
    elif kept is None and request.coupon is not None:
        coupon = coupons.applicable(found.get(("coupon", coupon_key(request.coupon))), by="customer", sub=sub,
                                    plan_code=plan.code, currency=sub.currency, now=now, field="coupon")
    else:
        coupon = kept
        if coupon is not None and plan_changed:
            _check_coupon_fits(found, plan.code, coupon)
    return Selection(plan, addons, coupon)


def catalog_keys(sub: Subscription, base: Selection, request: ChangeRequest) -> list[tuple[str, str]]:
    """Every catalog entry `resolve` may look at: the plan asked for, each addon asked for (or,
    on a new plan, each one kept), the coupon newly asked for (or, on a new plan, the one kept)."""
    plan_changed = request.plan is not None and request.plan != base.plan.code
    keys = [("plan", request.plan)] if plan_changed else []
    if request.addons is not None:
        keys += [("addon", code) for code, _ in request.addons]
    elif plan_changed:
        keys += [("addon", addon.code) for addon in base.addons]
    kept = _kept_coupon(sub, base, request)
    if not request.remove_coupon and kept is None and request.coupon is not None:
        keys.append(("coupon", request.coupon))
    elif not request.remove_coupon and kept is not None and plan_changed:
        keys.append(("coupon", kept.code))
    return keys


def _kept_coupon(sub: Subscription, base: Selection, request: ChangeRequest) -> AppliedCoupon | None:
    """The coupon the subscription holds that the request keeps: with no coupon named, the one of
    `base`; named in any case, the one it holds now or in `base` (never a new application, so
    kept even if no longer offered, expired or used up). None: it names a coupon it does not hold."""
    if request.coupon is None:
        return base.coupon
    wanted = coupon_key(request.coupon)
    return next((held for held in (base.coupon, sub.coupon) if held is not None and coupon_key(held.code) == wanted),
                None)


def _plan(found: dict, currency: str, current: PlanSnapshot, code: str | None) -> PlanSnapshot:
    if code is None or code == current.code:
        return current
    plan = found.get(("plan", code))
    if plan is None:
        raise InvalidInput({"plan": "No such plan."}, codes={"plan": "plan_not_available"})
    if not plan.active or plan.currency != currency:
        raise InvalidInput({"plan": "This plan cannot be chosen."}, codes={"plan": "plan_not_available"})
    return PlanSnapshot(plan.code, plan.name, plan.price_minor, plan.interval, plan.interval_count, plan.trial_days)


def _addons(found: dict, currency: str, plan_code: str, current: tuple[SubscriptionAddon, ...],
            wanted: tuple[tuple[str, int], ...]) -> tuple[SubscriptionAddon, ...]:
    codes = [code for code, _ in wanted]
    if len(set(codes)) != len(codes):
        raise InvalidInput({"addons": "Each addon at most once."}, codes={"addons": "addon_twice"})
    kept = {addon.code: addon for addon in current}
    chosen = []
    for index, (code, quantity) in enumerate(wanted):
        if code in kept:
            chosen.append(SubscriptionAddon(code, kept[code].name, kept[code].price_minor, quantity,
                                            kept[code].recurring))
            continue
        addon = found.get(("addon", code))
        if addon is None or not addon.active or addon.currency != currency or not addon.fits(plan_code):
            raise InvalidInput({f"addons.{index}.code": "Not an addon of this plan."},
                               codes={f"addons.{index}.code": "addon_not_available"})
        chosen.append(SubscriptionAddon(addon.code, addon.name, addon.price_minor, quantity, addon.recurring))
    _check_addons_fit(found, plan_code, tuple(a for a in chosen if a.code in kept))
    return tuple(chosen)


def _check_addons_fit(found: dict, plan_code: str, addons: tuple[SubscriptionAddon, ...]) -> None:
    for addon in addons:
        entry = found.get(("addon", addon.code))
        if entry is not None and not entry.fits(plan_code):
            raise InvalidInput({"addons": f"{addon.name} is not available with this plan; remove it first."},
                               codes={"addons": "addon_not_available"})


def _check_coupon_fits(found: dict, plan_code: str, coupon: AppliedCoupon) -> None:
    entry = found.get(("coupon", coupon_key(coupon.code)))   # withdrawn: the subscription keeps it as sold
    if entry is not None and not entry.fits(plan_code):
        raise InvalidInput({"coupon": f"Coupon {coupon.code} does not apply to this plan; remove it first."},
                           codes={"coupon": "coupon_not_applicable"})


def _action(when: When) -> str:
    return "change_now" if when == "now" else "change_at_term_end"


def _text(chosen: Selection) -> str:
    parts = [chosen.plan.name, *(f"{a.quantity} x {a.name}" for a in chosen.addons)]
    if chosen.coupon:
        parts.append(f"coupon {chosen.coupon.code}")
    return ", ".join(parts)
