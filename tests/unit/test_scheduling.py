"""What scheduled work is due for a subscription, and what it turns it into (pure domain)."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from chalicelib.domain import scheduling
from chalicelib.domain.preferences import DunningSettings
from chalicelib.domain.scheduling import Work
from chalicelib.domain.subscription import AppliedCoupon, PlanSnapshot, ScheduledChange, Subscription
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
DAY = timedelta(days=1)
DEC_25 = date(2026, 12, 25)   # a month on
PRO = PlanSnapshot("pro", "Pro", 10_000, trial_days=14)
YEARLY = PlanSnapshot("pro_yearly", "Pro yearly", 100_000, interval="year")


def a_subscription(status: Status = Status.LIVE, **fields) -> Subscription:
    defaults = ({"term_start": date(2026, 10, 25), "term_end": TODAY, "billing_anchor": date(2026, 10, 25)}
                if status in (Status.LIVE, Status.DUNNING, Status.UNPAID) else {})
    values = {"plan": PRO, **defaults, **fields}
    return Subscription("sub_1", "cus_1", status, currency="USD", created_at=NOW - 60 * DAY, **values)


def renewals(sub: Subscription, count: int) -> list[tuple[date, date]]:
    terms = []
    for _ in range(count):
        sub = scheduling.renewed(sub).subscription
        terms.append((sub.term_start, sub.term_end))
    return terms


def test_nothing_is_due_before_its_day_begins():
    assert scheduling.work_due(a_subscription(term_end=TODAY + DAY), NOW) is None


def test_work_for_a_day_is_due_when_that_day_begins_in_the_subscriptions_time_zone():
    # Given a term ending Nov 26 in Auckland (UTC+13): Nov 26 begins there at 11:00 UTC on Nov 25
    sub = a_subscription(term_end=date(2026, 11, 26), time_zone="Pacific/Auckland")
    assert scheduling.due_at(sub) == datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    assert scheduling.work_due(sub, NOW) == Work.RENEW
    assert scheduling.work_due(replace(sub, time_zone="UTC"), NOW) is None


def test_each_status_has_its_work_when_due():
    assert scheduling.work_due(a_subscription(Status.FUTURE, starts_at=TODAY), NOW) == Work.START
    assert scheduling.work_due(a_subscription(Status.TRIAL, trial_end=TODAY), NOW) == Work.TRIAL_END
    assert scheduling.work_due(a_subscription(Status.NON_RENEWING, term_end=TODAY), NOW) == Work.CANCEL_AT_TERM_END
    assert scheduling.work_due(a_subscription(Status.PAUSED, resume_at=TODAY), NOW) == Work.RESUME
    in_dunning = a_subscription(Status.DUNNING, term_start=TODAY, term_end=DEC_25, next_retry_at=NOW)
    assert scheduling.work_due(in_dunning, NOW) == Work.DUNNING_RETRY
    assert scheduling.work_due(a_subscription(term_unbilled=True, term_end=DEC_25), NOW) == Work.BILL_TERM
    assert scheduling.work_due(a_subscription(), NOW) == Work.RENEW


def test_an_unpaid_subscription_has_no_work_and_no_next_billing_day():
    unpaid = a_subscription(Status.UNPAID, unpaid_invoice_id="inv_1")
    assert scheduling.due_at(unpaid) is None and unpaid.next_billing_on is None


def test_a_pause_on_the_last_day_of_the_term_comes_before_the_renewal():
    sub = a_subscription(term_start=date(2026, 10, 26), term_end=TODAY + DAY, pause_at=TODAY)   # 31 days
    assert scheduling.work_due(sub, NOW) == Work.PAUSE
    paused = scheduling.paused(sub, "credit")
    assert (paused.subscription.status, paused.subscription.paused_at) == (Status.PAUSED, TODAY)
    assert [line.amount.amount_minor for line in paused.credit_lines] == [323]   # 100.00 x 1/31 days


def test_an_invoice_left_to_charge_is_due_before_the_term_ends_again():
    # Given a renewal invoiced, its charge not made (the run died)
    sub = scheduling.awaiting_charge(scheduling.renewed(a_subscription()).subscription, "inv_1", NOW)

    # Then the charge is due now
    assert scheduling.due_at(sub) == NOW and scheduling.work_due(sub, NOW) == Work.CHARGE
    # and once charged nothing is due until the new term ends
    assert scheduling.due_at(scheduling.charge_left(sub)) == datetime(2026, 12, 25, tzinfo=UTC)


def test_a_monthly_subscription_started_on_january_31_renews_on_each_months_last_day():
    sub = a_subscription(billing_anchor=date(2026, 1, 31), term_start=date(2026, 1, 31), term_end=date(2026, 2, 28))
    assert renewals(sub, 3) == [(date(2026, 2, 28), date(2026, 3, 31)), (date(2026, 3, 31), date(2026, 4, 30)),
                                (date(2026, 4, 30), date(2026, 5, 31))]


def test_a_yearly_subscription_from_february_29_comes_back_to_february_29_in_leap_years():
    sub = a_subscription(plan=YEARLY, billing_anchor=date(2028, 2, 29), term_start=date(2028, 2, 29),
                         term_end=date(2029, 2, 28))
    ends = [end for _, end in renewals(sub, 4)]
    assert ends == [date(2030, 2, 28), date(2031, 2, 28), date(2032, 2, 29), date(2033, 2, 28)]


def test_a_scheduled_change_to_another_billing_period_starts_a_series_of_its_own_at_the_term_end():
    sub = a_subscription(billing_anchor=date(2026, 1, 31), term_start=date(2026, 10, 31), term_end=date(2026, 11, 30),
                         scheduled_change=ScheduledChange(YEARLY))
    after = scheduling.renewed(sub).subscription
    assert (after.plan, after.billing_anchor, after.term_start, after.term_end) == (
        YEARLY, date(2026, 11, 30), date(2026, 11, 30), date(2027, 11, 30))


def test_a_renewal_invoices_the_next_term_in_full_with_the_coupon_while_it_has_cycles():
    coupon = AppliedCoupon("three", "Three months", "repeating", percent_off_bp=1000, cycles=3)
    sub = a_subscription(coupon=coupon)

    bills = []
    for _ in range(4):
        bill = scheduling.renewed(sub)
        bills.append(bill.charge_total.amount_minor)
        sub = bill.subscription

    assert bills == [9_000, 9_000, 9_000, 10_000]
    assert sub.coupon is None      # used up: gone from the subscription


def test_a_renewal_bills_one_time_addons_once_then_never_again():
    from chalicelib.domain.subscription import SubscriptionAddon
    setup = SubscriptionAddon("setup", "Onboarding", 9_900, 1, recurring=False)
    first = scheduling.renewed(a_subscription(addons=(setup,)))
    second = scheduling.renewed(first.subscription)
    assert [line.description for line in first.charge_lines] == [
        "Pro (1 x 100.00) 2026-11-25 to 2026-12-25", "Onboarding (one-time, 1 x 99.00)"]
    assert [a.billed_on for a in first.subscription.addons] == [date(2026, 11, 25)]   # billed, on that term
    assert second.charge_total.amount_minor == 10_000 and second.subscription.addons == ()


def test_a_failed_renewal_is_retried_on_the_organizations_schedule_then_left_unpaid():
    dunning = DunningSettings()   # 1, 3, 5 days
    sub = scheduling.renewal_charge_failed(scheduling.renewed(a_subscription()).subscription, dunning)
    retries = [sub.next_retry_at]
    while sub.status == Status.DUNNING:
        sub = scheduling.dunning_retry_failed(sub, dunning, sub.next_retry_at)
        retries.append(sub.next_retry_at)

    day_starts = lambda day: datetime(day.year, day.month, day.day, tzinfo=UTC)  # noqa: E731
    assert retries == [day_starts(TODAY + DAY), day_starts(TODAY + 3 * DAY), day_starts(TODAY + 5 * DAY), None]
    assert sub.status == Status.UNPAID and sub.dunning_attempts == 3


def test_retries_running_out_cancel_when_the_organization_says_so():
    dunning = DunningSettings(retry_after_days=(2,), when_exhausted="cancel")
    sub = scheduling.renewal_charge_failed(scheduling.renewed(a_subscription()).subscription, dunning)

    after = scheduling.dunning_retry_failed(sub, dunning, NOW + 2 * DAY)

    assert after.status == Status.CANCELLED and after.cancelled_at == NOW + 2 * DAY


def test_a_trial_whose_first_charge_fails_expires_so_that_it_may_be_extended():
    sub = scheduling.first_term_after_trial(a_subscription(Status.TRIAL, trial_end=TODAY)).subscription

    expired = scheduling.trial_charge_failed(scheduling.awaiting_charge(sub, "inv_1", NOW), NOW)

    assert expired.status == Status.EXPIRED and expired.expired_reason == "trial_charge_failed"
    assert expired.term_start is None and scheduling.due_at(expired) is None


def test_a_future_start_begins_the_trial_of_its_plan_or_its_first_term_anchored_that_day():
    with_trial = scheduling.started(a_subscription(Status.FUTURE, starts_at=TODAY)).subscription
    without = scheduling.started(a_subscription(Status.FUTURE, starts_at=TODAY, plan=replace(PRO, trial_days=0)))

    assert with_trial.status == Status.TRIAL and with_trial.trial_end == TODAY + 14 * DAY
    assert (without.subscription.status, without.subscription.term_start) == (Status.LIVE, TODAY)
    assert without.subscription.billing_anchor == TODAY and without.charge_total.amount_minor == 10_000


def test_settling_a_dunning_subscriptions_invoice_makes_it_live_in_the_same_term():
    held = a_subscription(Status.DUNNING, unpaid_invoice_id="inv_1", dunning_attempts=2, term_start=TODAY,
                          term_end=DEC_25, billing_anchor=TODAY, next_retry_at=datetime(2026, 11, 30, tzinfo=UTC))
    revived, named = scheduling.invoice_settled(held, "inv_1", NOW)
    assert (revived.status, named) == (Status.LIVE, "dunning_paid")
    assert (revived.unpaid_invoice_id, revived.next_retry_at, revived.dunning_attempts) == (None, None, 0)
    assert (revived.term_start, revived.term_end, revived.term_unbilled) == (held.term_start, held.term_end, False)


def test_a_dunning_subscription_paid_after_its_term_ended_starts_one_new_term_that_day_to_be_invoiced():
    # Given a renewal of Oct 25 - Nov 25 still in dunning (a charge confirmed late)
    held = a_subscription(Status.DUNNING, unpaid_invoice_id="inv_1", next_retry_at=NOW - DAY)

    # When it is paid on Dec 5
    revived, _named = scheduling.invoice_settled(held, "inv_1", NOW + 10 * DAY)

    # Then a new term starts that day, to be invoiced once: the term of Nov 25 is not billed
    assert (revived.status, revived.term_start, revived.billing_anchor) == (Status.LIVE, TODAY + 10 * DAY,
                                                                            TODAY + 10 * DAY)
    assert revived.term_unbilled and scheduling.work_due(revived, NOW + 10 * DAY) == scheduling.Work.BILL_TERM


def test_paying_an_unpaid_subscriptions_invoice_starts_one_new_term_that_day_to_be_invoiced():
    # Given a subscription unpaid since a term that ended months ago
    held = a_subscription(Status.UNPAID, unpaid_invoice_id="inv_1", term_start=date(2026, 6, 1),
                          term_end=date(2026, 7, 1), billing_anchor=date(2026, 1, 1))

    revived, named = scheduling.invoice_settled(held, "inv_1", NOW)

    # Then it is live again with one term from today, anchored today, invoiced by the next run
    assert (revived.status, named) == (Status.LIVE, "unpaid_paid")
    assert (revived.term_start, revived.term_end, revived.billing_anchor) == (TODAY, DEC_25, TODAY)
    assert revived.term_unbilled and scheduling.work_due(revived, NOW) == Work.BILL_TERM
    billed = scheduling.unbilled_term(revived)
    assert billed.charge_total.amount_minor == 10_000 and not billed.subscription.term_unbilled
    assert scheduling.work_due(billed.subscription, NOW) is None


def test_settling_another_invoice_or_a_live_subscriptions_leaves_the_subscription_as_it_is():
    assert scheduling.invoice_settled(a_subscription(Status.DUNNING, unpaid_invoice_id="inv_1"), "inv_2", NOW) is None
    assert scheduling.invoice_settled(a_subscription(Status.LIVE, unpaid_invoice_id="inv_1"), "inv_1", NOW) is None
