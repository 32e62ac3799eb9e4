"""The customer's saved payment methods."""
from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Body, Query, Routes


api = Routes("portal", portal_session)

GatewayMethodId = Annotated[str, StringConstraints(min_length=4, max_length=255, pattern=r"^pm_[A-Za-z0-9_]+$")]


class NewMethodBody(Body):
    payment_method: GatewayMethodId
    make_default: bool = False


class ReplacementBody(Body):
    payment_method: GatewayMethodId


class RemovalQuery(Query):
    # the saved card (pm_...) that pays, from now on, the subscriptions the removed card paid
    subscriptions_to: GatewayMethodId | None = None


def _answer(method) -> dict:
    """A saved method's answer, built by its response model on the first answer (not at `import app`)."""
    from ..responses.accounts import PaymentMethod
    return PaymentMethod.of(method).model_dump()   # python values: dates written as in every other answer


def first_read(_body, org_id: str, customer_id: str) -> list[tuple]:
    """What a change of the methods reads first (their mirror's version), for the session check to
    read in its own call."""
    return services().payments.methods_first_read(org_id, customer_id)


@api.route("/portal/payment-methods", response="PaymentMethodList", reads_ahead=("saved_payment_methods",))
def list_methods():
    """My saved payment methods (brand, last4, expiry; never card numbers)."""
    from ..responses.accounts import PaymentMethodList
    caller = api.customer()
    return PaymentMethodList.of(services().payments.methods(caller.org_id, caller.customer_id)).model_dump()


@api.route("/portal/payment-methods/setup", "POST", response="CardSetup")
def setup():
    """Start collecting a card: what Stripe.js needs (the simulated gateway lists its test ids)."""
    from ..responses.accounts import CardSetup
    caller = api.customer()
    return CardSetup.of(services().payments.setup_method(caller.org_id, caller.customer_id,
                                                         bootstrap.now())).model_dump()


@api.route("/portal/payment-methods", "POST", body=NewMethodBody, status=201, response="PaymentMethod",
           reads_first=first_read)
def add(body: NewMethodBody):
    """Save the card the browser collected."""
    caller = api.customer()
    return _answer(services().payments.add_method(caller.org_id, caller.customer_id, body.payment_method,
                                                  make_default=body.make_default, now=bootstrap.now(),
                                                  by=caller.contact_id))


@api.route("/portal/payment-methods/{payment_method_id}/default", "POST", response="PaymentMethod",
           reads_first=first_read)
def make_default(payment_method_id: str):
    """Make this method the default one."""
    caller = api.customer()
    return _answer(services().payments.make_default(caller.org_id, caller.customer_id, payment_method_id,
                                                    bootstrap.now(), by=caller.contact_id))


@api.route("/portal/payment-methods/{payment_method_id}", "PUT", body=ReplacementBody, response="PaymentMethod",
           reads_first=first_read)
def replace(payment_method_id: str, body: ReplacementBody):
    """Replace a card: every subscription charged to it is charged to the new one."""
    caller = api.customer()
    return _answer(services().payments.replace_method(caller.org_id, caller.customer_id, payment_method_id,
                                                      body.payment_method, bootstrap.now(), by=caller.contact_id))


@api.route("/portal/payment-methods/{payment_method_id}", "DELETE", query=RemovalQuery, status=204,
           reads_first=first_read)
def remove(payment_method_id: str, query: RemovalQuery):
    """Forget a card. While it pays subscriptions automatically, `subscriptions_to` names the saved card
    that pays them from now on; without it the removal is refused (422 payment_method_in_use, naming them)."""
    caller = api.customer()
    services().payments.remove_method(caller.org_id, caller.customer_id, payment_method_id, bootstrap.now(),
                                      subscriptions_to=query.subscriptions_to, by=caller.contact_id)
