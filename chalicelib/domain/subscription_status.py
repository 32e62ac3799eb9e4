"""Subscription statuses and the one table of what each action does to them."""
from __future__ import annotations

from enum import Enum

from .errors import InvalidTransition


class Status(str, Enum):
    FUTURE = "future"
    TRIAL = "trial"
    LIVE = "live"
    NON_RENEWING = "non_renewing"  # cancellation scheduled at term end
    DUNNING = "dunning"
    UNPAID = "unpaid"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


S = Status
_BILLABLE = (S.LIVE, S.NON_RENEWING, S.DUNNING, S.UNPAID)

# action -> {status the action accepts: status it leads to}.
# Actions that keep the status (edits, toggles) map a status to itself.
TRANSITIONS: dict[str, dict[Status, Status]] = {
    # the customer (portal) or the merchant
    "activate": {S.TRIAL: S.LIVE},
    "extend_trial": {S.EXPIRED: S.TRIAL},
    "cancel_now": {s: S.CANCELLED for s in (S.FUTURE, S.TRIAL, S.PAUSED, *_BILLABLE)},
    "cancel_at_term_end": {S.TRIAL: S.NON_RENEWING, S.LIVE: S.NON_RENEWING},
    "remove_scheduled_cancellation": {S.NON_RENEWING: S.LIVE},
    "remove_scheduled_cancellation_in_trial": {S.NON_RENEWING: S.TRIAL},
    "change_now": {S.FUTURE: S.FUTURE, S.TRIAL: S.TRIAL, S.LIVE: S.LIVE},
    "change_at_term_end": {S.TRIAL: S.TRIAL, S.LIVE: S.LIVE},
    "set_auto_charge": {s: s for s in (S.FUTURE, S.TRIAL, S.LIVE, S.NON_RENEWING, S.UNPAID, S.PAUSED)},
    "disable_auto_charge_in_dunning": {S.DUNNING: S.LIVE},
    "choose_payment_method": {s: s for s in (S.FUTURE, S.TRIAL, S.LIVE, S.NON_RENEWING, S.DUNNING, S.UNPAID,
                                             S.PAUSED)},
    "schedule_pause": {S.LIVE: S.LIVE, S.PAUSED: S.PAUSED},
    "pause_now": {S.LIVE: S.PAUSED},
    "remove_pause_schedule": {S.LIVE: S.LIVE, S.PAUSED: S.PAUSED},
    "resume_now": {S.PAUSED: S.LIVE},
    "reactivate": {S.CANCELLED: S.LIVE, S.EXPIRED: S.LIVE},
    # scheduled jobs
    "start": {S.FUTURE: S.LIVE},
    "start_trial": {S.FUTURE: S.TRIAL},
    "trial_converted": {S.TRIAL: S.LIVE},
    "trial_charge_failed": {S.TRIAL: S.EXPIRED},
    "term_end_cancellation": {S.NON_RENEWING: S.CANCELLED},
    "renew": {S.LIVE: S.LIVE},
    "renewal_charge_failed": {S.LIVE: S.DUNNING},
    "dunning_retry_failed": {S.DUNNING: S.DUNNING},
    "dunning_paid": {S.DUNNING: S.LIVE},
    "unpaid_paid": {S.UNPAID: S.LIVE},
    "dunning_exhausted_to_unpaid": {S.DUNNING: S.UNPAID},
    "dunning_exhausted_to_cancelled": {S.DUNNING: S.CANCELLED},
}


def allows(action: str, current: Status) -> bool:
    return Status(current) in TRANSITIONS[action]


def transition(action: str, current: Status) -> Status:
    """The status `action` leads to from `current`; InvalidTransition if it is not allowed."""
    try:
        return TRANSITIONS[action][Status(current)]
    except KeyError:
        if action not in TRANSITIONS:
            raise ValueError(f"unknown action {action!r}") from None
        raise InvalidTransition(action, Status(current).value) from None
