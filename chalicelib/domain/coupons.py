"""Coupon rules: who may apply a coupon and when, what counts as a redemption, what the merchant
may change.

Codes match case-insensitively (`catalog.coupon_key`) and are shown as the merchant wrote them.
Customers see and apply only the coupons the merchant offers in the portal; any other is answered
exactly as a missing one, so codes cannot be probed. A redemption is a coupon's first application
to a subscription: re-applying it to the same subscription is not another one, and a limit
(`max_redemptions`) counts subscriptions. A coupon a subscription holds is kept whatever happens
to the coupon later (withdrawn, expired, used up, no longer offered in the portal).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Literal

from .catalog import Coupon, coupon_key
from .errors import InvalidInput
from .subscription import AppliedCoupon, CouponUse, Subscription

Applier = Literal["customer", "merchant"]

NO_SUCH_COUPON = "No such coupon."
WITHDRAWN = "This coupon is no longer available."
EXPIRED = "This coupon has expired."
FULLY_REDEEMED = "This coupon has been fully redeemed."
NOT_FOR_PLAN = "This coupon does not apply to the plan."

CHANGEABLE = frozenset({"portal", "max_redemptions", "expires_at", "active"})


# --- what a subscription has had ------------------------------------------------------------

def has_used(sub: Subscription, code: str) -> bool:
    """Has this subscription had the coupon `code` before: it holds it now or in its scheduled
    change, or held it once (`coupon_uses`, which also count the terms it discounted)."""
    return coupon_key(code) in _used(sub)


def redeemed(before: Subscription | None, after: Subscription) -> tuple[str, ...]:
    """The coupons `after` holds (now or scheduled) that `before` never had (None: a new
    subscription): each is one new redemption. Keys, in the order held."""
    earlier = _used(before) if before is not None else ()
    return tuple(key for key in dict.fromkeys(_held(after)) if key not in earlier)


def remembering_coupons(before: Subscription | None, after: Subscription) -> Subscription:
    """`after`, its `coupon_uses` naming every coupon it or `before` has had (one it has not yet
    discounted a term with counts none)."""
    known = {use.code for use in after.coupon_uses}
    had = dict.fromkeys((*(_used(before) if before is not None else ()), *_held(after)))
    new = tuple(CouponUse(key) for key in had if key not in known)
    return replace(after, coupon_uses=(*after.coupon_uses, *new)) if new else after


def _held(sub: Subscription) -> tuple[str, ...]:
    change = sub.scheduled_change
    return tuple(coupon_key(c.code) for c in (sub.coupon, change.coupon if change else None) if c is not None)


def _used(sub: Subscription) -> tuple[str, ...]:
    return (*(use.code for use in sub.coupon_uses), *_held(sub))


# --- applying a coupon ----------------------------------------------------------------------

def refusal(coupon: Coupon | None, *, by: Applier, now: datetime, used_before: bool = False) -> str | None:
    """Why `coupon` may not be newly applied at `now` by `by` (None: it may). Used up does not stop
    a subscription that had it before (`used_before`): that is no new redemption."""
    if coupon is None or (by == "customer" and not coupon.portal):
        return NO_SUCH_COUPON
    if not coupon.active:
        return WITHDRAWN
    if coupon.expired(now):
        return EXPIRED
    if coupon.exhausted and not used_before:
        return FULLY_REDEEMED
    return None


def applicable(coupon: Coupon | None, *, by: Applier, sub: Subscription | None, plan_code: str, currency: str,
               now: datetime, field: str) -> AppliedCoupon:
    """`coupon` newly applied to `sub` (None: a subscription being created) on `plan_code`;
    InvalidInput naming `field` if it may not be."""
    used_before = coupon is not None and sub is not None and has_used(sub, coupon.code)
    refused = refusal(coupon, by=by, now=now, used_before=used_before)
    if refused is None and not (coupon.fits(plan_code) and coupon.currency in (None, currency)):
        refused = NOT_FOR_PLAN
    if refused is not None:
        raise InvalidInput({field: refused})
    return applied(coupon)


def applied(coupon: Coupon) -> AppliedCoupon:
    """The coupon as a subscription holds it: how many terms it discounts ("once" one, "repeating"
    the merchant's number, "forever" every one: None)."""
    cycles = 1 if coupon.duration == "once" else coupon.cycles if coupon.duration == "repeating" else None
    return AppliedCoupon(coupon.code, coupon.name, coupon.duration, coupon.percent_off_bp,
                         coupon.amount_off_minor, cycles)


def offered_in_portal(coupon: Coupon, now: datetime) -> bool:
    """Listed to customers: a customer could apply it now to a subscription that never had it."""
    return refusal(coupon, by="customer", now=now) is None


# --- the merchant's changes -----------------------------------------------------------------

def changed(coupon: Coupon, changes: dict) -> Coupon:
    """`coupon` with the merchant's `changes` (of CHANGEABLE; a None limit or expiry removes it).
    A limit below the redemptions already made is refused."""
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValueError(f"not a changeable coupon field: {sorted(unknown)}")
    after = replace(coupon, **changes)
    if after.max_redemptions is not None and after.max_redemptions < coupon.redemptions:
        raise InvalidInput({"max_redemptions": f"At least the {coupon.redemptions} redemption(s) already made."})
    return after


def check_new(coupon: Coupon, now: datetime) -> None:
    """A coupon the merchant adds: its expiry, if any, is still to come."""
    if coupon.expired(now):
        raise InvalidInput({"expires_at": "Must be in the future."})
