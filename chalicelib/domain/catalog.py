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


@dataclass(frozen=True)
class Coupon:
    code: str
    name: str
    duration: Literal["once", "forever", "repeating"] = "once"
    cycles: int | None = None           # for "repeating"
    percent_off_bp: int | None = None   # basis points: 2000 = 20 %
    amount_off_minor: int | None = None
    currency: str | None = None         # for a fixed amount off
    plan_codes: tuple[str, ...] = ()
    active: bool = True
    created_at: datetime | None = None

    def fits(self, plan_code: str) -> bool:
        return not self.plan_codes or plan_code in self.plan_codes
