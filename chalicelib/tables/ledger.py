"""Per-customer ledger: every change to what the customer owes, append-only, in time order.

Written in the same TransactWrite as the document change it records (repositories: `save_in`),
so the statement of accounts is one Query on the customer's partition."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import OwnedByCustomer, table


@table("ledger")
class LedgerEntryItem(OwnedByCustomer, Model):
    class Meta:
        pass

    entry_key = UnicodeAttribute(range_key=True)   # at#kind#reference, `at` as sortable UTC text
    at = UTCDateTimeAttribute()
    kind = UnicodeAttribute()
    reference = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    amount_minor = NumberAttribute()               # signed: its effect on what the customer owes
    currency = UnicodeAttribute()
