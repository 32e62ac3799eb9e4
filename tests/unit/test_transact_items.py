"""A transaction's items, made by tables/item_writes.py and tables/expressions.py, are PynamoDB's own:
for every model, a put, an update, a delete and a condition check on any condition the tables can
write (and any update), with or without the version and the values returned on a failed condition,
go to botocore as PynamoDB's TransactWrite would send them, entry for entry and in the same order."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pynamodb.attributes import (ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute,
                                 VersionAttribute)
from pynamodb.expressions.condition import size
from pynamodb.expressions.operand import Path
from pynamodb.transactions import TransactWrite

from chalicelib.tables.base import all_models
from chalicelib.tables.ledger import LedgerEntryItem
from chalicelib.tables.sequences import SequenceItem
from chalicelib.tables.transactions import Transaction
from tests.support.item_values import a_value

MODELS = all_models()
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ordered(value):
    """A request's value with every map's entries in their order, so that order counts when compared."""
    if isinstance(value, dict):
        return [(key, ordered(inner)) for key, inner in value.items()]
    if isinstance(value, list):
        return [ordered(inner) for inner in value]
    return value


def sent(tx) -> dict:
    return {"checks": ordered(tx._condition_check_items), "deletes": ordered(tx._delete_items),
            "puts": ordered(tx._put_items), "updates": ordered(tx._update_items),
            "versions moved on": len(tx._models_for_version_attribute_update)}


def both(write):
    """`write(tx)` done on our Transaction and on PynamoDB's own TransactWrite: what each would send."""
    ours, theirs = Transaction(connection=None), TransactWrite(connection=None)
    write(ours)
    write(theirs)
    return sent(ours), sent(theirs)


def attempted(make):
    try:
        return make()
    except (ValueError, TypeError, AttributeError):
        return None


def leaf_conditions(model) -> list:
    """A condition of each kind on each of the model's attributes that PynamoDB lets one write."""
    made = [Path([next(iter(model.get_attributes().values())).attr_name, "inner[0]", "deeper"]).exists()]
    for attribute in model.get_attributes().values():
        value = a_value(attribute)
        made += [attribute.does_not_exist(), attribute.exists()]
        if not isinstance(attribute, (MapAttribute, ListAttribute)):
            made += [attempted(lambda: attribute == value), attempted(lambda: attribute != value),
                     attempted(lambda: attribute < value), attempted(lambda: attribute >= value),
                     attempted(lambda: attribute.between(value, value)),
                     attempted(lambda: attribute.is_in(value, value, value))]
        if isinstance(attribute, UnicodeAttribute):
            made.append(attribute.startswith("some"))
        if isinstance(attribute, UnicodeSetAttribute):
            made.append(attribute.contains("a"))
        if isinstance(attribute, (ListAttribute, UnicodeSetAttribute)):
            made.append(size(attribute) > 1)
        made.append(attempted(lambda: attribute.is_type(attribute.attr_type)))
    return [condition for condition in made if condition is not None]


def action_makers(model) -> list:
    """Makers of an action of each kind on each of the model's attributes (a new action each time:
    an update appends the version's to its list)."""
    made = []
    for attribute in model.get_attributes().values():
        if attribute.is_hash_key or attribute.is_range_key:
            continue
        value = a_value(attribute)
        made += [lambda a=attribute, v=value: a.set(v), lambda a=attribute: a.remove()]
        if isinstance(attribute, NumberAttribute):
            made += [lambda a=attribute: a.add(3), lambda a=attribute: a.set(a + 2),
                     lambda a=attribute: a.set(a - 1), lambda a=attribute: a.set(a | 0),
                     lambda a=attribute: a.set(5 - a)]
        if isinstance(attribute, UnicodeSetAttribute):
            made += [lambda a=attribute: a.add({"x"}), lambda a=attribute: a.delete({"a"})]
        if isinstance(attribute, ListAttribute):
            made += [lambda a=attribute: a.set(a.append(["x"])), lambda a=attribute: a.set(a.prepend(["y"]))]
        if isinstance(attribute, MapAttribute):
            made += [lambda a=attribute: Path([a.attr_name, "inner"]).set("v"),
                     lambda a=attribute: Path([a.attr_name, "tags[1]"]).remove()]
    return [make for make in made if attempted(make) is not None]


