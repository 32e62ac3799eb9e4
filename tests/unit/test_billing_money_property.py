"""Money is conserved within a term, whatever the customer changes: a property test in the domain
(no AWS) over random currencies (two-decimal, zero-decimal, three-decimal KWD, MGA charged in whole
ariary), prices, quantities, coupons, billing periods and month-end anchors.

A term is invoiced in full, then changed now any number of times (plan, seats, coupon), and
maybe ended early (a change to another billing period, a pause that credits its unused days, a
cancellation and a reactivation later in the term, a pause that keeps the paid days and a
cancellation while paused). What the customer paid for the term (its
invoice and every change's invoice, less every credit note) is what its days cost at the prices
and discounts they had, day by day, to within the half minor unit each line is rounded by (and
the half increment each document total is rounded by): no day is paid twice or given free, no
credit is more than was paid, and no document is negative.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction

from hypothesis import given, note, settings, strategies as st

from chalicelib.domain import billing, currencies
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.calendar import add_periods
from chalicelib.domain.preferences import preferences_from_dict
from chalicelib.domain.subscription import AppliedCoupon, PlanSnapshot, Subscription, SubscriptionAddon
from chalicelib.domain.subscription_actions import Selection
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
CURRENCIES = ("USD", "JPY", "KWD", "MGA", "ISK")
PERIODS = (("month", 1), ("month", 3), ("week", 1), ("year", 1))
PAUSE_CREDITS = preferences_from_dict({"pause_resume": {"enabled": True, "unused_time": "credit"}})
PAUSE_KEEPS = preferences_from_dict({"pause_resume": {"enabled": True, "unused_time": "keep"}})


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@st.composite
def selections(draw, interval: tuple[str, int]) -> Selection:
    unit, count = interval
    plan = PlanSnapshot(draw(st.sampled_from(["pro", "biz", "team"])), "Plan",
                        draw(st.integers(min_value=1, max_value=1_000_000)), unit, count)
    seats = draw(st.integers(min_value=0, max_value=5))
    addons = (SubscriptionAddon("seats", "Seat", draw(st.integers(min_value=0, max_value=50_000)), seats),) \
        if seats else ()
    # every coupon discounts the term it is applied in, whatever its duration (its first cycle)
    duration, cycles = draw(st.sampled_from([("once", None), ("repeating", 2), ("forever", None)]))
    coupon = draw(st.one_of(
        st.none(),
        st.builds(lambda bp: AppliedCoupon("PCT", "Percent", duration, percent_off_bp=bp, cycles=cycles),
                  st.integers(min_value=1, max_value=10_000)),
        st.builds(lambda minor: AppliedCoupon("OFF", "Amount", duration, amount_off_minor=minor, cycles=cycles),
                  st.integers(min_value=1, max_value=200_000))))
    return Selection(plan, addons, coupon)


def per_term(chosen: Selection) -> Fraction:
    """What a whole term of `chosen` costs, its coupon taken off, exactly."""
    gross = chosen.plan.price_minor + sum(a.price_minor * a.quantity for a in chosen.addons)
    coupon = chosen.coupon
    if coupon is None:
        return Fraction(gross)
    if coupon.percent_off_bp is not None:
        return gross - Fraction(gross * coupon.percent_off_bp, 10_000)
    return Fraction(gross - min(coupon.amount_off_minor, gross))


class Paid:
    """What the customer paid for the term: invoices less credit notes, and how far rounding can
    move it from the exact cost."""

    def __init__(self, currency: str):
        self.minor, self.slack, self.increment = 0, Fraction(0), currencies.increment(currency)

    def bill(self, bill, *, charges_this_term: bool = True) -> None:
        note(f"charge {[(l.description, l.amount.amount_minor) for l in bill.charge_lines]} "
             f"credit {[(l.description, l.amount.amount_minor) for l in bill.credit_lines]}")
        assert bill.charge_total.amount_minor >= 0 and bill.credit_total.amount_minor >= 0
        for lines, sign in ((bill.charge_lines if charges_this_term else (), 1), (bill.credit_lines, -1)):
            if lines:
                self.minor += sign * sum(line.amount.amount_minor for line in lines)
                # a line per item (plan, seats) and one for the coupon, each rounded by at most half a
                # minor unit (a line rounded to nothing is left out), and the total to the increment
                self.slack += Fraction(3, 2) + (Fraction(self.increment, 2) if self.increment > 1 else 0)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), currency=st.sampled_from(CURRENCIES), interval=st.sampled_from(PERIODS),
       anchor=st.one_of(st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
                        st.sampled_from([date(2026, 1, 31), date(2028, 2, 29), date(2026, 8, 31), date(2027, 12, 31)])),
       ending=st.sampled_from(["none", "other_period", "pause", "pause_keeping_days_then_cancel",
                               "cancel_and_reactivate"]))
def test_what_a_term_was_paid_is_what_its_days_cost_at_the_prices_they_had(data, currency, interval, anchor, ending):
    # Given a term invoiced in full
    first = data.draw(selections(interval), "first")
    unit, count = interval
    end = add_periods(anchor, unit, count)
    sub = Subscription("sub_1", "cus_1", Status.LIVE, first.plan, currency, at_noon(anchor), addons=first.addons,
                       coupon=first.coupon, billing_anchor=anchor, term_start=anchor, term_end=end,
                       activated_at=at_noon(anchor))
    term_days = (end - anchor).days
    paid = Paid(currency)
    invoice = billing.term_bill(sub)
    paid.bill(invoice)
    sub = invoice.subscription
    # When the customer changes it now, on days of the term in order
    changes = data.draw(st.lists(st.tuples(st.integers(min_value=0, max_value=term_days - 1), selections(interval)),
                                 max_size=5), "changes")
    segments, since, held = [], anchor, first
    for offset, chosen in sorted(changes, key=lambda change: change[0]):
        day = anchor + timedelta(days=offset)
        bill = actions.changed_now(sub, chosen, at_noon(day))
        paid.bill(bill)
        segments.append((held, (day - since).days))
        sub, since, held = bill.subscription, day, chosen
    # ... and maybe ends the term early
    last = data.draw(st.integers(min_value=max((since - anchor).days, 0), max_value=term_days - 1), "last day")
    until = anchor + timedelta(days=last)
    if ending == "other_period":
        yearly = PlanSnapshot("y", "Yearly", held.plan.price_minor * 10, "year") if unit != "year" else \
            PlanSnapshot("m", "Monthly", held.plan.price_minor // 10 + 1, "month")
        paid.bill(actions.changed_now(sub, replace(held, plan=yearly, coupon=None), at_noon(until)),
                  charges_this_term=False)
    elif ending == "pause":
        paid.bill(actions.pause_scheduled(sub, PAUSE_CREDITS, pause_at=None, resume_at=None, now=at_noon(until)))
    elif ending == "pause_keeping_days_then_cancel":
        kept = actions.pause_scheduled(sub, PAUSE_KEEPS, pause_at=None, resume_at=None, now=at_noon(until))
        paid.bill(kept)
        paid.bill(actions.cancelled_now(kept.subscription, None, at_noon(until) + timedelta(days=40)))
    elif ending == "cancel_and_reactivate":
        cancelled_on = data.draw(st.integers(min_value=(since - anchor).days, max_value=last), "cancelled on")
        cancelled = actions.cancelled_now(sub, None, at_noon(anchor + timedelta(days=cancelled_on)))
        paid.bill(cancelled)
        paid.bill(actions.reactivated(cancelled.subscription, held, at_noon(until)), charges_this_term=False)
    else:
        until = end
    segments.append((held, (until - since).days))

    # Then what was paid for the term is what its days cost, each at the price it had
    cost = sum((per_term(chosen) * days / term_days for chosen, days in segments), Fraction(0))
    note(f"paid {paid.minor}, cost {float(cost)}, slack {float(paid.slack)}")
    assert abs(paid.minor - cost) <= paid.slack
