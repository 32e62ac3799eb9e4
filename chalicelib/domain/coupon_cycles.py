"""How many terms a coupon discounts on a subscription, counted per subscription.

A coupon's cycles are terms: each term it discounts, in full or for the rest of a term changed
mid-way, uses one cycle, and a term is counted once however often it is billed (a change
credited and charged again within a term does not use a second one). The count belongs to the
subscription, not to the coupon as it stands on it: removing a coupon and applying it again
continues where it was, so a used-up coupon cannot be restarted.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from .money import Money
from .pricing import Discount
from .subscription import AppliedCoupon, CouponUse, Subscription


def use_of(sub: Subscription, coupon: AppliedCoupon) -> CouponUse:
    return next((use for use in sub.coupon_uses if use.code == coupon.key), CouponUse(coupon.key))


def terms_used_before(sub: Subscription, coupon: AppliedCoupon, term_start: date) -> int:
    """The terms the coupon discounted on `sub` before the one starting on `term_start`."""
    use = use_of(sub, coupon)
    return use.terms - (1 if use.last_term_start == term_start else 0)


def discounts(sub: Subscription, coupon: AppliedCoupon | None, term_start: date) -> bool:
    """Whether `coupon` discounts the term of `sub` that starts on `term_start`."""
    if coupon is None:
        return False
    return coupon.cycles is None or terms_used_before(sub, coupon, term_start) < coupon.cycles


def cycles_left(sub: Subscription, coupon: AppliedCoupon | None) -> int | None:
    """Terms the coupon still discounts after those already billed (None: every term)."""
    if coupon is None or coupon.cycles is None:
        return None
    return max(0, coupon.cycles - use_of(sub, coupon).terms)


def used_on(sub: Subscription, coupon: AppliedCoupon, term_start: date) -> Subscription:
    """`sub` once `coupon` has discounted the term starting on `term_start` (counted once)."""
    use = use_of(sub, coupon)
    if use.last_term_start == term_start:
        return sub
    counted = replace(use, terms=use.terms + 1, last_term_start=term_start)
    others = tuple(u for u in sub.coupon_uses if u.code != coupon.key)
    return replace(sub, coupon_uses=(*others, counted))


def unused_on(sub: Subscription, term_start: date) -> Subscription:
    """`sub` with the cycle any coupon used on the term starting on `term_start` given back (that
    term's invoice was taken back)."""
    uses = tuple(replace(use, terms=use.terms - 1, last_term_start=None) if use.last_term_start == term_start else use
                 for use in sub.coupon_uses)
    return sub if uses == sub.coupon_uses else replace(sub, coupon_uses=uses)


def discount_of(coupon: AppliedCoupon, currency: str) -> Discount:
    amount_off = Money(coupon.amount_off_minor, currency) if coupon.amount_off_minor is not None else None
    return Discount(coupon.code, coupon.name, coupon.percent_off_bp, amount_off)
