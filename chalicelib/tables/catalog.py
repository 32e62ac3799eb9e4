"""Plans, addons and coupons of an organization (one table, `item_key` = kind#code; a coupon's
code in the key is its case-insensitive form, `code` keeps it as the merchant wrote it)."""
from pynamodb.attributes import (BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute,
                                 UTCDateTimeAttribute, VersionAttribute)
from pynamodb.models import Model

from ..domain.catalog import coupon_key
from .base import table


def catalog_key(kind: str, code: str) -> str:
    """The item key of a catalog entry; coupons are found by their code in any case."""
    return f"{kind}#{coupon_key(code) if kind == 'coupon' else code}"


@table("catalog")
class CatalogItem(Model):
    class Meta:
        pass

    org_id = UnicodeAttribute(hash_key=True)
    item_key = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()                     # plan | addon | coupon
    code = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    active = BooleanAttribute(default=True)
    currency = UnicodeAttribute(null=True)
    price_minor = NumberAttribute(null=True)
    interval = UnicodeAttribute(null=True)
    interval_count = NumberAttribute(null=True)
    trial_days = NumberAttribute(null=True)
    recurring = BooleanAttribute(null=True)
    plan_codes = ListAttribute(null=True)
    duration = UnicodeAttribute(null=True)
    cycles = NumberAttribute(null=True)
    percent_off_bp = NumberAttribute(null=True)
    amount_off_minor = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    # coupons; absent on coupons stored before them: not offered in the portal, no limits, none redeemed
    portal = BooleanAttribute(null=True)
    max_redemptions = NumberAttribute(null=True)
    expires_at = UTCDateTimeAttribute(null=True)
    redemptions = NumberAttribute(null=True)
    version = VersionAttribute()
