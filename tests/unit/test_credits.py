from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.credits import AvailableCredit, allocate_credits
from chalicelib.domain.money import Money

UTC = timezone.utc
DAY_ONE = datetime(2026, 3, 1, tzinfo=UTC)


def usd(minor):
    return Money(minor, "USD")


def credit(note_id, balance, days_after=0, currency="USD"):
    return AvailableCredit(credit_note_id=note_id, balance=Money(balance, currency),
                           issued_at=DAY_ONE + timedelta(days=days_after))


def test_the_oldest_credit_is_applied_first():
    # Given a newer note listed before an older one; When 50.00 is due
    allocations = allocate_credits(usd(5_000), [credit("cn_new", 3_000, days_after=9), credit("cn_old", 4_000)])
    # Then the older note pays 40.00 and the newer one the remaining 10.00
    assert allocations == [("cn_old", usd(4_000)), ("cn_new", usd(1_000))]


def test_no_more_is_applied_than_is_due():
    assert allocate_credits(usd(2_500), [credit("cn_a", 10_000), credit("cn_b", 10_000, 1)]) == [("cn_a", usd(2_500))]


def test_no_more_is_applied_than_a_note_holds():
    assert allocate_credits(usd(10_000), [credit("cn_a", 1_500)]) == [("cn_a", usd(1_500))]


def test_notes_in_another_currency_are_skipped():
    allocations = allocate_credits(usd(1_000), [credit("cn_eur", 5_000, currency="EUR"), credit("cn_usd", 300, 1)])
    assert allocations == [("cn_usd", usd(300))]


def test_nothing_is_applied_when_nothing_is_due_or_notes_are_empty():
    assert allocate_credits(usd(0), [credit("cn_a", 1_000)]) == []
    assert allocate_credits(usd(1_000), [credit("cn_a", 0)]) == []
    assert allocate_credits(usd(1_000), []) == []


def test_available_credits_are_validated():
    with pytest.raises(ValueError):
        credit("cn_a", -1)
    with pytest.raises(ValueError):
        AvailableCredit("cn_a", usd(1), datetime(2026, 3, 1))


@given(due=st.integers(min_value=0, max_value=10**7),
       notes=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 400), st.sampled_from(["USD", "EUR"])),
                      max_size=8))
def test_allocations_cover_what_they_can_and_never_overdraw(due, notes):
    credits = [credit(f"cn_{n}", balance, days, currency) for n, (balance, days, currency) in enumerate(notes)]
    allocations = allocate_credits(usd(due), credits)
    by_id = {note.credit_note_id: note for note in credits}
    applied = sum(money.amount_minor for _, money in allocations)
    usable = sum(note.balance.amount_minor for note in credits if note.balance.currency == "USD")
    assert applied == min(due, usable)
    assert all(0 < money.amount_minor <= by_id[note_id].balance.amount_minor and money.currency == "USD"
               for note_id, money in allocations)
    issued = [by_id[note_id].issued_at for note_id, _ in allocations]
    assert issued == sorted(issued)
