"""Builders for payment tests: a signed-in customer with invoices to pay, saved cards,
subscriptions charged to them, payments with an Idempotency-Key, and signed Stripe events."""
from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass

from tests.support.api import Api
from tests.support.portal import PortalOrganization, SignedInCustomer, portal_organization, signed_in_customer

WEBHOOK_SECRET = "whsec_portico_tests"
_keys = itertools.count(1)


@dataclass
class Payer:
    """A merchant (admin API) and one of its customers, signed in to the portal."""
    merchant: PortalOrganization
    customer: SignedInCustomer

    @property
    def admin(self) -> Api:
        return self.merchant.admin

    @property
    def portal(self) -> Api:
        return self.customer.portal

    @property
    def org_id(self) -> str:
        return self.merchant.org.org_id

    @property
    def customer_id(self) -> str:
        return self.customer.customer_id


def a_payer(api: Api, *, org_name: str = "Acme Cloud", email: str = "zoe@globex.example",
            display_name: str = "Globex", merchant: PortalOrganization | None = None) -> Payer:
    merchant = merchant or portal_organization(api, org_name)
    customer = signed_in_customer(api, merchant.org, merchant.key, email=email, display_name=display_name)
    return Payer(merchant, customer)


def an_invoice(payer: Payer, amount_minor: int = 10000, *, due_days: int = 15, tax_rate_bp: int = 0,
               subscription_id: str | None = None) -> dict:
    body = {"customer_id": payer.customer_id, "due_days": due_days, "tax_rate_bp": tax_rate_bp,
            "lines": [{"description": "Consulting", "unit_price_minor": amount_minor}]}
    if subscription_id:
        body["subscription_id"] = subscription_id
    answer = payer.admin.post("/admin/invoices", body)
    assert answer.status == 201, answer.json
    return answer.json


def a_credit_note(payer: Payer, amount_minor: int) -> dict:
    answer = payer.admin.post("/admin/credit-notes", {"customer_id": payer.customer_id, "reason": "Goodwill",
                                                      "lines": [{"description": "Goodwill",
                                                                 "unit_price_minor": amount_minor}]})
    assert answer.status == 201, answer.json
    return answer.json


def a_saved_card(payer: Payer, test_id: str = "pm_card_visa", **extra) -> dict:
    answer = payer.portal.post("/portal/payment-methods", {"payment_method": test_id, **extra})
    assert answer.status == 201, answer.json
    return answer.json


def a_subscription(payer: Payer, *, payment_method_id: str | None = None, auto_charge: bool = True,
                   status: str = "live") -> dict:
    """A subscription to a plan (the catalog is created on first use), imported without an invoice."""
    if payer.admin.get("/admin/plans").json["items"] == []:
        assert payer.admin.post("/admin/plans", {"code": "pro", "name": "Pro", "price_minor": 10000,
                                                 "currency": "USD"}).status == 201
    body = {"customer_id": payer.customer_id, "plan_code": "pro", "status": status, "auto_charge": auto_charge,
            "term_start": "2026-11-01T00:00:00+00:00"}
    if payment_method_id:
        body["payment_method_id"] = payment_method_id
    answer = payer.admin.post("/admin/subscriptions", body)
    assert answer.status == 201, answer.json
    return answer.json


def a_key() -> str:
    return f"click-{next(_keys)}"


def pay(portal: Api, body: dict, *, key: str | None = None):
    """POST /portal/payments with an Idempotency-Key (a fresh one unless given)."""
    return portal.post("/portal/payments", body, headers={"Idempotency-Key": key or a_key()})


# --- Stripe events ----------------------------------------------------------------------------

def with_webhook_secret(monkeypatch) -> None:
    from chalicelib import bootstrap, config
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    config.reload()
    bootstrap.stripe_webhook_secret.cache_clear()


def stripe_event(event_type: str, data_object: dict, *, event_id: str | None = None,
                 previous_attributes: dict | None = None) -> str:
    data = {"object": data_object}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return json.dumps({"id": event_id or f"evt_{next(_keys)}", "object": "event", "type": event_type,
                       "api_version": "2025-01-01", "created": int(time.time()), "data": data})


def signature(payload: str, *, secret: str = WEBHOOK_SECRET, seconds_ago: int = 0) -> str:
    import stripe
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=int(time.time()) - seconds_ago)


def deliver(api: Api, payload: str, *, header: str | None = None):
    """POST /webhooks/stripe as Stripe does: the raw body and its signature."""
    headers = {"Stripe-Signature": header if header is not None else signature(payload)}
    return api.as_(None).call("POST", "/webhooks/stripe", headers=headers, raw=payload.encode("utf-8"))


def payment_intent(payment: dict, *, status: str = "succeeded", error: dict | None = None,
                   gateway_payment_id: str | None = None) -> dict:
    """The PaymentIntent Stripe would send for one of our payments."""
    intent = {"id": gateway_payment_id or payment.get("gateway_payment_id") or "pi_unknown",
              "object": "payment_intent", "status": status, "amount": payment["amount_minor"],
              "currency": payment["currency"].lower(), "metadata": {}}
    if error is not None:
        intent["last_payment_error"] = error
    return intent


# --- a gateway that counts -------------------------------------------------------------------

class CountingGateway:
    """The simulated gateway, counting charges as Stripe would: calls with one idempotency key
    are one charge. `pause` widens race windows; `lose_answers` makes the next charges go through
    and then time out (the runner never hears back), as a crash between charge and settle."""

    def __init__(self, *, pause: float = 0.0, lose_answers: int = 0):
        import threading

        from chalicelib.gateways.simulated_payments import SimulatedGateway
        self._inner = SimulatedGateway()
        self.name, self.publishable_key = self._inner.name, None
        self.pause, self.lose_answers = pause, lose_answers
        self.calls: list[tuple[str, str]] = []      # (idempotency key, status)
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def charge(self, **kwargs):
        from chalicelib.gateways.payments import GatewayUnavailable
        if self.pause:
            time.sleep(self.pause)
        result = self._inner.charge(**kwargs)
        with self._lock:
            self.calls.append((kwargs["idempotency_key"], result.status))
            lose = self.lose_answers > 0
            self.lose_answers -= lose
        if lose:
            raise GatewayUnavailable("timed out", gateway_payment_id=result.gateway_payment_id)
        return result

    @property
    def charges(self) -> int:
        """Money actually taken: distinct idempotency keys whose charge succeeded."""
        return len({key for key, status in self.calls if status == "succeeded"})


def counting_gateway(monkeypatch, **options) -> CountingGateway:
    from chalicelib import bootstrap
    gateway = CountingGateway(**options)
    monkeypatch.setattr(bootstrap, "payment_gateway", lambda: gateway)
    return gateway
