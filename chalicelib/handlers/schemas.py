"""Request shapes shared by portal and admin routes."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints

from ..domain import currencies
from ..domain.calendar import is_time_zone
from .http import Body, Query

Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
ShortText = Annotated[str, StringConstraints(max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Email = Annotated[str, StringConstraints(min_length=3, max_length=254,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
# Plan and addon codes are identifiers, lower-case only; coupon codes are typed by people and match
# in any case (stored as the merchant wrote them): docs/billing.md, "Coupons".
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
COUPON_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
CouponCode = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=COUPON_CODE_PATTERN)]


def _accepted_currency(code: str) -> str:
    if not currencies.is_supported(code):
        raise ValueError(f"{code} is not a currency the payment service accepts.")
    return code


# an ISO 4217 code of the currency table (domain/currencies.py): only what the gateway accepts
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_accepted_currency)]


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("Out of range once in UTC.") from None


Instant = Annotated[AwareDatetime, AfterValidator(_in_utc)]   # with its offset; answered in UTC
Cursor = Annotated[str, StringConstraints(max_length=2000)]


def _time_zone(name: str) -> str:
    if not is_time_zone(name):
        raise ValueError("Not a time zone: use an IANA name such as Europe/Berlin or Pacific/Auckland.")
    return name


TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_time_zone)]
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]   # an item id: never empty, never a key injection


class PageQuery(Query):
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = None


class AddressBody(Body):
    line1: ShortText = ""
    line2: ShortText = ""
    city: Annotated[str, StringConstraints(max_length=100)] = ""
    state: Annotated[str, StringConstraints(max_length=100)] = ""
    postal_code: Annotated[str, StringConstraints(max_length=20)] = ""
    country: Annotated[str, StringConstraints(pattern=r"^([A-Z]{2})?$")] = ""
