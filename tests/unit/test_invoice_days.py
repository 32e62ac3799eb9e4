"""An invoice knows whether it bills days still to come: those are what may later be credited. Paid
days kept over a pause are still to come whatever days its lines name."""
from datetime import date, datetime, time, timezone

from chalicelib.domain import scheduling
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.billing import bills_days_to_come, credits_for_its_days
from chalicelib.domain.documents import CreditNoteStatus, DocumentLine
from chalicelib.domain.preferences import preferences_from_dict
from chalicelib.domain.subscription import PlanSnapshot, Subscription
from chalicelib.domain.subscription_status import Status
from tests.support.domain_builders import a_credit_note, an_invoice

TODAY = date(2026, 12, 5)


def billing(*periods: tuple[date | None, date | None]):
    return an_invoice(lines=tuple(DocumentLine("Pro", 10_000, period_start=start, period_end=end)
                                  for start, end in periods))


def test_a_term_that_ends_after_today_bills_days_to_come():
    assert billing((date(2026, 11, 25), date(2026, 12, 25))).bills_days_from(TODAY)


def test_a_term_that_ended_today_or_before_and_a_line_without_days_bill_none_to_come():
    assert not billing((date(2026, 11, 5), TODAY), (None, None)).bills_days_from(TODAY)


# --- paid days kept over a pause ------------------------------------------------------------------

KEEPS = preferences_from_dict({"pause_resume": {"enabled": True, "customer_can_resume": True, "unused_time": "keep"}})


def pro_renewed_on_november_25() -> Subscription:
    """Pro 100.00, renewed on Nov 25 for Nov 25 - Dec 25."""
    return Subscription("sub_1", "cus_1", Status.LIVE, PlanSnapshot("pro", "Pro", 10_000), "USD",
                        at_noon(date(2026, 10, 25)), billing_anchor=date(2026, 10, 25), term_start=date(2026, 11, 25),
                        term_end=date(2026, 12, 25), activated_at=at_noon(date(2026, 10, 25)))


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


def paused_keeping_the_paid_days_on_december_1() -> Subscription:
    return actions.pause_scheduled(pro_renewed_on_november_25(), KEEPS, pause_at=None, resume_at=None,
                                   now=at_noon(date(2026, 12, 1))).subscription


TERM_INVOICE = billing((date(2026, 11, 25), date(2026, 12, 25)))


def test_the_days_of_a_term_kept_over_a_pause_are_still_to_come_after_the_day_the_term_would_have_ended():
    # Given Pro's Nov 25 - Dec 25 invoice, and the subscription paused on Dec 1 keeping its 24 paid days
    paused = paused_keeping_the_paid_days_on_december_1()

    # When it is Dec 26, after the last day the invoice names
    day_after = date(2026, 12, 26)

    # Then the invoice still bills days to come: cancelling would credit the 24 kept days
    assert not TERM_INVOICE.bills_days_from(day_after)
    assert bills_days_to_come(TERM_INVOICE, day_after, paused)
    assert actions.cancelled_now(paused, None, at_noon(date(2027, 1, 5))).credit_total.amount_minor == 8_000


def test_kept_days_are_still_to_come_after_the_resume_until_they_have_run_and_the_next_term_is_billed():
    # Given the subscription resumed on Jan 5, its 24 kept days running to Jan 29
    resumed = actions.resumed(paused_keeping_the_paid_days_on_december_1(), at_noon(date(2027, 1, 5))).subscription
    assert (resumed.term_start, resumed.term_end) == (date(2026, 12, 30), date(2027, 1, 29))

    # Then while they run the Nov 25 invoice bills days to come (a change would credit them) ...
    assert bills_days_to_come(TERM_INVOICE, date(2027, 1, 10), resumed)
    # ... and once the next term has begun, none
    renewed = scheduling.renewed(resumed).subscription
    assert not bills_days_to_come(TERM_INVOICE, date(2027, 1, 29), renewed)


def test_kept_days_of_a_subscription_cancelled_after_the_resume_are_no_longer_to_come_once_they_would_have_run():
    # Given the subscription resumed on Jan 5 (its kept days running to Jan 29), and cancelled on Jan 10
    resumed = actions.resumed(paused_keeping_the_paid_days_on_december_1(), at_noon(date(2027, 1, 5))).subscription
    cancelled = actions.cancelled_now(resumed, None, at_noon(date(2027, 1, 10))).subscription

    # Then a reactivation could credit them until Jan 29, and nothing after
    assert bills_days_to_come(TERM_INVOICE, date(2027, 1, 28), cancelled)
    assert not bills_days_to_come(TERM_INVOICE, date(2027, 1, 29), cancelled)


def test_an_invoice_of_days_gone_by_of_a_subscription_that_kept_none_bills_none_to_come():
    assert not bills_days_to_come(TERM_INVOICE, date(2026, 12, 26), scheduling.renewed(pro_renewed_on_november_25())
                                  .subscription)


# --- days a change credited -----------------------------------------------------------------------

NOV_25, DEC_5, DEC_25 = date(2026, 11, 25), date(2026, 12, 5), date(2026, 12, 25)


def pro_billed_for_november_25_to_december_25():
    return an_invoice(lines=(DocumentLine("Pro", 10_000, code="pro", period_start=NOV_25, period_end=DEC_25),))


def crediting(code: str, start: date, end: date, **changes):
    return a_credit_note(lines=(DocumentLine(f"Unused time on {code}", 6_667, code=code, kind="credit",
                                             period_start=start, period_end=end),), **changes)


def test_a_note_crediting_unused_days_the_invoice_bills_is_found():
    # Given Pro billed Nov 25 - Dec 25, and a change on Dec 5 crediting its 20 days left
    invoice, note = pro_billed_for_november_25_to_december_25(), crediting("pro", DEC_5, DEC_25)

    # Then voiding the invoice would leave that credit for days no longer charged
    assert credits_for_its_days(invoice, [note]) == note


def test_notes_crediting_other_days_other_items_or_voided_are_not():
    invoice = pro_billed_for_november_25_to_december_25()
    assert credits_for_its_days(invoice, [
        crediting("pro", DEC_25, date(2027, 1, 25)),                 # the next term's days
        crediting("biz", DEC_5, DEC_25),                             # another plan's
        crediting("pro", DEC_5, DEC_25, status=CreditNoteStatus.VOID),
        a_credit_note(),                                             # a goodwill credit of no days
    ]) is None
