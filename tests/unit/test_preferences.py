"""Portal preferences: the reference defaults, a disabled feature refused by name, storage round trips."""
import pytest

from chalicelib.domain.errors import FeatureDisabled
from chalicelib.domain.preferences import Preferences, preferences_from_dict


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
