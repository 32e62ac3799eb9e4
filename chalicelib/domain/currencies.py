"""The one table of currencies: how many decimals our `amount_minor` counts and shows (ISO 4217
minor units), and how the payment gateway's API counts the same money (Stripe's unit).

Only currencies Stripe accepts for card payments are here; anything else is refused where a
currency is chosen (organization, customer, plan, addon, coupon). As Stripe documents them
(https://docs.stripe.com/currencies, "Minor units in API amounts", "Zero-decimal currencies",
"Three-decimal currencies", "Special cases"; and support.stripe.com/questions/
deprecation-of-fractional-isk-charges-and-refunds):

- most currencies: two decimals on the wire, as in ISO 4217 (1000 = 10.00 USD);
- zero-decimal currencies (BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF):
  the amount is in whole units (500 = 500 JPY);
- three-decimal currencies (BHD JOD KWD OMR TND): three decimals, but the last digit must be 0
  ("5.124 KWD must be rounded to 5120 or 5130");
- special cases: ISK and UGX are zero-decimal in ISO 4217 but stay two-decimal in Stripe's API for
  backwards compatibility, in multiples of 100 (5 ISK is sent as 500; fractions are refused with
  `invalid_charge_amount_no_decimal_compatible`). HUF and TWD are zero-decimal for Stripe's
  *payouts* only: charges take two decimals, as ISO 4217 says, so they need nothing special here.
- MGA is two-decimal in ISO 4217 and zero-decimal in Stripe: only whole ariary can be charged.

From these, each currency's `increment`: the smallest amount (in our minor units) the gateway can
move. A currency whose increment is more than 1 (KWD 10 fils, MGA 100) rounds every document
total to it (see `billing`), so nothing is ever owed that cannot be charged.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import gcd

from .errors import InvalidInput


@dataclass(frozen=True)
class Currency:
    code: str
    exponent: int               # ISO 4217 minor units: what amount_minor counts, what is shown
    gateway_exponent: int       # the decimals of the gateway's (Stripe's) API amount
    gateway_multiple: int = 1   # the gateway's API amount must be a multiple of this

    @property
    def increment(self) -> int:
        """The smallest positive amount_minor the gateway can charge or refund."""
        if self.gateway_exponent >= self.exponent:
            scale = 10 ** (self.gateway_exponent - self.exponent)
            return self.gateway_multiple // gcd(self.gateway_multiple, scale)
        return 10 ** (self.exponent - self.gateway_exponent) * self.gateway_multiple


def _table(exponent: int, gateway_exponent: int, codes: str, multiple: int = 1) -> dict[str, Currency]:
    return {code: Currency(code, exponent, gateway_exponent, multiple) for code in codes.split()}


CURRENCIES: dict[str, Currency] = {
    **_table(2, 2, "USD EUR GBP CAD AUD NZD CHF SEK NOK DKK PLN CZK HUF RON BGN TRY ILS INR SGD HKD TWD "
                   "CNY THB MYR PHP MXN BRL ZAR AED SAR QAR"),
    **_table(0, 0, "BIF CLP DJF GNF JPY KMF KRW PYG RWF VND VUV XAF XOF XPF"),
    **_table(0, 2, "ISK UGX", multiple=100),
    **_table(2, 0, "MGA"),
    **_table(3, 3, "BHD JOD KWD OMR TND", multiple=10),
}


def is_supported(code: str) -> bool:
    return code in CURRENCIES


def of(code: str) -> Currency:
    try:
        return CURRENCIES[code]
    except KeyError:
        raise ValueError(f"unsupported currency {code!r}") from None


def require_supported(code: str, field: str = "currency") -> str:
    """`code` if the gateway accepts it; a field error otherwise."""
    if not is_supported(code):
        raise InvalidInput({field: f"{code} is not a currency the payment service accepts."})
    return code


def exponent(code: str) -> int:
    return of(code).exponent


def increment(code: str) -> int:
    return of(code).increment


def is_whole(amount_minor: int, code: str) -> bool:
    """Whether the gateway can move `amount_minor` as it is (a whole number of increments)."""
    return amount_minor % increment(code) == 0


# Stripe takes amounts of up to eight digits in its unit (99,999,999: USD 999,999.99), whatever the
# currency; a document above it could never be paid in one payment, and it is beyond what anyone
# bills through a self-service portal.
GATEWAY_MAX_AMOUNT = 99_999_999


def largest_amount_minor(code: str) -> int:
    """The most one payment in `code` can move, in our minor units."""
    currency = of(code)
    largest = GATEWAY_MAX_AMOUNT * 10 ** currency.exponent // 10 ** currency.gateway_exponent
    return largest - largest % currency.increment


# Stripe refuses a charge below its minimum for the currency (docs.stripe.com/currencies, "Minimum
# and maximum charge amounts"), in the currency's major units. A currency it does not list is held
# to the value of 0.50 USD in the merchant's settlement currency, which moves with the day's exchange
# rate: there only the gateway's answer (`amount_too_small`) tells.
_MINIMUM_CHARGE = {"USD": "0.50", "AED": "2.00", "AUD": "0.50", "BGN": "1.00", "BRL": "0.50", "CAD": "0.50",
                   "CHF": "0.50", "CZK": "15.00", "DKK": "2.50", "EUR": "0.50", "GBP": "0.30", "HKD": "4.00",
                   "HUF": "175.00", "INR": "0.50", "JPY": "50", "MXN": "10.00", "MYR": "2.00", "NOK": "3.00",
                   "NZD": "0.50", "PLN": "2.00", "RON": "2.00", "SEK": "3.00", "SGD": "0.50", "THB": "10.00"}


@lru_cache(maxsize=None)    # a list of invoices asks once per invoice (`payable_alone`); only known codes are kept
def minimum_charge_minor(code: str) -> int | None:
    """The least one charge in `code` may be, in our minor units (None: the gateway decides by the
    day's exchange rate)."""
    major = _MINIMUM_CHARGE.get(of(code).code)
    if major is None:
        return None
    minor = Fraction(major) * 10 ** exponent(code)
    step = increment(code)
    return -(-int(minor) // step) * step


def round_to_increment(amount_minor: int, code: str) -> int:
    """`amount_minor` to the nearest whole increment, halves away from zero (half up)."""
    step = increment(code)
    magnitude, remainder = divmod(abs(amount_minor), step)
    if remainder * 2 >= step:
        magnitude += 1
    return (1 if amount_minor >= 0 else -1) * magnitude * step


def to_gateway_unit(amount_minor: int, code: str) -> int:
    """The gateway's API amount for `amount_minor`; ValueError if it cannot be moved as it is."""
    currency = of(code)
    if not is_whole(amount_minor, code):
        raise ValueError(f"{plain_text(amount_minor, code)} {code} is not a whole number of the "
                         f"{plain_text(currency.increment, code)} {code} the payment service moves")
    shift = currency.gateway_exponent - currency.exponent
    return amount_minor * 10 ** shift if shift >= 0 else amount_minor // 10 ** -shift


def from_gateway_unit(amount: int, code: str) -> int:
    """Our amount_minor for the gateway's API `amount`; ValueError if it is a fraction of ours."""
    currency = of(code)
    minor = Fraction(amount) * Fraction(10) ** (currency.exponent - currency.gateway_exponent)
    if minor.denominator != 1:
        raise ValueError(f"the gateway's {amount} {code} is a fraction of a minor unit")
    return int(minor)


def plain_text(amount_minor: int, code: str) -> str:
    """Plain decimal text of `amount_minor`, to the currency's exponent: '1234.56', '500', '1.230'."""
    places = exponent(code)
    sign = "-" if amount_minor < 0 else ""
    units, minor = divmod(abs(amount_minor), 10 ** places)
    return f"{sign}{units}.{minor:0{places}d}" if places else f"{sign}{units}"
