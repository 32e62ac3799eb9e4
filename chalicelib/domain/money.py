"""Money in integer minor units. Never a float."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# ISO 4217 minor-unit exponents that differ from 2.
_EXPONENTS = {
    "BHD": 3, "CLP": 0, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3,
    "LYD": 3, "OMR": 3, "PYG": 0, "TND": 3, "UGX": 0, "VND": 0, "XAF": 0, "XOF": 0,
}
SUPPORTED_CURRENCIES = frozenset({
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK",
    "INR", "SGD", "HKD", "MXN", "BRL", "ZAR", "AED", "SAR", *_EXPONENTS,
})


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def round_half_up(value: Fraction) -> int:
    """Round an exact fraction of minor units to a whole one, halves away from zero."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole, remainder = divmod(magnitude.numerator, magnitude.denominator)
    if remainder * 2 >= magnitude.denominator:
        whole += 1
    return sign * whole


@dataclass(frozen=True, order=True)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self):
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise TypeError("amount_minor must be an int")
        if self.currency not in SUPPORTED_CURRENCIES:
            raise ValueError(f"unsupported currency {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(0, currency)

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount_minor, self.currency)

    def times(self, factor: Fraction | int) -> "Money":
        """Multiply by an exact factor, rounding once, half up."""
        return Money(round_half_up(Fraction(self.amount_minor) * Fraction(factor)), self.currency)

    def min(self, other: "Money") -> "Money":
        self._same(other)
        return self if self.amount_minor <= other.amount_minor else other

    @property
    def is_zero(self) -> bool:
        return self.amount_minor == 0

    def format(self) -> str:
        """Plain decimal text such as '100.00' (for document lines; the browser localises)."""
        exp = exponent(self.currency)
        sign = "-" if self.amount_minor < 0 else ""
        units, minor = divmod(abs(self.amount_minor), 10 ** exp) if exp else (abs(self.amount_minor), 0)
        return f"{sign}{units}.{minor:0{exp}d}" if exp else f"{sign}{units}"

    def to_dict(self) -> dict:
        return {"amount_minor": self.amount_minor, "currency": self.currency}
