"""Ids name their kind and sort by the time they were made."""
from datetime import datetime, timedelta, timezone

from chalicelib.domain.ids import has_kind, new_id

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def test_ids_carry_their_kind_and_sort_by_time():
    earlier, later = new_id("subscription", NOW), new_id("subscription", NOW + timedelta(milliseconds=1))
    assert earlier.startswith("sub_") and has_kind(earlier, "subscription") and earlier < later
    assert not has_kind(earlier, "invoice")