def conditions(model):
    leaves = st.sampled_from(leaf_conditions(model))
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda pair: pair[0] & pair[1]),
        st.tuples(inner, inner).map(lambda pair: pair[0] | pair[1]),
        inner.map(lambda condition: ~condition)), max_leaves=6)


def version_of(model) -> str | None:
    return next((name for name, a in model.get_attributes().items() if isinstance(a, VersionAttribute)), None)


def versions(model):
    return st.sampled_from([None, 1, 7]) if version_of(model) else st.just(None)


def an_item(model, version, *, every_value: bool):
    values = {name: a_value(attribute) for name, attribute in model.get_attributes().items()
              if every_value or attribute.is_hash_key or attribute.is_range_key}
    if version_of(model):
        values.pop(version_of(model), None) if version is None else values.update({version_of(model): version})
    return model(**values)


RETURNS = st.sampled_from([None, "ALL_OLD", "all_old", "NONE"])


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_a_put_is_sent_as_pynamodb_sends_it(model):
    @EXAMPLES
    @given(condition=st.none() | conditions(model), version=versions(model), returns=RETURNS)
    def check(condition, version, returns):
        # Given an item with every value (and a version or none), When it is put on any condition
        item = an_item(model, version, every_value=True)
        ours, theirs = both(lambda tx: tx.save(item, condition=condition, return_values=returns))
        # Then the Put is the same, its next version written and the version held checked alike
        assert ours == theirs
    check()


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_an_update_is_sent_as_pynamodb_sends_it(model):
    makers = action_makers(model)

    @EXAMPLES
    @given(condition=st.none() | conditions(model), version=versions(model), returns=RETURNS,
           chosen=st.lists(st.sampled_from(makers), min_size=1, max_size=6, unique_by=id) if makers else st.just([]),
           version_checked=st.booleans())
    def check(condition, version, returns, chosen, version_checked):
        # Given an item's keys (and a version or none), When it is updated with any actions on any condition
        item = an_item(model, version, every_value=False)
        ours, theirs = both(lambda tx: tx.update(item, [make() for make in chosen], condition=condition,
                                                 return_values=returns, add_version_condition=version_checked))
        # Then the Update is the same: its expressions, their placeholders and values, in the same order
        assert ours == theirs
    check()


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_a_delete_and_a_condition_check_are_sent_as_pynamodb_sends_them(model):
    @EXAMPLES
    @given(condition=conditions(model), version=versions(model), version_checked=st.booleans())
    def check(condition, version, version_checked):
        item = an_item(model, version, every_value=False)
        keys = [getattr(item, name) for name, a in model.get_attributes().items() if a.is_hash_key] + \
               [getattr(item, name) for name, a in model.get_attributes().items() if a.is_range_key]

        def write(tx):
            tx.delete(item, condition=condition, add_version_condition=version_checked)
            tx.delete(item, add_version_condition=version_checked)
            tx.condition_check(model, *keys, condition=condition)
        ours, theirs = both(write)
        assert ours == theirs
    check()


def test_an_update_appends_the_version_action_to_its_list_as_pynamodb_does():
    # Given a versioned item and the actions asked for
    model = next(m for m in MODELS if version_of(m))
    ours_asked, theirs_asked = [], []
    # When it is updated both ways, Then both lists gain the version's action
    Transaction(connection=None).update(an_item(model, 3, every_value=False), ours_asked)
    TransactWrite(connection=None).update(an_item(model, 3, every_value=False), theirs_asked)
    assert len(ours_asked) == 1 and [repr(a) for a in ours_asked] == [repr(a) for a in theirs_asked]


def test_a_condition_check_without_a_condition_or_with_something_else_is_refused_alike():
    for tx in (Transaction(connection=None), TransactWrite(connection=None)):
        with pytest.raises(TypeError):
            tx.condition_check(SequenceItem, "org_1#a")
        with pytest.raises(ValueError):
            tx.save(LedgerEntryItem("o#c", "k"), condition="attribute_not_exists(owner)")
