"""What one payment may pay: invoices of one currency only, in amounts the payment gateway can
move (whole increments, and no less than its smallest charge). Pure rules;
`services/payments/collection.py` and the scheduled work apply them to what they read."""
from __future__ import annotations

from typing import Sequence

from . import currencies
from .documents import Invoice
from .errors import BusinessRuleViolation, InvalidInput


def currency_of(invoices: Sequence[Invoice]) -> str:
    """The one currency of the invoices chosen for a payment: a payment never mixes currencies."""
    found = _currencies(invoices)
    if len(found) > 1:
        raise InvalidInput({"invoice_ids": f"These invoices are in {_named(found)}; a payment is in one "
                                           f"currency, so pay each currency's invoices separately."})
    return found[0]


def outstanding_in(outstanding: Sequence[Invoice], currency: str | None) -> list[Invoice]:
    """What "pay all outstanding" pays: the outstanding invoices in `currency`, or, none chosen,
    in the only currency owed. Owing in several currencies, the customer chooses one."""
    owed = _currencies(outstanding)
    if currency is None and len(owed) > 1:
        raise InvalidInput({"currency": f"You owe in {_named(owed)}; choose the currency to pay."})
    chosen = [invoice for invoice in outstanding if currency is None or invoice.currency == currency]
    if not chosen:
        in_currency = f" in {currency}" if currency else ""
        raise BusinessRuleViolation(f"You have no outstanding invoices{in_currency}.", "nothing_outstanding")
    return chosen


def require_whole_part(amount_minor: int, currency: str, field: str = "amount_minor") -> None:
    """A part payment the gateway can move: a whole number of the currency's increment
    (KWD: 10 fils), so what is left to pay can be charged too."""
    if not currencies.is_whole(amount_minor, currency):
        step = currencies.increment(currency)
        below = amount_minor - amount_minor % step
        raise InvalidInput({field: (
            f"{currency} is paid in steps of {_text(step, currency)}: {_text(amount_minor, currency)} is not "
            f"a whole number of them ({_text(below, currency)} or {_text(below + step, currency)} is).")})


def require_chargeable(amount_minor: int, currency: str) -> None:
    """An amount owed from before documents were rounded to the increment cannot be charged as it
    is: refused (422) before anything is sent to the gateway."""
    if not currencies.is_whole(amount_minor, currency):
        step = currencies.increment(currency)
        raise BusinessRuleViolation(
            f"{_text(amount_minor, currency)} cannot be charged: the payment service moves {currency} in "
            f"steps of {_text(step, currency)}. Please contact us to settle it.", "amount_not_chargeable",
            {"currency": currency, "increment_minor": step})


BELOW_MINIMUM = "amount_too_small"     # a charge below the minimum: Stripe's code, and ours


def below_minimum_charge(amount_minor: int, currency: str) -> bool:
    """Whether an amount due (more than nothing) is less than the payment service takes in one
    charge: asking it to charge that is refused, and it is no failure of the customer's card."""
    least = currencies.minimum_charge_minor(currency)
    return least is not None and 0 < amount_minor < least


def worth_charging(amount_minor: int, currency: str) -> bool:
    """Whether an amount due is charged to a saved card now: something is due, and not less than
    the payment service's smallest charge (a smaller one stays open for a larger payment)."""
    return amount_minor > 0 and not below_minimum_charge(amount_minor, currency)


def require_minimum_charge(amount_minor: int, currency: str) -> None:
    """A card payment the payment service will take: refused (422) before anything is sent when it
    is less than the smallest charge in its currency."""
    if below_minimum_charge(amount_minor, currency):
        least = currencies.minimum_charge_minor(currency)
        raise BusinessRuleViolation(
            f"{_text(amount_minor, currency)} is less than the smallest card payment the payment service "
            f"takes ({_text(least, currency)}): pay it together with other invoices, or ask us to settle it.",
            "amount_too_small", {"currency": currency, "minimum_minor": least})


def _currencies(invoices: Sequence[Invoice]) -> list[str]:
    return sorted({invoice.currency for invoice in invoices})


def _named(codes: list[str]) -> str:
    return ", ".join(codes[:-1]) + f" and {codes[-1]}" if len(codes) > 1 else codes[0]


def _text(amount_minor: int, currency: str) -> str:
    return f"{currencies.plain_text(amount_minor, currency)} {currency}"


def balance_due_text(invoice: Invoice) -> str:
    """The invoice's balance as a person reads it in a message: '20.00 USD', '500 JPY'."""
    return f"{currencies.plain_text(invoice.balance_minor, invoice.currency)} {invoice.currency}"
