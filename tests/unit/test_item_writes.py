"""Every table's items written by tables/item_writes.py go to botocore as PynamoDB's own `serialize`
gives them: the same attributes, types and values, and the same refusal of a missing value."""
from __future__ import annotations

import pytest
from pynamodb.exceptions import AttributeNullError
from pynamodb.models import Model

from chalicelib.tables.base import all_models
from chalicelib.tables.item_writes import write_item
from tests.support.item_values import a_value

MODELS = all_models()


def pynamodb_serialize(item, null_check: bool = True) -> dict:
    return Model.serialize(item, null_check=null_check)


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_an_item_with_every_attribute_writes_as_pynamodb_writes_it(model):
    # Given an item of the table with a value in every attribute
    item = model(**{name: a_value(a) for name, a in model.get_attributes().items()})
    # When it is written both ways, Then botocore is handed the same
    assert write_item(item) == pynamodb_serialize(item)
    # And the model writes this way
    assert item.serialize() == pynamodb_serialize(item)


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_an_item_with_only_its_keys_writes_its_defaults_or_is_refused_alike(model):
    # Given an item holding its keys alone (its other attributes at their defaults or unset)
    keys = {name: a_value(a) for name, a in model.get_attributes().items() if a.is_hash_key or a.is_range_key}
    item = model(**keys)
    # When it is written both ways, Then both write the same, or both name the same missing attribute
    try:
        theirs = pynamodb_serialize(item)
    except AttributeNullError as refused:
        with pytest.raises(AttributeNullError) as ours:
            write_item(item)
        assert str(ours.value) == str(refused)
    else:
        assert write_item(item) == theirs
    # And without the null check, both write what is set
    assert write_item(item, null_check=False) == pynamodb_serialize(item, null_check=False)


def test_a_missing_value_inside_a_map_is_named_by_its_path_as_pynamodb_names_it():
    # Given a model whose map attribute declares a required value, left unset
    from pynamodb.attributes import MapAttribute, UnicodeAttribute

    class Address(MapAttribute):
        city = UnicodeAttribute()

    class Customer(Model):
        class Meta:
            table_name = "customers"
        customer_id = UnicodeAttribute(hash_key=True)
        address = Address()

    item = Customer("c1", address=Address())
    # When it is written both ways, Then both refuse it, naming address.city
    with pytest.raises(AttributeNullError) as theirs:
        pynamodb_serialize(item)
    with pytest.raises(AttributeNullError) as ours:
        write_item(item)
    assert str(ours.value) == str(theirs.value) == "Attribute 'address.city' cannot be None"
