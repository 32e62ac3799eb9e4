"""Request shapes shared by portal and admin routes."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints
from pydantic_core import PydanticCustomError

from ..domain import currencies, locales
from ..domain.calendar import is_time_zone
from ..domain.customers import Address
from .http import Body, Query

# One line of text: no control character (a line break in a subject or an address line would break
# the email header or the printed line it goes into) and no bidirectional override (which makes text
# read otherwise than it is stored).
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _one_line(text: str) -> str:
    if _NOT_ONE_LINE.search(text):
        raise ValueError("Must be one line of text, without control characters.")
    return text


OneLine = AfterValidator(_one_line)
Name = Annotated[str, StringConstraints(min_length=1, max_length=120), OneLine]
ShortText = Annotated[str, StringConstraints(max_length=200), OneLine]
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
        raise PydanticCustomError("not_a_currency", f"{code} is not a currency the payment service accepts.")
    return code


# an ISO 4217 code of the currency table (domain/currencies.py): only what the gateway accepts
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_accepted_currency)]


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise PydanticCustomError("not_a_date", "Out of range once in UTC.") from None


Instant = Annotated[AwareDatetime, AfterValidator(_in_utc)]   # with its offset; answered in UTC

# Billing days a person could mean: an import from a system started in the 1990s, a term ending
# this century. Year 9999 is a typo, and it would overflow the arithmetic of terms and reminders.
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2099, 12, 31)


def _sane_day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("not_a_date", f"Must be between {FIRST_DAY.isoformat()} and "
                                                f"{LAST_DAY.isoformat()}.")
    return value


Day = Annotated[date, AfterValidator(_sane_day)]


def _web_address(value: str) -> str:
    """Only http(s) addresses with a host become links (`javascript:` would run in the portal);
    empty: none."""
    if value == "":
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise PydanticCustomError("not_a_web_address", "Must be a web address starting with https:// or http://.")
    return value


Link = Annotated[str, StringConstraints(max_length=200), AfterValidator(_web_address)]
Cursor = Annotated[str, StringConstraints(max_length=2000)]


def _time_zone(name: str) -> str:
    if not is_time_zone(name):
        raise PydanticCustomError("not_a_time_zone", "Not a time zone: use an IANA name such as Europe/Berlin or "
                                                     "Pacific/Auckland.")
    return name


TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_time_zone)]


def _locale(tag: str) -> str:
    written = locales.supported(tag)
    if written is None:
        raise PydanticCustomError("not_a_language", "Not a language the portal speaks: use a language tag such as en-US, "
                                                    "en-GB or de-DE.")
    return written


Locale = Annotated[str, StringConstraints(min_length=2, max_length=35), AfterValidator(_locale)]
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]   # an item id: never empty, never a key injection


class PageQuery(Query):
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Cursor | None = None


class TaxIdBody(Body):
    """A tax ID as given: its kind and its number (checked by the domain: domain/tax_ids.py)."""
    type: Literal["eu_vat", "gb_vat", "au_abn", "in_gst", "us_ein"]
    value: str = Field(min_length=1, max_length=40)


class AddressBody(Body):
    line1: ShortText = ""
    line2: ShortText = ""
    city: Annotated[str, StringConstraints(max_length=100), OneLine] = ""
    state: Annotated[str, StringConstraints(max_length=100), OneLine] = ""
    postal_code: Annotated[str, StringConstraints(max_length=20), OneLine] = ""
    country: Annotated[str, StringConstraints(pattern=r"^([A-Z]{2})?$")] = ""

    def address(self) -> Address:
        return Address(self.line1, self.line2, self.city, self.state, self.postal_code, self.country)


def address_of(body: AddressBody | None) -> Address | None:
    return body.address() if body is not None else None
