"""Subscriptions stored before terms had anchors and coupons counted their cycles per subscription
read as they were meant: a repeating coupon keeps the cycles it had left, a term renews on its
anchor's day, a one-time addon billed with the running term is not billed again."""
from datetime import date, datetime, timezone

from chalicelib.domain import scheduling
from chalicelib.tables.base import owner_key

UTC = timezone.utc


def a_stored_subscription(**attributes):
    """An item as the code before billing days wrote it (instants for days, `cycles_remaining`)."""
    from chalicelib.tables.subscriptions import SubscriptionItem
    item = SubscriptionItem(owner_key("org_1", "cus_1"), "sub_1", org_id="org_1", customer_id="cus_1",
                            status="live", status_key="live#sub_1", currency="USD",
                            plan={"code": "pro", "name": "Pro", "price_minor": 2_900, "interval": "month",
                                  "interval_count": 1, "trial_days": 0},
                            created_at=datetime(2026, 1, 31, tzinfo=UTC), **attributes)
    item.save()
    from chalicelib.bootstrap import adapters
    return adapters().uow.subscriptions.get("org_1", "cus_1", "sub_1")


def test_a_repeating_coupon_stored_with_cycles_remaining_keeps_those_cycles(aws):
    # Given SPRING 10% off stored with 2 cycles left, this term's included
    sub = a_stored_subscription(
        term_start=date(2026, 3, 31), term_end=date(2026, 4, 30),
        coupon={"code": "SPRING", "name": "Spring", "duration": "repeating", "percent_off_bp": 1000,
                "cycles_remaining": 2})

    # When it renews three times
    totals = []
    for _ in range(3):
        bill = scheduling.renewed(sub)
        totals.append(bill.charge_total.amount_minor)
        sub = bill.subscription

    # Then one more term is discounted, then none
    assert totals == [2_610, 2_900, 2_900]


def test_a_term_stored_without_an_anchor_renews_on_its_start_day_when_it_is_one_period_long(aws):
    sub = a_stored_subscription(term_start=date(2026, 1, 31), term_end=date(2026, 2, 28))
    renewals = []
    for _ in range(2):
        sub = scheduling.renewed(sub).subscription
        renewals.append(sub.term_end)
    assert renewals == [date(2026, 3, 31), date(2026, 4, 30)]


def test_a_one_time_addon_stored_on_a_running_term_is_not_billed_again(aws):
    sub = a_stored_subscription(term_start=date(2026, 3, 31), term_end=date(2026, 4, 30),
                                addons=[{"code": "setup", "name": "Onboarding", "price_minor": 9_900, "quantity": 1,
                                         "recurring": False}])
    assert scheduling.renewed(sub).charge_total.amount_minor == 2_900


def test_a_day_stored_as_an_instant_reads_as_its_utc_day():
    from chalicelib.tables.dates import DateAttribute
    assert DateAttribute().deserialize("2026-03-31T00:00:00.000000+0000") == date(2026, 3, 31)
    assert DateAttribute().deserialize("2026-03-31") == date(2026, 3, 31)
