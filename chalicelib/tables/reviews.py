"""Reviews customers write; private to the organization (`review_key` = customer#review)."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from .base import table


@table("reviews")
class ReviewItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    review_key = UnicodeAttribute(range_key=True)
    review_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    rating = NumberAttribute()
    comment = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
