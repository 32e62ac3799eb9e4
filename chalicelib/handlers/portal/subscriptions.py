"""The customer's subscriptions: list, detail, invoices, and every self-service action."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import Field, StrictBool

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Body, Routes
from ..schemas import Code, CouponCode, Id, PageQuery, ShortText

if TYPE_CHECKING:   # built by the bodies when a request comes, not at `import app`
    from ...services.subscriptions.commands import Caller, ChangeRequest


api = Routes("portal", portal_session)

StatusFilter = Literal["all", "future", "trial", "live", "non_renewing", "dunning", "unpaid", "paused",
                       "cancelled", "expired"]
When = Literal["now", "end_of_term"]
QuoteId = Field(default=None, max_length=80)


class SubscriptionsQuery(PageQuery):
    status: StatusFilter = "all"


class CancelPreviewBody(Body):
    when: When = "now"


class QuoteBody(Body):
    quote_id: str | None = QuoteId


class AddonChoice(Body):
    code: Code
    quantity: int = Field(default=1, ge=1, le=10_000)


class ChangeFields(Body):
    """Omitted fields keep what the subscription has; `"coupon": null` removes the coupon."""
    plan: Code | None = None
    addons: list[AddonChoice] | None = Field(default=None, max_length=20)
    coupon: CouponCode | None = None           # in any case: `TENOFF`, `tenoff` and `TenOff` are one coupon

    def request(self) -> ChangeRequest:
        from ...services.subscriptions.commands import ChangeRequest
        addons = None if self.addons is None else tuple((a.code, a.quantity) for a in self.addons)
        return ChangeRequest(plan=self.plan, addons=addons, coupon=self.coupon,
                             remove_coupon="coupon" in self.model_fields_set and self.coupon is None)


class ChangePreviewBody(ChangeFields):
    when: When = "now"


class ChangeBody(ChangePreviewBody):
    quote_id: str | None = QuoteId


class CancelBody(Body):
    """`reason`: one of the merchant's (the cancel dialog lists them), or free text where they list
    none; `comment`: the customer's own words, where the merchant asks for them."""
    when: When
    reason: ShortText | None = None
    comment: str | None = Field(default=None, max_length=1000)




class AutoChargeBody(Body):
    enabled: StrictBool


class PaymentMethodChoice(Body):
    """`auto_charge`: turn it on (or off) with the same request; left out, it stays as it is."""
    payment_method_id: Id
    auto_charge: StrictBool | None = None


class PausePreviewBody(Body):
    """Days of the organization's calendar (YYYY-MM-DD)."""
    pause_at: date | None = None      # none: today
    resume_at: date | None = None


class PauseBody(PausePreviewBody):
    quote_id: str | None = QuoteId


class ReactivatePreviewBody(Body):
    changes: ChangeFields | None = None


class ReactivateBody(ReactivatePreviewBody):
    quote_id: str | None = QuoteId


def _quote(quote) -> dict:
    """A preview's answer, built by its response model on the first answer (not at `import app`)."""
    from ..responses.subscriptions import Quote
    return Quote.of(quote).model_dump()


def _answer(outcome) -> dict:
    """An action's answer, built by its response model on the first answer (not at `import app`)."""
    from ..responses.subscriptions import ActionOutcome
    return ActionOutcome.of(outcome).model_dump()


def _caller() -> Caller:
    from ...services.subscriptions.commands import Caller
    customer = api.customer()
    return Caller(customer.org_id, customer.customer_id, customer.contact_id)


@api.route("/portal/subscriptions", query=SubscriptionsQuery, response="SubscriptionPage")
def list_subscriptions(query: SubscriptionsQuery):
    """My subscriptions, newest first, optionally in one status."""
    from ..responses.subscriptions import SubscriptionPage   # on the first answer, not at `import app`
    caller = api.customer()
    page = services().subscriptions.page(caller.org, caller.customer_id,
                                         status=None if query.status == "all" else query.status,
                                         limit=query.limit, cursor=query.cursor)
    return SubscriptionPage.of(page).model_dump()   # python values: dates written as in every other answer


@api.route("/portal/subscriptions/{subscription_id}", response="SubscriptionDetail")
def get_subscription(subscription_id: str):
    """One subscription with everything scheduled and the actions allowed now."""
    from ..responses.subscriptions import SubscriptionDetail
    caller = api.customer()
    view = services().subscriptions.detail(caller.org, caller.customer_id, subscription_id, bootstrap.now())
    return SubscriptionDetail.of(view).model_dump()


