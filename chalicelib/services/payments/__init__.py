"""Paying invoices in the portal (once per Idempotency-Key), the payments made, saved payment methods,
the merchant's refunds and Stripe's webhooks."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from typing import Callable

    from ...domain.payments import PaymentMethod
    from ...tables.pages import Page
    from .commands import Parties, PayInvoices
    from .methods import CardSetup
    from .refunds import Refunded
    from .webhooks import Delivery
    from .views import Shown


class Payments:
    """Payments' use cases, one method each. Each imports its module when called, so that `import app`
    loads none of them."""

    def __init__(self, adapters):
        self._adapters = adapters

    # the customer's payments

    def pay(self, org_id: str, customer_id: str, command: PayInvoices, *, idempotency_key: str | None,
            now: datetime, wire: Callable[[Shown], dict], paid_by: str = "",
            as_read: Parties | None = None) -> dict:
        from .portal import pay
        return pay(self._adapters, org_id, customer_id, command, idempotency_key=idempotency_key, now=now, wire=wire,
                   paid_by=paid_by, as_read=as_read)

    def first_read(self, org_id: str, customer_id: str, command: PayInvoices, *, idempotency_key: str | None,
                   now: datetime) -> list[tuple]:
        from .portal import first_read
        return first_read(self._adapters, org_id, customer_id, command, idempotency_key=idempotency_key, now=now)

    def page(self, org_id: str, customer_id: str, *, limit: int, cursor: str | None) -> Page[Shown]:
        from .portal import page
        return page(self._adapters, org_id, customer_id, limit=limit, cursor=cursor)

    def detail(self, org_id: str, customer_id: str, payment_id: str) -> Shown:
        from .portal import detail
        return detail(self._adapters, org_id, customer_id, payment_id)

    def confirm_action(self, org_id: str, customer_id: str, payment_id: str, *, approve: bool,
                       now: datetime) -> Shown:
        from .portal import confirm_action
        return confirm_action(self._adapters, org_id, customer_id, payment_id, approve=approve, now=now)

    def confirm(self, org_id: str, customer_id: str, payment_id: str, now: datetime) -> Shown:
        from .confirmation import confirm
        return confirm(self._adapters, org_id, customer_id, payment_id, now)

    def publishable_key(self) -> str | None:
        from .publishable_key import publishable_key
        return publishable_key(self._adapters)

    # saved payment methods

    def methods(self, org_id: str, customer_id: str) -> list[PaymentMethod]:
        from .methods import listing
        return listing(self._adapters, org_id, customer_id)

    def methods_first_read(self, org_id: str, customer_id: str) -> list[tuple]:
        from .mirror import first_read
        return first_read(self._adapters, org_id, customer_id)

    def record_payment_methods(self, org_id: str) -> int:
        from .mirror import record_all
        return record_all(self._adapters, org_id)

    def setup_method(self, org_id: str, customer_id: str, now: datetime) -> CardSetup:
        from .methods import setup
        return setup(self._adapters, org_id, customer_id, now)

    def add_method(self, org_id: str, customer_id: str, gateway_method_id: str, *, make_default: bool,
                   now: datetime, by: str = "") -> PaymentMethod:
        from .methods import add
        return add(self._adapters, org_id, customer_id, gateway_method_id, make_default=make_default, now=now, by=by)

    def make_default(self, org_id: str, customer_id: str, payment_method_id: str,
                     now: datetime, by: str = "") -> PaymentMethod:
        from .methods import set_default
        return set_default(self._adapters, org_id, customer_id, payment_method_id, now, by)

    def replace_method(self, org_id: str, customer_id: str, payment_method_id: str, new_gateway_method_id: str,
                       now: datetime, by: str = "") -> PaymentMethod:
        from .methods import replace
        return replace(self._adapters, org_id, customer_id, payment_method_id, new_gateway_method_id, now, by)

    def remove_method(self, org_id: str, customer_id: str, payment_method_id: str, now: datetime, *,
                      subscriptions_to: str | None = None, by: str = "") -> None:
        from .methods import remove
        return remove(self._adapters, org_id, customer_id, payment_method_id, now, subscriptions_to=subscriptions_to,
                      by=by)

    # the merchant's, and the gateway's

    def refund(self, org_id: str, customer_id: str, payment_id: str, *, amount_minor: int | None, reason: str,
               idempotency_key: str | None, now: datetime, wire: Callable[[Refunded], dict]) -> dict:
        from .refunds import refund
        return refund(self._adapters, org_id, customer_id, payment_id, amount_minor=amount_minor, reason=reason,
                      idempotency_key=idempotency_key, now=now, wire=wire)

    def reconcile(self, now: datetime, *, budget_seconds: float):
        from .confirmation import reconcile
        return reconcile(self._adapters, now, budget_seconds=budget_seconds)

    def receive_webhook(self, payload: bytes, signature: str | None, now: datetime) -> Delivery:
        from .webhooks import receive
        return receive(self._adapters, payload, signature, now)
