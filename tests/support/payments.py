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
                   status: str = "live", reference: str = "") -> dict:
    """A subscription to a plan (the catalog is created on first use), imported without an invoice."""
    if payer.admin.get("/admin/plans").json["items"] == []:
        assert payer.admin.post("/admin/plans", {"code": "pro", "name": "Pro", "price_minor": 10000,
                                                 "currency": "USD"}).status == 201
    body = {"customer_id": payer.customer_id, "plan_code": "pro", "status": status, "auto_charge": auto_charge,
            "term_start": "2026-11-01T00:00:00+00:00", "reference": reference}
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


def a_payment_waiting_for_3ds(payer: Payer, invoice: dict) -> dict:
    """A payment of the invoice that waits for 3-D Secure, with the PaymentIntent id Stripe knows it by."""
    from chalicelib.bootstrap import adapters
    answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                "payment_method": "pm_card_authenticationRequired"})
    assert answer.json["status"] == "requires_action", answer.json
    gateway_id = adapters().uow.payments.get(payer.org_id, payer.customer_id,
                                             answer.json["payment_id"]).gateway_payment_id
    return {**answer.json, "gateway_payment_id": gateway_id}


def a_card_payment(payer: Payer, invoice: dict, *, card: str = "pm_card_visa") -> dict:
    """The invoice paid in the portal by card, with the PaymentIntent id Stripe knows it by."""
    from chalicelib.bootstrap import adapters
    answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": card})
    assert answer.json["status"] == "succeeded", answer.json
    gateway_id = adapters().uow.payments.get(payer.org_id, payer.customer_id,
                                             answer.json["payment_id"]).gateway_payment_id
    return {**answer.json, "gateway_payment_id": gateway_id}


def a_merchant_refund(payer: Payer, payment: dict, amount_minor: int | None = None, *, key: str | None = None,
                      reason: str = "Goodwill"):
    """POST /admin/payments/{id}/refunds with an Idempotency-Key (a fresh one unless given)."""
    body = {"customer_id": payer.customer_id, "reason": reason}
    if amount_minor is not None:
        body["amount_minor"] = amount_minor
    return payer.admin.post(f"/admin/payments/{payment['payment_id']}/refunds", body,
                            headers={"Idempotency-Key": key or a_key()})


@dataclass(frozen=True)
class Books:
    """What the customer owes, three ways that must agree."""
    statement_closing: int       # the statement of accounts, all history up to today
    open_invoices_less_credits: int   # the documents: open invoice balances less open credit-note balances
    dashboard: int               # the portal home: outstanding less available credits


def the_books(payer: Payer, today: str = "2026-11-25") -> Books:
    from chalicelib.bootstrap import adapters
    [statement] = payer.portal.get(f"/portal/statements?from=2026-01-01&to={today}").json["statements"]
    owner = dict(org_id=payer.org_id, customer_id=payer.customer_id, limit=100, cursor=None)
    documents = (sum(i.balance_minor for i in adapters().uow.invoices.page(**owner).items)
                 - sum(n.balance_minor for n in adapters().uow.credit_notes.page(**owner).items))
    home = payer.portal.get("/portal/dashboard").json
    return Books(statement["closing_balance"]["amount_minor"], documents,
                 home["outstanding"]["total_minor"] - home["available_credits"]["amount_minor"])


def agree(books: Books) -> bool:
    return books.statement_closing == books.open_invoices_less_credits == books.dashboard


# --- Stripe events ----------------------------------------------------------------------------

def with_webhook_secret(monkeypatch) -> None:
    from chalicelib import config
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    config.reload()


def stripe_event(event_type: str, data_object: dict, *, event_id: str | None = None,
                 previous_attributes: dict | None = None) -> str:
    data = {"object": data_object}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return json.dumps({"id": event_id or f"evt_{next(_keys)}", "object": "event", "type": event_type,
                       "api_version": "2025-01-01", "created": int(time.time()), "data": data})


@dataclass
class ReportedByStripe:
    """A customer's payment of an invoice that Stripe's events will report on: the API they are
    delivered to, the payer, the invoice and the payment (with the PaymentIntent id Stripe knows it by)."""
    api: Api
    payer: Payer
    invoice: dict
    payment: dict

    def __iter__(self):
        return iter((self.api, self.payer, self.invoice, self.payment))


def a_payment_stripe_reports_on(c, monkeypatch, *, paid_by_card: bool = False,
                                amount_minor: int = 10000) -> ReportedByStripe:
    """The Given of a webhook test: the signing secret configured, a signed-in payer, an invoice, and
    its payment, waiting for 3-D Secure (or paid by card at once)."""
    with_webhook_secret(monkeypatch)
    api = Api(c)
    payer = a_payer(api)
    invoice = an_invoice(payer, amount_minor)
    payment = a_card_payment(payer, invoice) if paid_by_card else a_payment_waiting_for_3ds(payer, invoice)
    return ReportedByStripe(api, payer, invoice, payment)


