"""Dunning as the customer sees it: why the last charge of the unpaid invoice failed, in words a
customer understands, and the retries still to come, by day, with what happens after the last.

The gateway's decline codes are read the way Stripe names them; a code not listed here gets a
general sentence, never the raw code. A card reported lost or stolen is described only as
declined by the bank: the customer hears nothing the bank did not mean them to hear."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .errors import Conflict
from .preferences import DunningSettings
from .subscription import Subscription
from .subscription_status import Status

DECLINED_BY_BANK = "Your bank declined the payment. Contact your bank, or use another card."
GENERAL_FAILURE = "The payment could not be completed. Try again, or use another card."

FAILURE_SENTENCES = {
    "insufficient_funds": "The card did not have enough funds for this payment.",
    "card_declined": DECLINED_BY_BANK,
    "generic_decline": DECLINED_BY_BANK,
    "do_not_honor": DECLINED_BY_BANK,
    "lost_card": DECLINED_BY_BANK,
    "stolen_card": DECLINED_BY_BANK,
    "pickup_card": DECLINED_BY_BANK,
    "fraudulent": DECLINED_BY_BANK,
    "expired_card": "The card has expired. Add a card that is valid.",
    "incorrect_cvc": "The card's security code (CVC) was not accepted. Check it, or use another card.",
    "invalid_cvc": "The card's security code (CVC) was not accepted. Check it, or use another card.",
    "incorrect_number": "The card number was not accepted. Check it, or use another card.",
    "authentication_required": "Your bank asks you to confirm this payment. Pay it in the portal to confirm it.",
    "processing_error": "The payment could not be processed because of an error on the card network. "
                        "Try again in a little while.",
    "no_payment_method": "No card is saved for this subscription. Add a card to pay.",
}


def failure_sentence(code: str | None) -> str:
    """What a customer is told about a failed charge with the gateway's `code`."""
    return FAILURE_SENTENCES.get(code or "", GENERAL_FAILURE)


class NotInDunning(Conflict):
    code = "subscription_not_in_dunning"

    def __init__(self):
        super().__init__("This subscription has no failed payment being retried.")


@dataclass(frozen=True)
class Retries:
    """The retries of a subscription in dunning: how many were made, the days of those to come
    (the next first), what the subscription becomes when the dunning ends unpaid, and the day it
    does: the last retry's, or the term's end when retries of the schedule did not fit before it."""
    attempts_made: int
    next_retries: tuple[date, ...]
    after_last: Literal["unpaid", "cancel"]
    ends_on: date | None


def retry_days(sub: Subscription, settings: DunningSettings) -> tuple[date, ...]:
    """The days of the organization's retries of `sub`'s unpaid term, counted from its start, that
    fall before the term ends: dunning never outlasts the term it collects (a retry paid after it
    would leave the terms since to be billed at once, backdated)."""
    days = (sub.term_start + timedelta(days=after) for after in settings.retry_after_days)
    return tuple(day for day in days if sub.term_end is None or day < sub.term_end)


def ends_with_term(sub: Subscription, settings: DunningSettings) -> bool:
    """The dunning ends at the term's end, not with a retry: retries of the schedule did not fit
    before it (or none is left to make before it)."""
    return sub.term_end is not None and (
        _next_retry_day(sub) is None or len(retry_days(sub, settings)) < len(settings.retry_after_days))


def _next_retry_day(sub: Subscription) -> date | None:
    """The day of the retry the subscription has set, if it comes before the term ends (one set for
    then or later, as retries were scheduled before they were kept within the term, is not made)."""
    day = sub.today(sub.next_retry_at) if sub.next_retry_at is not None else None
    return day if day is not None and (sub.term_end is None or day < sub.term_end) else None


def retries(sub: Subscription, settings: DunningSettings) -> Retries:
    """The schedule the runner follows (domain/scheduling.py): retries counted in days from the
    start of the unpaid term, those before its end; the next one as the subscription has it (later
    when a charge's outcome was not known yet), the rest on the organization's schedule."""
    if sub.status != Status.DUNNING or sub.unpaid_invoice_id is None:
        raise NotInDunning()
    made = sub.dunning_attempts
    later = retry_days(sub, settings)[made + 1:] if sub.term_start else ()
    first = _next_retry_day(sub)
    upcoming = ((first,) if first is not None else ()) + tuple(d for d in later if first is None or d > first)
    last = (sub.term_end,) if ends_with_term(sub, settings) else ()
    return Retries(made, upcoming, settings.when_exhausted, max(upcoming[-1:] + last, default=None))