@api.route("/portal/subscriptions/{subscription_id}/invoices", query=PageQuery, response="InvoicePage")
def subscription_invoices(subscription_id: str, query: PageQuery):
    """The invoices raised for one subscription, as /portal/invoices lists them."""
    from ..responses.documents import InvoicePage
    caller = api.customer()
    return InvoicePage.of(services().subscriptions.invoices(
        caller.org, caller.customer_id, subscription_id, limit=query.limit, cursor=query.cursor,
        now=bootstrap.now())).model_dump()


@api.route("/portal/subscriptions/{subscription_id}/dunning", response="SubscriptionDunning")
def subscription_dunning(subscription_id: str):
    """A subscription in dunning: the failed invoice, why it failed in words, the retries to come by
    day and what follows the last; 409 `subscription_not_in_dunning` otherwise. Pay the invoice
    (POST /portal/payments) to end the retries at once."""
    from ..responses.subscriptions import SubscriptionDunning
    caller = api.customer()
    view = services().subscriptions.dunning(caller.org, caller.customer_id, subscription_id)
    return SubscriptionDunning.of(view).model_dump()


@api.route("/portal/subscription-options", response="SubscriptionOptions")
def subscription_options():
    """The plans, addons and coupons customers may choose, and when changes may apply."""
    from ..responses.subscriptions import SubscriptionOptions
    return SubscriptionOptions.of(services().subscriptions.options(api.customer().org, bootstrap.now())).model_dump()


@api.route("/portal/subscriptions/{subscription_id}/activate/preview", "POST", response="Quote")
def activation_preview(subscription_id: str):
    """The charges of converting the trial to live now."""
    quote = services().subscriptions.activation_preview(_caller(), subscription_id, now=bootstrap.now())
    return _quote(quote)


