"""Plans, addons and coupons."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ...domain.currencies import exponent
from .shared import Answer, CurrencyExponent, Items

if TYPE_CHECKING:
    from ...domain import catalog


class Plan(Answer):
    code: str
    name: str
    price_minor: int
    currency: str
    currency_exponent: CurrencyExponent
    interval: Literal["week", "month", "year"]
    interval_count: int
    trial_days: int
    description: str
    active: bool
    created_at: datetime | None

    @classmethod
    def of(cls, plan: catalog.Plan) -> Plan:
        return cls.mirroring(plan)


class Addon(Answer):
    code: str
    name: str
    price_minor: int
    currency: str
    currency_exponent: CurrencyExponent
    recurring: bool
    plan_codes: list[str]      # empty: fits every plan
    description: str
    active: bool
    created_at: datetime | None

    @classmethod
    def of(cls, addon: catalog.Addon) -> Addon:
        return cls.mirroring(addon)


class Coupon(Answer):
    code: str
    name: str
    duration: Literal["once", "forever", "repeating"]
    cycles: int | None
    percent_off_bp: int | None
    amount_off_minor: int | None
    currency: str | None       # of a fixed amount off
    currency_exponent: CurrencyExponent | None
    plan_codes: list[str]
    active: bool
    created_at: datetime | None
    portal: bool               # listed to customers and self-applicable in the portal
    max_redemptions: int | None
    expires_at: datetime | None
    redemptions: int           # subscriptions it was applied to

    @classmethod
    def of(cls, coupon: catalog.Coupon) -> Coupon:
        """A percentage off names no currency, and so no decimals."""
        return cls.mirroring(coupon, currency_exponent=exponent(coupon.currency) if coupon.currency else None)


class PlanList(Items[Plan]):
    pass   # answered by `Items.of`


class AddonList(Items[Addon]):
    pass   # answered by `Items.of`


class CouponList(Items[Coupon]):
    pass   # answered by `Items.of`
