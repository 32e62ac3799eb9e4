"""Quotes: what confirming a portal action will do, in money, before it is done.

A quote is built from the same `Bill` the action itself raises (billing.py), so the preview and
the documents cannot disagree; it carries a digest of everything it promises, and a confirmation
that names a quote id no longer matching is refused (the customer sees the new quote).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Sequence

from . import scheduling
from .billing import Bill
from .credits import AvailableCredit, allocate_credits
from .errors import BusinessRuleViolation, Conflict
from .line_words import LineWords
from .money import Money
from .note_words import NoteWords
from .preferences import Preferences
from .pricing import Line
from .subscription import Subscription
from .subscription_actions import (Selection, When, cancelled_now, change_scheduled, changed_now, current_selection,
                                   in_term, is_trial, kept_at_pause, pause_scheduled, term_end_of)
from .subscription_status import Status


class QuoteChanged(Conflict):
    """The amounts differ from the preview the customer confirmed (time moved on, credits were
    used, the subscription changed...): show the new quote and ask again."""
    code = "quote_changed"

    def __init__(self, quote: "Quote"):
        super().__init__("The charges changed since the preview; review the new quote.",
                         {"quote_id": quote.quote_id})


@dataclass(frozen=True)
class QuoteLine:
    description: str
    amount_minor: int
    code: str | None = None
    kind: str = "charge"
    words: LineWords | None = None


@dataclass(frozen=True)
class QuotedAddon:
    """An addon of the selection a quote prices, in the shape requests choose it."""
    code: str
    quantity: int


@dataclass(frozen=True)
class Quote:
    """What confirming an action will do, in money. The invoice is raised now (its total less
    the available credits applied is what is due); the credit note is issued now."""
    action: str
    subscription_id: str
    currency: str
    when: str                                   # now | end_of_term
    effective_on: date
    plan_code: str
    addons: tuple[QuotedAddon, ...] = ()
    coupon_code: str | None = None
    period_start: date | None = None            # of the invoice
    period_end: date | None = None
    invoice_lines: tuple[QuoteLine, ...] = ()
    invoice_total_minor: int = 0
    credit_note_lines: tuple[QuoteLine, ...] = ()
    credit_note_total_minor: int = 0
    net_minor: int = 0                          # invoice - credit note
    credits_applied_minor: int = 0              # available credits (the new credit note too) applied
    amount_due_minor: int = 0                   # what is left to pay (charged with auto-charge)
    refund_minor: int = 0
    next_term_total_minor: int | None = None    # what the following term will cost
    next_billing_on: date | None = None
    notes: tuple[NoteWords, ...] = ()
    quote_id: str = ""

    def honour(self, quote_id: str | None) -> None:
        """Refuse a confirmation of a preview that no longer holds (no id given: nothing to hold to)."""
        if quote_id is not None and quote_id != self.quote_id:
            raise QuoteChanged(self)


def _digest(quote: Quote) -> str:
    # a note's English says all its words do: digested as text, a quote's id is what it was before notes had words
    data = asdict(replace(quote, quote_id="", notes=()))
    data["notes"] = [note.english() for note in quote.notes]
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return "quote_" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _sealed(quote: Quote) -> Quote:
    return replace(quote, quote_id=_digest(quote))


def _quote_lines(lines: Sequence[Line]) -> tuple[QuoteLine, ...]:
    return tuple(QuoteLine(line.description, line.amount.amount_minor, line.code, line.kind, line.words)
                 for line in lines)


def _selection_fields(chosen: Selection) -> dict:
    plan_code, addons, _ = chosen.key()
    return {"plan_code": plan_code, "addons": tuple(QuotedAddon(code, quantity) for code, quantity in addons),
            "coupon_code": chosen.coupon.code if chosen.coupon else None}


def credits_applied(amount: Money, credits: Sequence[AvailableCredit]) -> int:
    return sum(applied.amount_minor for _, applied in allocate_credits(amount, credits))


def next_term_amount(sub: Subscription) -> Money | None:
    """The total of the next invoice, the one the scheduled work will raise (the term after the
    current one or the trial, a scheduled change applied, one-time addons still to bill, rounded
    as the invoice is); None when nothing is billed next."""
    bill = scheduling.next_invoice(sub)
    return bill.charge_total if bill is not None else None


def bill_quote(action: str, chosen: Selection, bill: Bill, credits: Sequence[AvailableCredit], now: datetime,
               *, notes: Sequence[NoteWords] = ()) -> Quote:
    """The quote of an action that raises `bill` now: its invoice, less the available credits (the
    credit note it issues included, applied last), and its credit note."""
    after = bill.subscription
    invoice_total, credit_total = bill.charge_total, bill.credit_total
    new_note = [AvailableCredit("new", credit_total, now)] if credit_total.amount_minor > 0 else []
    applied = credits_applied(invoice_total, [*credits, *new_note]) if bill.charge_lines else 0
    following = next_term_amount(after)
    return _sealed(Quote(
        action=action, subscription_id=after.subscription_id, currency=after.currency, when="now",
        effective_on=after.today(now), **_selection_fields(chosen),
        period_start=bill.period.start if bill.period and bill.charge_lines else None,
        period_end=bill.period.end if bill.period and bill.charge_lines else None,
        invoice_lines=_quote_lines(bill.charge_lines), invoice_total_minor=invoice_total.amount_minor,
        credit_note_lines=_quote_lines(bill.credit_lines), credit_note_total_minor=credit_total.amount_minor,
        net_minor=(invoice_total - credit_total).amount_minor, credits_applied_minor=applied,
        amount_due_minor=invoice_total.amount_minor - applied,
        next_term_total_minor=following.amount_minor if following is not None else None,
        next_billing_on=after.next_billing_on,
        notes=tuple(n for n in (bill.explanation, *notes) if n)))


def new_term_quote(action: str, bill: Bill, credits: Sequence[AvailableCredit], now: datetime) -> Quote:
    """The invoice of the term a subscription starts now (activate, resume, reactivate)."""
    return bill_quote(action, current_selection(bill.subscription), bill, credits, now)


def change_quote(sub: Subscription, chosen: Selection, when: When, credits: Sequence[AvailableCredit],
                 now: datetime) -> Quote:
    """Now, on a live subscription: by day over the current term, or a new term for a plan of
    another billing period. Now, before billing starts (trial, future): nothing to bill. At term
    end: nothing now; the next term as changed."""
    if when == "end_of_term":
        scheduled = change_scheduled(sub, chosen, now)   # the status allows it, or InvalidTransition
        ends = term_end_of(sub)
        on = ends or sub.today(now)
        following = next_term_amount(scheduled)
        return _sealed(Quote(
            action="change", subscription_id=sub.subscription_id, currency=sub.currency, when=when,
            effective_on=on, **_selection_fields(chosen),
            next_term_total_minor=following.amount_minor if following is not None else None, next_billing_on=on,
            notes=(NoteWords("change_at_term_end"),)))
    if sub.status == Status.LIVE and not in_term(sub, now):
        raise BusinessRuleViolation("The current term has ended; try again once it has renewed.", "term_ended")
    bill = changed_now(sub, chosen, now)
    replaced = sub.scheduled_change
    notes = (NoteWords("replaces_scheduled_change", name=replaced.plan.name,
                       day=term_end_of(sub) or sub.today(now)),) if replaced else ()
    if sub.status != Status.LIVE:
        return bill_quote("change", chosen, bill, credits, now,
                          notes=(NoteWords("billing_starts_with_first_term"), *notes))
    return bill_quote("change", chosen, bill, credits, now, notes=notes)


def pause_quote(sub: Subscription, prefs: Preferences, *, pause_at: date | None, resume_at: date | None,
                now: datetime) -> Quote:
    """What pausing does to the paid time: credited now, or kept for after the resume."""
    result = pause_scheduled(sub, prefs, pause_at=pause_at, resume_at=resume_at, now=now)
    keep = prefs.pause_resume.unused_time == "keep"
    if isinstance(result, Bill):
        kept = result.subscription.term
        notes = [NoteWords("pause_keeps_days", kept.days_remaining(result.subscription.paused_at))] if kept else []
        return bill_quote("pause", current_selection(sub), result, [], now, notes=notes)
    later = result.pause_at or sub.today(now)
    term = sub.term
    unused = term.days_remaining(later) if term and term.contains(later) else 0
    if unused == 0:
        effect = NoteWords("pause_leaves_nothing")
    elif keep:
        effect = NoteWords("pause_will_keep_days", unused)
    else:
        effect = NoteWords("pause_will_credit_days", unused)
    following = next_term_amount(result)
    return _sealed(Quote(action="pause", subscription_id=sub.subscription_id, currency=sub.currency,
                         when="end_of_term", effective_on=later, **_selection_fields(current_selection(sub)),
                         next_term_total_minor=following.amount_minor if following is not None else None,
                         next_billing_on=result.next_billing_on, notes=(NoteWords("pauses_on", day=later), effect)))


def cancellation_quote(sub: Subscription, when: When, now: datetime) -> Quote:
    """Cancelling refunds nothing: now, the rest of a paid term is forfeited; at term end, the
    subscription stays active until then."""
    selected = _selection_fields(current_selection(sub))
    base = dict(action="cancel", subscription_id=sub.subscription_id, currency=sub.currency, when=when, **selected)
    today = sub.today(now)
    if when == "end_of_term":
        on = term_end_of(sub) or today
        return _sealed(Quote(**base, effective_on=on,
                             notes=(NoteWords("active_until", day=on),)))
    term = sub.term
    paid_term = (not is_trial(sub) and term is not None and sub.status != Status.PAUSED and term.contains(today))
    if kept_at_pause(sub):
        return bill_quote("cancel", current_selection(sub), cancelled_now(sub, None, now), [], now,
                          notes=(NoteWords("ends_now"),))
    if paid_term:
        note = NoteWords("ends_now_forfeits_days", term.days_remaining(today))
    else:
        note = NoteWords("ends_now_nothing_due")
    return _sealed(Quote(**base, effective_on=today, notes=(note,)))

