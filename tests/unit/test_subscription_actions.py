"""The portal's subscription actions in the domain: who may do what, what each action changes,
and the quotes a preview shows (with literal dates). Proration arithmetic itself is in
test_proration.py; here it is composed into quotes."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from chalicelib.domain import quotes, scheduling
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.credits import AvailableCredit
from chalicelib.domain.errors import BusinessRuleViolation, FeatureDisabled, InvalidInput, InvalidTransition
from chalicelib.domain.money import Money
from chalicelib.domain.payments import PaymentMethod
from chalicelib.domain.preferences import preferences_from_dict
from chalicelib.domain.subscription import (AppliedCoupon, CouponUse, PlanSnapshot, ScheduledChange, Subscription,
                                            SubscriptionAddon, next_due_at)
from chalicelib.domain.quotes import QuoteChanged
from chalicelib.domain.subscription_actions import Selection
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
TERM_START = date(2026, 1, 1)
TERM_END = date(2026, 2, 1)                          # 31 days
JAN_17 = datetime(2026, 1, 17, 10, 30, tzinfo=UTC)   # 16 days used, 15 left
JAN_17_DAY = date(2026, 1, 17)
JAN_15 = datetime(2026, 1, 15, 0, 0, tzinfo=UTC)     # the trial's end
PRO = PlanSnapshot("pro", "Pro plan", 10_000, trial_days=14)
BUSINESS = PlanSnapshot("biz", "Business plan", 20_000, trial_days=14)
ALL_ON = preferences_from_dict({
    "trial": {"convert_to_live": True, "extend": True, "cancel": True}, "edit_subscription": {"enabled": True},
    "auto_charge": True, "pause_resume": {"enabled": True, "customer_can_resume": True},
    "cancel": {"enabled": True}, "reactivate": True})


def a_subscription(status=Status.LIVE, plan=PRO, **fields) -> Subscription:
    values = dict(subscription_id="sub_1", customer_id="cus_1", status=status, plan=plan, currency="USD",
                  created_at=datetime(2026, 1, 1, tzinfo=UTC), term_start=TERM_START, term_end=TERM_END,
                  billing_anchor=TERM_START, activated_at=datetime(2026, 1, 1, tzinfo=UTC), version=3)
    if status == Status.TRIAL:
        values.update(term_start=None, term_end=None, activated_at=None, trial_start=TERM_START,
                      trial_end=TERM_START + timedelta(days=14))
    values.update(fields)
    return Subscription(**values)


def prefs(**overrides):
    return preferences_from_dict({**ALL_ON.to_dict(), **overrides})


def forever_20() -> AppliedCoupon:
    return AppliedCoupon("welcome20", "Welcome", "forever", percent_off_bp=2000)


def credit(minor, day=1, note="cn_old"):
    return AvailableCredit(note, Money(minor, "USD"), datetime(2025, 12, day, tzinfo=UTC))


def state(sub, preferences=ALL_ON, now=JAN_17) -> dict:
    return {s.action: (s.allowed, s.reason) for s in actions.allowed_actions(sub, preferences, now)}


# --- who may do what ----------------------------------------------------------------------------

def test_with_the_reference_defaults_every_action_is_refused_as_feature_disabled():
    # Given the default preferences (subscriptions module on, every action off)
    for sub in (a_subscription(Status.LIVE), a_subscription(Status.TRIAL), a_subscription(Status.CANCELLED)):
        # Then no action is allowed, and each says the feature is disabled, before any status check
        assert {reason for _, reason in state(sub, preferences_from_dict({})).values()} == {"feature_disabled"}


def test_a_disabled_feature_is_reported_before_a_wrong_status():
    sub = a_subscription(Status.CANCELLED)
    with pytest.raises(FeatureDisabled) as refused:
        actions.require("pause", sub, preferences_from_dict({}), JAN_17)
    assert refused.value.details == {"feature": "pause_resume"}


def test_a_wrong_status_is_an_invalid_transition_with_the_current_status():
    with pytest.raises(InvalidTransition) as refused:
        actions.require("activate", a_subscription(Status.LIVE), ALL_ON, JAN_17)
    assert refused.value.details == {"action": "activate", "current_status": "live"}


def test_cancelling_a_trial_follows_the_trial_permission_not_the_cancel_one():
    only_trial_cancel = prefs(cancel={"enabled": False}, trial={"cancel": True})
    assert state(a_subscription(Status.TRIAL), only_trial_cancel)["cancel_now"] == (True, None)
    assert state(a_subscription(Status.LIVE), only_trial_cancel)["cancel_now"] == (False, "feature_disabled")


def test_the_merchant_can_allow_cancelling_at_term_end_only():
    end_only = prefs(cancel={"enabled": True, "apply_when": ["end_of_term"]})
    with pytest.raises(FeatureDisabled) as refused:
        actions.require("cancel_now", a_subscription(), end_only, JAN_17)
    assert refused.value.details == {"feature": "cancel.immediately"}
    actions.require("cancel_at_term_end", a_subscription(), end_only, JAN_17)


def test_edits_follow_when_they_may_apply():
    later_only = prefs(edit_subscription={"enabled": True, "apply_when": ["end_of_term"]})
    assert state(a_subscription(), later_only)["change_now"] == (False, "feature_disabled")
    assert state(a_subscription(), later_only)["change_at_term_end"] == (True, None)


def test_a_paused_subscription_schedule_needs_the_customer_resume_permission():
    paused = a_subscription(Status.PAUSED, paused_at=JAN_17_DAY, resume_at=TERM_END)
    no_resume = prefs(pause_resume={"enabled": True, "customer_can_resume": False})
    assert state(paused, no_resume)["pause"] == (False, "feature_disabled")
    assert state(paused, no_resume)["remove_pause_schedule"] == (False, "feature_disabled")
    assert state(paused, no_resume)["resume_now"] == (False, "feature_disabled")
    assert state(paused)["resume_now"] == (True, None)


def test_auto_charge_needs_a_payment_method():
    assert state(a_subscription())["set_auto_charge"] == (False, "no_payment_method")
    assert state(a_subscription(payment_method_id="pm_1"))["set_auto_charge"] == (True, None)


def a_card(payment_method_id="pm_2", exp_month=12, exp_year=2030) -> PaymentMethod:
    return PaymentMethod(payment_method_id, "cus_1", "simulated", "pm_card_visa", "visa", "4242", exp_month, exp_year,
                         datetime(2026, 1, 2, tzinfo=UTC))


def test_a_card_can_be_chosen_without_one_where_auto_charge_may_be_turned_on():
    # Given a live subscription without a card, where the merchant lets customers turn auto-charge on
    without_card = a_subscription()

    # Then choosing a card is allowed, and follows the auto-charge permission
    assert state(without_card)["choose_payment_method"] == (True, None)
    assert state(without_card, prefs(auto_charge=False))["choose_payment_method"] == (False, "feature_disabled")
    assert state(a_subscription(Status.CANCELLED))["choose_payment_method"] == (False, "invalid_status")


def test_choosing_a_card_keeps_auto_charge_as_it_is_unless_asked_to_turn_it_on():
    # Given a subscription without a card and without auto-charge
    sub = a_subscription()

    # When the customer chooses a card, once alone and once turning auto-charge on with it
    chosen = actions.payment_method_chosen(sub, a_card(), auto_charge=None, now=JAN_17)
    charged = actions.payment_method_chosen(sub, a_card(), auto_charge=True, now=JAN_17)

    # Then the card is the subscription's either way, and only the second is charged automatically
    assert (chosen.payment_method_id, chosen.auto_charge, chosen.status) == ("pm_2", False, Status.LIVE)
    assert (charged.payment_method_id, charged.charges_automatically) == ("pm_2", True)


def test_in_dunning_the_retries_to_come_charge_the_chosen_card():
    # Given a subscription in dunning whose card was declined, a retry due tomorrow
    retry = JAN_17 + timedelta(days=1)
    dunning = a_subscription(Status.DUNNING, auto_charge=True, payment_method_id="pm_1", next_retry_at=retry,
                             dunning_attempts=1)

    # When the customer chooses another card
    after = actions.payment_method_chosen(dunning, a_card(), auto_charge=None, now=JAN_17)

    # Then the retries go on as scheduled, with the new card
    assert (after.status, after.payment_method_id, after.next_retry_at, after.dunning_attempts) == (
        Status.DUNNING, "pm_2", retry, 1)


def test_a_card_expired_before_this_month_is_refused_and_one_expiring_this_month_is_not():
    # Given a card that expired in December 2025 and one that expires in January 2026 (today: Jan 17)
    expired, expiring = a_card(exp_month=12, exp_year=2025), a_card(exp_month=1, exp_year=2026)

    # Then the expired one is refused as expired, and the other is chosen
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.payment_method_chosen(a_subscription(), expired, auto_charge=True, now=JAN_17)
    assert refused.value.code == "card_expired"
    assert actions.payment_method_chosen(a_subscription(), expiring, auto_charge=None, now=JAN_17).payment_method_id \
        == "pm_2"


def test_only_a_trial_that_expired_on_a_failed_charge_can_be_extended_as_often_as_allowed():
    expired = a_subscription(Status.EXPIRED, expired_at=JAN_17)
    assert state(expired)["extend_trial"] == (False, "trial_not_extendable")
    failed = replace(expired, expired_reason="trial_charge_failed")
    assert state(failed)["extend_trial"] == (True, None)
    assert state(replace(failed, trial_extensions_used=1))["extend_trial"] == (False, "extension_limit_reached")
    assert state(replace(failed, trial_extensions_used=1), prefs(trial={"extend": True, "extensions_allowed": 2}))[
        "extend_trial"] == (True, None)
    assert state(replace(failed, plan=replace(PRO, trial_days=0)))["extend_trial"] == (False, "no_trial_period")


def test_a_change_now_is_refused_once_the_term_has_ended_until_it_renews():
    assert state(a_subscription(), now=datetime(2026, 2, 1, tzinfo=UTC))["change_now"] == (False, "term_ended")


# --- what each action does ----------------------------------------------------------------------

def test_activating_a_trial_starts_the_first_term_now_with_the_change_scheduled_for_the_trial_end():
    trial = a_subscription(Status.TRIAL, coupon=forever_20(),
                           scheduled_change=ScheduledChange(BUSINESS, (), forever_20(), TERM_START))
    bill = actions.activated(trial, JAN_17)
    live = bill.subscription
    assert (live.status, live.plan, live.scheduled_change) == (Status.LIVE, BUSINESS, None)
    assert (live.trial_end, live.term_start, live.term_end, live.billing_anchor, live.activated_at) == (
        JAN_17_DAY, JAN_17_DAY, date(2026, 2, 17), JAN_17_DAY, JAN_17)
    assert next_due_at(live) == datetime(2026, 2, 17, tzinfo=UTC)
    assert bill.charge_total == Money(16_000, "USD")      # Business 200.00 less 20%


def test_while_a_trials_first_charge_is_being_confirmed_the_customer_cannot_bill_or_change_its_first_term():
    # Given a trial that ended on Jan 15: its first term is invoiced, the charge not answered yet
    trial = a_subscription(Status.TRIAL, trial_end=date(2026, 1, 15), auto_charge=True, payment_method_id="pm_1")
    first = scheduling.first_term_after_trial(trial).subscription
    waiting = scheduling.charge_unknown(scheduling.awaiting_charge(first, "inv_1", JAN_15), JAN_15)
    # When Zoë activates it, changes or cancels it meanwhile
    minutes_later = JAN_15 + timedelta(minutes=3)
    refused = {state.action: state.reason for state in actions.allowed_actions(waiting, ALL_ON, minutes_later)
               if not state.allowed}
    # Then each waits for the answer (activating would invoice the same days twice; a change now
    # would move the first term to another plan unbilled)
    trial_actions = ("activate", "change_now", "change_at_term_end", "cancel_now", "cancel_at_term_end")
    assert {action: refused.get(action) for action in trial_actions} == {
        action: "first_charge_pending" for action in trial_actions}
    with pytest.raises(BusinessRuleViolation):
        actions.require("activate", waiting, ALL_ON, minutes_later)
    # And once the charge went through, the first term is live and may be changed
    live = scheduling.trial_converted(waiting)
    assert actions.refusal("change_now", live, ALL_ON, minutes_later) is None


def test_while_a_renewals_charge_is_being_confirmed_the_customer_cannot_change_pause_or_cancel_the_term():
    # Given Pro renewed on Feb 1, its invoice's charge not answered yet
    renewal = scheduling.renewed(a_subscription(auto_charge=True, payment_method_id="pm_1")).subscription
    feb_1 = datetime(2026, 2, 1, tzinfo=UTC)
    waiting = scheduling.charge_unknown(scheduling.awaiting_charge(renewal, "inv_2", feb_1), feb_1)
    # Then a move to a yearly plan (which would ask for the charge again under the new term's key,
    # charging twice if the first went through), a pause or a cancellation waits for the answer
    for action in ("change_now", "pause", "cancel_now", "cancel_at_term_end"):
        assert actions.refusal(action, waiting, ALL_ON, feb_1).reason == "first_charge_pending"
    assert actions.refusal("change_now", scheduling.charge_left(waiting), ALL_ON, feb_1) is None


def test_extending_a_trial_gives_the_plans_trial_period_from_now_and_counts_it():
    expired = a_subscription(Status.EXPIRED, expired_at=JAN_17, expired_reason="trial_charge_failed")
    trial = actions.trial_extended(expired, JAN_17)
    assert (trial.status, trial.trial_start, trial.trial_end) == (Status.TRIAL, JAN_17_DAY, date(2026, 1, 31))
    assert (trial.trial_extensions_used, trial.expired_reason, trial.expired_at) == (1, None, None)
    assert next_due_at(trial) == datetime(2026, 1, 31, tzinfo=UTC)


def test_a_trial_cancelled_at_its_end_is_due_then_and_taking_it_back_makes_it_a_trial_again():
    trial = a_subscription(Status.TRIAL)
    ending = actions.cancel_scheduled(trial, "Too expensive")
    assert (ending.status, ending.cancel_reason, next_due_at(ending)) == (
        Status.NON_RENEWING, "Too expensive", datetime(2026, 1, 15, tzinfo=UTC))
    assert actions.scheduled_cancellation_removed(ending).status == Status.TRIAL
    live_again = actions.scheduled_cancellation_removed(actions.cancel_scheduled(a_subscription(), None))
    assert live_again.status == Status.LIVE


def test_cancelling_now_clears_everything_scheduled():
    scheduled = a_subscription(pause_at=TERM_END - timedelta(days=3),
                               scheduled_change=ScheduledChange(BUSINESS, requested_at=TERM_START))
    cancelled = actions.cancelled_now(scheduled, "Moving", JAN_17).subscription
    assert (cancelled.status, cancelled.cancelled_at, cancelled.cancel_reason) == (Status.CANCELLED, JAN_17, "Moving")
    assert (cancelled.pause_at, cancelled.scheduled_change, next_due_at(cancelled)) == (None, None, None)


def test_turning_auto_charge_off_in_dunning_makes_it_live_and_stops_the_retries():
    dunning = a_subscription(Status.DUNNING, auto_charge=True, payment_method_id="pm_1",
                             next_retry_at=JAN_17 + timedelta(days=1), dunning_attempts=2)
    live = actions.auto_charge_set(dunning, False)
    assert (live.status, live.auto_charge, live.next_retry_at, live.dunning_attempts) == (Status.LIVE, False, None, 0)
    with pytest.raises(InvalidTransition):
        actions.auto_charge_set(a_subscription(Status.CANCELLED), True)


def test_a_pause_today_pauses_at_once_and_is_due_at_the_resume_day():
    bill = actions.pause_scheduled(a_subscription(), ALL_ON, pause_at=None, resume_at=TERM_END, now=JAN_17)
    paused = bill.subscription
    assert (paused.status, paused.paused_at, paused.pause_at, paused.resume_at) == (
        Status.PAUSED, JAN_17_DAY, None, TERM_END)
    assert next_due_at(paused) == datetime(2026, 2, 1, tzinfo=UTC)


def test_a_later_pause_is_scheduled_and_due_when_its_day_begins():
    later = JAN_17_DAY + timedelta(days=5)
    scheduled = actions.pause_scheduled(a_subscription(), ALL_ON, pause_at=later, resume_at=None, now=JAN_17)
    assert (scheduled.status, scheduled.pause_at, next_due_at(scheduled)) == (
        Status.LIVE, later, datetime(2026, 1, 22, tzinfo=UTC))
    assert actions.pause_schedule_removed(scheduled).pause_at is None


def test_pause_dates_are_checked():
    live, paused = a_subscription(), a_subscription(Status.PAUSED, paused_at=JAN_17_DAY)
    day = JAN_17_DAY
    cases = [
        (live, dict(pause_at=day - timedelta(days=1), resume_at=None), "pause_at"),
        (live, dict(pause_at=day + timedelta(days=5), resume_at=day + timedelta(days=2)), "resume_at"),
        (paused, dict(pause_at=day + timedelta(days=1), resume_at=TERM_END), "pause_at"),
        (paused, dict(pause_at=None, resume_at=None), "resume_at"),
        (paused, dict(pause_at=None, resume_at=day), "resume_at"),
    ]
    for sub, dates, field in cases:
        with pytest.raises(InvalidInput) as refused:
            actions.pause_scheduled(sub, ALL_ON, now=JAN_17, **dates)
        assert list(refused.value.fields) == [field]


def test_a_resume_date_needs_the_customer_resume_permission():
    no_resume = prefs(pause_resume={"enabled": True, "customer_can_resume": False})
    with pytest.raises(FeatureDisabled) as refused:
        actions.pause_scheduled(a_subscription(), no_resume, pause_at=None, resume_at=TERM_END, now=JAN_17)
    assert refused.value.details == {"feature": "customer_resume"}


def test_resuming_after_a_credited_pause_starts_a_new_term_today_without_a_used_up_coupon():
    once = AppliedCoupon("first", "First month", "once", amount_off_minor=500)
    paused = a_subscription(Status.PAUSED, paused_at=TERM_START, resume_at=TERM_END, coupon=once,
                            coupon_uses=(CouponUse("first", 1, date(2025, 12, 1)),), term_start=None, term_end=None)
    bill = actions.resumed(paused, JAN_17)
    live = bill.subscription
    assert (live.status, live.term_start, live.term_end, live.billing_anchor) == (
        Status.LIVE, JAN_17_DAY, date(2026, 2, 17), JAN_17_DAY)
    assert (live.paused_at, live.resume_at, live.coupon) == (None, None, None)
    assert bill.charge_total == Money(10_000, "USD")


def test_reactivating_clears_the_end_and_starts_a_term_from_today():
    cancelled = a_subscription(Status.CANCELLED, cancelled_at=JAN_17, cancel_reason="Moving", coupon=forever_20())
    live = actions.reactivated(cancelled, actions.current_selection(cancelled), JAN_17).subscription
    assert (live.status, live.cancelled_at, live.cancel_reason, live.term_start, live.coupon) == (
        Status.LIVE, None, None, JAN_17_DAY, forever_20())


def editing(**choices):
    return prefs(edit_subscription={"enabled": True, **choices}).edit_subscription


def test_edits_are_checked_against_what_the_merchant_lets_customers_change():
    current = Selection(PRO)
    with pytest.raises(FeatureDisabled) as refused:
        actions.check_edit(current, Selection(BUSINESS), editing(change_plan=False))
    assert refused.value.details == {"feature": "edit_subscription.change_plan"}
    with pytest.raises(InvalidInput):
        actions.check_edit(current, Selection(BUSINESS), editing(allowed_plan_codes=["pro"]))
    seats = Selection(PRO, (SubscriptionAddon("seats", "Seat", 1_000, 2),))
    with pytest.raises(FeatureDisabled):
        actions.check_edit(current, seats, editing(change_addons=False))
    with pytest.raises(FeatureDisabled):
        actions.check_edit(current, Selection(PRO, (), forever_20()), editing(change_coupon=False))


# --- quotes -------------------------------------------------------------------------------------

def test_an_upgrade_after_16_of_31_days_credits_the_unused_old_price_and_invoices_the_new_one():
    # Given Pro at 100.00 for January; When moved to Business (200.00) on Jan 17
    quote = quotes.change_quote(a_subscription(), Selection(BUSINESS), "now", [], JAN_17)
    # Then a credit note of 100.00 x 15/31 = 48.39, an invoice of 200.00 x 15/31 = 96.77
    assert [(l.description, l.amount_minor) for l in quote.credit_note_lines] == [
        ("Unused time on Pro plan 100.00 x 15/31 days", 4_839)]
    assert [(l.description, l.amount_minor) for l in quote.invoice_lines] == [
        ("Remaining time on Business plan 200.00 x 15/31 days", 9_677)]
    # And the new credit note is applied to the invoice: 48.38 is left to pay
    assert (quote.net_minor, quote.credits_applied_minor, quote.amount_due_minor) == (4_838, 4_839, 4_838)
    assert (quote.period_start.isoformat(), quote.period_end.isoformat()) == ("2026-01-17", "2026-02-01")
    assert quote.next_term_total_minor == 20_000


def test_a_downgrade_leaves_the_difference_as_available_credit():
    quote = quotes.change_quote(a_subscription(plan=BUSINESS), Selection(PRO), "now", [], JAN_17)
    assert (quote.credit_note_total_minor, quote.invoice_total_minor, quote.net_minor) == (9_677, 4_839, -4_838)
    assert (quote.credits_applied_minor, quote.amount_due_minor) == (4_839, 0)


def test_earlier_credits_are_applied_first_and_never_beyond_what_is_due():
    quote = quotes.change_quote(a_subscription(), Selection(BUSINESS), "now", [credit(1_000), credit(99_999, 2)],
                                 JAN_17)
    assert (quote.credits_applied_minor, quote.amount_due_minor) == (9_677, 0)


def test_adding_seats_with_a_coupon_prorates_each_line():
    # Given Pro with 20% off forever; When 3 seats at 10.00 are added on Jan 17
    sub = a_subscription(coupon=forever_20())
    seats = Selection(PRO, (SubscriptionAddon("seats", "Extra seat", 1_000, 3),), forever_20())
    quote = quotes.change_quote(sub, seats, "now", [], JAN_17)
    # Then the credit is 48.39 - 20% (9.68); the charge is 130.00 x 15/31 = 62.90 less 20% of it (12.58),
    # 50.32: the plan and seat lines are rounded on their own (48.39 + 14.52), the coupon line takes them to it
    assert [l.amount_minor for l in quote.credit_note_lines] == [4_839, -968]
    assert [l.amount_minor for l in quote.invoice_lines] == [4_839, 1_452, -1_259]
    assert quote.amount_due_minor == 5_032 - 3_871
    assert quote.next_term_total_minor == 10_400   # (100.00 + 30.00) less 20%


def test_a_change_at_term_end_charges_nothing_now_and_quotes_the_next_term():
    quote = quotes.change_quote(a_subscription(), Selection(BUSINESS), "end_of_term", [credit(500)], JAN_17)
    assert (quote.invoice_total_minor, quote.credit_note_total_minor, quote.amount_due_minor) == (0, 0, 0)
    assert (quote.effective_on.isoformat(), quote.next_term_total_minor) == ("2026-02-01", 20_000)


def test_a_trial_changes_now_without_proration():
    quote = quotes.change_quote(a_subscription(Status.TRIAL), Selection(BUSINESS), "now", [], JAN_17)
    assert (quote.invoice_total_minor, quote.next_term_total_minor) == (0, 20_000)


ONBOARDING = SubscriptionAddon("setup", "Onboarding", 9_900, recurring=False)


def test_the_next_term_quoted_with_a_setup_fee_added_at_term_end_is_the_renewal_invoice_fee_included():
    # Given Pro at 100.00; When an onboarding session (99.00, one-time) is added for the term's end
    with_setup = Selection(PRO, (ONBOARDING,))
    quote = quotes.change_quote(a_subscription(), with_setup, "end_of_term", [], JAN_17)
    # Then the next term is quoted as the renewal will invoice it: 100.00 + 99.00
    renewal = scheduling.renewed(actions.change_scheduled(a_subscription(), with_setup, JAN_17))
    assert quote.next_term_total_minor == renewal.charge_total.amount_minor == 19_900


def test_a_setup_fee_added_in_a_trial_is_quoted_with_the_first_term_it_is_billed_on():
    quote = quotes.change_quote(a_subscription(Status.TRIAL), Selection(PRO, (ONBOARDING,)), "now", [], JAN_17)
    assert (quote.invoice_total_minor, quote.next_term_total_minor) == (0, 19_900)


def test_the_next_term_quoted_in_dinars_is_rounded_to_the_fils_the_invoice_is_rounded_to():
    # Given a plan of 10.005 KWD a month (KWD is charged in steps of 0.010)
    dinars = a_subscription(plan=replace(PRO, price_minor=10_005), currency="KWD")
    # Then its next term is quoted 10.010, as its invoice will be (Rounding +0.005)
    quote = quotes.change_quote(dinars, Selection(dinars.plan), "end_of_term", [], JAN_17)
    assert quote.next_term_total_minor == scheduling.renewed(dinars).charge_total.amount_minor == 10_010


def test_a_subscription_that_starts_with_a_trial_is_next_billed_when_the_trial_ends():
    future = a_subscription(Status.FUTURE, term_start=None, term_end=None, billing_anchor=None, activated_at=None,
                            starts_at=date(2026, 3, 1))
    assert (future.next_billing_on, quotes.next_term_amount(future).amount_minor) == (date(2026, 3, 15), 10_000)


def test_a_pause_that_keeps_the_paid_days_is_next_billed_when_they_have_run_out_after_the_resume():
    # Given Pro paid for January, paused on Jan 17 keeping its 15 unused days, to resume on Mar 1
    paused = a_subscription(Status.PAUSED, paused_at=JAN_17_DAY, resume_at=date(2026, 3, 1))
    # Then the next invoice is raised when the 15 kept days have run, on Mar 16, not on resuming
    assert paused.next_billing_on == date(2026, 3, 16)


def test_a_yearly_term_starts_now_and_its_invoice_takes_the_available_credits():
    yearly = PlanSnapshot("yearly", "Pro yearly", 120_000, "year")
    cancelled = a_subscription(Status.CANCELLED, plan=yearly, cancelled_at=datetime(2026, 1, 1, tzinfo=UTC),
                               term_start=date(2025, 1, 1), term_end=date(2026, 1, 1))   # its last year has ended
    quote = quotes.new_term_quote("reactivate", actions.reactivated(cancelled, Selection(yearly), JAN_17),
                                   [credit(2_500)], JAN_17)
    assert (quote.period_start.isoformat(), quote.period_end.isoformat()) == ("2026-01-17", "2027-01-17")
    assert (quote.invoice_total_minor, quote.credits_applied_minor, quote.amount_due_minor) == (120_000, 2_500,
                                                                                                  117_500)


def test_a_once_coupon_used_on_the_last_term_is_not_applied_again_but_a_trials_is():
    once = AppliedCoupon("first", "First month", "once", amount_off_minor=1_000)
    cancelled = a_subscription(Status.CANCELLED, coupon=once, cancelled_at=JAN_17,
                               coupon_uses=(CouponUse("first", 1, TERM_START),))   # it discounted January
    again = quotes.new_term_quote("reactivate", actions.reactivated(cancelled, actions.current_selection(cancelled),
                                                                     JAN_17), [], JAN_17)
    assert again.invoice_total_minor == 10_000
    trial = a_subscription(Status.TRIAL, coupon=once)
    first = quotes.new_term_quote("activate", actions.activated(trial, JAN_17), [], JAN_17)
    assert (first.invoice_total_minor, first.next_term_total_minor) == (9_000, 10_000)


def test_cancelling_now_during_a_paid_term_says_nothing_is_refunded():
    quote = quotes.cancellation_quote(a_subscription(), "now", JAN_17)
    assert (quote.refund_minor, quote.effective_on.isoformat()) == (0, "2026-01-17")
    assert "No refund is given for the unused 15 day(s)" in quote.notes[0].english()
    later = quotes.cancellation_quote(a_subscription(), "end_of_term", JAN_17)
    assert later.effective_on.isoformat() == "2026-02-01"


def test_a_quote_id_is_a_stable_digest_of_what_it_promises():
    sub = a_subscription()
    first = quotes.change_quote(sub, Selection(BUSINESS), "now", [credit(100)], JAN_17)
    # the same day, the same amounts: the same id
    assert quotes.change_quote(sub, Selection(BUSINESS), "now", [credit(100)], JAN_17 + timedelta(hours=3)) == first
    # a day later, or other credits, or another choice: another id
    others = [quotes.change_quote(sub, Selection(BUSINESS), "now", [credit(100)], JAN_17 + timedelta(days=1)),
              quotes.change_quote(sub, Selection(BUSINESS), "now", [credit(200)], JAN_17),
              quotes.change_quote(sub, Selection(BUSINESS, (), forever_20()), "now", [credit(100)], JAN_17)]
    assert len({first.quote_id, *(q.quote_id for q in others)}) == 4
    assert first.quote_id.startswith("quote_")


def test_a_confirmation_must_name_the_quote_that_still_holds():
    quote = quotes.change_quote(a_subscription(), Selection(BUSINESS), "now", [], JAN_17)
    quote.honour(quote.quote_id)
    quote.honour(None)
    with pytest.raises(QuoteChanged) as refused:
        quote.honour("quote_stale")
    assert refused.value.details == {"quote_id": quote.quote_id}


def test_a_live_subscription_without_a_term_cannot_be_prorated():
    with pytest.raises(BusinessRuleViolation):
        quotes.change_quote(a_subscription(term_start=None, term_end=None), Selection(BUSINESS), "now", [], JAN_17)


def test_a_term_invoiced_but_not_yet_charged_stays_due_whatever_else_is_saved():
    sub = Subscription("sub_1", "cus_1", Status.LIVE, PlanSnapshot("pro", "Pro", 100), "USD", JAN_17,
                       term_end=(JAN_17 + timedelta(days=30)).date(), unpaid_invoice_id="inv_1",
                       next_retry_at=JAN_17 + timedelta(minutes=1))
    assert next_due_at(sub) == JAN_17 + timedelta(minutes=1)
