"""Mid-term changes, by day: a credit note for the unused part of what the term cost, an invoice
for the rest of the term at the new price.

credit = old price x unused days / days in term, charge = new price x remaining days / days in
term; exact fractions, rounded once per document line, half up (each document's total is then
brought to the currency's increment by a Rounding line where it has one: billing.py). Days are
counted from `day` (the
organization's today, included) to the term's end. Each item gets a line that explains itself
("Unused time on Pro 100.00 x 15/31 days"). A coupon is prorated on a line of its own, from the
discount the term was (or would be) invoiced with, so that the item lines plus the coupon line
come to the discounted price: changing on the first day credits exactly what the term's invoice
charged, and a document is never negative.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Sequence

from .calendar import Term
from .line_words import COUPON_ON, PRORATED, LineWords
from .money import Money
from .pricing import Discount, Line, PricedItem, common_currency, item_words, subtotal, total, worded


@dataclass(frozen=True)
class ProrationQuote:
    credit_lines: list[Line]  # the credit note: unused time of the old items (positive)
    charge_lines: list[Line]  # the invoice: remaining time of the new items (positive)
    credit_total: Money
    charge_total: Money
    net: Money  # charge - credit; negative for a downgrade
    days_remaining: int
    days_in_term: int


def prorated_lines(items: Sequence[PricedItem], discount: Discount | None, day: date, term: Term, *,
                   time: str, kind: str) -> list[Line]:
    """The lines of `items` (less `discount`) for the days of `term` from `day` on."""
    if not items:
        return []
    days = unused_days(term, day)
    share = Fraction(days, term.days)
    period = Term(day, term.end)
    of_days = dict(period_start=period.start, period_end=period.end, days=days, days_in_term=term.days)
    lines = [
        worded(item_words(item, PRORATED[time], **of_days), amount=item.amount.times(share), code=item.code,
               kind=kind, period=period)
        for item in items
    ]
    if discount is not None:
        gross = subtotal(items)
        words = LineWords(COUPON_ON[time], gross.currency, discount_minor=discount.of(gross).amount_minor,
                          **discount.words(), **of_days)
        lines.append(worded(words, amount=-_discount_taken(lines, gross, discount, share), code=discount.code,
                            kind="discount", period=period))
    return [line for line in lines if not line.amount.is_zero]


def _discount_taken(item_lines: Sequence[Line], gross: Money, discount: Discount, share: Fraction) -> Money:
    """What the coupon line takes off the item lines (each rounded on its own) so that they total
    the term's price for those days less the coupon's for those days, each worked out exactly and
    rounded once; never more than the item lines. So a document is never negative, a coupon of the
    whole price leaves exactly nothing, and a whole term's share is the term's invoice."""
    items = sum((line.amount for line in item_lines), Money.zero(gross.currency))
    exact_total = gross.times(share) - discount.of(gross, share)
    return items - items.min(exact_total)


def _currency(*item_lists: Sequence[PricedItem], discounts: Sequence[Discount | None]) -> str:
    amounts = [item.unit_price for items in item_lists for item in items]
    amounts += [d.amount_off for d in discounts if d and d.amount_off]
    currency = common_currency(amounts)
    if currency is None:
        raise ValueError("nothing to prorate: no items")
    return currency


def unused_days(term: Term, day: date) -> int:
    if not term.contains(day):
        raise ValueError(f"{day} is outside the term {term.text()}")
    return term.days_remaining(day)


def prorate_change(old_items: Sequence[PricedItem], old_discount: Discount | None,
                   new_items: Sequence[PricedItem], new_discount: Discount | None,
                   term: Term, day: date) -> ProrationQuote:
    """Quote an immediate change on `day` from the old items to the new ones.

    `old_discount` is the coupon's discount as it applied to this term's invoice; `new_discount`
    the one that applies after the change. Unchanged items are credited and charged again, so the
    two documents each stand alone.
    """
    currency = _currency(old_items, new_items, discounts=(old_discount, new_discount))
    credit_lines = prorated_lines(old_items, old_discount, day, term, time="unused", kind="credit")
    charge_lines = prorated_lines(new_items, new_discount, day, term, time="remaining", kind="proration")
    credit_total = total(credit_lines, currency)
    charge_total = total(charge_lines, currency)
    return ProrationQuote(credit_lines=credit_lines, charge_lines=charge_lines, credit_total=credit_total,
                          charge_total=charge_total, net=charge_total - credit_total,
                          days_remaining=unused_days(term, day), days_in_term=term.days)
