"""Plans, addons and coupons."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from .shared import Answer, CurrencyExponent, Items


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


class PlanList(Items[Plan]):
    pass


class AddonList(Items[Addon]):
    pass


class CouponList(Items[Coupon]):
    pass
