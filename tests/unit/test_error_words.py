"""Errors speak the customer's words: no flag names, status codes or action identifiers in a
message (the stable `code` and `details` keep them for programs)."""
import re

from chalicelib.domain.errors import ACTION_WORDS, FEATURE_WORDS, STATUS_WORDS, FeatureDisabled, InvalidTransition
from chalicelib.domain.preferences import Preferences
from chalicelib.domain.subscription_actions import PORTAL_ACTIONS
from chalicelib.domain.subscription_status import Status

IDENTIFIER = re.compile(r"[a-z]+_[a-z_]+|'")


def test_every_portal_feature_action_and_status_has_words():
    assert set(Preferences().enabled_features()) <= set(FEATURE_WORDS)
    assert {status.value for status in Status} == set(STATUS_WORDS)
    assert set(PORTAL_ACTIONS) <= set(ACTION_WORDS)


def test_no_refusal_of_a_portal_action_names_an_identifier():
    for action in PORTAL_ACTIONS:
        for status in Status:
            message = InvalidTransition(action, status.value).message
            assert not IDENTIFIER.search(message), message
    for feature in FEATURE_WORDS:
        assert not IDENTIFIER.search(FeatureDisabled(feature).message)


def test_a_refused_trial_extension_reads_as_a_sentence():
    error = InvalidTransition("extend_trial", "trial")

    assert error.message == "This subscription is in its trial, so it cannot have its trial extended."
    assert error.details == {"action": "extend_trial", "current_status": "trial"}
    assert ACTION_WORDS["extend_trial"] in error.message
