"""Mid-term changes, by day: a credit note for the unused part of what the term cost,
an invoice for the rest of the term at the new price.

credit = old price x unused days / days in term, charge = new price x remaining days / days
in term; exact fractions, rounded once per document line, half up (and each document's total to
the currency's increment by a Rounding line, where it has one). Each item gets a line
that explains itself ("Unused time on Pro plan 100.00 x 15/31 days"). A coupon is prorated on
a line of its own, from the discount the term was (or would be) invoiced with, so that the
item lines plus the coupon line come to the discounted price: changing on the first day
credits exactly what the term's invoice charged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Sequence

from .calendar import Term, require_utc
from .money import Money
from .pricing import CouponTerms, Line, PricedItem, common_currency, discount_for, subtotal, total, with_rounding


@dataclass(frozen=True)
class ProrationQuote:
    credit_lines: list[Line]  # the credit note: unused time of the old items (positive)
    charge_lines: list[Line]  # the invoice: remaining time of the new items (positive)
    credit_total: Money
    charge_total: Money
    net: Money  # charge - credit; negative for a downgrade
    days_remaining: int
    days_in_term: int


def _priced_text(item: PricedItem) -> str:
    if item.quantity == 1:
        return f"{item.name} {item.unit_price.format()}"
    return f"{item.name} {item.quantity} x {item.unit_price.format()}"


def _prorated_lines(items: Sequence[PricedItem], coupon: CouponTerms | None, days: int, term: Term,
                    *, time: str, kind: str) -> list[Line]:
    if not items:
        return []
    share = Fraction(days, term.days)
    of_days = f"x {days}/{term.days} days"
    lines = [
        Line(description=f"{time.capitalize()} time on {_priced_text(item)} {of_days}",
             amount=item.amount.times(share), code=item.code, kind=kind)
        for item in items
    ]
    if coupon is not None:
        discount = discount_for(coupon, subtotal(items))
        lines.append(Line(description=f"Coupon {coupon.code} ({coupon.off_text}) on {time} time "
                                      f"{(-discount).format()} {of_days}",
                          amount=-discount.times(share), code=coupon.code, kind="discount"))
    return [line for line in lines if not line.amount.is_zero]


def _currency(*item_lists: Sequence[PricedItem], coupons: Sequence[CouponTerms | None]) -> str:
    amounts = [item.unit_price for items in item_lists for item in items]
    amounts += [coupon.amount_off for coupon in coupons if coupon and coupon.amount_off]
    currency = common_currency(amounts)
    if currency is None:
        raise ValueError("nothing to prorate: no items")
    return currency


def _unused_days(term: Term, at: datetime) -> int:
    require_utc(at, "at")
    if not term.contains(at):
        raise ValueError(f"{at} is outside the term {term.start} to {term.end}")
    return term.days_remaining(at)


def prorate_change(old_items: Sequence[PricedItem], old_coupon: CouponTerms | None,
                   new_items: Sequence[PricedItem], new_coupon: CouponTerms | None,
                   term: Term, at: datetime) -> ProrationQuote:
    """Quote an immediate change at `at` from the old items to the new ones.

    `old_coupon` is the coupon as it applied to this term's invoice; `new_coupon` the one
    that applies after the change. Unchanged items are credited and charged again, so the
    two documents each stand alone.
    """
    currency = _currency(old_items, new_items, coupons=(old_coupon, new_coupon))
    days = _unused_days(term, at)
    credit_lines = with_rounding(_prorated_lines(old_items, old_coupon, days, term, time="unused",
                                                 kind="credit"), currency)
    charge_lines = with_rounding(_prorated_lines(new_items, new_coupon, days, term, time="remaining",
                                                 kind="proration"), currency)
    credit_total = total(credit_lines, currency)
    charge_total = total(charge_lines, currency)
    return ProrationQuote(credit_lines=credit_lines, charge_lines=charge_lines, credit_total=credit_total,
                          charge_total=charge_total, net=charge_total - credit_total,
                          days_remaining=days, days_in_term=term.days)


def prorate_cancellation_credit(items: Sequence[PricedItem], coupon: CouponTerms | None, term: Term,
                                at: datetime) -> list[Line]:
    """The credit-note lines for the unused time of a term cancelled at `at`, for a merchant
    whose policy refunds it (the portal's default refunds nothing)."""
    currency = _currency(items, coupons=(coupon,))
    return with_rounding(_prorated_lines(items, coupon, _unused_days(term, at), term, time="unused",
                                         kind="credit"), currency)
