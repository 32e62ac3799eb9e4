"""Amounts as Stripe's API counts them, to and from our Money (integer ISO 4217 minor units).

Every amount sent to Stripe goes through `to_stripe`, every amount read from it (PaymentIntents,
card errors, webhook events) through `from_stripe`: the one currency table
(`domain/currencies.py`) says where they differ (ISK and UGX are two-decimal on the wire, MGA
zero-decimal, three-decimal amounts end in 0)."""
from __future__ import annotations

from chalicelib.domain import currencies
from chalicelib.domain.money import Money


def to_stripe(amount: Money) -> tuple[int, str]:
    """Stripe's `amount` and (lower-case) `currency` for `amount`; ValueError if Stripe cannot
    move it as it is."""
    return currencies.to_gateway_unit(amount.amount_minor, amount.currency), amount.currency.lower()


def from_stripe(amount: int | str, currency: str) -> Money:
    """Our Money for Stripe's `amount` in `currency` (as Stripe spells it, lower case)."""
    code = str(currency).upper()
    return Money(currencies.from_gateway_unit(int(amount), code), code)
