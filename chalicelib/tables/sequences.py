"""Document number sequences per organization (INV-000042): an atomic counter per name.

Kept apart from the versioned organization item so numbering never contends with settings edits.
"""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from .base import table


@table("sequences")
class SequenceItem(Model):
    class Meta:
        pass

    sequence_key = UnicodeAttribute(hash_key=True)    # org#name
    value = NumberAttribute(default=0)
