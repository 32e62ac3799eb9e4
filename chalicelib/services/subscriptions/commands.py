"""What the portal's subscription actions are asked with: small frozen values the handlers build from
the validated request, importable without any use case, table or gateway (`import app` loads them)."""
from __future__ import annotations

from dataclasses import dataclass


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
