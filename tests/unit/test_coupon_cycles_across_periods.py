"""A repeating coupon's cycles are terms of the billing period they were counted in: moved to
another period, it discounts the new period's terms that begin within the time its cycles left
would have run, never more terms than it has left (docs/billing.md, "Coupon cycles")."""
from datetime import date, datetime, time, timezone

from chalicelib.domain import billing, coupon_cycles, scheduling
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.calendar import add_periods
from chalicelib.domain.subscription import AppliedCoupon, PlanSnapshot, Subscription
from chalicelib.domain.subscription_actions import Selection
from chalicelib.domain.subscription_status import Status

MONTHLY = PlanSnapshot("pro", "Pro", 10_000, "month", 1)
YEARLY = PlanSnapshot("pro_year", "Pro yearly", 100_000, "year", 1)
DEC_1 = date(2026, 12, 1)


def spring(cycles: int = 3) -> AppliedCoupon:
    return AppliedCoupon("SPRING", "Spring", "repeating", percent_off_bp=2_000, cycles=cycles)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


def invoiced_on(plan: PlanSnapshot, coupon: AppliedCoupon, start: date) -> Subscription:
    """A live subscription whose term of `plan` from `start` was invoiced with `coupon`."""
    sub = Subscription("sub_1", "cus_1", Status.LIVE, plan, "USD", at_noon(start), coupon=coupon,
                       billing_anchor=start, term_start=start, term_end=add_periods(start, plan.interval, 1),
                       activated_at=at_noon(start))
    return billing.term_bill(sub).subscription


def renewed(sub: Subscription, times: int = 1) -> Subscription:
    for _ in range(times):
        sub = scheduling.renewed(sub).subscription
    return sub


def discounted(bill) -> bool:
    return any(line.kind == "discount" for line in bill.charge_lines)


def changed_to(sub: Subscription, plan: PlanSnapshot, day: date):
    return actions.changed_now(sub, Selection(plan, (), sub.coupon), at_noon(day))


def test_three_monthly_cycles_moved_to_yearly_mid_term_discount_one_year_not_three():
    # Given SPRING, 20% off 3 terms, on Pro monthly since Dec 1
    sub = invoiced_on(MONTHLY, spring(), DEC_1)

    # When Zoë moves to yearly on Dec 10
    moved = changed_to(sub, YEARLY, date(2026, 12, 10))

    # Then the yearly term from Dec 10 is discounted (it begins before Mar 1, when the two monthly
    # cycles left would have run out), and the next one is not
    assert discounted(moved)
    assert not discounted(scheduling.renewed(moved.subscription))
    assert coupon_cycles.cycles_left(moved.subscription, moved.subscription.coupon) == 0


def test_moved_to_yearly_on_the_first_day_of_a_term_the_yearly_term_takes_that_terms_cycle():
    # Given SPRING on Pro monthly, its second term invoiced on Jan 1
    sub = renewed(invoiced_on(MONTHLY, spring(), DEC_1))

    # When Zoë moves to yearly on Jan 1
    moved = changed_to(sub, YEARLY, date(2027, 1, 1))

    # Then that yearly term is discounted, and no later one
    assert discounted(moved)
    assert not discounted(scheduling.renewed(moved.subscription))


def test_a_coupon_used_up_in_monthly_terms_does_not_discount_a_yearly_term_begun_within_its_last():
    # Given SPRING's three monthly terms discounted, the third from Feb 1
    sub = renewed(invoiced_on(MONTHLY, spring(), DEC_1), times=2)
    assert coupon_cycles.cycles_left(sub, sub.coupon) == 0

    # When Zoë moves to yearly on Feb 10
    moved = changed_to(sub, YEARLY, date(2027, 2, 10))

    # Then the yearly term is not discounted
    assert not discounted(moved)


def test_yearly_cycles_moved_to_monthly_discount_the_monthly_terms_they_have_left():
    # Given SPRING, 20% off 3 terms, on Pro yearly since Dec 1
    sub = invoiced_on(YEARLY, spring(), DEC_1)

    # When Zoë moves to monthly on Jun 1
    moved = changed_to(sub, MONTHLY, date(2027, 6, 1))

    # Then the coupon discounts as many monthly terms as it has cycles left, two
    assert discounted(moved)
    after = moved.subscription
    assert discounted(scheduling.renewed(after))
    assert not discounted(scheduling.renewed(scheduling.renewed(after).subscription))


def test_a_monthly_coupon_with_a_year_of_cycles_discounts_the_yearly_term_and_its_count_is_kept():
    # Given a 12-cycle coupon, one monthly term used, moved to yearly on Dec 15
    sub = invoiced_on(MONTHLY, spring(12), DEC_1)
    moved = changed_to(sub, YEARLY, date(2026, 12, 15)).subscription

    # Then the yearly term was discounted and the count goes on in that period (no second year:
    # it begins after the eleven months left, from Jan 1, would have run out on Dec 1, 2027)
    assert not discounted(scheduling.renewed(moved))
