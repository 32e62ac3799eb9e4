"""The next invoice shown is the next invoice raised (docs/billing.md, "Pause and resume"): a live
subscription with a pause scheduled up to its term's end is paused, not renewed, at the term's end, so
it shows as its next invoice the one raised after the resume, which depends on what the pause does with
the paid, unused days: credited, a new term on the resume day; kept, the kept days first. The way
chosen is the merchant's when the pause is scheduled, kept with it, and the pause does what its
preview said even if the merchant's setting changes meanwhile."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import quotes, scheduling
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.preferences import preferences_from_dict
from tests.support.domain_builders import a_subscription



def pauses(unused_time: str):
    return preferences_from_dict({"pause_resume": {"enabled": True, "customer_can_resume": True,
                                                   "unused_time": unused_time}})


PAUSE_CREDITS, PAUSE_KEEPS = pauses("credit"), pauses("keep")
NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)


def the_invoice_the_job_raises_first(sub, unused_time: str = "credit"):
    """(day, total) of the first invoice the scheduled work raises for `sub`, running it day by day."""
    for _ in range(10):
        at = scheduling.due_at(sub)
        work = scheduling.work_due(sub, at)
        bill = {scheduling.Work.PAUSE: lambda paused: scheduling.paused(paused, unused_time),
                scheduling.Work.RESUME: scheduling.resumed_on_schedule,
                scheduling.Work.RENEW: scheduling.renewed}[work](sub)
        if bill.charge_lines:
            return bill.period.start, bill.charge_total.amount_minor
        sub = bill.subscription
    raise AssertionError("nothing was ever invoiced")


def test_a_pause_scheduled_before_the_renewal_moves_the_next_invoice_shown_to_the_resume():
    # Given Pro (100.00) for Nov 10 - Dec 10, a pause scheduled for Dec 1 and a resume on Jan 5,
    # the unused days credited at the pause
    scheduled = actions.pause_scheduled(a_subscription(), PAUSE_CREDITS, pause_at=date(2026, 12, 1),
                                        resume_at=date(2027, 1, 5),
                                        now=datetime(2026, 11, 20, 12, tzinfo=timezone.utc))

    # Then the next invoice shown is the one the job raises: Jan 5's new term, not a Dec 10 renewal
    assert the_invoice_the_job_raises_first(scheduled) == (date(2027, 1, 5), 10_000)
    assert scheduled.next_billing_on == date(2027, 1, 5)


def test_the_preview_of_a_later_pause_keeping_the_paid_days_names_the_day_they_run_out_as_the_next_invoice():
    # Given Pro for Nov 10 - Dec 10, the merchant keeping paid days over a pause
    keeps = preferences_from_dict({"pause_resume": {"enabled": True, "customer_can_resume": True,
                                                    "unused_time": "keep"}})
    sub, now = a_subscription(), datetime(2026, 11, 20, 12, tzinfo=timezone.utc)

    # When Zoë previews a pause from Dec 1 (9 paid days kept) to Jan 5
    quote = quotes.pause_quote(sub, keeps, pause_at=date(2026, 12, 1), resume_at=date(2027, 1, 5), now=now)

    # Then the next invoice it names is on Jan 14, when the kept days have run out, as the job raises it
    scheduled = actions.pause_scheduled(sub, keeps, pause_at=date(2026, 12, 1), resume_at=date(2027, 1, 5), now=now)
    assert quote.next_billing_on == date(2027, 1, 14)
    assert the_invoice_the_job_raises_first(scheduled, "keep")[0] == date(2027, 1, 14)


def test_a_pause_keeping_the_paid_days_shows_its_next_invoice_when_they_run_out():
    # Given Pro for Nov 10 - Dec 10, a pause scheduled for Dec 1 (9 paid days kept) and a resume on Jan 5
    scheduled = actions.pause_scheduled(a_subscription(), PAUSE_KEEPS, pause_at=date(2026, 12, 1),
                                        resume_at=date(2027, 1, 5), now=NOW)

    # Then it shows Jan 14's renewal as its next invoice, the one the job raises
    assert scheduled.next_billing_on == date(2027, 1, 14)
    assert the_invoice_the_job_raises_first(scheduled) == (date(2027, 1, 14), 10_000)
    assert quotes.next_term_amount(scheduled).amount_minor == 10_000


def test_a_pause_without_a_resume_day_shows_no_next_invoice():
    scheduled = actions.pause_scheduled(a_subscription(), PAUSE_CREDITS, pause_at=date(2026, 12, 1),
                                        resume_at=None, now=NOW)

    assert scheduled.next_billing_on is None
    assert scheduling.next_invoice(scheduled) is None


def test_the_pause_does_what_its_preview_said_though_the_merchant_changed_the_setting_since():
    # Given a pause scheduled while the merchant kept paid days over a pause
    scheduled = actions.pause_scheduled(a_subscription(), PAUSE_KEEPS, pause_at=date(2026, 12, 1),
                                        resume_at=date(2027, 1, 5), now=NOW)

    # When it pauses after the merchant chose to credit unused days instead
    paused = scheduling.paused(scheduled, "credit")

    # Then the 9 days are kept, as the customer was told, and nothing is credited
    assert not paused.credit_lines
    assert paused.subscription.term is not None
    assert paused.subscription.pause_unused_time is None   # kept only while the pause is scheduled


def test_a_pause_scheduled_before_the_way_was_kept_with_it_follows_the_merchants_setting():
    scheduled = actions.pause_scheduled(a_subscription(), PAUSE_KEEPS, pause_at=date(2026, 12, 1),
                                        resume_at=date(2027, 1, 5), now=NOW)
    stored_before = replace(scheduled, pause_unused_time=None)

    assert scheduling.paused(stored_before, "credit").credit_lines


@settings(max_examples=60, deadline=None)
@given(pause_in=st.integers(0, 20), resume_after=st.one_of(st.none(), st.integers(1, 60)),
       unused_time=st.sampled_from(["credit", "keep"]))
def test_the_next_invoice_shown_after_any_scheduled_pause_is_the_one_the_job_raises(pause_in, resume_after,
                                                                                    unused_time):
    # Given Pro for Nov 10 - Dec 10 and, on Nov 20, a pause scheduled for a day up to the term's end
    pause_at = date(2026, 11, 21) + timedelta(days=pause_in)
    resume_at = pause_at + timedelta(days=resume_after) if resume_after is not None else None
    scheduled = actions.pause_scheduled(a_subscription(), pauses(unused_time), pause_at=pause_at,
                                        resume_at=resume_at, now=NOW)
    quote = quotes.pause_quote(a_subscription(), pauses(unused_time), pause_at=pause_at, resume_at=resume_at,
                               now=NOW)

    # Then the subscription, its next invoice and the pause's preview agree with what the job does
    if resume_at is None:
        assert scheduled.next_billing_on is None and quote.next_billing_on is None
        assert scheduling.next_invoice(scheduled) is None and quote.next_term_total_minor is None
        return
    raised_on, total = the_invoice_the_job_raises_first(scheduled)
    assert scheduled.next_billing_on == raised_on == quote.next_billing_on
    assert scheduling.next_invoice(scheduled).charge_total.amount_minor == total == quote.next_term_total_minor
