"""Builders for portal subscription tests: a merchant with a catalog and the portal features it
turns on, a signed-in customer, and subscriptions in any status (imported through the admin API)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tests.support.api import NOW, Api
from tests.support.portal import Clock, PortalOrganization, SignedInCustomer, portal_organization, signed_in_customer

EVERYTHING_ON = {
    "trial": {"convert_to_live": True, "extend": True, "cancel": True},
    "edit_subscription": {"enabled": True},
    "auto_charge": True,
    "pause_resume": {"enabled": True, "customer_can_resume": True},
    "cancel": {"enabled": True},
    "reactivate": True,
}


# a 31-day term that NOW (2026-11-25) falls in the middle of
TERM = {"term_start": date(2026, 11, 9), "term_end": date(2026, 12, 10)}
# fields of POST /admin/subscriptions that are days of the organization's calendar
DAY_FIELDS = {"starts_at", "trial_end", "term_start", "term_end", "resume_at", "pause_at", "paused_at"}


@dataclass
class Shop:
    """A merchant, its customer Zoë signed in to the portal, and the test's clock."""
    acme: PortalOrganization
    zoe: SignedInCustomer
    clock: Clock
    api: Api

    @property
    def admin(self) -> Api:
        return self.acme.admin

    @property
    def portal(self) -> Api:
        return self.zoe.portal

    def preferences(self, preferences: dict) -> None:
        answer = self.admin.put("/admin/preferences", {"preferences": preferences})
        assert answer.status == 200, answer.json

    def subscription(self, status: str = "live", plan: str = "pro", **fields) -> dict:
        """A subscription of Zoë's customer, imported in `status` with the given fields."""
        return subscription_of(self.admin, self.zoe.customer_id, status=status, plan=plan, **fields)

    def coupon(self, code: str, *, portal: bool = True, **fields) -> dict:
        """A coupon the merchant adds (10% off for good, offered in the portal unless told otherwise)."""
        body = {"code": code, "name": f"{code} offer", "percent_off_bp": 1000, "duration": "forever",
                "portal": portal}
        for name, value in fields.items():
            body[name] = value.isoformat() if isinstance(value, datetime) else value
        answer = self.admin.post("/admin/coupons", body)
        assert answer.status == 201, answer.json
        return answer.json

    def saved_card(self, test_card: str = "pm_card_visa") -> str:
        """Zoë saves a card in the portal (a Stripe test id in simulated mode); its id, for auto-charge."""
        answer = self.portal.post("/portal/payment-methods", {"payment_method": test_card})
        assert answer.status == 201, answer.json
        return answer.json["payment_method_id"]

    def another_customer(self, email: str = "hank@initech.example") -> SignedInCustomer:
        return signed_in_customer(self.api, self.acme.org, self.acme.key, email=email, display_name="Initech")


def a_shop(c, preferences: dict | None = EVERYTHING_ON, at: datetime = NOW) -> Shop:
    api = Api(c)
    clock = Clock(at)
    acme = portal_organization(api)
    with_plans(acme.admin)
    zoe = signed_in_customer(api, acme.org, acme.key)
    shop = Shop(acme, zoe, clock, api)
    if preferences is not None:
        shop.preferences(preferences)
    return shop


def with_plans(admin: Api) -> None:
    for body in (
        {"code": "pro", "name": "Pro", "price_minor": 10_000, "currency": "USD", "trial_days": 14},
        {"code": "biz", "name": "Business", "price_minor": 20_000, "currency": "USD", "trial_days": 14},
        {"code": "yearly", "name": "Pro yearly", "price_minor": 120_000, "currency": "USD", "interval": "year"},
    ):
        assert admin.post("/admin/plans", body).status == 201
    assert admin.post("/admin/addons", {"code": "seats", "name": "Extra seat", "price_minor": 1_000,
                                        "currency": "USD"}).status == 201
    assert admin.post("/admin/coupons", {"code": "welcome20", "name": "Welcome", "percent_off_bp": 2000,
                                         "duration": "forever", "portal": True}).status == 201


def subscription_of(admin: Api, customer_id: str, *, status: str = "live", plan: str = "pro", **fields) -> dict:
    body = {"customer_id": customer_id, "plan_code": plan, "status": status}
    for name, value in fields.items():
        if isinstance(value, datetime) and name in DAY_FIELDS:
            value = value.date()          # a test's instant names its (UTC) day
        body[name] = value.isoformat() if isinstance(value, date) else value
    answer = admin.post("/admin/subscriptions", body)
    assert answer.status == 201, answer.json
    return answer.json


def mark_expired_at_trial_end(org_id: str, customer_id: str, subscription_id: str) -> None:
    """What the trial-expiry job records when the first charge fails (the admin import cannot)."""
    from dataclasses import replace

    from chalicelib.bootstrap import adapters
    from chalicelib.domain.organization import clock_name
    sub = adapters().uow.subscriptions.get(org_id, customer_id, subscription_id)
    adapters().uow.subscriptions.save(org_id, replace(sub, expired_reason="trial_charge_failed"),
                                      clock=clock_name(adapters().uow.organizations.get(org_id)))


def action(answer, name: str) -> dict:
    """One entry of a subscription's allowed_actions."""
    return next(a for a in answer.json["allowed_actions"] if a["action"] == name)
