"""Reviews customers write; private to the organization (`review_key` = customer#review)."""
from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from ..domain.engagement import Review
from .base import table
from .mapping import from_raw, to_item
from .pages import ListScope, Page, collect
from .transactions import Transaction


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


class Reviews:
    """The reviews an organization's customers wrote."""

    def add(self, org_id: str, review: Review, tx: Transaction | None = None) -> None:
        """Keep a review, alone or within the caller's transaction."""
        item = to_item(ReviewItem, review, org_id=org_id, review_key=f"{review.customer_id}#{review.review_id}")
        if tx is None:
            item.save()
        else:
            tx.save(item)

    def page(self, org_id: str, *, customer_id: str | None, limit: int, cursor: str | None) -> Page[Review]:
        """The organization's reviews, or one customer's."""
        scope = ListScope(f"reviews:{customer_id or 'all'}", "org_id", org_id)
        start = scope.start(cursor)
        condition = ReviewItem.review_key.startswith(f"{customer_id}#") if customer_id else None
        results = ReviewItem.query(org_id, condition, limit=limit, last_evaluated_key=start,
                                   scan_index_forward=False)
        return collect(results, lambda raw: from_raw(Review, ReviewItem, raw), limit, scope)
