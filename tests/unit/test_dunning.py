"""Dunning as the customer sees it: a failed charge's reason in words, and the retries to come by
day (pure domain)."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from chalicelib.domain import dunning, email_words, scheduling
from chalicelib.domain.dunning import NotInDunning
from chalicelib.domain.locales import GERMAN
from chalicelib.domain.preferences import DunningSettings
from chalicelib.domain.subscription import PlanSnapshot, Subscription
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TERM_START = date(2026, 11, 25)
PRO = PlanSnapshot("pro", "Pro", 10_000)
ONE_THREE_FIVE = DunningSettings(retry_after_days=(1, 3, 5), when_exhausted="unpaid")


def a_renewal(status: Status = Status.LIVE, **fields) -> Subscription:
    values = {"plan": PRO, "term_start": TERM_START, "term_end": date(2026, 12, 25), "billing_anchor": TERM_START,
              "unpaid_invoice_id": "inv_1", **fields}
    return Subscription("sub_1", "cus_1", status, currency="USD", created_at=NOW, **values)


def declined(code: str | None = "insufficient_funds", settings: DunningSettings = ONE_THREE_FIVE) -> Subscription:
    return scheduling.renewal_charge_failed(a_renewal(), settings, code)


@pytest.mark.parametrize("code, words", [
    ("insufficient_funds", "The card did not have enough funds for this payment."),
    ("expired_card", "The card has expired. Add a card that is valid."),
    ("incorrect_cvc", "The card's security code (CVC) was not accepted. Check it, or use another card."),
    ("authentication_required", "Your bank asks you to confirm this payment. Pay it in the portal to confirm it."),
    ("processing_error", "The payment could not be processed because of an error on the card network. "
                         "Try again in a little while."),
])
def test_each_known_decline_is_told_in_words(code, words):
    assert dunning.failure_sentence(code) == words


@pytest.mark.parametrize("code", ["card_declined", "do_not_honor", "lost_card", "stolen_card", "fraudulent"])
def test_a_card_reported_lost_or_stolen_is_only_declined_by_the_bank(code):
    assert dunning.failure_sentence(code) == dunning.DECLINED_BY_BANK
    assert "lost" not in dunning.DECLINED_BY_BANK and "stolen" not in dunning.DECLINED_BY_BANK


@pytest.mark.parametrize("code", [None, "", "some_new_code", "card_velocity_exceeded_v2"])
def test_an_unknown_code_gets_the_general_sentence_never_the_code(code):
    assert dunning.failure_sentence(code) == dunning.GENERAL_FAILURE


def test_a_declined_renewal_keeps_the_gateways_reason_and_a_paid_one_forgets_it():
    # Given a renewal declined for want of funds
    sub = declined("insufficient_funds")
    # Then the subscription in dunning says why, and once paid, no longer
    assert (sub.status, sub.last_failure_code) == (Status.DUNNING, "insufficient_funds")
    assert scheduling.dunning_paid(sub, NOW).last_failure_code is None


def test_a_failed_retry_keeps_the_latest_reason():
    after = scheduling.dunning_retry_failed(declined("insufficient_funds"), ONE_THREE_FIVE, NOW, "expired_card")
    assert after.last_failure_code == "expired_card"


def test_the_retries_to_come_follow_the_organizations_schedule_from_the_start_of_the_term():
    # Given a renewal of Nov 25 declined, retried 1, 3 and 5 days on
    schedule = dunning.retries(declined(), ONE_THREE_FIVE)

    # Then none was made yet, three are to come by day, the last on Nov 30, unpaid after it
    assert schedule.attempts_made == 0
    assert schedule.next_retries == (date(2026, 11, 26), date(2026, 11, 28), date(2026, 11, 30))
    assert (schedule.ends_on, schedule.after_last) == (date(2026, 11, 30), "unpaid")


def test_after_a_failed_retry_only_the_later_ones_are_to_come():
    # Given the first retry (Nov 26) failed too, under a schedule that cancels at the end
    cancelling = DunningSettings(retry_after_days=(1, 3, 5), when_exhausted="cancel")
    after = scheduling.dunning_retry_failed(declined(settings=cancelling), cancelling, NOW, "insufficient_funds")

    schedule = dunning.retries(after, cancelling)

    assert schedule.attempts_made == 1
    assert schedule.next_retries == (date(2026, 11, 28), date(2026, 11, 30))
    assert schedule.after_last == "cancel"


def test_a_retry_put_off_while_a_charge_is_unconfirmed_is_shown_on_its_new_day():
    # Given the Nov 28 retry could not be confirmed and is asked again a day later than planned
    after = scheduling.dunning_retry_failed(declined(), ONE_THREE_FIVE, NOW, "insufficient_funds")
    later = scheduling.charge_unknown(after, datetime(2026, 11, 28, 23, 55, tzinfo=UTC))

    assert dunning.retries(later, ONE_THREE_FIVE).next_retries == (date(2026, 11, 29), date(2026, 11, 30))


WEEKLY = PlanSnapshot("weekly", "Weekly", 700, "week")
ONE_THREE_FIVE_TEN = DunningSettings(retry_after_days=(1, 3, 5, 10), when_exhausted="unpaid")


def a_weekly_renewal_declined(settings: DunningSettings = ONE_THREE_FIVE_TEN) -> Subscription:
    """The weekly renewal of Nov 25 - Dec 2, declined."""
    return scheduling.renewal_charge_failed(a_renewal(plan=WEEKLY, term_end=date(2026, 12, 2)), settings,
                                            "insufficient_funds")


def test_a_retry_on_or_after_the_end_of_the_unpaid_term_is_not_shown_and_the_dunning_ends_with_the_term():
    # Given a weekly renewal of Nov 25 - Dec 2 declined, under retries 1, 3, 5 and 10 days on
    schedule = dunning.retries(a_weekly_renewal_declined(), ONE_THREE_FIVE_TEN)

    # Then the day-10 retry (Dec 5) is not to come, and the dunning ends when the term does, on Dec 2
    assert schedule.next_retries == (date(2026, 11, 26), date(2026, 11, 28), date(2026, 11, 30))
    assert (schedule.ends_on, schedule.after_last) == (date(2026, 12, 2), "unpaid")


def test_when_the_last_retry_that_fits_fails_the_dunning_waits_for_the_terms_end_then_ends_as_the_merchant_says():
    # Given the weekly renewal's retries of Nov 26, 28 and 30 failed
    cancelling = DunningSettings(retry_after_days=(1, 3, 5, 10), when_exhausted="cancel")
    sub = a_weekly_renewal_declined(cancelling)
    for day in (26, 28, 30):
        sub = scheduling.dunning_retry_failed(sub, cancelling, datetime(2026, 11, day, tzinfo=UTC), "card_declined")

    # Then it is still in dunning, with no retry to come, until the run of Dec 2 that would have renewed it
    assert (sub.status, sub.next_retry_at) == (Status.DUNNING, None)
    assert dunning.retries(sub, cancelling).next_retries == ()
    assert scheduling.due_at(sub) == datetime(2026, 12, 2, tzinfo=UTC)
    assert scheduling.work_due(sub, datetime(2026, 12, 2, tzinfo=UTC)) == scheduling.Work.DUNNING_END

    # And that run cancels it as of the term's end, with nothing charged
    ended = scheduling.dunning_ended(sub, cancelling)
    assert (ended.status, ended.cancelled_at, ended.cancel_reason) == (
        Status.CANCELLED, datetime(2026, 12, 2, tzinfo=UTC), "dunning_exhausted")


def test_a_schedule_whose_first_retry_falls_after_the_term_makes_no_retry():
    # Given a weekly renewal declined under retries 10 and 20 days on
    late = DunningSettings(retry_after_days=(10, 20), when_exhausted="unpaid")
    sub = a_weekly_renewal_declined(late)

    # Then no retry is to come: the dunning ends with the term on Dec 2
    assert (sub.status, sub.next_retry_at) == (Status.DUNNING, None)
    assert (dunning.retries(sub, late).next_retries, dunning.retries(sub, late).ends_on) == ((), date(2026, 12, 2))
    assert scheduling.dunning_ended(sub, late).status == Status.UNPAID


def a_weekly_renewal_retried_as_before_retries_kept_within_the_term() -> Subscription:
    """The weekly renewal of Nov 25 - Dec 2, its retries of Nov 26, 28 and 30 failed, the day-10 retry
    (Dec 5) set, as the scheduling did before a retry on or after the term's end was left out."""
    sub = a_weekly_renewal_declined()
    for day in (26, 28, 30):
        sub = scheduling.dunning_retry_failed(sub, ONE_THREE_FIVE_TEN, datetime(2026, 11, day, tzinfo=UTC))
    return replace(sub, next_retry_at=datetime(2026, 12, 5, tzinfo=UTC))


