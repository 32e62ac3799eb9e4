"""Plans, addons and coupons."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from pydantic import Field, StrictBool, field_validator, model_validator

from ... import bootstrap
from ...bootstrap import services
from ...domain.errors import NotFound
from ..credentials import merchant_key
from ..http import Body, Routes
from ..schemas import COUPON_CODE_PATTERN, Code, CouponCode, Currency, Instant, Name

if TYPE_CHECKING:   # built by the bodies when a request comes, not at `import app`
    from ...services.subscriptions.commands import CouponChanges
    from ...domain.catalog import Addon, Coupon, Plan


api = Routes("merchant", merchant_key)

MAX_PRICE_MINOR = 10**11
MAX_REDEMPTIONS = 10**9
Redemptions = Field(default=None, ge=1, le=MAX_REDEMPTIONS)


class PlanBody(Body):
    code: Code
    name: Name
    price_minor: int = Field(ge=0, le=MAX_PRICE_MINOR)
    currency: Currency
    interval: Literal["week", "month", "year"] = "month"
    interval_count: int = Field(default=1, ge=1, le=12)
    trial_days: int = Field(default=0, ge=0, le=365)
    description: str = Field(default="", max_length=1000)

    def plan(self) -> Plan:
        from ...domain.catalog import Plan
        return Plan(self.code, self.name, self.price_minor, self.currency, self.interval, self.interval_count,
                    self.trial_days, self.description)


class AddonBody(Body):
    code: Code
    name: Name
    price_minor: int = Field(ge=0, le=MAX_PRICE_MINOR)
    currency: Currency
    recurring: bool = True
    plan_codes: list[Code] = Field(default_factory=list, max_length=100)
    description: str = Field(default="", max_length=1000)

    def addon(self) -> Addon:
        from ...domain.catalog import Addon
        return Addon(self.code, self.name, self.price_minor, self.currency, self.recurring, tuple(self.plan_codes),
                     self.description)


class CouponBody(Body):
    code: CouponCode          # shown as written, matched in any case
    name: Name
    duration: Literal["once", "forever", "repeating"] = "once"
    cycles: int | None = Field(default=None, ge=1, le=120)
    percent_off_bp: int | None = Field(default=None, ge=1, le=10000)
    amount_off_minor: int | None = Field(default=None, ge=1, le=MAX_PRICE_MINOR)
    currency: Currency | None = None
    plan_codes: list[Code] = Field(default_factory=list, max_length=100)
    portal: StrictBool = False              # listed to customers and self-applicable in the portal
    max_redemptions: int | None = Redemptions
    expires_at: Instant | None = None

    def coupon(self) -> Coupon:
        from ...domain.catalog import Coupon
        return Coupon(self.code, self.name, self.duration, self.cycles, self.percent_off_bp, self.amount_off_minor,
                      self.currency, tuple(self.plan_codes), portal=self.portal, max_redemptions=self.max_redemptions,
                      expires_at=self.expires_at)

    @model_validator(mode="after")
    def one_kind_of_discount(self):
        if (self.percent_off_bp is None) == (self.amount_off_minor is None):
            raise ValueError("Give exactly one of percent_off_bp or amount_off_minor.")
        if self.amount_off_minor is not None and self.currency is None:
            raise ValueError("A fixed amount off needs its currency.")
        if (self.duration == "repeating") != (self.cycles is not None):
            raise ValueError("cycles is required for, and only for, a repeating coupon.")
        return self


class CouponChangesBody(Body):
    """Only the fields given change; `null` removes the limit or the expiry (not `portal` or
    `active`: they are true or false)."""
    portal: StrictBool | None = None
    active: StrictBool | None = None
    max_redemptions: int | None = Redemptions
    expires_at: Instant | None = None

    @field_validator("portal", "active")
    @classmethod
    def _true_or_false(cls, value: bool | None) -> bool:
        if value is None:      # given as null (an omitted field is not validated)
            raise ValueError("Give true or false.")
        return value

    def changes(self) -> CouponChanges:
        from ...services.subscriptions.commands import CouponChanges
        return CouponChanges(**{name: getattr(self, name) for name in self.model_fields_set})


def _coupon_code(code: str) -> str:
    """A code no coupon could have is simply not found."""
    if len(code) > 64 or not re.fullmatch(COUPON_CODE_PATTERN, code):
        raise NotFound("coupon")
    return code


@api.route("/admin/plans", response="PlanList")
def list_plans():
    """Every plan."""
    from ..responses.catalog import PlanList   # on the first answer, not at `import app`
    return PlanList.of(services().subscriptions.catalog(api.merchant().org_id, "plan")).model_dump()


@api.route("/admin/plans", "POST", body=PlanBody, status=201, response="Plan")
def create_plan(body: PlanBody):
    """Add a plan."""
    from ..responses.catalog import Plan as PlanAnswer
    return PlanAnswer.of(services().subscriptions.add_plan(api.merchant().org_id, body.plan(),
                                                           bootstrap.now())).model_dump()


@api.route("/admin/addons", response="AddonList")
def list_addons():
    """Every addon."""
    from ..responses.catalog import AddonList
    return AddonList.of(services().subscriptions.catalog(api.merchant().org_id, "addon")).model_dump()


@api.route("/admin/addons", "POST", body=AddonBody, status=201, response="Addon")
def create_addon(body: AddonBody):
    """Add an addon."""
    from ..responses.catalog import Addon as AddonAnswer
    return AddonAnswer.of(services().subscriptions.add_addon(api.merchant().org_id, body.addon(),
                                                             bootstrap.now())).model_dump()


@api.route("/admin/coupons", response="CouponList")
def list_coupons():
    """Every coupon."""
    from ..responses.catalog import CouponList
    return CouponList.of(services().subscriptions.catalog(api.merchant().org_id, "coupon")).model_dump()


@api.route("/admin/coupons", "POST", body=CouponBody, status=201, response="Coupon")
def create_coupon(body: CouponBody):
    """Add a coupon (not offered in the portal unless `portal` is true)."""
    from ..responses.catalog import Coupon as CouponAnswer
    return CouponAnswer.of(services().subscriptions.add_coupon(api.merchant().org_id, body.coupon(),
                                                               bootstrap.now())).model_dump()


@api.route("/admin/coupons/{code}", "PATCH", body=CouponChangesBody, response="Coupon")
def change_coupon(code: str, body: CouponChangesBody):
    """Offer a coupon in the portal or not, limit or extend it, withdraw it or sell it again."""
    from ..responses.catalog import Coupon as CouponAnswer
    return CouponAnswer.of(services().subscriptions.change_coupon(api.merchant().org_id, _coupon_code(code),
                                                                  body.changes())).model_dump()
