"""What scheduled work is due for a subscription, and what it turns it into (pure domain)."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from chalicelib.domain import scheduling
from chalicelib.domain.preferences import DunningSettings
from chalicelib.domain.scheduling import Work
from chalicelib.domain.subscription import AppliedCoupon, PlanSnapshot, ScheduledChange, Subscription
from chalicelib.domain.subscription_status import Status

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
DEC_25 = datetime(2026, 12, 25, 12, 0, tzinfo=timezone.utc)   # a month on
PRO = PlanSnapshot("pro", "Pro", 10_000, trial_days=14)


def a_subscription(status: Status = Status.LIVE, **fields) -> Subscription:
    defaults = {"term_start": NOW - 30 * DAY, "term_end": NOW} if status in (Status.LIVE, Status.DUNNING) else {}
    values = {"plan": PRO, **defaults, **fields}
    return Subscription("sub_1", "cus_1", status, currency="USD", created_at=NOW - 60 * DAY, **values)


def test_nothing_is_due_before_its_time():
    assert scheduling.work_due(a_subscription(term_end=NOW + DAY), NOW) is None


def test_each_status_has_its_work_when_due():
    assert scheduling.work_due(a_subscription(Status.FUTURE, starts_at=NOW), NOW) == Work.START
    assert scheduling.work_due(a_subscription(Status.TRIAL, trial_end=NOW), NOW) == Work.TRIAL_END
    assert scheduling.work_due(a_subscription(Status.NON_RENEWING, term_end=NOW), NOW) == Work.CANCEL_AT_TERM_END
    assert scheduling.work_due(a_subscription(Status.PAUSED, resume_at=NOW), NOW) == Work.RESUME
    assert scheduling.work_due(a_subscription(Status.DUNNING, next_retry_at=NOW), NOW) == Work.DUNNING_RETRY
    assert scheduling.work_due(a_subscription(), NOW) == Work.RENEW


def test_a_pause_before_the_term_end_comes_first():
    sub = a_subscription(term_end=NOW + DAY, pause_at=NOW)
    assert scheduling.work_due(sub, NOW) == Work.PAUSE
    assert scheduling.paused(sub).status == Status.PAUSED and scheduling.paused(sub).paused_at == NOW


def test_an_invoice_left_to_charge_is_due_before_the_term_ends_again():
    # Given a renewal invoiced, its charge not made (the run died)
    sub = scheduling.awaiting_charge(scheduling.renewed(a_subscription()), "inv_1", NOW)

    # Then the charge is due now, with the key of the term it bills
    assert scheduling.due_at(sub) == NOW and scheduling.work_due(sub, NOW) == Work.CHARGE
    assert scheduling.charge_key(sub) == f"term:sub_1:{NOW.isoformat()}"
    # and once charged nothing is due until the new term ends
    assert scheduling.due_at(scheduling.charge_left(sub)) == DEC_25


def test_a_renewal_applies_the_scheduled_change_and_moves_a_repeating_coupon_on():
    coupon = AppliedCoupon("three", "Three months", "repeating", percent_off_bp=1000, cycles_remaining=2)
    biz = PlanSnapshot("biz", "Business", 20_000)
    sub = a_subscription(coupon=coupon, scheduled_change=ScheduledChange(biz, (), coupon))

    renewed = scheduling.renewed(sub)

    assert renewed.plan == biz and renewed.scheduled_change is None
    assert renewed.coupon.cycles_remaining == 1
    assert (renewed.term_start, renewed.term_end) == (NOW, DEC_25)
    assert scheduling.renewed(renewed).coupon is None   # its last cycle was billed


def test_a_failed_renewal_is_retried_on_the_organizations_schedule_then_left_unpaid():
    dunning = DunningSettings()   # 1, 3, 5 days
    sub = scheduling.renewal_charge_failed(scheduling.renewed(a_subscription()), dunning)
    retries = [sub.next_retry_at]
    while sub.status == Status.DUNNING:
        sub = scheduling.dunning_retry_failed(sub, dunning, sub.next_retry_at)
        retries.append(sub.next_retry_at)

    assert retries == [NOW + DAY, NOW + 3 * DAY, NOW + 5 * DAY, None]
    assert sub.status == Status.UNPAID and sub.dunning_attempts == 3


def test_retries_running_out_cancel_when_the_organization_says_so():
    dunning = DunningSettings(retry_after_days=(2,), when_exhausted="cancel")
    sub = scheduling.renewal_charge_failed(scheduling.renewed(a_subscription()), dunning)

    after = scheduling.dunning_retry_failed(sub, dunning, NOW + 2 * DAY)

    assert after.status == Status.CANCELLED and after.cancelled_at == NOW + 2 * DAY


def test_a_trial_whose_first_charge_fails_expires_so_that_it_may_be_extended():
    sub = scheduling.first_term_after_trial(a_subscription(Status.TRIAL, trial_end=NOW))

    expired = scheduling.trial_charge_failed(scheduling.awaiting_charge(sub, "inv_1", NOW), NOW)

    assert expired.status == Status.EXPIRED and expired.expired_reason == "trial_charge_failed"
    assert expired.term_start is None and scheduling.due_at(expired) is None


def test_a_future_start_begins_the_trial_of_its_plan_or_its_first_term():
    with_trial = scheduling.started(a_subscription(Status.FUTURE, starts_at=NOW))
    without = scheduling.started(a_subscription(Status.FUTURE, starts_at=NOW, plan=replace(PRO, trial_days=0)))

    assert with_trial.status == Status.TRIAL and with_trial.trial_end == NOW + 14 * DAY
    assert without.status == Status.LIVE and without.term_start == NOW


def test_settling_the_invoice_that_holds_a_subscription_back_makes_it_live_with_nothing_to_retry():
    for status, action in ((Status.DUNNING, "dunning_paid"), (Status.UNPAID, "unpaid_paid")):
        held = a_subscription(status, unpaid_invoice_id="inv_1", dunning_attempts=2,
                              next_retry_at=datetime(2026, 3, 5, tzinfo=timezone.utc))
        revived, named = scheduling.invoice_settled(held, "inv_1")
        assert (revived.status, named) == (Status.LIVE, action)
        assert (revived.unpaid_invoice_id, revived.next_retry_at, revived.dunning_attempts) == (None, None, 0)


def test_settling_another_invoice_or_a_live_subscriptions_leaves_the_subscription_as_it_is():
    assert scheduling.invoice_settled(a_subscription(Status.DUNNING, unpaid_invoice_id="inv_1"), "inv_2") is None
    assert scheduling.invoice_settled(a_subscription(Status.LIVE, unpaid_invoice_id="inv_1"), "inv_1") is None
