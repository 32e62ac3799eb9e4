"""Per-customer figures behind the dashboard, kept exact by the transactions that change them.

No version attribute: every change is a commutative ADD, so concurrent writers never conflict."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
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
