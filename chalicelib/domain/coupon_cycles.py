"""How many terms a coupon discounts on a subscription, counted per subscription.

A coupon's cycles are terms: each term it discounts, in full or for the rest of a term changed
mid-way, uses one cycle, and a term is counted once however often it is billed (a change
credited and charged again within a term does not use a second one). The count belongs to the
subscription, not to the coupon as it stands on it: removing a coupon and applying it again
continues where it was, so a used-up coupon cannot be restarted.

Its cycles are terms of the billing period they were counted in. Moved to another period, a
coupon keeps the time its cycles left would have run, from the end of the last term it
discounted: it discounts the terms of the new period that begin before then, as many as it has
cycles left and no more (three monthly cycles are not three years).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from .calendar import add_periods
from .money import Money
from .pricing import Discount
from .subscription import AppliedCoupon, CouponUse, PlanSnapshot, Subscription


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
    if coupon.cycles is None:
        return True
    if terms_used_before(sub, coupon, term_start) >= coupon.cycles:
        return False
    use = use_of(sub, coupon)
    end = _ends_before(use, coupon, sub.plan)
    return end is None or use.last_term_start == term_start or term_start < end


def cycles_left(sub: Subscription, coupon: AppliedCoupon | None) -> int | None:
    """Terms the coupon still discounts after those already billed (None: every term)."""
    if coupon is None or coupon.cycles is None:
        return None
    use = use_of(sub, coupon)
    left = max(0, coupon.cycles - use.terms)
    end = _ends_before(use, coupon, sub.plan)
    if end is None or not left or sub.term_end is None:
        return left
    return _terms_beginning_before(sub.term_end, sub.plan, end, most=left)


def used_on(sub: Subscription, coupon: AppliedCoupon, term_start: date) -> Subscription:
    """`sub` once `coupon` has discounted the term starting on `term_start` (counted once), in the
    billing period of `sub`'s plan."""
    use = use_of(sub, coupon)
    if use.last_term_start == term_start:
        return sub
    counted = replace(use, terms=use.terms + 1, last_term_start=term_start, interval=sub.plan.interval,
                      interval_count=sub.plan.interval_count, ends_before=_ends_before(use, coupon, sub.plan))
    others = tuple(u for u in sub.coupon_uses if u.code != coupon.key)
    return replace(sub, coupon_uses=(*others, counted))


def _ends_before(use: CouponUse, coupon: AppliedCoupon, plan: PlanSnapshot) -> date | None:
    """The day before which the terms of `plan` must begin to be discounted (None: any term its
    cycles allow): once a term of another billing period than its cycles were counted in is due,
    the end of the time its cycles left would have run in theirs."""
    if use.ends_before is not None or coupon.cycles is None:
        return use.ends_before
    if use.interval is None or use.last_term_start is None or \
            (use.interval, use.interval_count) == (plan.interval, plan.interval_count):
        return None
    left = max(0, coupon.cycles - use.terms)
    return add_periods(use.last_term_start, use.interval, use.interval_count, 1 + left)


def _terms_beginning_before(start: date, plan: PlanSnapshot, end: date, *, most: int) -> int:
    """How many terms of `plan` from `start` on begin before `end` (at most `most`)."""
    begun = 0
    while begun < most and add_periods(start, plan.interval, plan.interval_count, begun) < end:
        begun += 1
    return begun


def unused_on(sub: Subscription, term_start: date) -> Subscription:
    """`sub` with the cycle any coupon used on the term starting on `term_start` given back (that
    term's invoice was taken back)."""
    uses = tuple(replace(use, terms=use.terms - 1, last_term_start=None) if use.last_term_start == term_start else use
                 for use in sub.coupon_uses)
    return sub if uses == sub.coupon_uses else replace(sub, coupon_uses=uses)


def discount_of(coupon: AppliedCoupon, currency: str) -> Discount:
    amount_off = Money(coupon.amount_off_minor, currency) if coupon.amount_off_minor is not None else None
    return Discount(coupon.code, coupon.name, coupon.percent_off_bp, amount_off)
