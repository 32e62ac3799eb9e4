"""Why customers cancel, and what became of the retention offer: the rules of the cancel dialog's
reason, when the offer may be shown, and the merchant's counts over a range of days.

The merchant lists the reasons to choose from (none listed: the reason is free text, as it always
was), may require one, and may let the customer add a comment. The retention offer is shown once
per subscription: accepted, it is never shown again; a subscription cancelled while it could
have been shown declined it. It is open while the subscription can still take a scheduled change
(trial or live), has not answered it, and the coupon may be newly applied to it by the merchant
(withdrawn, expired or used up: the offer is simply not shown).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from . import coupons
from .catalog import Coupon
from .errors import InvalidInput
from .preferences import CancelPreferences
from .subscription import AppliedCoupon, Subscription
from .subscription_status import allows

Kind = Literal["cancelled", "offer_accepted", "undone"]   # undone: a cancellation taken back
OfferAnswer = Literal["accepted", "declined"]

NO_REASON = "(no reason given)"
LONGEST_RANGE_DAYS = 366


@dataclass(frozen=True)
class CancellationFeedback:
    """One answer of the cancel flow: a cancellation (with its reason, comment and whether the
    offer it was shown was declined) or an accepted offer."""
    subscription_id: str
    customer_id: str
    kind: Kind
    at: datetime
    reason: str | None = None
    comment: str | None = None
    offer: OfferAnswer | None = None      # None: no offer was open


def check_reason(prefs: CancelPreferences, reason: str | None, comment: str | None) -> None:
    """The reason must be one of the merchant's when they listed some, and given when they require
    one; a comment only where they ask for comments. InvalidInput names the field."""
    problems = {}
    if reason is None and prefs.reason_required:
        problems["reason"] = "Choose a reason." if prefs.reasons else "Say why you cancel."
    elif reason is not None and prefs.reasons and reason not in prefs.reasons:
        problems["reason"] = "Not one of the reasons offered."
    if comment is not None and not prefs.comments:
        problems["comment"] = "Comments are not asked for."
    if problems:
        raise InvalidInput(problems)


def open_offer(prefs: CancelPreferences, sub: Subscription, coupon: Coupon | None, now: datetime,
               plan_code: str) -> AppliedCoupon | None:
    """The retention offer as the subscription would hold it (for the merchant's number of cycles),
    if it may be shown now; None otherwise."""
    offer = prefs.retention_offer
    if offer is None or sub.retention_offer is not None or not allows("change_at_term_end", sub.status):
        return None
    used_before = coupon is not None and coupons.has_used(sub, coupon.code)
    if used_before or coupons.refusal(coupon, by="merchant", now=now) is not None:
        return None
    if not (coupon.fits(plan_code) and coupon.currency in (None, sub.currency)):
        return None
    return replace(coupons.applied(coupon), duration="repeating", cycles=offer.cycles)


def days_range(start: date, end: date) -> None:
    """A report's range: whole days, both included, at most a year."""
    if end < start:
        raise InvalidInput({"query.to": "Must not be before `from`."})
    if (end - start).days >= LONGEST_RANGE_DAYS:
        raise InvalidInput({"query.to": f"At most {LONGEST_RANGE_DAYS} days from `from`."})


@dataclass(frozen=True)
class CancellationReport:
    start: date
    end: date
    cancellations: int
    reasons: tuple[tuple[str, int], ...]     # most frequent first
    offers_accepted: int
    offers_declined: int


def report(feedback: list[CancellationFeedback], start: date, end: date) -> CancellationReport:
    """Counts of the feedback given from `start` to `end`."""
    cancelled = [f for f in feedback if f.kind == "cancelled"]
    undone = [f for f in feedback if f.kind == "undone"]   # kept at the instant of the cancellation it takes back
    reasons = Counter(f.reason or NO_REASON for f in cancelled)
    reasons.subtract(f.reason or NO_REASON for f in undone)
    return CancellationReport(
        start, end, len(cancelled) - len(undone),
        tuple(sorted(((reason, n) for reason, n in reasons.items() if n > 0), key=lambda item: (-item[1], item[0]))),
        offers_accepted=sum(f.kind == "offer_accepted" for f in feedback),
        offers_declined=sum(f.offer == "declined" for f in cancelled) - sum(f.offer == "declined" for f in undone))
