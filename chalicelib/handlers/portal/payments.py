"""Paying invoices (once per Idempotency-Key) and the payments made."""
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StringConstraints

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import IDEMPOTENCY_KEY, Body, Routes, plain
from ..schemas import Currency, PageQuery

if TYPE_CHECKING:   # built by the bodies when a request comes, not at `import app`
    from ...services.payments.commands import PayInvoices


api = Routes("portal", portal_session)

DocumentId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_]+$")]
# our saved method (pm_01...) or what Stripe.js returned (pm_1..., or a test id such as pm_card_visa)
MethodId = Annotated[str, StringConstraints(min_length=4, max_length=255, pattern=r"^pm_[A-Za-z0-9_]+$")]


class PaymentBody(Body):
    invoice_ids: list[DocumentId] | None = Field(default=None, min_length=1, max_length=25)
    all_outstanding: bool = False
    currency: Currency | None = None     # all_outstanding: which currency's invoices (one payment, one currency)
    payment_method: MethodId
    save_for_future: bool = False
    amount_minor: int | None = Field(default=None, ge=1, le=10**11)
    use_credits: bool = False

    def command(self) -> PayInvoices:
        from ...services.payments.commands import PayInvoices
        return PayInvoices(self.payment_method, tuple(self.invoice_ids) if self.invoice_ids else None,
                           self.all_outstanding, self.currency, self.save_for_future, self.amount_minor,
                           self.use_credits)


class ConfirmBody(Body):
    approve: bool


def first_read(body: PaymentBody, org_id: str, customer_id: str) -> list[tuple]:
    """What paying reads first, for the session check to read in its own call."""
    return services().payments.first_read(org_id, customer_id, body.command(),
                                          idempotency_key=api.header("Idempotency-Key"), now=bootstrap.now())


@api.route("/portal/payments", "POST", body=PaymentBody, status=201, response="Payment", headers=(IDEMPOTENCY_KEY,),
           reads_first=first_read)
def pay(body: PaymentBody):
    """Pay one, several or all outstanding invoices (of one currency); send an Idempotency-Key header."""
    from ...services.payments.commands import Parties
    caller = api.customer()
    return services().payments.pay(caller.org_id, caller.customer_id, body.command(),
                                   idempotency_key=api.header("Idempotency-Key"), now=bootstrap.now(),
                                   wire=payment_answer, paid_by=caller.contact_id,
                                   as_read=Parties(caller.org, caller.customer))


def payment_answer(shown) -> dict:
    """A payment's answer in the form it is sent, and kept for the retries of its Idempotency-Key."""
    from ..responses.documents import Payment
    return plain(Payment.of(shown).model_dump())


def _answer(shown) -> dict:
    from ..responses.documents import Payment
    return Payment.of(shown).model_dump()   # python values: dates written as in every other answer


@api.route("/portal/payments", query=PageQuery, response="PaymentPage")
def list_payments(query: PageQuery):
    """Payments made, newest first."""
    from ..responses.documents import PaymentPage
    caller = api.customer()
    return PaymentPage.of(services().payments.page(caller.org_id, caller.customer_id, limit=query.limit,
                                                   cursor=query.cursor)).model_dump()


@api.route("/portal/payments/{payment_id}", response="PaymentDetail")
def payment(payment_id: str):
    """One payment and the invoices it paid."""
    from ..responses.documents import PaymentDetail
    caller = api.customer()
    return PaymentDetail.of(services().payments.detail(caller.org_id, caller.customer_id, payment_id)).model_dump()


@api.route("/portal/payments/{payment_id}/confirm", "POST", response="Payment")
def confirm(payment_id: str):
    """After Stripe.js finished 3-D Secure: the payment as Stripe knows it now, settled if it has an
    outcome (still requires_action while the bank has not answered: ask again)."""
    caller = api.customer()
    return _answer(services().payments.confirm(caller.org_id, caller.customer_id, payment_id, now=bootstrap.now()))


@api.route("/portal/payments/{payment_id}/confirm-action", "POST", body=ConfirmBody, response="Payment")
def confirm_action(payment_id: str, body: ConfirmBody):
    """Simulated mode: pass or fail the 3-D Secure step of a payment that requires it."""
    caller = api.customer()
    return _answer(services().payments.confirm_action(caller.org_id, caller.customer_id, payment_id,
                                                      approve=body.approve, now=bootstrap.now()))
