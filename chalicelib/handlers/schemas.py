"""Request shapes shared by portal and admin routes."""
from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from ..domain import currencies
from .http import Body, Query

Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
ShortText = Annotated[str, StringConstraints(max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Email = Annotated[str, StringConstraints(min_length=3, max_length=254,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


def _accepted_currency(code: str) -> str:
    if not currencies.is_supported(code):
        raise ValueError(f"{code} is not a currency the payment service accepts.")
    return code


# an ISO 4217 code of the currency table (domain/currencies.py): only what the gateway accepts
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_accepted_currency)]
Cursor = Annotated[str, StringConstraints(max_length=2000)]
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
