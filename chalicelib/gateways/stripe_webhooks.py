"""Stripe webhook verification: the signature covers the raw body, so parse nothing before it.
After it, the event's data is checked against the shape declared for its type (EVENT_SHAPES), so a
handler reads only fields that are there and of the declared type: a signed event without them
is refused (400) rather than failing half-way."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, create_model, field_validator

from .. import json_input
from ..domain import currencies

DEFAULT_TOLERANCE_SECONDS = 300


class InvalidWebhook(Exception):
    """Not a fresh, authentic Stripe event: bad or missing signature, stale timestamp, or a body
    that is not an event of a shape we read. The webhook answers 400 and Stripe retries later."""


class _StripeObject(BaseModel):
    """The fields we read of one of Stripe's objects; Stripe sends many more, all kept."""
    model_config = ConfigDict(extra="allow", defer_build=True)


def _stripe_currency(value: str | None) -> str | None:
    if value is not None and not currencies.is_supported(value.upper()):
        raise ValueError(f"{value} is not a currency we take.")
    return value


class _PaymentError(_StripeObject):
    code: str | None = None
    decline_code: str | None = None
    message: str | None = None


class _PaymentIntent(_StripeObject):
    id: str
    amount: StrictInt = Field(ge=0)
    currency: str
    customer: str | None = None
    metadata: dict[str, str] = {}
    last_payment_error: _PaymentError | None = None
    _currency = field_validator("currency")(_stripe_currency)


class _Charge(_StripeObject):
    id: str
    payment_intent: str | None = None
    amount_refunded: StrictInt = Field(ge=0)
    currency: str | None = None
    metadata: dict[str, str] = {}
    _currency = field_validator("currency")(_stripe_currency)


class _SetupIntent(_StripeObject):
    id: str
    customer: str | None = None
    payment_method: str | None = None


class _PaymentMethod(_StripeObject):
    id: str


class _DetachedFrom(_StripeObject):
    customer: str | None = None


def _data_of(obj: type[_StripeObject], previous: type[_StripeObject] | None = None) -> type[BaseModel]:
    fields = {"object": (obj, ...)}
    if previous is not None:
        fields["previous_attributes"] = (previous | None, None)
    return create_model(f"{obj.__name__}Data", __base__=_StripeObject, **fields)


# the shape of `data` for every event type a handler reads; other types are only acknowledged
EVENT_SHAPES: dict[str, type[BaseModel]] = {
    "payment_intent.succeeded": _data_of(_PaymentIntent),
    "payment_intent.payment_failed": _data_of(_PaymentIntent),
    "charge.refunded": _data_of(_Charge),
    "setup_intent.succeeded": _data_of(_SetupIntent),
    "payment_method.detached": _data_of(_PaymentMethod, _DetachedFrom),
}


def parse_event(payload: bytes | str, signature_header: str | None, secret: str,
                tolerance: int = DEFAULT_TOLERANCE_SECONDS) -> dict:
    """The verified event as plain JSON data (`id`, `type`, `data.object`, ...), its data of the
    shape EVENT_SHAPES declares for its type."""
    import stripe  # only the webhook Lambda pays for importing stripe

    if not secret or not secret.strip():
        # A deployment mistake, not a bad request: let it surface as a server error.
        raise ValueError("no Stripe webhook signing secret is configured")
    raw = payload.encode() if isinstance(payload, str) else payload
    if json_input.nesting_depth(raw) > json_input.MAX_DEPTH:   # stripe's json.loads would recurse
        raise InvalidWebhook("The body is not a Stripe event.")
    try:
        event = stripe.Webhook.construct_event(payload, signature_header, secret, tolerance)
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook(error.user_message) from error
    except (ValueError, AttributeError) as error:
        # ValueError: not UTF-8, not JSON, or a v2 thin event; AttributeError: JSON but not an object.
        raise InvalidWebhook("The body is not a Stripe event.") from error
    data = event.to_dict()
    if not isinstance(data.get("id"), str) or not isinstance(data.get("type"), str):
        raise InvalidWebhook("The body is not a Stripe event.")
    shape = EVENT_SHAPES.get(data["type"])
    if shape is not None:
        try:
            shape.model_validate(data.get("data"))
        except ValidationError as error:
            fields = ", ".join(".".join(map(str, problem["loc"])) or "data" for problem in error.errors())
            raise InvalidWebhook(f"The {data['type']} event's data is not as Stripe sends it ({fields}).") \
                from None
    return data
