"""Money in integer minor units. Never a float."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from . import currencies


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
        if not currencies.is_supported(self.currency):
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
        """Multiply by an exact factor, rounding once, half up (a whole factor: nothing to round)."""
        if type(factor) is int:
            return Money(self.amount_minor * factor, self.currency)
        return Money(round_half_up(Fraction(self.amount_minor) * Fraction(factor)), self.currency)

    def min(self, other: "Money") -> "Money":
        self._same(other)
        return self if self.amount_minor <= other.amount_minor else other

    @property
    def is_zero(self) -> bool:
        return self.amount_minor == 0

    def rounded_to_increment(self) -> "Money":
        """The nearest amount the gateway can move, halves away from zero."""
        return Money(currencies.round_to_increment(self.amount_minor, self.currency), self.currency)

    def format(self) -> str:
        """Plain decimal text such as '100.00' (for document lines; the browser localises)."""
        return currencies.plain_text(self.amount_minor, self.currency)

    def labelled(self) -> str:
        """'USD 100.00': the currency's code and the plain amount, as the activity timeline's
        summaries write an amount (the browser finds it there and writes it as it writes money)."""
        return f"{self.currency} {self.format()}"

    def to_dict(self) -> dict:
        return {"amount_minor": self.amount_minor, "currency": self.currency}
