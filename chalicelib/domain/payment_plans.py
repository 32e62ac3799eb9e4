"""How a payment was asked for, kept under its payment key when it is claimed: what a retry, a
recovery or its settlement needs again (the invoices it claims, the credits it applies, the card to
save, what the gateway is asked with). Kept as JSON with the keys it has always had, so a plan
stored before this value existed reads the same."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MethodToSave:
    """save_for_future: the method to keep once the payment succeeds. `new` when the card was only
    attached for this payment (its card details are kept with it); otherwise a saved one of ours."""
    payment_method_id: str
    new: bool = False
    gateway: str = ""
    gateway_method_id: str = ""
    brand: str = ""
    last4: str = ""
    exp_month: int = 0
    exp_year: int = 0

    def stored(self) -> dict:
        if not self.new:
            return {"payment_method_id": self.payment_method_id}
        return {"payment_method_id": self.payment_method_id, "new": True, "gateway": self.gateway,
                "gateway_method_id": self.gateway_method_id, "brand": self.brand, "last4": self.last4,
                "exp_month": self.exp_month, "exp_year": self.exp_year}

    @classmethod
    def from_stored(cls, stored: dict | None) -> MethodToSave | None:
        if not stored:
            return None
        return cls(**{name: stored[name] for name in cls.__dataclass_fields__ if name in stored})


@dataclass(frozen=True)
class PaymentPlan:
    """`credits`: (invoice_id, credit_note_id, amount_minor) to apply when it succeeds. A payment made
    elsewhere (recorded by the merchant) has none: `PaymentPlan.none(payment_id)`."""
    payment_id: str
    invoice_ids: tuple[str, ...] = ()
    credits: tuple[tuple[str, str, int], ...] = ()
    save_method: MethodToSave | None = None
    gateway_customer_id: str | None = None
    gateway_method_id: str | None = None
    off_session: bool = False
    gateway_key: str = ""
    description: str = ""

    @classmethod
    def none(cls, payment_id: str) -> PaymentPlan:
        """A payment made without one: it claims nothing, applies no credit, saves no card."""
        return cls(payment_id)

    def stored(self) -> dict:
        """The JSON form kept under the payment key (its keys unchanged since plans were dicts)."""
        return {"payment_id": self.payment_id, "invoice_ids": list(self.invoice_ids),
                "credits": [list(credit) for credit in self.credits],
                "save_method": self.save_method.stored() if self.save_method else None,
                "gateway_customer_id": self.gateway_customer_id, "gateway_method_id": self.gateway_method_id,
                "off_session": self.off_session, "gateway_key": self.gateway_key, "description": self.description}

    @classmethod
    def from_stored(cls, stored: dict) -> PaymentPlan:
        return cls(payment_id=stored["payment_id"], invoice_ids=tuple(stored.get("invoice_ids") or ()),
                   credits=tuple((c[0], c[1], int(c[2])) for c in stored.get("credits") or ()),
                   save_method=MethodToSave.from_stored(stored.get("save_method")),
                   gateway_customer_id=stored.get("gateway_customer_id"),
                   gateway_method_id=stored.get("gateway_method_id"),
                   off_session=bool(stored.get("off_session", False)), gateway_key=stored.get("gateway_key", ""),
                   description=stored.get("description", ""))


@dataclass(frozen=True)
class RefundPlan:
    """A merchant's refund, kept under its key while it runs: what it gives back, and how much of the
    payment had been refunded before it (a refund whose runner died is continued from there,
    refunding nothing twice). Kept as JSON with the keys it has always had."""
    amount_minor: int
    refunded_before: int

    def stored(self) -> dict:
        return {"amount_minor": self.amount_minor, "refunded_before": self.refunded_before}

    @classmethod
    def from_stored(cls, stored: dict) -> RefundPlan:
        return cls(int(stored["amount_minor"]), int(stored["refunded_before"]))