def test_a_retry_set_for_after_the_term_before_the_rule_is_not_made_the_dunning_ends_with_the_term():
    # Given a weekly renewal of Nov 25 - Dec 2 in dunning, its day-10 retry set for Dec 5 by the old scheduling
    sub = a_weekly_renewal_retried_as_before_retries_kept_within_the_term()
    term_ends = datetime(2026, 12, 2, tzinfo=UTC)

    # Then its due work is at the term's end, not the retry's day, and it ends the dunning, charging nothing
    assert scheduling.due_at(sub) == term_ends
    assert scheduling.work_due(sub, term_ends - timedelta(minutes=1)) is None
    assert scheduling.work_due(sub, term_ends) == scheduling.Work.DUNNING_END
    # and so does the retry's own time, for a subscription the due index still holds at it
    assert scheduling.work_due(sub, datetime(2026, 12, 5, tzinfo=UTC)) == scheduling.Work.DUNNING_END
    # and the dunning card shows no retry to come, the dunning ending on Dec 2
    schedule = dunning.retries(sub, ONE_THREE_FIVE_TEN)
    assert (schedule.next_retries, schedule.ends_on) == ((), date(2026, 12, 2))


def test_a_retry_set_within_the_term_is_made_on_its_day():
    # Given the weekly renewal declined, its first retry set for Nov 26
    sub = a_weekly_renewal_declined()

    # Then the work due that day is the retry
    assert scheduling.due_at(sub) == datetime(2026, 11, 26, tzinfo=UTC)
    assert scheduling.work_due(sub, datetime(2026, 11, 26, tzinfo=UTC)) == scheduling.Work.DUNNING_RETRY


