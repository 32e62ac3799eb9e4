"""Per-customer figures behind the dashboard, kept exact by the transactions that change them.

No version attribute: every change is a commutative ADD (or a set DELETE), so concurrent writers never
conflict. The open credit notes are `open_credit_note_ids` minus `closed_credit_note_ids`: one UpdateItem
cannot ADD to and DELETE from the same set, so a transaction that both opens and closes notes records
the closed ones in the second set instead of deleting them."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table


@table("account_summaries")
class AccountSummaryItem(Model):
    class Meta:
        pass

    owner = UnicodeAttribute(hash_key=True)
    currency = UnicodeAttribute()
    outstanding_count = NumberAttribute(default=0)
    outstanding_minor = NumberAttribute(default=0)
    credits_minor = NumberAttribute(default=0)
    last_payment_id = UnicodeAttribute(null=True)
    last_payment_minor = NumberAttribute(null=True)
    last_payment_at = UTCDateTimeAttribute(null=True)
    last_payment_invoice_id = UnicodeAttribute(null=True)
    pending_estimates = NumberAttribute(default=0)
    pending_timesheets = NumberAttribute(default=0)
    open_credit_note_ids = UnicodeSetAttribute(null=True)
    closed_credit_note_ids = UnicodeSetAttribute(null=True)
