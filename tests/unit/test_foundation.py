from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest

from chalicelib.domain.errors import FeatureDisabled, InvalidTransition
from chalicelib.domain.ids import has_kind, new_id
from chalicelib.domain.currencies import exponent
from chalicelib.domain.money import Money
from chalicelib.domain.preferences import Preferences, preferences_from_dict
from chalicelib.domain.subscription_status import TRANSITIONS, Status, allows, transition

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def test_money_adds_only_the_same_currency_and_rounds_once_half_up():
    assert Money(999, "USD") + Money(1, "USD") == Money(1000, "USD")
    assert Money(5, "USD").times(Fraction(1, 2)) == Money(3, "USD")
    assert Money(-5, "USD").times(Fraction(1, 2)) == Money(-3, "USD")
    with pytest.raises(ValueError):
        Money(1, "USD") + Money(1, "EUR")


def test_money_refuses_floats_and_formats_by_the_currency_exponent():
    with pytest.raises(TypeError):
        Money(1.5, "USD")
    assert Money(123456, "USD").format() == "1234.56"
    assert Money(500, "JPY").format() == "500" and exponent("JPY") == 0
    assert Money(1234, "KWD").format() == "1.234"


def test_ids_carry_their_kind_and_sort_by_time():
    earlier, later = new_id("subscription", NOW), new_id("subscription", NOW + timedelta(milliseconds=1))
    assert earlier.startswith("sub_") and has_kind(earlier, "subscription") and earlier < later
    assert not has_kind(earlier, "invoice")


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
def test_every_action_and_status_pair_is_either_in_the_table_or_refused(action, status):
    if status in TRANSITIONS[action]:
        assert allows(action, status) and transition(action, status) == TRANSITIONS[action][status]
    else:
        with pytest.raises(InvalidTransition) as refused:
            transition(action, status)
        assert refused.value.details == {"action": action, "current_status": status.value}


def test_cancelled_and_expired_subscriptions_can_only_be_reactivated_or_extended():
    for status in (Status.CANCELLED, Status.EXPIRED):
        actions = {a for a, table in TRANSITIONS.items() if status in table}
        assert actions <= {"reactivate", "extend_trial"}


def test_preferences_default_as_the_reference_says():
    features = Preferences().enabled_features()
    on = {name for name, enabled in features.items() if enabled}
    assert on == {"subscriptions", "forward_documents", "update_customer_details", "reviews"}
    assert Preferences().trial.extensions_allowed == 1


def test_a_disabled_feature_is_refused_by_name_and_subscriptions_off_turns_off_its_actions():
    with pytest.raises(FeatureDisabled) as refused:
        Preferences().require("cancel")
    assert refused.value.details == {"feature": "cancel"}
    prefs = preferences_from_dict({"subscriptions": False, "cancel": {"enabled": True}})
    assert not prefs.enabled_features()["cancel"]


def test_preferences_survive_a_round_trip_through_storage():
    prefs = preferences_from_dict({"edit_subscription": {"enabled": True, "allowed_plan_codes": ["pro"]},
                                   "unknown_future_key": 1})
    assert preferences_from_dict(prefs.to_dict()) == prefs


def test_a_term_invoiced_but_not_yet_charged_stays_due_whatever_else_is_saved():
    from chalicelib.domain.subscription import PlanSnapshot, Subscription, next_due_at
    sub = Subscription("sub_1", "cus_1", Status.LIVE, PlanSnapshot("pro", "Pro", 100), "USD", NOW,
                       term_end=(NOW + timedelta(days=30)).date(), unpaid_invoice_id="inv_1",
                       next_retry_at=NOW + timedelta(minutes=1))
    assert next_due_at(sub) == NOW + timedelta(minutes=1)
