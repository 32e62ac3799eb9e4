"""The transition table: every action on every status is in it, or refused by name."""
import pytest

from chalicelib.domain.errors import InvalidTransition
from chalicelib.domain.subscription_status import TRANSITIONS, Status, allows, transition


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
