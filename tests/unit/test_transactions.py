"""A transaction counts what it holds (DynamoDB takes at most 100 items), without sending anything."""
from chalicelib.tables.sequences import SequenceItem
from chalicelib.tables.transactions import Transaction


def test_a_transaction_counts_its_puts_updates_deletes_and_condition_checks():
    tx = Transaction(connection=None)
    assert tx.item_count() == 0

    tx.save(SequenceItem("org_1#a", value=1))
    tx.update(SequenceItem("org_1#b"), actions=[SequenceItem.value.add(1)])
    tx.delete(SequenceItem("org_1#c"))
    tx.condition_check(SequenceItem, "org_1#d", condition=SequenceItem.sequence_key.exists())

    assert tx.item_count() == 4
