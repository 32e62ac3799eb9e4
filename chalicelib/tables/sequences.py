"""Document number sequences per organization (INV-000042): an atomic counter per name.

Kept apart from the versioned organization item so numbering never contends with settings edits.
"""
from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from .base import table


@table("sequences")
class SequenceItem(Model):
    class Meta:
        pass

    sequence_key = UnicodeAttribute(hash_key=True)    # org#name
    value = NumberAttribute(default=0)


class Sequences:
    """The organizations' document number sequences."""

    def next_number(self, org_id: str, sequence: str) -> int:
        """Atomically take the next document number of a sequence (invoice_seq, credit_note_seq, ...).
        Taken before the document's transaction: a failed transaction leaves a gap, never a duplicate."""
        item = SequenceItem(f"{org_id}#{sequence}")
        item.update(actions=[SequenceItem.value.add(1)])
        return int(item.value)
