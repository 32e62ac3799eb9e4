"""The lines of a document: each plan and addon, less the coupon's discount where it applies."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Literal, Sequence

from .calendar import Term
from .line_words import LineWords, rounding_words
from .money import Money

ItemKind = Literal["plan", "addon", "one_time"]
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
        if self.kind not in ("plan", "addon", "one_time"):
            raise ValueError(f"kind of {self.code} must be plan, addon or one_time, got {self.kind!r}")

    @property
    def amount(self) -> Money:
        return self.unit_price.times(self.quantity)


@dataclass(frozen=True)
class Discount:
    """What a coupon takes off a term: a share (basis points) or a fixed amount."""

    code: str
    name: str
    percent_off_bp: int | None = None
    amount_off: Money | None = None

    def __post_init__(self):
        if (self.percent_off_bp is None) == (self.amount_off is None):
            raise ValueError(f"coupon {self.code} needs exactly one of percent_off_bp and amount_off")
        if self.percent_off_bp is not None and not (
                isinstance(self.percent_off_bp, int) and 1 <= self.percent_off_bp <= BASIS_POINTS):
            raise ValueError(f"percent_off_bp of {self.code} must be 1..{BASIS_POINTS} basis points")
        if self.amount_off is not None and self.amount_off.amount_minor <= 0:
            raise ValueError(f"amount_off of {self.code} must be positive")

    def words(self) -> dict:
        """The coupon as a line's words name it."""
        return {"name": self.name, "coupon_code": self.code, "percent_off_bp": self.percent_off_bp,
                "amount_off_minor": self.amount_off.amount_minor if self.amount_off is not None else None}

    def of(self, subtotal: Money, share: Fraction = Fraction(1)) -> Money:
        """What it takes off `share` of a term of `subtotal` (positive), worked out exactly and
        rounded once, half up; a fixed amount never more than the subtotal."""
        if self.amount_off is not None:
            return self.amount_off.min(subtotal).times(share)  # ValueError if the currencies differ
        return subtotal.times(Fraction(self.percent_off_bp, BASIS_POINTS) * share)


@dataclass(frozen=True)
class Line:
    description: str
    amount: Money
    code: str | None = None
    quantity: int = 1
    unit_price: Money | None = None
    kind: LineKind = "charge"
    period: Term | None = None          # the days of service it bills or credits
    words: LineWords | None = None      # what the description says, as data

    def __post_init__(self):
        if self.kind not in LINE_KINDS:
            raise ValueError(f"line kind must be one of {', '.join(LINE_KINDS)}, got {self.kind!r}")
        if self.unit_price is not None and self.unit_price.currency != self.amount.currency:
            raise ValueError("a line's unit price and amount must share a currency")


def worded(words: LineWords, amount: Money, **fields) -> Line:
    """A line whose description is its words in English."""
    return Line(description=words.english(), amount=amount, words=words, **fields)


def item_words(item: PricedItem, kind: str, **more) -> LineWords:
    """An item's line as words: its name, quantity and unit price, and `more` (its days)."""
    return LineWords(kind, item.unit_price.currency, name=item.name, quantity=item.quantity,
                     unit_amount_minor=item.unit_price.amount_minor, **more)


def common_currency(amounts: Iterable[Money]) -> str | None:
    """The one currency of `amounts` (None if there are none); ValueError if they mix."""
    currencies = {money.currency for money in amounts}
    if len(currencies) > 1:
        raise ValueError(f"amounts mix currencies: {', '.join(sorted(currencies))}")
    return next(iter(currencies), None)


def subtotal(items: Sequence[PricedItem]) -> Money:
    currency = common_currency(item.unit_price for item in items)
    if currency is None:
        raise ValueError("no items to price")
    return sum((item.amount for item in items), Money.zero(currency))


def term_lines(items: Sequence[PricedItem], discount: Discount | None, term: Term) -> list[Line]:
    """One line per recurring item for the whole term, then the coupon's discount (negative)."""
    if not items:
        return []
    gross = subtotal(items)      # one currency, or ValueError
    lines = [
        worded(item_words(item, item.kind, period_start=term.start, period_end=term.end),
               amount=item.amount, code=item.code, quantity=item.quantity, unit_price=item.unit_price,
               kind="charge", period=term)
        for item in items
    ]
    if discount is not None:
        taken = discount.of(gross)
        if not taken.is_zero:
            words = LineWords("coupon", gross.currency, period_start=term.start, period_end=term.end,
                              **discount.words())
            lines.append(worded(words, amount=-taken, code=discount.code, kind="discount", period=term))
    return lines


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
    return [*lines, worded(rounding_words(currency), amount=adjustment, kind="rounding")]


def one_time_lines(items: Sequence[PricedItem]) -> list[Line]:
    """One-time charges, in full: billed once, never prorated, credited or renewed."""
    return [worded(item_words(item, "one_time_addon"), amount=item.amount, code=item.code, quantity=item.quantity,
                   unit_price=item.unit_price, kind="charge")
            for item in items]


def total(lines: Sequence[Line], currency: str | None = None) -> Money:
    """The sum of `lines`; `currency` is needed only to total no lines at all."""
    found = common_currency([line.amount for line in lines] + ([Money.zero(currency)] if currency else []))
    if found is None:
        raise ValueError("cannot total no lines without a currency")
    return sum((line.amount for line in lines), Money.zero(found))
