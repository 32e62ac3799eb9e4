"""What a merchant sells: plans, addons and coupons."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .money import Money

Interval = Literal["week", "month", "year"]


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    price_minor: int
    currency: str
    interval: Interval = "month"
    interval_count: int = 1
    trial_days: int = 0
    description: str = ""
    active: bool = True
    created_at: datetime | None = None

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)


@dataclass(frozen=True)
class Addon:
    code: str
    name: str
    price_minor: int
    currency: str
    recurring: bool = True              # False: charged once, on the next invoice
    plan_codes: tuple[str, ...] = ()    # empty: usable with every plan
    description: str = ""
    active: bool = True
    created_at: datetime | None = None

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)

    def fits(self, plan_code: str) -> bool:
        return not self.plan_codes or plan_code in self.plan_codes


def coupon_key(code: str) -> str:
    """The form a coupon code is matched in: `TENOFF`, `tenoff` and `TenOff` are one coupon."""
    return code.casefold()


@dataclass(frozen=True)
class Coupon:
    code: str                           # as the merchant wrote it; matched by `key`
    name: str
    duration: Literal["once", "forever", "repeating"] = "once"
    cycles: int | None = None           # for "repeating"
    percent_off_bp: int | None = None   # basis points: 2000 = 20 %
    amount_off_minor: int | None = None
    currency: str | None = None         # for a fixed amount off
    plan_codes: tuple[str, ...] = ()
    active: bool = True
    created_at: datetime | None = None
    portal: bool = False                # listed to customers and self-applicable in the portal
    max_redemptions: int | None = None  # None: no limit
    expires_at: datetime | None = None  # from then on it is never newly applied
    redemptions: int = 0                # subscriptions it has been applied to
    version: int | None = None

    @property
    def key(self) -> str:
        return coupon_key(self.code)

    def fits(self, plan_code: str) -> bool:
        return not self.plan_codes or plan_code in self.plan_codes

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    @property
    def exhausted(self) -> bool:
        return self.max_redemptions is not None and self.redemptions >= self.max_redemptions
