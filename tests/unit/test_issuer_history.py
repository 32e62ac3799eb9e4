"""The merchant's documents name their issuer as it was when each was issued
(`Organization.as_issuer_at`, `keeping_issuer_history`), in its billing time."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from chalicelib.domain.customers import Address
from chalicelib.domain.organization import Organization

T0 = datetime(2026, 11, 25, 9, tzinfo=timezone.utc)
SEATTLE = Address("400 Harbor Way", "", "Seattle", "WA", "98101", "US")
BERLIN = Address("Friedrichstraße 12", "", "Berlin", "", "10117", "DE")


def acme(**details) -> Organization:
    return Organization("org_1", "Acme Cloud", "billing@acme.example", "USD", T0, address=SEATTLE, **details)


def test_a_document_issued_before_a_change_names_the_issuer_as_it_was_and_one_issued_after_as_it_is():
    # Given Acme, which moved to Berlin and took a new name an hour in
    before = acme()
    moved = replace(before, name="Acme Europe GmbH", address=BERLIN).keeping_issuer_history(
        before, T0 + timedelta(hours=1))

    # Then a document of the first hour names Seattle, one after names Berlin
    assert (moved.as_issuer_at(T0 + timedelta(minutes=30)).name, moved.as_issuer_at(T0).address) == (
        "Acme Cloud", SEATTLE)
    assert (moved.as_issuer_at(T0 + timedelta(hours=2)).name, moved.as_issuer_at(T0 + timedelta(hours=2)).address) == (
        "Acme Europe GmbH", BERLIN)


def test_a_change_that_does_not_touch_what_documents_print_keeps_no_history():
    before = acme()
    assert replace(before, payment_terms_days=30).keeping_issuer_history(before, T0).issuer_history == ()


def test_two_changes_keep_each_earlier_issuer_for_its_own_time():
    # Given a move to Berlin after one hour, then a rename after two
    first = acme()
    second = replace(first, address=BERLIN).keeping_issuer_history(first, T0 + timedelta(hours=1))
    third = replace(second, name="Acme Europe GmbH").keeping_issuer_history(second, T0 + timedelta(hours=2))

    # Then each document names the issuer of its own hour
    named = [(o.name, o.address.city) for o in (third.as_issuer_at(T0 + timedelta(minutes=m)) for m in (30, 90, 150))]
    assert named == [("Acme Cloud", "Seattle"), ("Acme Cloud", "Berlin"), ("Acme Europe GmbH", "Berlin")]


def test_in_test_mode_the_history_is_kept_in_the_organizations_own_time():
    # Given an organization in test mode whose clock stands a year ahead
    ahead = T0 + timedelta(days=365)
    before = acme(test_mode=True, test_clock_at=ahead)
    moved = replace(before, address=BERLIN).keeping_issuer_history(before, T0)

    # Then what it issued up to its own now names Seattle
    assert moved.as_issuer_at(ahead - timedelta(minutes=1)).address == SEATTLE
    assert moved.as_issuer_at(ahead + timedelta(minutes=1)).address == BERLIN
