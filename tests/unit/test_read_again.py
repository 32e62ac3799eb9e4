"""An item read again unchanged is mapped once; any change in it is mapped afresh (tables/read_again.py)."""
from __future__ import annotations

from chalicelib.tables import read_again
from chalicelib.tables.read_again import ReadAgain


def counting():
    made = []

    def make(raw):
        made.append(raw)
        return ("value of", raw["name"]["S"], raw["version"]["N"])
    return ReadAgain(make), made


def test_an_item_read_again_unchanged_answers_the_value_made_of_it():
    # Given an organization's item mapped once
    values, made = counting()
    first = values.value("org_acme", {"name": {"S": "Acme"}, "version": {"N": "1"}})
    # When the next request reads an equal item (a new dict, as botocore answers it)
    again = values.value("org_acme", {"name": {"S": "Acme"}, "version": {"N": "1"}})
    # Then it is answered the same value, not mapped again
    assert again is first and len(made) == 1


def test_an_item_that_changed_in_any_attribute_is_mapped_afresh():
    values, made = counting()
    values.value("org_acme", {"name": {"S": "Acme"}, "version": {"N": "1"}})
    # When the item answered differs (a rename, the same version: the value decides, not the version)
    renamed = values.value("org_acme", {"name": {"S": "Acme Cloud"}, "version": {"N": "1"}})
    # Then the value is made of what the item says now
    assert renamed == ("value of", "Acme Cloud", "1") and len(made) == 2


def test_items_of_other_keys_are_kept_apart():
    values, _ = counting()
    acme = values.value(("org_acme", "cus_1"), {"name": {"S": "Globex"}, "version": {"N": "1"}})
    other = values.value(("org_acme", "cus_2"), {"name": {"S": "Initech"}, "version": {"N": "1"}})
    assert acme[1] == "Globex" and other[1] == "Initech"


def test_at_most_limit_items_are_kept(monkeypatch):
    # Given room for two items
    monkeypatch.setattr(read_again, "LIMIT", 2)
    values, made = counting()
    for key in ("a", "b", "c"):
        values.value(key, {"name": {"S": key}, "version": {"N": "1"}})
    # Then the first was let go when the third came, and is mapped again when read again
    values.value("a", {"name": {"S": "a"}, "version": {"N": "1"}})
    assert len(made) == 4
