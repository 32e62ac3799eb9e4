"""The merchant's catalog: plans, addons and coupons."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ...domain import coupons
from ...domain.catalog import Addon, Coupon, Plan
from ...domain.errors import InvalidInput
from .commands import CouponChanges


def add_plan(adapters, org_id: str, plan: Plan, now: datetime) -> Plan:
    _same_currency(adapters, org_id, plan.currency, "currency")
    plan = replace(plan, created_at=now)
    adapters.uow.catalog.add(org_id, "plan", plan)
    return plan


def add_addon(adapters, org_id: str, addon: Addon, now: datetime) -> Addon:
    _same_currency(adapters, org_id, addon.currency, "currency")
    _known_plans(adapters, org_id, addon.plan_codes)
    addon = replace(addon, created_at=now)
    adapters.uow.catalog.add(org_id, "addon", addon)
    return addon


def add_coupon(adapters, org_id: str, coupon: Coupon, now: datetime) -> Coupon:
    """A new coupon, none redeemed; its code is taken if another differs from it only in case (409)."""
    coupons.check_new(coupon, now)
    if coupon.amount_off_minor is not None:
        _same_currency(adapters, org_id, coupon.currency, "currency")
    _known_plans(adapters, org_id, coupon.plan_codes)
    coupon = replace(coupon, created_at=now, redemptions=0, version=None)
    adapters.uow.catalog.add(org_id, "coupon", coupon)
    return replace(coupon, version=1)


def change_coupon(adapters, org_id: str, code: str, changes: CouponChanges) -> Coupon:
    """The merchant offers a coupon in the portal or not, limits or extends it, withdraws it or
    sells it again (`coupons.CHANGEABLE`); subscriptions that hold it keep it either way."""
    given = changes.given()
    if not given:
        raise InvalidInput({"body": "Name at least one of " + ", ".join(sorted(coupons.CHANGEABLE)) + "."})
    coupon = adapters.uow.catalog.get(org_id, "coupon", code)
    return adapters.uow.catalog.save_coupon(org_id, coupons.changed(coupon, given))


def list_items(adapters, org_id: str, kind: str) -> list[Plan | Addon | Coupon]:
    """Every plan, addon or coupon (`kind`) of the catalogue."""
    return adapters.uow.catalog.list_all(org_id, kind)


def _same_currency(adapters, org_id: str, currency: str | None, field: str) -> None:
    org = adapters.uow.organizations.get(org_id)
    if currency != org.currency:
        raise InvalidInput({field: f"Must be the organization's currency, {org.currency}."})


def _known_plans(adapters, org_id: str, plan_codes: tuple[str, ...]) -> None:
    if not plan_codes:
        return
    found = adapters.uow.catalog.get_many(org_id, "plan", list(plan_codes))
    missing = [code for code in plan_codes if code not in found]
    if missing:
        raise InvalidInput({"plan_codes": f"Unknown plan(s): {', '.join(missing)}."})
