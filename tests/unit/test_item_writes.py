"""Every table's items made and written by tables/item_writes.py are PynamoDB's own: a new item holds
the same values and defaults as PynamoDB's constructor gives it, and goes to botocore as PynamoDB's
`serialize` gives it (the same attributes, types and values, the same refusal of a missing value)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pynamodb.attributes import AttributeContainer, ListAttribute, MapAttribute, UnicodeAttribute
from pynamodb.exceptions import AttributeNullError
from pynamodb.models import Model

from chalicelib.tables.base import all_models
from chalicelib.tables.item_writes import set_attributes, set_defaults, write_item
from tests.support.item_values import a_value

MODELS = all_models()


def pynamodb_serialize(item, null_check: bool = True) -> dict:
    return Model.serialize(item, null_check=null_check)


def pynamodb_made(model, _user_instantiated: bool = True, **attributes):
    """The item as PynamoDB's own constructor makes it."""
    item = model.__new__(model)
    item.attribute_values = {}
    item._set_discriminator()
    AttributeContainer._set_defaults(item, _user_instantiated=_user_instantiated)
    AttributeContainer._set_attributes(item, **attributes)
    return item


def held(item) -> dict:
    """An item's values as comparable plain values, with their types (a map attribute as what it holds,
    in its order)."""
    return {name: (type(value), in_order(value.__dict__) if isinstance(value, MapAttribute) else value)
            for name, value in item.attribute_values.items()}


def in_order(values: dict) -> list:
    return [(name, in_order(value) if isinstance(value, dict) else value) for name, value in values.items()]


def every_value(model) -> dict:
    return {name: a_value(a) for name, a in model.get_attributes().items()}


def only_keys(model) -> dict:
    return {name: a_value(a) for name, a in model.get_attributes().items() if a.is_hash_key or a.is_range_key}


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_a_new_item_holds_what_pynamodb_would_make_of_it(model):
    # Given the values of every attribute, and then the keys alone
    for values in (every_value(model), only_keys(model)):
        # When an item is made of them both ways, Then it holds the same values, in the same order
        assert list(held(model(**values)).items()) == list(held(pynamodb_made(model, **values)).items())
    # And an item made as read (not by a user) takes the same defaults
    assert held(model(_user_instantiated=False, **only_keys(model))) == \
        held(pynamodb_made(model, _user_instantiated=False, **only_keys(model)))


def test_an_unknown_attribute_is_refused_as_pynamodb_refuses_it():
    model = MODELS[0]
    with pytest.raises(ValueError) as theirs:
        pynamodb_made(model, no_such_attribute=1)
    with pytest.raises(ValueError) as ours:
        model(no_such_attribute=1)
    assert str(ours.value) == str(theirs.value) == "Attribute no_such_attribute specified does not exist"


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_an_item_with_every_attribute_writes_as_pynamodb_writes_it(model):
    # Given an item of the table with a value in every attribute
    item = model(**every_value(model))
    # When it is written both ways, Then botocore is handed the same
    assert write_item(item) == pynamodb_serialize(item)
    # And the model writes this way
    assert item.serialize() == pynamodb_serialize(item)


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_an_item_with_only_its_keys_writes_its_defaults_or_is_refused_alike(model):
    # Given an item holding its keys alone (its other attributes at their defaults or unset)
    item = model(**only_keys(model))
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


class Documented(Model):
    """A table with a raw map and an untyped list, made as every table's items are (base.table)."""
    class Meta:
        table_name = "documented"
    _set_defaults, _set_attributes, serialize = set_defaults, set_attributes, write_item
    key = UnicodeAttribute(hash_key=True)
    details = MapAttribute(null=True)
    rows = ListAttribute(null=True)


plain = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
                  st.binary(max_size=3), st.sets(st.text(max_size=3), max_size=2),
                  st.frozensets(st.integers(), max_size=2).map(set))
nested = st.recursive(plain, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=4).filter(lambda k: k.isidentifier()), inner, max_size=2)
    .map(lambda values: MapAttribute(**values))), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(details=st.none() | st.dictionaries(st.text(max_size=4), nested, max_size=4),
       rows=st.none() | st.lists(nested, max_size=4))
def test_a_raw_map_and_an_untyped_list_write_as_pynamodb_writes_them(details, rows):
    # Given any nesting of text, numbers, booleans, nulls, bytes, sets, maps and lists
    item = Documented("k", details=details, rows=rows)
    # When it is written both ways, Then botocore is handed the same, or both refuse it alike
    try:
        theirs = pynamodb_serialize(item)
    except Exception as refused:   # noqa: BLE001 - whatever PynamoDB raises, ours raises too
        with pytest.raises(type(refused)) as ours:
            write_item(item)
        assert str(ours.value) == str(refused)
    else:
        assert write_item(item) == theirs


@settings(max_examples=200, deadline=None)
@given(details=st.dictionaries(st.sampled_from(["null", "default", "attr_name", "a", "b"]) | st.text(max_size=3),
                               nested, max_size=5))
def test_a_dict_set_on_a_raw_map_is_held_as_pynamodb_holds_it(details):
    # Given a dict, some of its entries named as Attribute's arguments (which PynamoDB's map sets last)
    # When an item is made with it both ways, Then the map holds the same entries in the same order
    assert list(held(Documented(key="k", details=details)).items()) == \
        list(held(pynamodb_made(Documented, key="k", details=details)).items())
