"""The charge lines of a term: each plan and addon, less the coupon if it applies this cycle."""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Iterable, Literal, Sequence

from . import currencies
from .calendar import Term
from .money import Money

ItemKind = Literal["plan", "addon"]
CouponDuration = Literal["once", "forever", "repeating"]
LineKind = Literal["charge", "discount", "credit", "proration", "rounding"]
LINE_KINDS: tuple[LineKind, ...] = ("charge", "discount", "credit", "proration", "rounding")
BASIS_POINTS = 10_000


@dataclass(frozen=True)
class PricedItem:
    code: str
    name: str
    unit_price: Money
    quantity: int = 1
    kind: ItemKind = "plan"

    def __post_init__(self):
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise ValueError(f"quantity of {self.code} must be a whole number >= 1")
        if self.unit_price.amount_minor < 0:
            raise ValueError(f"unit price of {self.code} must not be negative")
        if self.kind not in ("plan", "addon"):
            raise ValueError(f"kind of {self.code} must be plan or addon, got {self.kind!r}")

    @property
    def amount(self) -> Money:
        return self.unit_price.times(self.quantity)


@dataclass(frozen=True)
class CouponTerms:
    """A coupon as it stands on a subscription: what it takes off and for how many more cycles."""

    code: str
    name: str
    percent_off_bp: int | None
    amount_off: Money | None
    duration: CouponDuration
    cycles_remaining: int | None

    def __post_init__(self):
        if (self.percent_off_bp is None) == (self.amount_off is None):
            raise ValueError(f"coupon {self.code} needs exactly one of percent_off_bp and amount_off")
        if self.percent_off_bp is not None and not (
                isinstance(self.percent_off_bp, int) and 1 <= self.percent_off_bp <= BASIS_POINTS):
            raise ValueError(f"percent_off_bp of {self.code} must be 1..{BASIS_POINTS} basis points")
        if self.amount_off is not None and self.amount_off.amount_minor <= 0:
            raise ValueError(f"amount_off of {self.code} must be positive")
        if self.duration == "repeating":
            if not isinstance(self.cycles_remaining, int) or self.cycles_remaining < 1:
                raise ValueError(f"repeating coupon {self.code} needs cycles_remaining >= 1")
        elif self.duration in ("once", "forever"):
            if self.cycles_remaining is not None:
                raise ValueError(f"a {self.duration} coupon has no cycles_remaining")
        else:
            raise ValueError(f"duration of {self.code} must be once, forever or repeating")

    @property
    def off_text(self) -> str:
        """'20% off', '12.5% off' or '10.00 off'."""
        if self.amount_off is not None:
            return f"{self.amount_off.format()} off"
        whole, hundredths = divmod(self.percent_off_bp, 100)
        percent = f"{whole}.{hundredths:02d}".rstrip("0").rstrip(".")
        return f"{percent}% off"


@dataclass(frozen=True)
class Line:
    description: str
    amount: Money
    code: str | None = None
    quantity: int = 1
    unit_price: Money | None = None
    kind: LineKind = "charge"

    def __post_init__(self):
        if self.kind not in LINE_KINDS:
            raise ValueError(f"line kind must be one of {', '.join(LINE_KINDS)}, got {self.kind!r}")
        if self.unit_price is not None and self.unit_price.currency != self.amount.currency:
            raise ValueError("a line's unit price and amount must share a currency")


def common_currency(amounts: Iterable[Money]) -> str | None:
    """The one currency of `amounts` (None if there are none); ValueError if they mix."""
    currencies = {money.currency for money in amounts}
    if len(currencies) > 1:
        raise ValueError(f"amounts mix currencies: {', '.join(sorted(currencies))}")
    return next(iter(currencies), None)


def discount_for(coupon: CouponTerms, subtotal: Money) -> Money:
    """What `coupon` takes off a term of `subtotal` (positive): percent rounded once, half up;
    a fixed amount never more than the subtotal."""
    if coupon.amount_off is not None:
        return coupon.amount_off.min(subtotal)  # ValueError if the currencies differ
    return subtotal.times(Fraction(coupon.percent_off_bp, BASIS_POINTS))


def subtotal(items: Sequence[PricedItem]) -> Money:
    currency = common_currency(item.unit_price for item in items)
    if currency is None:
        raise ValueError("no items to price")
    return sum((item.amount for item in items), Money.zero(currency))


def _period_text(term: Term) -> str:
    return f"{term.start.date().isoformat()} to {term.end.date().isoformat()}"


def term_lines(items: Sequence[PricedItem], coupon: CouponTerms | None, term: Term) -> list[Line]:
    """One line per item for the whole term, then the coupon's discount (negative) if any."""
    if not items:
        return []
    term_subtotal = subtotal(items)
    lines = [
        Line(description=f"{item.name} ({item.quantity} x {item.unit_price.format()}) {_period_text(term)}",
             amount=item.amount, code=item.code, quantity=item.quantity, unit_price=item.unit_price,
             kind="charge")
        for item in items
    ]
    if coupon is not None:
        discount = discount_for(coupon, term_subtotal)
        if not discount.is_zero:
            lines.append(Line(description=f"Coupon {coupon.code} ({coupon.name}): {coupon.off_text}",
                              amount=-discount, code=coupon.code, kind="discount"))
    return with_rounding(lines, term_subtotal.currency)


def rounding_text(currency: str) -> str:
    """'Rounding to the nearest 0.010 KWD': what a Rounding line says it does."""
    return f"Rounding to the nearest {currencies.plain_text(currencies.increment(currency), currency)} {currency}"


def with_rounding(lines: Sequence[Line], currency: str) -> list[Line]:
    """`lines` (any earlier Rounding line left out) and, where their total is not a whole
    increment of the currency (KWD is charged in steps of 10 fils), a Rounding line that brings it
    to the nearest one, half up. Every currency with an increment of 1 never gets one."""
    lines = [line for line in lines if line.kind != "rounding"]
    if not lines:
        return []
    unrounded = total(lines, currency)
    adjustment = unrounded.rounded_to_increment() - unrounded
    if adjustment.is_zero:
        return lines
    return [*lines, Line(description=rounding_text(currency), amount=adjustment, kind="rounding")]


def coupon_after_cycle(coupon: CouponTerms | None) -> CouponTerms | None:
    """The coupon as it stands for the next cycle, once this one has been billed."""
    if coupon is None or coupon.duration == "once":
        return None
    if coupon.duration == "forever":
        return coupon
    if coupon.cycles_remaining <= 1:
        return None
    return replace(coupon, cycles_remaining=coupon.cycles_remaining - 1)


def total(lines: Sequence[Line], currency: str | None = None) -> Money:
    """The sum of `lines`; `currency` is needed only to total no lines at all."""
    found = common_currency([line.amount for line in lines] + ([Money.zero(currency)] if currency else []))
    if found is None:
        raise ValueError("cannot total no lines without a currency")
    return sum((line.amount for line in lines), Money.zero(found))
