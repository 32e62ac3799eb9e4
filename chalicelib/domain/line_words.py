"""What a billing line says, as data: its kind and the names, numbers and days its words are made of,
so that a reader's browser can write them in the reader's language (money and dates as they are written
there). The English `description` documents keep is written from the same words (`english`), so the two
cannot disagree."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from . import currencies

WordsKind = Literal["plan", "addon", "one_time_addon", "coupon", "unused_time", "remaining_time",
                    "coupon_on_unused_time", "coupon_on_remaining_time", "rounding"]
PRORATED: dict[str, WordsKind] = {"unused": "unused_time", "remaining": "remaining_time"}
COUPON_ON: dict[str, WordsKind] = {"unused": "coupon_on_unused_time", "remaining": "coupon_on_remaining_time"}


@dataclass(frozen=True)
class LineWords:
    """Every amount is in minor units of `currency`; the period is [period_start, period_end)."""
    kind: WordsKind
    currency: str
    name: str = ""                          # the plan's, addon's or coupon's
    quantity: int | None = None
    unit_amount_minor: int | None = None    # the item's price for a whole term (or once)
    period_start: date | None = None
    period_end: date | None = None
    days: int | None = None                 # prorated: the days from the change to the term's end ...
    days_in_term: int | None = None         # ... of the term's days
    coupon_code: str | None = None
    percent_off_bp: int | None = None       # the coupon's share off, or ...
    amount_off_minor: int | None = None     # ... its fixed amount off
    discount_minor: int | None = None       # on time: what the coupon takes off the whole term
    increment_minor: int | None = None      # rounding: the step the currency is charged in

    def english(self) -> str:
        """The line's description as documents print it."""
        return _ENGLISH[self.kind](self)


def _money(words: LineWords, amount_minor: int) -> str:
    return currencies.plain_text(amount_minor, words.currency)


def _off(words: LineWords) -> str:
    """'20% off', '12.5% off' or '10.00 off'."""
    if words.amount_off_minor is not None:
        return f"{_money(words, words.amount_off_minor)} off"
    whole, hundredths = divmod(words.percent_off_bp, 100)
    percent = f"{whole}.{hundredths:02d}".rstrip("0").rstrip(".")
    return f"{percent}% off"


def _term_item(words: LineWords) -> str:
    return (f"{words.name} ({words.quantity} x {_money(words, words.unit_amount_minor)}) "
            f"{words.period_start.isoformat()} to {words.period_end.isoformat()}")


def _one_time(words: LineWords) -> str:
    return f"{words.name} (one-time, {words.quantity} x {_money(words, words.unit_amount_minor)})"


def _coupon(words: LineWords) -> str:
    return f"Coupon {words.coupon_code} ({words.name}): {_off(words)}"


def _of_days(words: LineWords) -> str:
    return f"x {words.days}/{words.days_in_term} days"


def _prorated(time: str):
    def text(words: LineWords) -> str:
        price = _money(words, words.unit_amount_minor)
        priced = f"{words.name} {price}" if words.quantity == 1 else f"{words.name} {words.quantity} x {price}"
        return f"{time.capitalize()} time on {priced} {_of_days(words)}"
    return text


def _coupon_on(time: str):
    def text(words: LineWords) -> str:
        return (f"Coupon {words.coupon_code} ({_off(words)}) on {time} time "
                f"{_money(words, -words.discount_minor)} {_of_days(words)}")
    return text


def _rounding(words: LineWords) -> str:
    return f"Rounding to the nearest {_money(words, words.increment_minor)} {words.currency}"


_ENGLISH = {"plan": _term_item, "addon": _term_item, "one_time_addon": _one_time, "coupon": _coupon,
            "unused_time": _prorated("unused"), "remaining_time": _prorated("remaining"),
            "coupon_on_unused_time": _coupon_on("unused"), "coupon_on_remaining_time": _coupon_on("remaining"),
            "rounding": _rounding}


def rounding_words(currency: str) -> LineWords:
    return LineWords("rounding", currency, increment_minor=currencies.increment(currency))
