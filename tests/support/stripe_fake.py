"""A Stripe account behind a fake HTTP client: StripeGateway (stripe-python, unchanged) talks to it as
to api.stripe.com, and a test decides what its PaymentIntents become (`finish`), then reads what was
sent (`sent`, `form_of`)."""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import stripe

from chalicelib.gateways.stripe_payments import StripeGateway

PUBLISHABLE_KEY = "pk_test_portico"


@dataclass
class Sent:
    method: str
    path: str
    form: dict


@dataclass
class FakeStripe(stripe.HTTPClient):
    """Customers, PaymentMethods (any `pm_...` is a Visa) and PaymentIntents, kept in memory. A new
    intent is `requires_action` when `authenticate` is set (3-D Secure), else `succeeded`."""
    authenticate: bool = True
    intents: dict[str, dict] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    name = "fake"

    def __post_init__(self):
        super().__init__()

    def gateway(self) -> StripeGateway:
        return StripeGateway("sk_test_portico", publishable_key=PUBLISHABLE_KEY, http_client=self)

    def finish(self, intent_id: str, status: str) -> dict:
        """What the customer's bank did meanwhile: the intent is now `status`."""
        intent = self.intents[intent_id]
        intent["status"] = status
        if status == "requires_payment_method":
            intent["last_payment_error"] = {"code": "payment_intent_authentication_failure",
                                            "message": "We are unable to authenticate your payment method."}
        return intent

    def form_of(self, method: str, path_pattern: str) -> list[dict]:
        return [s.form for s in self.sent if s.method == method and re.fullmatch(path_pattern, s.path)]

    # what stripe-python calls

    def request(self, method, url, headers, post_data=None):
        parts = urlsplit(url)
        form = dict(parse_qsl(post_data or parts.query or "", keep_blank_values=True))
        self.sent.append(Sent(method.upper(), parts.path, form))
        status, body = self._answer(method.upper(), parts.path, form)
        return json.dumps(body), status, {"Request-Id": f"req_{len(self.sent)}"}

    def _sleep_time_seconds(self, num_retries):
        return 0

    def close(self):
        pass

    def _answer(self, method: str, path: str, form: dict) -> tuple[int, dict]:
        if (method, path) == ("POST", "/v1/customers"):
            return 200, {"id": f"cus_fake{next(self._ids)}", "object": "customer"}
        attach = re.fullmatch(r"/v1/payment_methods/(pm_\w+)/attach", path)
        if attach:
            return 200, _card_method(attach[1], form.get("customer"))
        if (method, path) == ("POST", "/v1/payment_intents"):
            if form["currency"] == "usd" and int(form["amount"]) < 50:    # Stripe's least charge: 0.50 USD
                return 400, {"error": {"type": "invalid_request_error", "code": "amount_too_small", "param": "amount",
                                       "message": "Amount must be at least $0.50 usd"}}
            intent_id = f"pi_fake{next(self._ids)}"
            self.intents[intent_id] = {
                "id": intent_id, "object": "payment_intent", "amount": int(form["amount"]),
                "currency": form["currency"], "customer": form.get("customer"),
                "status": "requires_action" if self.authenticate else "succeeded",
                "client_secret": f"{intent_id}_secret_fake", "last_payment_error": None,
                "payment_method": _card_method(form["payment_method"], form.get("customer")),
                "metadata": {k[len("metadata["):-1]: v for k, v in form.items() if k.startswith("metadata[")}}
            return 200, self.intents[intent_id]
        found = re.fullmatch(r"/v1/payment_intents/(pi_\w+?)(/cancel)?", path)
        if found and found[1] in self.intents:
            intent = self.intents[found[1]]
            if found[2]:
                if intent["status"] in ("succeeded", "canceled"):
                    return 400, {"error": {"type": "invalid_request_error", "code": "payment_intent_unexpected_state",
                                           "message": f"This PaymentIntent's status is {intent['status']}."}}
                intent["status"] = "canceled"
            return 200, intent
        return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                               "message": f"No such resource: {path}"}}


def _card_method(method_id: str, customer: str | None) -> dict:
    return {"id": method_id, "object": "payment_method", "type": "card", "customer": customer,
            "card": {"brand": "visa", "last4": "3184", "exp_month": 12, "exp_year": 2030}}
