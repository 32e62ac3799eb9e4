"""Every portal action against every status, with every feature on: allowed exactly where the
table below says, refused elsewhere as invalid_status with the current status, and, where
allowed, the action leads to the status the transition table gives."""
from datetime import date, datetime, timedelta, timezone

import pytest

from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.billing import Bill
from chalicelib.domain.errors import InvalidTransition
from chalicelib.domain.payments import PaymentMethod
from chalicelib.domain.preferences import preferences_from_dict
from chalicelib.domain.subscription import PlanSnapshot, Subscription
from chalicelib.domain.subscription_actions import PORTAL_ACTIONS, Selection
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
NOW = datetime(2026, 1, 17, 10, 30, tzinfo=UTC)
PRO = PlanSnapshot("pro", "Pro plan", 10_000, trial_days=14)
BUSINESS = PlanSnapshot("biz", "Business plan", 20_000, trial_days=14)
ALL_ON = preferences_from_dict({
    "trial": {"convert_to_live": True, "extend": True, "cancel": True}, "edit_subscription": {"enabled": True},
    "auto_charge": True, "pause_resume": {"enabled": True, "customer_can_resume": True},
    "cancel": {"enabled": True}, "reactivate": True})
S = Status
A_CARD = PaymentMethod("pm_2", "cus_1", "simulated", "pm_card_mastercard", "mastercard", "4444", 12, 2030,
                       datetime(2026, 1, 2, tzinfo=UTC))

ALLOWED = {
    "activate": {S.TRIAL},
    "extend_trial": {S.EXPIRED},
    "change_now": {S.FUTURE, S.TRIAL, S.LIVE},
    "change_at_term_end": {S.TRIAL, S.LIVE},
    "set_auto_charge": {S.FUTURE, S.TRIAL, S.LIVE, S.NON_RENEWING, S.DUNNING, S.UNPAID, S.PAUSED},
    "choose_payment_method": {S.FUTURE, S.TRIAL, S.LIVE, S.NON_RENEWING, S.DUNNING, S.UNPAID, S.PAUSED},
    "pause": {S.LIVE, S.PAUSED},
    "remove_pause_schedule": {S.LIVE, S.PAUSED},
    "resume_now": {S.PAUSED},
    "cancel_now": {S.FUTURE, S.TRIAL, S.LIVE, S.NON_RENEWING, S.DUNNING, S.UNPAID, S.PAUSED},
    "cancel_at_term_end": {S.TRIAL, S.LIVE},
    "remove_scheduled_cancellation": {S.NON_RENEWING},
    "reactivate": {S.CANCELLED, S.EXPIRED},
}

# What each action does, given a subscription it accepts.
PERFORM = {
    "activate": lambda sub: actions.activated(sub, NOW),
    "extend_trial": lambda sub: actions.trial_extended(sub, NOW),
    "change_now": lambda sub: actions.changed_now(sub, Selection(BUSINESS), NOW),
    "change_at_term_end": lambda sub: actions.change_scheduled(sub, Selection(BUSINESS), NOW),
    "set_auto_charge": lambda sub: actions.auto_charge_set(sub, False),
    "choose_payment_method": lambda sub: actions.payment_method_chosen(sub, A_CARD, auto_charge=None, now=NOW),
    "pause": lambda sub: actions.pause_scheduled(sub, ALL_ON, pause_at=None, resume_at=date(2026, 2, 26), now=NOW),
    "remove_pause_schedule": actions.pause_schedule_removed,
    "resume_now": lambda sub: actions.resumed(sub, NOW),
    "cancel_now": lambda sub: actions.cancelled_now(sub, None, NOW),
    "cancel_at_term_end": lambda sub: actions.cancel_scheduled(sub, None),
    "remove_scheduled_cancellation": actions.scheduled_cancellation_removed,
    "reactivate": lambda sub: actions.reactivated(sub, Selection(PRO), NOW),
}

LEADS_TO = {
    "activate": {S.TRIAL: S.LIVE}, "extend_trial": {S.EXPIRED: S.TRIAL},
    "set_auto_charge": {S.DUNNING: S.LIVE}, "pause": {S.LIVE: S.PAUSED}, "resume_now": {S.PAUSED: S.LIVE},
    "cancel_now": {s: S.CANCELLED for s in ALLOWED["cancel_now"]},
    "cancel_at_term_end": {S.TRIAL: S.NON_RENEWING, S.LIVE: S.NON_RENEWING},
    "remove_scheduled_cancellation": {S.NON_RENEWING: S.LIVE},
    "reactivate": {S.CANCELLED: S.LIVE, S.EXPIRED: S.LIVE},
}


def a_subscription_in(status: Status) -> Subscription:
    """A subscription in `status` that no rule other than its status would refuse."""
    start = date(2026, 1, 1)
    return Subscription(
        subscription_id="sub_1", customer_id="cus_1", status=status, plan=PRO, currency="USD",
        created_at=datetime(2026, 1, 1, tzinfo=UTC), auto_charge=True, payment_method_id="pm_1", term_start=start,
        term_end=date(2026, 2, 1), billing_anchor=start, activated_at=datetime(2026, 1, 1, tzinfo=UTC),
        starts_at=date(2026, 3, 1), trial_start=start, trial_end=start + timedelta(days=14),
        pause_at=date(2026, 1, 25), resume_at=date(2026, 3, 1), expired_reason="trial_charge_failed")


def test_the_table_names_every_portal_action():
    assert set(ALLOWED) == set(PORTAL_ACTIONS) == set(PERFORM)


@pytest.mark.parametrize("action", PORTAL_ACTIONS)
@pytest.mark.parametrize("status", list(Status))
def test_each_portal_action_is_allowed_exactly_in_its_statuses(action, status):
    # Given a subscription in `status` and every feature on
    sub = a_subscription_in(status)
    refused = actions.refusal(action, sub, ALL_ON, NOW)
    if status in ALLOWED[action]:
        # Then it is allowed, and doing it leads where the transition table says
        assert refused is None
        after = PERFORM[action](sub)
        after = after.subscription if isinstance(after, Bill) else after
        assert after.status == LEADS_TO.get(action, {}).get(status, status)
    else:
        # Then it is refused for the status, and the error carries the current status
        assert refused is not None and refused.reason == "invalid_status"
        with pytest.raises(InvalidTransition) as error:
            actions.require(action, sub, ALL_ON, NOW)
        assert error.value.details["current_status"] == status.value
