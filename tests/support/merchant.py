"""Builders for a merchant's back office: a catalog and customers, through the admin API."""
from __future__ import annotations

from tests.support.api import Api


def with_catalog(api: Api) -> None:
    assert api.post("/admin/plans", {"code": "pro", "name": "Pro", "price_minor": 10000, "currency": "USD",
                                     "trial_days": 14}).status == 201
    assert api.post("/admin/addons", {"code": "seats", "name": "Extra seat", "price_minor": 500,
                                      "currency": "USD"}).status == 201
    assert api.post("/admin/coupons", {"code": "welcome20", "name": "Welcome", "percent_off_bp": 2000,
                                       "duration": "forever"}).status == 201


def a_customer(api: Api, name: str = "Globex") -> dict:
    slug = name.lower().replace(" ", "")
    answer = api.post("/admin/customers", {"display_name": name, "email": f"ap@{slug}.example",
                                           "contacts": [{"first_name": "Pat", "email": f"pat@{slug}.example"}]})
    assert answer.status == 201, answer.json
    return answer.json