def a_declined_intent(payment: dict, code: str = "card_declined", **error) -> dict:
    """Stripe's PaymentIntent of `payment` after its last attempt failed with `code`."""
    return payment_intent(payment, status="requires_payment_method", error={"code": code, **error})


def gateway_customer_of(payer: Payer) -> str:
    """The Stripe customer id the payer's customer is known by."""
    from chalicelib.bootstrap import adapters
    return adapters().uow.customers.get(payer.org_id, payer.customer_id).gateway_customer_id


def signature(payload: str, *, secret: str = WEBHOOK_SECRET, seconds_ago: int = 0) -> str:
    import stripe
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=int(time.time()) - seconds_ago)


def deliver(api: Api, payload: str, *, header: str | None = None):
    """POST /webhooks/stripe as Stripe does: the raw body and its signature."""
    headers = {"Stripe-Signature": header if header is not None else signature(payload)}
    return api.as_(None).call("POST", "/webhooks/stripe", headers=headers, raw=payload.encode("utf-8"))


def a_refund_event(payment: dict, refunded_total_minor: int, *, event_id: str | None = None) -> str:
    """Stripe's charge.refunded for one of our payments: the charge's refunded total so far."""
    return stripe_event("charge.refunded", {
        "id": "ch_1", "object": "charge", "payment_intent": payment["gateway_payment_id"],
        "amount": payment["amount_minor"], "amount_refunded": refunded_total_minor,
        "refunded": refunded_total_minor == payment["amount_minor"], "currency": payment["currency"].lower()},
        event_id=event_id)


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
    """The simulated gateway, counting charges and refunds as Stripe would: calls with one
    idempotency key are one charge (or refund). `pause` widens race windows; `lose_answers`
    (`lose_refund_answers`) makes the next charges (refunds) go through and then time out (the
    runner never hears back), as a crash between the gateway and the record of its answer."""

    def __init__(self, *, pause: float = 0.0, lose_answers: int = 0, lose_refund_answers: int = 0):
        import threading

        from chalicelib.gateways.simulated_payments import SimulatedGateway
        self._inner = SimulatedGateway()
        self.name, self.publishable_key = self._inner.name, None
        self.pause, self.lose_answers, self.lose_refund_answers = pause, lose_answers, lose_refund_answers
        self.calls: list[tuple[str, str]] = []      # (idempotency key, status)
        self.refund_calls: list[tuple[str, int]] = []   # (idempotency key, amount)
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

    def refund(self, **kwargs):
        from chalicelib.gateways.payments import GatewayUnavailable
        refund_id = self._inner.refund(**kwargs)
        with self._lock:
            self.refund_calls.append((kwargs["idempotency_key"], kwargs["amount"].amount_minor))
            lose = self.lose_refund_answers > 0
            self.lose_refund_answers -= lose
        if lose:
            raise GatewayUnavailable("timed out")
        return refund_id

    @property
    def refunded_minor(self) -> int:
        """Money actually given back: one refund per idempotency key."""
        return sum(dict(self.refund_calls).values())

    @property
    def charges(self) -> int:
        """Money actually taken: distinct idempotency keys whose charge succeeded."""
        return len({key for key, status in self.calls if status == "succeeded"})


def counting_gateway(monkeypatch, **options) -> CountingGateway:
    """A CountingGateway in place of the payment gateway, for the rest of the test."""
    return with_gateway(monkeypatch, CountingGateway(**options))


def with_stripe(monkeypatch, **options):
    """A FakeStripe behind the real StripeGateway, as the adapters' gateway for the rest of the test."""
    from tests.support.stripe_fake import FakeStripe
    stripe = FakeStripe(**options)
    with_gateway(monkeypatch, stripe.gateway())
    return stripe


def a_3ds_payment_at_stripe(c, monkeypatch, *, key: str | None = None):
    """The Given of a confirmation test: a FakeStripe behind the gateway, a signed-in payer, an invoice
    and its payment, waiting for 3-D Secure at Stripe; (stripe, payer, invoice, payment)."""
    stripe = with_stripe(monkeypatch)
    payer = a_payer(Api(c))
    invoice = an_invoice(payer, 10000)
    return stripe, payer, invoice, paying_with_3d_secure(payer, invoice, key=key)


def paying_with_3d_secure(payer: Payer, invoice: dict, *, key: str | None = None, **body) -> dict:
    """The invoice paid with a new card Stripe asks to authenticate (FakeStripe): the payment, waiting."""
    answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_1NewCard", **body},
                 key=key)
    assert answer.status == 201 and answer.json["status"] == "requires_action", answer.json
    return answer.json


def with_gateway(monkeypatch, gateway):
    """`gateway` is the adapters' payment gateway until the test ends (monkeypatch undoes it)."""
    from chalicelib import bootstrap
    monkeypatch.setattr(bootstrap.adapters(), "gateway", gateway)
    return gateway
