"""What the subscription use cases are asked with (the portal's actions, the merchant's subscriptions
and catalogue): small frozen values the handlers build from the validated request, importable without
any use case, table or gateway (`import app` loads them)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


class _Keep:
    """A part of a change the request left out: it stays as it is (None is a value there)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


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
class CouponChanges:
    """The merchant's changes to a coupon of its catalogue: a part left KEEP stays as it is; a None
    limit or expiry removes it."""
    portal: bool = KEEP
    active: bool = KEEP
    max_redemptions: int | None = KEEP
    expires_at: datetime | None = KEEP

    def given(self) -> dict[str, Any]:
        """The parts to change, by name."""
        return {name: value for name, value in vars(self).items() if value is not KEEP}


@dataclass(frozen=True)
class NewSubscription:
    """A subscription the merchant starts (future, trial or live), or imports in any status with what it
    already has elsewhere (the `IMPORTED` parts: days of the organization's time zone, its retries,
    pause and cancellation; None works a part out from the status and today)."""
    customer_id: str
    plan_code: str
    status: str = "live"
    addons: tuple[tuple[str, int], ...] = ()      # (code, quantity)
    coupon_code: str | None = None                # any coupon of the catalogue, offered in the portal or not
    auto_charge: bool = False
    payment_method_id: str | None = None
    starts_at: date | None = None                 # a future subscription's first day
    reference: str = ""
    trial_end: date | None = None
    term_start: date | None = None
    term_end: date | None = None                  # the first day after the term
    pause_at: date | None = None
    resume_at: date | None = None
    paused_at: date | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    expired_at: datetime | None = None
    next_retry_at: datetime | None = None
    dunning_attempts: int | None = None
    trial_extensions_used: int | None = None

    IMPORTED = ("trial_end", "term_start", "term_end", "pause_at", "resume_at", "paused_at", "cancelled_at",
                "cancel_reason", "expired_at", "next_retry_at", "dunning_attempts", "trial_extensions_used")

    def imported(self) -> dict[str, Any]:
        """The parts it already has elsewhere, by name (those given)."""
        return {name: getattr(self, name) for name in self.IMPORTED if getattr(self, name) is not None}