@api.route("/portal/subscriptions/{subscription_id}/activate", "POST", body=QuoteBody, response="ActionOutcome")
def activate(subscription_id: str, body: QuoteBody):
    """End the trial now: live, invoiced, charged with auto-charge."""
    done = services().subscriptions.activate(_caller(), subscription_id, quote_id=body.quote_id, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/extend-trial", "POST", response="ActionOutcome")
def extend_trial(subscription_id: str):
    """Extend a trial that expired because its first charge failed."""
    done = services().subscriptions.extend_trial(_caller(), subscription_id, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/changes/preview", "POST", body=ChangePreviewBody,
           response="Quote")
def change_preview(subscription_id: str, body: ChangePreviewBody):
    """The quote of a plan/addon/coupon change, now (prorated) or at term end."""
    quote = services().subscriptions.change_preview(_caller(), subscription_id, body.request(), when=body.when,
                                                    now=bootstrap.now())
    return _quote(quote)


@api.route("/portal/subscriptions/{subscription_id}/changes", "POST", body=ChangeBody, response="ActionOutcome")
def change(subscription_id: str, body: ChangeBody):
    """Change plan, addons or coupon, honouring the previewed quote."""
    done = services().subscriptions.change(_caller(), subscription_id, body.request(), when=body.when,
                                           quote_id=body.quote_id, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/auto-charge", "PUT", body=AutoChargeBody,
           response="ActionOutcome")
def set_auto_charge(subscription_id: str, body: AutoChargeBody):
    """Turn auto-charge on or off."""
    done = services().subscriptions.set_auto_charge(_caller(), subscription_id, enabled=body.enabled,
                                                    now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/payment-method", "PUT", body=PaymentMethodChoice,
           response="ActionOutcome")
def choose_payment_method(subscription_id: str, body: PaymentMethodChoice):
    """Charge the subscription to one of my saved cards from now on (renewals, and the retries of a
    subscription in dunning); the card it has already: the subscription as it stands."""
    done = services().subscriptions.choose_payment_method(_caller(), subscription_id,
                                                          payment_method_id=body.payment_method_id,
                                                          auto_charge=body.auto_charge, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/pause-schedule/preview", "POST", body=PausePreviewBody,
           response="Quote")
def pause_preview(subscription_id: str, body: PausePreviewBody):
    """What pausing does to the paid time of the term: credited by day, or kept for after the resume."""
    quote = services().subscriptions.pause_preview(_caller(), subscription_id, pause_at=body.pause_at,
                                                   resume_at=body.resume_at, now=bootstrap.now())
    return _quote(quote)


@api.route("/portal/subscriptions/{subscription_id}/pause-schedule", "PUT", body=PauseBody,
           response="ActionOutcome")
def set_pause_schedule(subscription_id: str, body: PauseBody):
    """Pause today or on a later day, optionally with a resume day; or change the resume day of a
    paused one. The unused paid days are credited or kept, as the pause preview says."""
    done = services().subscriptions.pause(_caller(), subscription_id, pause_at=body.pause_at,
                                          resume_at=body.resume_at, quote_id=body.quote_id, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/pause-schedule", "DELETE", response="ActionOutcome")
def remove_pause_schedule(subscription_id: str):
    """Delete the pause and resume schedule."""
    done = services().subscriptions.remove_pause(_caller(), subscription_id, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/resume/preview", "POST", response="Quote")
def resume_preview(subscription_id: str):
    """The charges of resuming a paused subscription now."""
    quote = services().subscriptions.resume_preview(_caller(), subscription_id, now=bootstrap.now())
    return _quote(quote)


@api.route("/portal/subscriptions/{subscription_id}/resume", "POST", body=QuoteBody, response="ActionOutcome")
def resume(subscription_id: str, body: QuoteBody):
    """Resume a paused subscription today: the paid days kept at the pause continue, or a new term
    starts, invoiced and charged with auto-charge."""
    done = services().subscriptions.resume(_caller(), subscription_id, quote_id=body.quote_id, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/cancel/preview", "POST", body=CancelPreviewBody,
           response="Quote")
def cancellation_preview(subscription_id: str, body: CancelPreviewBody):
    """When a cancellation would take effect, and that nothing is refunded."""
    quote = services().subscriptions.cancel_preview(_caller(), subscription_id, when=body.when, now=bootstrap.now())
    return _quote(quote)


@api.route("/portal/subscriptions/{subscription_id}/cancel", "POST", body=CancelBody, response="ActionOutcome")
def cancel(subscription_id: str, body: CancelBody):
    """Cancel now, or at the end of the term, with the reason (and comment) the merchant asks for;
    an open retention offer is declined."""
    done = services().subscriptions.cancel(_caller(), subscription_id, when=body.when, reason=body.reason or None,
                                           comment=(body.comment or "").strip() or None, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/cancel-dialog", response="CancelDialog")
def cancel_dialog(subscription_id: str):
    """What the cancel dialog asks (the merchant's reasons, whether one is required, whether a comment
    is asked for) and the retention offer open to this subscription, quoted (null: none)."""
    from ..responses.subscriptions import CancelDialog   # on the first answer, not at `import app`
    dialog = services().subscriptions.cancel_dialog(_caller(), subscription_id, now=bootstrap.now())
    return CancelDialog.of(dialog).model_dump()


@api.route("/portal/subscriptions/{subscription_id}/retention-offer", "POST", body=QuoteBody,
           response="ActionOutcome")
def accept_retention_offer(subscription_id: str, body: QuoteBody):
    """Keep the subscription with the offer's coupon from the next term, as the dialog quoted it;
    once per subscription (accepted already: the subscription as it stands)."""
    done = services().subscriptions.accept_retention_offer(_caller(), subscription_id, quote_id=body.quote_id,
                                                           now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/scheduled-cancellation", "DELETE", response="ActionOutcome")
def remove_scheduled_cancellation(subscription_id: str):
    """Keep a subscription whose cancellation was scheduled for the end of its term."""
    done = services().subscriptions.remove_cancellation(_caller(), subscription_id, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/undo", "POST", response="ActionOutcome")
def undo(subscription_id: str):
    """Undo the last immediate cancellation or downgrade while the merchant's window is open (the
    detail's `undo` says until when): the subscription as it was, the invoice and credit note it
    raised voided. 409 with the reason as the code when it no longer can be (`undo_window_closed`,
    `payment_made`, `credit_used`, `refund_made`, `subscription_changed` ...). Asked again once
    undone: the subscription as it stands."""
    done = services().subscriptions.undo(_caller(), subscription_id, now=bootstrap.now())
    return _answer(done)


@api.route("/portal/subscriptions/{subscription_id}/reactivate/preview", "POST", body=ReactivatePreviewBody,
           response="Quote")
def reactivation_preview(subscription_id: str, body: ReactivatePreviewBody):
    """The charges of reactivating, optionally with changes."""
    changes = body.changes.request() if body.changes else None
    quote = services().subscriptions.reactivate_preview(_caller(), subscription_id, changes=changes,
                                                        now=bootstrap.now())
    return _quote(quote)


@api.route("/portal/subscriptions/{subscription_id}/reactivate", "POST", body=ReactivateBody,
           response="ActionOutcome")
def reactivate(subscription_id: str, body: ReactivateBody):
    """Reactivate a cancelled or expired subscription, honouring the previewed quote."""
    changes = body.changes.request() if body.changes else None
    done = services().subscriptions.reactivate(_caller(), subscription_id, changes=changes, quote_id=body.quote_id,
                                               now=bootstrap.now())
    return _answer(done)
