"""The customer's subscriptions as the portal shows them: the list with its filters, the detail
with everything scheduled and what the customer may do now, and a subscription's invoices."""
from __future__ import annotations

from datetime import datetime

from ...domain import billing, coupon_cycles, quotes
from ...domain import coupons as coupon_rules
from ...domain import subscription_actions as actions
from ...domain.organization import Organization
from ...domain.subscription import AppliedCoupon, Subscription
from ...domain.subscription_status import Status
from ...tables.pages import Page
from ..documents import invoices as invoices_portal


def list_subscriptions(adapters, org_id: str, customer_id: str, *, status: str | None, limit: int,
                       cursor: str | None) -> dict:
    adapters.uow.organizations.preferences(org_id).require("subscriptions")
    page = adapters.uow.subscriptions.page(org_id, customer_id, status=status, limit=limit, cursor=cursor)
    return {"items": [summary(sub) for sub in page.items], "next_cursor": page.next_cursor}


def subscription_detail(adapters, org_id: str, customer_id: str, subscription_id: str, now: datetime) -> dict:
    org = adapters.uow.organizations.get(org_id)
    org.preferences.require("subscriptions")
    sub = adapters.uow.subscriptions.get(org_id, customer_id, subscription_id)
    return describe(org, sub, org.now(now))


def subscription_invoices(adapters, org_id: str, customer_id: str, subscription_id: str, *, limit: int,
                          cursor: str | None, now: datetime) -> Page[dict]:
    """The lines of /portal/invoices, of one subscription. Not gated by the subscriptions module:
    these invoices are the customer's own and shown by the invoices module anyway; only whose
    subscription it is matters (404)."""
    at = adapters.uow.subscriptions.with_parties(org_id, customer_id, subscription_id).org.today(now)
    found = adapters.uow.invoices.for_subscription(org_id, customer_id, subscription_id, limit=limit, cursor=cursor)
    return Page([invoices_portal.summary(invoice, at) for invoice in found.items], found.next_cursor)


def subscription_options(adapters, org_id: str, now: datetime) -> dict:
    """What customers may choose when editing or reactivating a subscription, and when changes may
    apply: the offered plans, the addons (each says which plans it fits and whether it recurs or
    is billed once) and the coupons offered in the portal that a customer could apply now
    (unexpired, not used up)."""
    org = adapters.uow.organizations.get(org_id)
    org.preferences.require("edit_subscription")
    edit = org.preferences.edit_subscription
    offered = adapters.uow.catalog.active_by_kind(org_id)
    plans = [p for p in offered["plan"] if p.currency == org.currency
             and (not edit.allowed_plan_codes or p.code in edit.allowed_plan_codes)]
    addons = [a for a in offered["addon"] if a.currency == org.currency]
    coupons = [c for c in offered["coupon"]
               if c.currency in (None, org.currency) and coupon_rules.offered_in_portal(c, org.now(now))]
    return {"plans": plans if edit.change_plan else [], "addons": addons if edit.change_addons else [],
            "coupons": ([{"code": c.code, "name": c.name, "plan_codes": c.plan_codes} for c in coupons]
                        if edit.change_coupon else []),
            "change_plan": edit.change_plan, "change_addons": edit.change_addons,
            "change_coupon": edit.change_coupon,
            "when": [{"immediately": "now"}.get(w, w) for w in edit.apply_when]}


def summary(sub: Subscription) -> dict:
    """A line of the list."""
    return {"subscription_id": sub.subscription_id, "status": sub.status, "plan_name": sub.plan.name,
            "plan_code": sub.plan.code, "currency": sub.currency,
            "amount_per_term_minor": billing.amount_per_term(sub, sub.term_start).amount_minor,
            "next_billing_on": sub.next_billing_on, "auto_charge": sub.auto_charge, "created_at": sub.created_at,
            "reference": sub.reference}


def _coupon(sub: Subscription, coupon: AppliedCoupon | None) -> dict | None:
    if coupon is None:
        return None
    return {"code": coupon.code, "name": coupon.name, "duration": coupon.duration,
            "percent_off_bp": coupon.percent_off_bp, "amount_off_minor": coupon.amount_off_minor,
            "cycles_remaining": coupon_cycles.cycles_left(sub, coupon)}


def describe(org: Organization, sub: Subscription, now: datetime) -> dict:
    """Everything the detail screen shows."""
    change = sub.scheduled_change
    term_ends = actions.term_end_of(sub)
    following = quotes.next_term_amount(sub)
    paused_with_term = sub.status == Status.PAUSED and sub.term is not None and sub.paused_at is not None
    return {
        **summary(sub),
        "plan": sub.plan, "addons": [a for a in sub.addons if a.pending], "coupon": _coupon(sub, sub.coupon),
        "current_term": ({"start": sub.term_start, "end": sub.term_end}
                         if sub.term_start and not actions.is_trial(sub) and not paused_with_term else None),
        "trial": {"start": sub.trial_start, "end": sub.trial_end} if sub.trial_end else None,
        "next_billing_amount_minor": following.amount_minor if following is not None else None,
        "payment_method_id": sub.payment_method_id,
        "scheduled_change": ({"plan": change.plan, "addons": change.addons, "coupon": _coupon(sub, change.coupon),
                              "effective_on": term_ends, "requested_at": change.requested_at}
                             if change else None),
        "scheduled_cancellation": ({"effective_on": term_ends, "reason": sub.cancel_reason}
                                   if sub.status == Status.NON_RENEWING else None),
        "pause": ({"pause_at": sub.pause_at, "resume_at": sub.resume_at, "paused_at": sub.paused_at,
                   "paid_days_kept": sub.term.days_remaining(sub.paused_at) if paused_with_term else 0}
                  if sub.pause_at or sub.resume_at or sub.paused_at else None),
        "activated_at": sub.activated_at, "cancelled_at": sub.cancelled_at, "cancel_reason": sub.cancel_reason,
        "expired_at": sub.expired_at, "expired_reason": sub.expired_reason,
        "trial_extensions": {"used": sub.trial_extensions_used,
                             "allowed": org.preferences.trial.extensions_allowed},
        "allowed_actions": actions.allowed_actions(sub, org.preferences, now),
    }
