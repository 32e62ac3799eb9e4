"""The billing rules a lifecycle change follows, case by case, in figures (pure domain).

Each case names the rule it shows (docs/billing.md states them for merchants)."""
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from chalicelib.domain import billing, quotes, scheduling
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.money import Money
from chalicelib.domain.preferences import preferences_from_dict
from chalicelib.domain.subscription import (AppliedCoupon, PlanSnapshot, Subscription, SubscriptionAddon)
from chalicelib.domain.subscription_actions import Selection
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
PRO = PlanSnapshot("pro", "Pro", 2_900)                                       # 29.00 a month
BUSINESS_YEARLY = PlanSnapshot("biz_y", "Business yearly", 29_000, "year")    # 290.00 a year
PRO_YEARLY = PlanSnapshot("pro_y", "Pro yearly", 29_000, "year")
ONBOARDING = SubscriptionAddon("onboarding", "Onboarding", 9_900, 1, recurring=False)
SEATS = SubscriptionAddon("seats", "Extra seat", 500, 2)
PAUSES = {"pause_resume": {"enabled": True, "customer_can_resume": True}}


def at(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def live(plan=PRO, start=date(2026, 11, 10), end=date(2026, 12, 10), **fields) -> Subscription:
    """A live subscription in its (paid) term [start, end), anchored on its start."""
    values = dict(subscription_id="sub_1", customer_id="cus_1", status=Status.LIVE, plan=plan, currency="USD",
                  created_at=at(2026, 1, 1), term_start=start, term_end=end, billing_anchor=start,
                  activated_at=at(2026, 1, 1))
    values.update(fields)
    return Subscription(**values)


def amounts(lines) -> list[int]:
    return [line.amount.amount_minor for line in lines]


def usd(minor: int) -> Money:
    return Money(minor, "USD")


# --- interval changes ------------------------------------------------------------------------

def test_monthly_to_yearly_now_credits_the_unused_month_and_invoices_a_full_year_from_today():
    # Given Pro monthly (29.00) for Nov 10 - Dec 10 (30 days); When moved to Business yearly on Nov 22
    bill = actions.changed_now(live(), Selection(BUSINESS_YEARLY), at(2026, 11, 22))

    # Then the 18 unused days of the month are credited: 29.00 x 18/30 = 17.40
    assert [(line.description, line.amount) for line in bill.credit_lines] == [
        ("Unused time on Pro 29.00 x 18/30 days", usd(1_740))]
    # And the invoice is Business's full first year, from today, with a new anchor
    assert [(line.description, line.amount) for line in bill.charge_lines] == [
        ("Business yearly (1 x 290.00) 2026-11-22 to 2027-11-22", usd(29_000))]
    after = bill.subscription
    assert (after.term_start, after.term_end, after.billing_anchor) == (
        date(2026, 11, 22), date(2027, 11, 22), date(2026, 11, 22))
    # And nothing more is billed at the old term's end: the next invoice is a year on
    assert after.next_billing_on == date(2027, 11, 22)
    assert scheduling.work_due(after, at(2026, 12, 10)) is None


def test_yearly_to_monthly_now_credits_the_unused_year_and_invoices_one_month_from_today():
    # Given Pro yearly (290.00) for 2026-01-01 - 2027-01-01 (365 days); When moved to Pro monthly on Dec 6
    sub = live(PRO_YEARLY, date(2026, 1, 1), date(2027, 1, 1))
    bill = actions.changed_now(sub, Selection(PRO), at(2026, 12, 6))

    # Then 26 of 365 days are credited: 290.00 x 26/365 = 20.657.. -> 20.66; one month is invoiced
    assert amounts(bill.credit_lines) == [2_066]
    assert [(line.description, line.amount) for line in bill.charge_lines] == [
        ("Pro (1 x 29.00) 2026-12-06 to 2027-01-06", usd(2_900))]
    assert bill.subscription.next_billing_on == date(2027, 1, 6)
    # And the month after renews a month later, on the new anchor
    renewed = scheduling.renewed(bill.subscription).subscription
    assert (renewed.term_start, renewed.term_end) == (date(2027, 1, 6), date(2027, 2, 6))


def test_a_change_within_the_same_billing_period_still_prorates_by_day_over_the_current_term():
    bill = actions.changed_now(live(), Selection(replace(PRO, code="pro_plus", name="Pro plus", price_minor=5_900)),
                               at(2026, 11, 22))
    assert amounts(bill.credit_lines) == [1_740]        # 29.00 x 18/30
    assert amounts(bill.charge_lines) == [3_540]        # 59.00 x 18/30
    assert (bill.subscription.term_start, bill.subscription.term_end) == (date(2026, 11, 10), date(2026, 12, 10))


def test_the_preview_of_an_interval_change_is_what_it_bills_and_says_the_term_ends_today():
    sub, now = live(), at(2026, 11, 22)
    quote = quotes.change_quote(sub, Selection(BUSINESS_YEARLY), "now", [], now)
    bill = actions.changed_now(sub, Selection(BUSINESS_YEARLY), now)
    assert (quote.invoice_total_minor, quote.credit_note_total_minor) == (29_000, 1_740)
    assert (quote.credits_applied_minor, quote.amount_due_minor) == (1_740, 27_260)
    assert (quote.period_start, quote.period_end, quote.next_billing_on) == (
        date(2026, 11, 22), date(2027, 11, 22), date(2027, 11, 22))
    assert quote.invoice_total_minor == bill.charge_total.amount_minor
    assert "The current term ends today" in quote.notes[0].english()


# --- one-time addons -------------------------------------------------------------------------

def test_a_one_time_addon_added_mid_term_is_billed_once_in_full_and_nothing_is_prorated():
    bill = actions.changed_now(live(), Selection(PRO, (ONBOARDING,)), at(2026, 11, 22))
    assert [(line.description, line.amount) for line in bill.charge_lines] == [
        ("Onboarding (one-time, 1 x 99.00)", usd(9_900))]
    assert bill.credit_lines == ()
    assert actions.current_selection(bill.subscription).addons == ()     # billed: no longer part of it


def test_a_one_time_addon_is_neither_credited_nor_charged_again_by_a_later_plan_change_or_renewal():
    # Given a term invoiced with recurring seats and a one-time onboarding (the renewal bills it once)
    first = scheduling.renewed(live(addons=(SEATS, ONBOARDING), start=date(2026, 10, 10), end=date(2026, 11, 10)))
    assert amounts(first.charge_lines) == [2_900, 1_000, 9_900]
    sub = first.subscription
    # When the plan changes mid-term; Then only the recurring items are credited and charged by day
    change = actions.changed_now(sub, Selection(replace(PRO, code="pro_plus", price_minor=5_900), sub.addons),
                                 at(2026, 11, 22))
    assert [line.code for line in change.credit_lines] == ["pro", "seats"]
    # And the next renewal bills the recurring items alone
    assert amounts(scheduling.renewed(change.subscription).charge_lines) == [5_900, 1_000]


def test_a_one_time_addon_chosen_in_a_trial_is_billed_on_the_first_invoice():
    trial = live(status=Status.TRIAL, term_start=None, term_end=None, billing_anchor=None,
                 trial_start=date(2026, 11, 1), trial_end=date(2026, 11, 15))
    changed = actions.changed_now(trial, Selection(PRO, (ONBOARDING,)), at(2026, 11, 5))
    assert changed.charge_lines == ()               # nothing is billed in a trial
    first = scheduling.first_term_after_trial(changed.subscription)
    assert amounts(first.charge_lines) == [2_900, 9_900]


# --- coupons ---------------------------------------------------------------------------------

def test_a_once_coupon_discounts_one_term_and_cannot_be_removed_and_applied_again_to_restart_it():
    once = AppliedCoupon("TENOFF", "Ten off", "once", amount_off_minor=1_000)
    # Given the coupon applied mid-term (it discounts the rest of this term: its one cycle)
    sub = actions.changed_now(live(), Selection(PRO, (), once), at(2026, 11, 22)).subscription
    # When it is removed, the term renews, and it is applied again
    removed = actions.changed_now(sub, Selection(PRO), at(2026, 11, 25)).subscription
    renewed = scheduling.renewed(removed).subscription
    with pytest.raises(InvalidInput) as refused:
        actions.check_coupon_cycles(renewed, Selection(PRO, (), once))
    # Then it is refused: its cycles count per subscription
    assert refused.value.fields == {"coupon": "Coupon TENOFF was already used up on this subscription."}


def test_a_repeating_coupon_applied_again_continues_where_it_was():
    three = AppliedCoupon("SPRING", "Spring", "repeating", percent_off_bp=1_000, cycles=3)
    # two terms discounted: Sep and Oct
    sub = scheduling.renewed(live(coupon=three, start=date(2026, 8, 10), end=date(2026, 9, 10))).subscription
    sub = scheduling.renewed(sub).subscription
    # removed for a term, then applied again: one term left, not three
    sub = scheduling.renewed(replace(sub, coupon=None)).subscription
    actions.check_coupon_cycles(sub, Selection(PRO, (), three))
    back = replace(sub, coupon=three)
    totals = []
    for _ in range(3):
        bill = scheduling.renewed(back)
        totals.append(bill.charge_total.amount_minor)
        back = bill.subscription
    assert totals == [2_610, 2_900, 2_900]


def test_a_once_coupon_discounts_this_term_but_not_the_price_per_term_and_a_forever_coupon_both():
    once = AppliedCoupon("FIRSTFREE", "First month free", "once", percent_off_bp=10_000)
    forever = AppliedCoupon("LOYAL", "Loyal", "forever", percent_off_bp=1_000)
    # Given Pro (29.00) with 100% off its first term, Pro with 10% off every term, and Pro without
    first_free, loyal, plain = live(coupon=once), live(coupon=forever), live()

    # Then the first costs nothing this term, yet its price per term is still 29.00
    assert billing.amount_and_price_per_term(first_free, first_free.term_start) == (usd(0), usd(2_900))
    # And the second's price per term is its discounted amount, the third's its plan's
    assert billing.amount_and_price_per_term(loyal, loyal.term_start) == (usd(2_610), usd(2_610))
    assert billing.amount_and_price_per_term(plain, plain.term_start) == (usd(2_900), usd(2_900))
    # And the amount is the one the rest of the engine reckons for the term
    for sub in (first_free, loyal, plain):
        assert billing.amount_and_price_per_term(sub, sub.term_start)[0] == billing.amount_per_term(sub, sub.term_start)


def test_a_coupon_kept_through_a_mid_term_change_uses_no_second_cycle_for_that_term():
    once = AppliedCoupon("TENOFF", "Ten off", "once", amount_off_minor=1_000)
    first = scheduling.renewed(live(coupon=once, start=date(2026, 10, 10), end=date(2026, 11, 10)))
    assert amounts(first.charge_lines) == [2_900, -1_000]
    change = actions.changed_now(first.subscription, Selection(replace(PRO, code="pro_plus", price_minor=5_900),
                                                               (), once), at(2026, 11, 25))
    # the credit and the charge both carry this term's discount, prorated
    assert amounts(change.credit_lines) == [1_450, -500] and amounts(change.charge_lines) == [2_950, -500]
    assert scheduling.renewed(change.subscription).charge_total == usd(5_900)


# --- pause and resume ------------------------------------------------------------------------

def test_a_pause_on_the_first_day_of_a_paid_month_credits_it_all_and_the_resume_starts_a_new_month():
    # Given Pro paid for Dec 6 - Jan 6; When paused on Dec 6 (credit, the default)
    sub = live(start=date(2026, 12, 6), end=date(2027, 1, 6))
    prefs = preferences_from_dict(PAUSES)
    paused = actions.pause_scheduled(sub, prefs, pause_at=None, resume_at=None, now=at(2026, 12, 6))
    # Then the 31 paid days are credited in full: 29.00 x 31/31
    assert [(line.description, line.amount) for line in paused.credit_lines] == [
        ("Unused time on Pro 29.00 x 31/31 days", usd(2_900))]
    # And on resuming on Dec 28 a new month starts, invoiced (the credit pays for it)
    resumed = actions.resumed(paused.subscription, at(2026, 12, 28))
    assert [(line.description, line.amount) for line in resumed.charge_lines] == [
        ("Pro (1 x 29.00) 2026-12-28 to 2027-01-28", usd(2_900))]


def test_a_pause_that_keeps_the_paid_time_continues_it_after_the_resume_before_the_next_invoice():
    # Given Pro paid for Dec 6 - Jan 6 and the merchant keeping paid time; When paused on Dec 16
    sub = live(start=date(2026, 12, 6), end=date(2027, 1, 6))
    prefs = preferences_from_dict({"pause_resume": {**PAUSES["pause_resume"], "unused_time": "keep"}})
    paused = actions.pause_scheduled(sub, prefs, pause_at=None, resume_at=None, now=at(2026, 12, 16))
    assert paused.credit_lines == ()
    # When resumed on Dec 28: the 21 kept days run Dec 28 - Jan 18, nothing is invoiced now
    resumed = actions.resumed(paused.subscription, at(2026, 12, 28))
    assert (resumed.charge_lines, resumed.credit_lines) == ((), ())
    assert (resumed.subscription.term_end, resumed.subscription.next_billing_on) == (
        date(2027, 1, 18), date(2027, 1, 18))
    # Then the next invoice is a full month from Jan 18
    renewal = scheduling.renewed(resumed.subscription)
    assert (renewal.period.start, renewal.period.end) == (date(2027, 1, 18), date(2027, 2, 18))


def test_the_pause_preview_says_whether_the_paid_time_is_credited_or_kept():
    sub = live(start=date(2026, 12, 6), end=date(2027, 1, 6))
    credit = quotes.pause_quote(sub, preferences_from_dict(PAUSES), pause_at=None, resume_at=None,
                                now=at(2026, 12, 16))
    keep = quotes.pause_quote(sub, preferences_from_dict({"pause_resume": {"enabled": True, "unused_time": "keep"}}),
                              pause_at=None, resume_at=None, now=at(2026, 12, 16))
    assert credit.credit_note_total_minor == 1_965        # 29.00 x 21/31 = 19.645.. -> 19.65
    assert keep.credit_note_total_minor == 0
    assert "21 paid, unused days of the term are kept" in keep.notes[0].english()


# --- days of the organization's time zone ----------------------------------------------------

def test_a_change_at_half_past_nine_on_november_26_in_auckland_is_prorated_from_november_26():
    # Given a term Nov 10 - Dec 10 in Auckland; When changed at 09:30 Nov 26 there (20:30 Nov 25 UTC)
    sub = live(time_zone="Pacific/Auckland")
    bill = actions.changed_now(sub, Selection(replace(PRO, code="pro_plus", price_minor=5_900)),
                               datetime(2026, 11, 25, 20, 30, tzinfo=UTC))
    # Then 14 days remain (Nov 26 - Dec 9), not 15
    assert bill.credit_lines[0].description == "Unused time on Pro 29.00 x 14/30 days"


# --- found by review: each case once billed a day twice or credited what was not paid --------

def test_paying_an_unpaid_subscriptions_invoice_before_its_term_ends_goes_on_with_that_term():
    # Given Nov 25 - Dec 25 invoiced, unpaid after its retries; When the customer pays it on Dec 5
    held = live(start=date(2026, 11, 25), end=date(2026, 12, 25), status=Status.UNPAID, unpaid_invoice_id="inv_1")
    revived, action = scheduling.invoice_settled(held, "inv_1", at(2026, 12, 5))
    # Then it is live in the term it paid for, and nothing is invoiced until Dec 25
    assert (revived.status, revived.term_start, revived.term_end, revived.term_unbilled) == (
        Status.LIVE, date(2026, 11, 25), date(2026, 12, 25), False)
    assert scheduling.work_due(revived, at(2026, 12, 5)) is None and revived.next_billing_on == date(2026, 12, 25)


def test_paid_days_kept_over_a_pause_are_served_on_the_plan_paid_for_and_a_scheduled_change_waits_for_their_end():
    # Given Pro paid for Dec 6 - Jan 6, a change to Pro plus scheduled for the term's end, paused on Dec 16 (keep)
    plus = replace(PRO, code="pro_plus", name="Pro plus", price_minor=5_900)
    sub = actions.change_scheduled(live(start=date(2026, 12, 6), end=date(2027, 1, 6)), Selection(plus),
                                   at(2026, 12, 1))
    prefs = preferences_from_dict({"pause_resume": {"enabled": True, "customer_can_resume": True,
                                                    "unused_time": "keep"}})
    paused = actions.pause_scheduled(sub, prefs, pause_at=None, resume_at=None, now=at(2026, 12, 16)).subscription
    # When resumed on Dec 28, then changed to Business on Dec 29
    resumed = actions.resumed(paused, at(2026, 12, 28)).subscription
    change = actions.changed_now(resumed, Selection(replace(PRO, code="biz", name="Business", price_minor=9_900)),
                                 at(2026, 12, 29))
    # Then the kept days ran on Pro, and the credit is Pro's price for the 20 days left (not Pro plus's)
    assert (resumed.plan, resumed.scheduled_change.plan) == (PRO, plus)
    assert [(line.description, line.amount) for line in change.credit_lines] == [
        ("Unused time on Pro 29.00 x 20/31 days", usd(1_871))]


def test_a_trial_whose_first_charge_fails_gives_back_its_coupon_cycle_and_one_time_addons():
    once = AppliedCoupon("TENOFF", "Ten off", "once", amount_off_minor=1_000)
    trial = live(status=Status.TRIAL, term_start=None, term_end=None, billing_anchor=None, coupon=once,
                 addons=(ONBOARDING,), trial_start=date(2026, 11, 1), trial_end=date(2026, 11, 15))
    first = scheduling.first_term_after_trial(trial)
    assert amounts(first.charge_lines) == [2_900, -1_000, 9_900]
    # When its charge fails: expired, the invoice taken back
    expired = scheduling.trial_charge_failed(scheduling.awaiting_charge(first.subscription, "inv_1", at(2026, 11, 15)),
                                             at(2026, 11, 15))
    # Then once extended and converted, the first invoice is the same again
    extended = actions.trial_extended(expired, at(2026, 11, 16))
    again = scheduling.first_term_after_trial(extended)
    assert amounts(again.charge_lines) == [2_900, -1_000, 9_900]


def test_reactivating_a_subscription_cancelled_in_a_term_it_did_not_pay_goes_on_with_that_term():
    # Given a renewal left unpaid (in dunning), cancelled on Nov 12
    held = live(status=Status.DUNNING, unpaid_invoice_id="inv_1", next_retry_at=at(2026, 11, 13))
    cancelled = actions.cancelled_now(held, None, at(2026, 11, 12)).subscription
    # When reactivated the same day
    bill = actions.reactivated(cancelled, actions.current_selection(cancelled), at(2026, 11, 12))
    # Then nothing new is billed or credited: the open invoice of the term is what is due, and is charged next
    assert (bill.charge_lines, bill.credit_lines) == ((), ())
    after = bill.subscription
    assert (after.status, after.unpaid_invoice_id, after.term_end) == (Status.LIVE, "inv_1", date(2026, 12, 10))
    assert scheduling.work_due(after, at(2026, 11, 12)) == scheduling.Work.CHARGE


def test_a_pause_can_be_scheduled_only_up_to_the_end_of_the_current_term():
    with pytest.raises(InvalidInput) as refused:
        actions.pause_scheduled(live(), preferences_from_dict(PAUSES), pause_at=date(2026, 12, 20), resume_at=None,
                                now=at(2026, 11, 20))
    assert refused.value.fields == {"pause_at": "Choose a day up to the end of the current term (2026-12-10)."}


def test_cancelling_a_subscription_paused_with_kept_days_credits_them():
    sub = live(start=date(2026, 12, 6), end=date(2027, 1, 6))
    prefs = preferences_from_dict({"pause_resume": {"enabled": True, "unused_time": "keep"}})
    paused = actions.pause_scheduled(sub, prefs, pause_at=None, resume_at=None, now=at(2026, 12, 16)).subscription
    cancelled = actions.cancelled_now(paused, "Moving", at(2026, 12, 20))
    assert [(line.description, line.amount) for line in cancelled.credit_lines] == [
        ("Unused time on Pro 29.00 x 21/31 days", usd(1_965))]
    assert cancelled.subscription.term is None


def test_a_coupon_removed_and_applied_again_within_the_term_it_was_counted_for_still_discounts_it():
    once = AppliedCoupon("TENOFF", "Ten off", "once", amount_off_minor=1_000)
    first = scheduling.renewed(live(coupon=once, start=date(2026, 10, 10), end=date(2026, 11, 10)))
    removed = actions.changed_now(first.subscription, Selection(PRO), at(2026, 11, 15)).subscription
    actions.check_coupon_cycles(removed, Selection(PRO, (), once), within_term=True)      # allowed
    with pytest.raises(InvalidInput):
        actions.check_coupon_cycles(removed, Selection(PRO, (), once))                   # for a next term: used up


def test_a_change_now_says_it_replaces_the_change_scheduled_for_the_term_end():
    scheduled = actions.change_scheduled(live(), Selection(BUSINESS_YEARLY), at(2026, 11, 15))
    quote = quotes.change_quote(scheduled, Selection(PRO, (SEATS,)), "now", [], at(2026, 11, 20))
    assert "This replaces the change to Business yearly scheduled for 2026-12-10." in [n.english() for n in quote.notes]


def test_a_prorated_coupon_is_rounded_once_on_its_exact_share():
    # 12.5% of 29.00 for 5 of 30 days = 0.604.. -> 0.60 (rounding the discount first gave 3.63 x 5/30 = 0.61)
    coupon = AppliedCoupon("EIGHTH", "Eighth", "forever", percent_off_bp=1_250)
    bill = actions.changed_now(live(coupon=coupon, coupon_uses=()), Selection(replace(PRO, code="x", price_minor=5_900),
                                                                              (), coupon), at(2026, 12, 5))
    assert amounts(bill.credit_lines) == [483, -60]
