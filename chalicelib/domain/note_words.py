"""What a quote's note says, as data: its kind and the days, day and name its words are made of, so
that a reader's browser can write it in the reader's language (dates as they are written there).
The English text a quote answers is written from the same words (`english`), in this one place."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

NoteKind = Literal[
    "prorated_by_day", "term_restarts_today", "unused_days_credited", "kept_days_continue", "kept_days_credited",
    "unpaid_term_goes_on", "cancelled_term_days_credited", "change_at_term_end", "replaces_scheduled_change",
    "billing_starts_with_first_term", "pause_keeps_days", "pauses_on", "pause_leaves_nothing",
    "pause_will_keep_days", "pause_will_credit_days", "active_until", "ends_now", "ends_now_forfeits_days",
    "ends_now_nothing_due"]


@dataclass(frozen=True)
class NoteWords:
    kind: NoteKind
    days: int | None = None             # the days the note counts ...
    days_in_term: int | None = None     # ... of the term's days
    day: date | None = None             # the day it names
    name: str = ""                      # the plan it names

    def english(self) -> str:
        """The note as quotes have always said it."""
        return _ENGLISH[self.kind].format(days=self.days, days_in_term=self.days_in_term, name=self.name,
                                          day=self.day.isoformat() if self.day else "")


_ENGLISH: dict[str, str] = {
    "prorated_by_day": "Prorated by day: {days} of {days_in_term} days remain.",
    "term_restarts_today": ("The current term ends today: its {days} unused of {days_in_term} days are credited, "
                            "and a new term of {name} starts today."),
    "unused_days_credited": "The unused {days} of {days_in_term} days of the term are credited.",
    "kept_days_continue": "The {days} paid days kept at the pause continue until {day}; nothing is charged now.",
    "kept_days_credited": "The {days} paid days kept at the pause are credited.",
    "unpaid_term_goes_on": "The term to {day} goes on: its open invoice is what is due.",
    "cancelled_term_days_credited": "The {days} paid days of the cancelled term from today are credited.",
    "change_at_term_end": "Nothing is charged now; the change applies when the current term ends.",
    "replaces_scheduled_change": "This replaces the change to {name} scheduled for {day}.",
    "billing_starts_with_first_term": "Nothing is charged now; billing starts with the first term.",
    "pause_keeps_days": ("The {days} paid, unused days of the term are kept: they continue when the subscription "
                         "resumes, before the next invoice."),
    "pauses_on": "It pauses on {day}.",
    "pause_leaves_nothing": "No paid time is left in the term then: nothing is credited.",
    "pause_will_keep_days": "The {days} paid, unused days from then are kept for after the resume.",
    "pause_will_credit_days": "The {days} paid, unused days from then are credited to your account by day.",
    "active_until": "It stays active until {day} and will not renew.",
    "ends_now": "It ends now.",
    "ends_now_forfeits_days": ("It ends now. No refund is given for the unused {days} day(s) of the current term; "
                               "invoices already raised remain due."),
    "ends_now_nothing_due": "It ends now. Nothing is charged or refunded.",
}
