"""Ids name their kind and sort by the time they were made."""
from datetime import datetime, timedelta, timezone

from chalicelib.domain.ids import has_kind, new_id

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def test_ids_carry_their_kind_and_sort_by_time():
    earlier, later = new_id("subscription", NOW), new_id("subscription", NOW + timedelta(milliseconds=1))
    assert earlier.startswith("sub_") and has_kind(earlier, "subscription") and earlier < later
    assert not has_kind(earlier, "invoice")


def test_ids_made_at_the_same_instant_sort_in_the_order_they_were_made():
    made = [new_id("email", NOW) for _ in range(50)]
    assert made == sorted(made) and len(set(made)) == 50


def test_an_id_made_for_an_earlier_instant_after_a_later_one_still_sorts_by_its_time():
    later, earlier = new_id("email", NOW + timedelta(milliseconds=1)), new_id("email", NOW)
    assert earlier < later