@pytest.mark.parametrize("status, words", [
    ("unpaid", "Your subscription is now unpaid. Paying the invoice from the customer portal restarts it."),
    ("cancelled", "Your subscription is now cancelled."),
])
def test_the_last_retry_s_email_and_the_term_end_s_say_alike_what_the_subscription_became(status, words):
    assert email_words.dunning_over(status, "en-US") == words
    assert email_words.last_retry(status, "en-US") == f"That was the last retry. {words}"
    assert email_words.last_retry(status, GERMAN).endswith(email_words.dunning_over(status, GERMAN))


def test_retries_are_counted_in_the_organizations_days():
    sub = scheduling.renewal_charge_failed(a_renewal(time_zone="Pacific/Auckland"), ONE_THREE_FIVE, "expired_card")
    assert dunning.retries(sub, ONE_THREE_FIVE).next_retries[0] == date(2026, 11, 26)


@pytest.mark.parametrize("sub", [a_renewal(), a_renewal(status=Status.UNPAID),
                                 scheduling.dunning_paid(declined(), NOW)])
def test_a_subscription_not_in_dunning_has_no_retries_to_show(sub):
    with pytest.raises(NotInDunning) as refused:
        dunning.retries(sub, ONE_THREE_FIVE)
    assert refused.value.code == "subscription_not_in_dunning"


def test_the_portal_says_each_reason_in_the_same_words_as_the_api_and_the_email():
    from pathlib import Path
    catalogue = (Path(__file__).resolve().parents[2] / "chalicelib/web/assets/messages/en.js").read_text()
    for code, words in dunning.FAILURE_SENTENCES.items():
        assert f'"dunning.reason.{code}": "{words}",' in catalogue, code
