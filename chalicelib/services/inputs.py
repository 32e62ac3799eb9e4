"""What handlers hand to services: small values, importable without importing any service,
table or gateway (a use case's module is imported when its facade's method is first called)."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.customers import Address


@dataclass(frozen=True)
class Caller:
    """The signed-in contact a portal action is for."""
    org_id: str
    customer_id: str
    contact_id: str


@dataclass(frozen=True)
class ChangeRequest:
    """What the customer asks for; None keeps what the subscription has. `remove_coupon` drops it."""
    plan: str | None = None
    addons: tuple[tuple[str, int], ...] | None = None
    coupon: str | None = None
    remove_coupon: bool = False


@dataclass(frozen=True)
class ProfileChanges:
    """What the contact asks to change; None leaves a part as it is."""
    contact: dict | None = None             # first_name, last_name, phone, email
    billing_address: Address | None = None
    shipping_address: Address | None = None
    custom_fields: dict | None = None       # only the keys to change; null clears one
    current_password: str | None = None     # needed to change the sign-in email
