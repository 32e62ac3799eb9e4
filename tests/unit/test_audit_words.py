"""What an audit entry says of a change: paths and short text, what moved as old → new, and never a
secret."""
from chalicelib.domain.audit import GIVEN, changed, summary


def test_a_request_body_is_flattened_to_paths_with_its_values_as_text():
    assert summary({"name": "Pro", "price_minor": 1000, "portal": True, "trial": {"days": 14}}) == {
        "name": "Pro", "price_minor": "1000", "portal": "true", "trial.days": "14"}


def test_secrets_are_never_written_only_that_they_were_given():
    said = summary({"email": "a@b.example", "password": "hunter2 hunter2", "nested": {"api_key": "pk_admin_x"},
                    "coupon_code": "WELCOME"})

    assert said == {"email": "a@b.example", "password": GIVEN, "nested.api_key": GIVEN, "coupon_code": "WELCOME"}


def test_only_what_moved_is_said_with_its_old_and_new_value():
    before = {"preferences": {"reviews": True, "cancel": {"enabled": True}}, "name": "Acme"}
    after = {"preferences": {"reviews": False, "cancel": {"enabled": True}}, "name": "Acme"}

    assert changed(before, after) == {"preferences.reviews": "true → false"}


def test_long_values_are_cut():
    assert len(summary({"note": "x" * 500})["note"]) == 120
