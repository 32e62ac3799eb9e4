"""Shapes many answers share: the strict base, money, pages, addresses, document lines."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated, Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from ...domain.currencies import exponent

T = TypeVar("T")

# Every answer object that names a `currency` says how its amounts are shown: amount_minor /
# 10**currency_exponent (ISO 4217 minor units, from the currency table; JPY 0, USD 2, KWD 3).
CurrencyExponent = Annotated[int, Field(ge=0, le=3, description=(
    "The currency's decimals (ISO 4217 minor units): show amount_minor / 10**currency_exponent."))]


class Answer(BaseModel):
    """Every field an answer has is declared, and it has no others (additionalProperties: false)."""
    model_config = ConfigDict(extra="forbid", defer_build=True)

    @classmethod
    def mirroring(cls, value, /, **given):
        """This answer from a domain value holding each of its fields as an attribute of the same name;
        `given` are the rest (or shown otherwise). A `currency_exponent` not given is the currency's."""
        names = _field_names(cls)
        if "currency_exponent" in names and "currency_exponent" not in given:
            given["currency_exponent"] = exponent(value.currency)
        return cls(**{name: getattr(value, name) for name in names if name not in given}, **given)


@lru_cache(maxsize=None)
def _field_names(answer: type[Answer]) -> tuple[str, ...]:
    """An answer's fields, looked up once per class (`model_fields` goes through a descriptor and a call each time)."""
    return tuple(answer.model_fields)


class GivenOnly(Answer):
    """An answer holding only the parts it was built with: those not given are left out of it, not
    null (the OpenAPI document lists them as optional)."""

    @model_serializer(mode="wrap")
    def _given(self, handler):
        return {name: value for name, value in handler(self).items() if name in self.model_fields_set}


class Page(Answer, Generic[T]):
    """A page of a list, newest first; `next_cursor` (null on the last page) asks for the next."""
    items: list[T]
    next_cursor: str | None

    @classmethod
    def of(cls, page):
        """From a page of typed results (its `items` and `next_cursor`), each item answered by its
        model's `of`."""
        item = get_args(cls.model_fields["items"].annotation)[0]
        return cls(items=[item.of(value) for value in page.items], next_cursor=page.next_cursor)


class Items(Answer, Generic[T]):
    """A whole list, not paged."""
    items: list[T]

    @classmethod
    def of(cls, values):
        """From typed results, each answered by the item model's `of`."""
        item = get_args(cls.model_fields["items"].annotation)[0]
        return cls(items=[item.of(value) for value in values])


class Money(Answer):
    amount_minor: int
    currency: str
    currency_exponent: CurrencyExponent

    @classmethod
    def of(cls, money) -> Money:
        return cls.mirroring(money)


class Address(Answer):
    line1: str
    line2: str
    city: str
    state: str
    postal_code: str
    country: str

    @classmethod
    def of(cls, address) -> Address:
        return cls.mirroring(address)


class OrganizationDetails(Answer):
    """What customers may see of the merchant."""
    org_id: str
    name: str
    email: str
    phone: str
    website: str
    address: list[str]
    currency: str
    currency_exponent: CurrencyExponent
    time_zone: str       # IANA name: billing days, due dates and periods are dates there
    logo_path: str       # where the portal serves the merchant's logo (a PNG); "" none

    @classmethod
    def of(cls, org, **given):
        """From the domain `Organization`; `given`: the parts a wider answer shows otherwise."""
        return cls.mirroring(org, address=list(org.address.lines()), **given)


class DocumentLine(Answer):
    description: str
    amount_minor: int
    quantity: int
    unit_price_minor: int | None
    code: str | None
    kind: str
    period_start: date | None   # the days the line bills or credits: [start, end)
    period_end: date | None


class LineWords(Answer):
    """What a billing line's `description` says, as data, for the reader's browser to write in the
    reader's language. `kind` says which fields are given (the others are null): plan, addon (for
    the period) and one_time_addon: name, quantity, unit_amount_minor; coupon: name (the coupon's),
    coupon_code, percent_off_bp or amount_off_minor, the period; unused_time, remaining_time (a
    change by day): the item's name, quantity, unit_amount_minor (its whole term's price), the
    period and its `days` of `days_in_term`; coupon_on_unused_time, coupon_on_remaining_time: the
    coupon's fields, discount_minor (what it takes off the whole term), the period and days;
    rounding: increment_minor, the step the currency is charged in. Amounts are minor units of the
    document's currency; the period is [period_start, period_end)."""
    kind: Literal["plan", "addon", "one_time_addon", "coupon", "unused_time", "remaining_time",
                  "coupon_on_unused_time", "coupon_on_remaining_time", "rounding"]
    name: str
    quantity: int | None
    unit_amount_minor: int | None
    period_start: date | None
    period_end: date | None
    days: int | None
    days_in_term: int | None
    coupon_code: str | None
    percent_off_bp: int | None
    amount_off_minor: int | None
    discount_minor: int | None
    increment_minor: int | None

    @classmethod
    def of(cls, words) -> LineWords | None:
        """From the domain's `LineWords`; None for a line that has none (typed in, or made before lines had words)."""
        return cls.mirroring(words) if words is not None else None


def line_words_field():
    """A line's `words`: left out where the line has none (show its description then)."""
    return Field(default=None, exclude_if=lambda words: words is None, description=(
        "The description's words as data, to write in the reader's language; absent on lines without "
        "them: show the description."))


class TaxLine(Answer):
    name: str
    rate_bp: int
    amount_minor: int


# An answer about an email names it last: queued, the outbox job sends it within a minute.
EmailStatus = Annotated[str, Field(description="The email's status: queued, the outbox job sends it within a minute.")]


class ApiDescription(Answer):
    """An OpenAPI 3.1 document (its parts as the OpenAPI specification defines them)."""
    openapi: str
    info: dict
    servers: list[dict]
    paths: dict
    components: dict
