"""A list's rows made straight from the items DynamoDB answers (mapping.from_raw) are the values the
repositories made of PynamoDB's items before (`from_item` of `from_raw_data`): the same fields, of the
same types, with the same defaults where an item has no value."""
from __future__ import annotations

from dataclasses import replace
import pytest

from chalicelib.domain.engagement import ActivityRecord, Actor
from chalicelib.domain.documents import CreditApplication, InvoiceStatus
from chalicelib.domain.payments import PaymentStatus
from chalicelib.domain.subscription import AppliedCoupon
from chalicelib.tables.activity import ActivityItem
from chalicelib.tables.invoices import InvoiceItem
from chalicelib.tables.mapping import _field_defaults, _field_names, _raw_reading, from_item, from_raw, to_item
from chalicelib.tables.payments import PaymentItem
from chalicelib.tables.subscriptions import SubscriptionItem
from tests.support.domain_builders import NOW, a_payment, a_subscription, an_invoice


def stored(model, value, **keys) -> dict:
    """`value` as DynamoDB answers its item."""
    return to_item(model, value, owner="org_acme#cus_globex", org_id="org_acme", **keys).serialize(null_check=False)


def paid_invoice():
    invoice = an_invoice(credits_applied=(CreditApplication("cn_1", 500, NOW),))
    return replace(invoice, status=InvoiceStatus.PAID, amount_paid_minor=9_500, paid_at=NOW, version=3)


ROWS = {
    "invoice": (InvoiceItem, paid_invoice()),
    "payment": (PaymentItem, replace(a_payment(an_invoice()), status=PaymentStatus.SUCCEEDED)),
    "subscription": (SubscriptionItem, a_subscription()),
    "activity": (ActivityItem, ActivityRecord("act_1", "cus_globex", Actor("customer", "con_1", "Zoe"),
                                              "subscription.cancelled", "subscription", "sub_1", NOW,
                                              before={"status": "live", "count": 2})),
}


@pytest.mark.parametrize("kind", ROWS)
def test_each_lists_rows_are_made_without_an_item(kind):
    # (else from_raw makes the item first, as before: the same rows, no faster)
    model, value = ROWS[kind]
    assert _raw_reading(type(value), model) is not None


@pytest.mark.parametrize("kind", ROWS)
def test_a_row_read_from_its_item_is_the_value_made_from_pynamodbs_item(kind):
    # Given an item as DynamoDB answers it
    model, value = ROWS[kind]
    raw = stored(model, value)
    # When the row is made from it directly, Then it is the value the item gave, and what was stored
    row = from_raw(type(value), model, raw)
    assert row == from_item(type(value), model.from_raw_data(raw))
    assert repr(row) == repr(from_item(type(value), model.from_raw_data(raw)))


@pytest.mark.parametrize("kind", ROWS)
def test_a_row_missing_its_optional_values_reads_with_the_same_defaults(kind):
    # Given an item holding only what has no default (an item written before the others were added)
    model, value = ROWS[kind]
    attributes = model.get_attributes()
    raw = {name: held for name, held in stored(model, value).items()
           if attributes[name].default is None and not attributes[name].null}
    # When the row is made from it directly, Then the defaults are those the item gave
    assert repr(from_raw(type(value), model, raw)) == repr(from_item(type(value), model.from_raw_data(raw)))


def test_a_null_value_reads_as_a_missing_one():
    # Given an invoice whose paid time DynamoDB answers as null
    raw = {**stored(InvoiceItem, an_invoice()), "paid_at": {"NULL": True}}
    # Then its row has none, as the item gave
    assert from_raw(type(an_invoice()), InvoiceItem, raw).paid_at is None


@pytest.mark.parametrize("kind", ROWS)
def test_a_row_holds_its_fields_as_its_classs_init_sets_them(kind):
    # Given an item as DynamoDB answers it, and one holding only what has no default
    model, value = ROWS[kind]
    attributes = model.get_attributes()
    whole = stored(model, value)
    bare = {name: held for name, held in whole.items() if attributes[name].default is None and not attributes[name].null}
    for raw in (whole, bare):
        # When the row is made from it directly
        row = from_raw(type(value), model, raw)
        # Then it holds the fields, and nothing else, that its class's __init__ would set
        assert vars(row) == vars(type(value)(**{name: getattr(row, name) for name in _field_names(type(value))}))


def test_a_class_that_checks_its_values_makes_its_rows_through_its_init():
    # Given a class with a __post_init__ (an applied coupon of one cycle says so)
    # Then its rows are not made by setting their fields
    assert _field_defaults(AppliedCoupon) is None
    # and an activity record's are
    assert _field_defaults(ActivityRecord) is not None


def test_a_whole_number_written_with_a_point_in_a_rows_map_reads_as_pynamodbs_item_gives_it():
    # Given an activity entry whose "before" holds 2.0 and 2.5 as DynamoDB answers them
    model, value = ROWS["activity"]
    raw = stored(model, value)
    raw["before"] = {"M": {"count": {"N": "2.0"}, "share": {"N": "2.5"}, "status": {"S": "live"}}}
    # When the row is made from it directly, Then the whole one is an int, as the item gave it
    row = from_raw(type(value), model, raw)
    assert row.before == from_item(type(value), model.from_raw_data(raw)).before == {
        "count": 2, "share": 2.5, "status": "live"}
    assert type(row.before["count"]) is int
