"""What the payments' use cases are asked with: frozen values the handlers build from the validated
request, importable without any use case, table or gateway (`import app` loads them)."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...domain.customers import Customer
    from ...domain.organization import Organization


@dataclass(frozen=True)
class PayInvoices:
    """The customer pays `invoice_ids`, or `all_outstanding` (of `currency`, needed only when they owe in
    more than one), with `payment_method`: a saved one (our `pm_` id) or what Stripe.js returned.
    `amount_minor` pays part of a single invoice; `use_credits` applies available credits first;
    `save_for_future` keeps the method for the paid subscriptions' automatic charges."""
    payment_method: str
    invoice_ids: tuple[str, ...] | None = None
    all_outstanding: bool = False
    currency: str | None = None
    save_for_future: bool = False
    amount_minor: int | None = None
    use_credits: bool = False

    def as_request(self) -> dict:
        """The parts the client gave (those not left as they are by default): what a retry with the same
        Idempotency-Key must send again (services/payments/idempotency.request_hash)."""
        given = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != f.default}
        if "invoice_ids" in given:
            given["invoice_ids"] = list(given["invoice_ids"])
        return given


@dataclass(frozen=True)
class Parties:
    """The organization and customer a payment is made for, as the session check has just read them:
    the payment's first read does not read them again (docs/billing.md "Paying once per Idempotency-Key")."""
    org: Organization
    customer: Customer
