"""What a subscription bills: the lines of each document an action raises, decided in full (and
so quoted exactly) before anything is written.

- A term's invoice bills each recurring item for the whole term, less the coupon where it
  discounts that term, plus each one-time addon once, in full.
- A change "now" within the same billing period prorates by day over the current term (a credit
  note for the unused part of the old items, an invoice for the rest of the term at the new
  ones). A change "now" to a plan of another period ends the term: the unused part is credited
  the same way and the new plan's full first term is invoiced from today, with a new anchor.
- A pause that gives the unused days back credits them by day, like a change.

Each `Bill` carries the subscription as it stands once its documents are issued: the coupon's
cycle counted, one-time addons gone, and for an interval change the new term and anchor.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Iterable

from . import coupon_cycles, currencies
from .calendar import Term
from .documents import CreditNote, CreditNoteStatus, DocumentLine, Invoice, InvoiceStatus, TaxLine
from .errors import BusinessRuleViolation
from .line_words import rounding_words
from .money import Money, round_half_up
from .note_words import NoteWords
from .pricing import Discount, Line, PricedItem, one_time_lines, subtotal, term_lines, total, with_rounding
from .proration import prorate_change, prorated_lines
from .subscription import Subscription, new_series


@dataclass(frozen=True)
class Bill:
    """The documents one action raises and the subscription they leave."""
    subscription: Subscription
    charge_lines: tuple[Line, ...] = ()
    credit_lines: tuple[Line, ...] = ()
    period: Term | None = None          # the days the invoice bills
    credit_reason: str = ""
    explanation: NoteWords | None = None

    def __post_init__(self):
        # each document's total is a whole increment of its currency (what the gateway can move):
        # the lines a preview shows are the lines the documents get
        currency = self.subscription.currency
        object.__setattr__(self, "charge_lines", tuple(with_rounding(self.charge_lines, currency)))
        object.__setattr__(self, "credit_lines", tuple(with_rounding(self.credit_lines, currency)))

    @property
    def currency(self) -> str:
        return self.subscription.currency

    @property
    def charge_total(self) -> Money:
        return total(self.charge_lines, self.currency)

    @property
    def credit_total(self) -> Money:
        return total(self.credit_lines, self.currency)


def recurring_items(sub: Subscription) -> list[PricedItem]:
    items = [PricedItem(sub.plan.code, sub.plan.name, Money(sub.plan.price_minor, sub.currency), 1, "plan")]
    items += [PricedItem(a.code, a.name, Money(a.price_minor, sub.currency), a.quantity, "addon")
              for a in sub.addons if a.recurring]
    return items


def one_time_items(sub: Subscription) -> list[PricedItem]:
    """One-time addons not yet billed."""
    return [PricedItem(a.code, a.name, Money(a.price_minor, sub.currency), a.quantity, "one_time")
            for a in sub.addons if not a.recurring and a.billed_on is None]


def term_discount(sub: Subscription, term_start: date) -> Discount | None:
    """The coupon's discount on the term of `sub` starting on `term_start`, if it discounts it."""
    if not coupon_cycles.discounts(sub, sub.coupon, term_start):
        return None
    return coupon_cycles.discount_of(sub.coupon, sub.currency)


def _billed(sub: Subscription, discounted_term_start: date | None, *, billed_on: date) -> Subscription:
    """`sub` once its documents are issued on `billed_on`: the coupon's cycle counted for the term
    it discounted, one-time addons marked billed."""
    if discounted_term_start is not None and sub.coupon is not None:
        sub = coupon_cycles.used_on(sub, sub.coupon, discounted_term_start)
    addons = tuple(a if a.recurring or a.billed_on else replace(a, billed_on=billed_on) for a in sub.addons)
    return replace(sub, addons=addons)


def unbilled(sub: Subscription, term_start: date) -> Subscription:
    """`sub` as it was before its term from `term_start` was billed (its invoice was taken back):
    the coupon's cycle for that term and the one-time addons billed with it are given back."""
    sub = coupon_cycles.unused_on(sub, term_start)
    return replace(sub, addons=tuple(replace(a, billed_on=None) if a.billed_on == term_start else a
                                     for a in sub.addons))


def without_billed_addons(sub: Subscription) -> Subscription:
    """One-time addons billed on an earlier invoice leave the subscription."""
    return replace(sub, addons=tuple(a for a in sub.addons if a.pending))


def term_bill(sub: Subscription) -> Bill:
    """The invoice of `sub`'s current term, in full."""
    term = sub.term
    if term is None:
        raise ValueError("a subscription without a term has nothing to bill")
    sub = without_billed_addons(sub)
    discount = term_discount(sub, term.start)
    if discount is None and sub.coupon is not None:
        sub = replace(sub, coupon=None)        # its cycles are used up: it is done with
    lines = term_lines(recurring_items(sub), discount, term) + one_time_lines(one_time_items(sub))
    after = _billed(replace(sub, term_unbilled=False), term.start if discount else None, billed_on=term.start)
    return Bill(after, charge_lines=tuple(lines), period=term)


def change_bill(sub: Subscription, after: Subscription, day: date) -> Bill:
    """Changing `sub` into `after` (another plan, addons or coupon) on `day`, within its term."""
    term = sub.term
    if term is None or not term.contains(day):
        raise ValueError(f"{day} is not within the subscription's current term")
    if not after.plan.bills_like(sub.plan):
        return _interval_change_bill(sub, after, day, term)
    old_discount = term_discount(sub, term.start)
    new_discount = term_discount(after, term.start)
    extras = one_time_lines(one_time_items(after))
    if _recurring_key(sub, old_discount) == _recurring_key(after, new_discount):
        # only one-time addons were added: nothing to prorate
        billed = _billed(after, None, billed_on=day)
        return Bill(billed, charge_lines=tuple(extras), period=None)
    quote = prorate_change(recurring_items(sub), old_discount, recurring_items(after), new_discount, term, day)
    billed = _billed(after, term.start if new_discount else None, billed_on=day)
    return Bill(billed, charge_lines=tuple(quote.charge_lines + extras), credit_lines=tuple(quote.credit_lines),
                period=Term(day, term.end), credit_reason="Subscription changed mid-term",
                explanation=NoteWords("prorated_by_day", quote.days_remaining, quote.days_in_term))


def _interval_change_bill(sub: Subscription, after: Subscription, day: date, term: Term) -> Bill:
    credit = unused_time_credit(sub, day)
    new_term = new_series(day, after.plan)
    renewed = replace(after, billing_anchor=day, term_start=new_term.start, term_end=new_term.end)
    first = term_bill(renewed)
    unused = credit[0].period.days if credit else 0
    return Bill(first.subscription, charge_lines=first.charge_lines, credit_lines=tuple(credit),
                period=new_term, credit_reason="Subscription moved to another billing period",
                explanation=NoteWords("term_restarts_today", unused, term.days, name=after.plan.name))


def unused_time_credit(sub: Subscription, day: date) -> list[Line]:
    """The credit-note lines for the unused days of `sub`'s term from `day` on, at what the term was
    invoiced for (its coupon's discount included)."""
    term = sub.term
    if term is None or not term.contains(day):
        return []
    return prorated_lines(recurring_items(sub), term_discount(sub, term.start), day, term,
                          time="unused", kind="credit")


def _recurring_key(sub: Subscription, discount: Discount | None) -> tuple:
    return (sub.plan, tuple(sorted((a.code, a.quantity, a.price_minor) for a in sub.addons if a.recurring)), discount)


def amount_per_term(sub: Subscription, term_start: date | None = None) -> Money:
    """What one term of `sub`'s recurring items costs, its coupon taken off where it discounts
    the term starting on `term_start` (any term, if not given)."""
    return _discounted_term(sub, subtotal(recurring_items(sub)), term_start)


def amount_and_price_per_term(sub: Subscription, term_start: date | None = None) -> tuple[Money, Money]:
    """`amount_per_term(sub, term_start)`, and what every term costs (its price per term): the coupon
    taken off only when it discounts every term. A coupon for some terms ("once", "repeating") is a
    discount of those terms, not the price. The recurring items are priced once for both (a list of
    subscriptions shows both on each line)."""
    gross = subtotal(recurring_items(sub))
    return _discounted_term(sub, gross, term_start), _every_terms_price(sub, gross)


def _discounted_term(sub: Subscription, gross: Money, term_start: date | None) -> Money:
    discount = (term_discount(sub, term_start) if term_start is not None
                else coupon_cycles.discount_of(sub.coupon, sub.currency) if sub.coupon else None)
    return gross - discount.of(gross) if discount else gross


def _every_terms_price(sub: Subscription, gross: Money) -> Money:
    if sub.coupon is None or sub.coupon.cycles is not None:
        return gross
    return gross - coupon_cycles.discount_of(sub.coupon, sub.currency).of(gross)


# --- documents -------------------------------------------------------------------------------

def document_lines(lines: list[Line]) -> tuple[DocumentLine, ...]:
    return tuple(DocumentLine(description=line.description, amount_minor=line.amount.amount_minor,
                              quantity=line.quantity, code=line.code, kind=line.kind,
                              unit_price_minor=line.unit_price.amount_minor if line.unit_price else None,
                              period_start=line.period.start if line.period else None,
                              period_end=line.period.end if line.period else None, words=line.words)
                 for line in lines)


def number(prefix: str, sequence: int) -> str:
    return f"{prefix}-{sequence:06d}"


def rounding_line(unrounded_minor: int, currency: str) -> DocumentLine | None:
    """The Rounding line that brings a document total of `unrounded_minor` to a whole increment of
    the currency (what the payment gateway can move), half up; None when it is one already."""
    total = Money(unrounded_minor, currency)
    adjustment = total.rounded_to_increment() - total
    if adjustment.is_zero:
        return None
    words = rounding_words(currency)
    return DocumentLine(description=words.english(), amount_minor=adjustment.amount_minor, kind="rounding",
                        words=words)


def rounded_lines(lines: tuple[DocumentLine, ...], currency: str) -> tuple[DocumentLine, ...]:
    """The lines of a document without tax (credit note, estimate), its total a whole increment:
    any Rounding line is worked out again from the others."""
    kept = tuple(line for line in lines if line.kind != "rounding")
    rounding = rounding_line(sum(line.amount_minor for line in kept), currency)
    rounded = kept + ((rounding,) if rounding else ())
    require_payable_total(sum(line.amount_minor for line in rounded), currency)
    return rounded


def bills_days_to_come(invoice: Invoice, today: date, sub: Subscription | None) -> bool:
    """Whether some day `invoice` bills is still to be served on `today` (docs/billing.md, Voiding an
    invoice): a day of its lines from today on, or, for an invoice of days of `sub` (its
    subscription), paid days `sub` keeps over a pause, which a cancellation, a change or a
    reactivation may still credit, wherever its lines put them."""
    if invoice.bills_days_from(today):
        return True
    return sub is not None and sub.kept_days_to_come(today) and any(line.period_end is not None for line in invoice.lines)


def credits_for_its_days(invoice: Invoice, notes: Iterable[CreditNote]) -> CreditNote | None:
    """The first of `notes` (its subscription's) that credits as unused a day `invoice` bills of
    the same plan, addon or coupon, if any: voiding it would leave the credit for days no longer
    charged (docs/billing.md, Voiding an invoice). A voided note credited nothing."""
    billed = [line for line in invoice.lines if line.period_end is not None]
    return next((note for note in notes if note.status != CreditNoteStatus.VOID and any(
        _same_days(credited, line) for credited in note.lines for line in billed)), None)


def _same_days(credited: DocumentLine, billed: DocumentLine) -> bool:
    return (credited.code == billed.code and credited.period_end is not None
            and credited.period_start < billed.period_end and billed.period_start < credited.period_end)


def require_payable_total(total_minor: int, currency: str) -> None:
    """A document's total is one the payment gateway could move in one payment (docs/billing.md,
    "Largest amount"); a larger one is refused before anything is written."""
    largest = currencies.largest_amount_minor(currency)
    if total_minor > largest:
        raise BusinessRuleViolation(
            f"The total, {currencies.plain_text(total_minor, currency)} {currency}, is more than one payment "
            f"can take ({currencies.plain_text(largest, currency)} {currency}); split it into several documents.",
            "amount_too_large", {"largest_minor": largest})


def build_invoice(*, invoice_id: str, number: str, customer_id: str, currency: str,
                  lines: tuple[DocumentLine, ...], issued_at: datetime, issued_on: date, payment_terms_days: int,
                  tax_rate_bp: int = 0, tax_name: str = "Tax", subscription_id: str | None = None,
                  period: Term | None = None, notes: str = "") -> Invoice:
    """An open invoice, due `payment_terms_days` after the day it is issued on; tax is computed
    once on the subtotal, rounded half up. In a currency the gateway moves in steps (KWD: 10
    fils), a last Rounding line brings subtotal + tax to a whole step: total = subtotal + tax +
    rounding, the subtotal being every line but the Rounding one."""
    lines = tuple(line for line in lines if line.kind != "rounding")
    subtotal = sum(line.amount_minor for line in lines)
    tax = round_half_up(Fraction(subtotal * tax_rate_bp, 10_000)) if tax_rate_bp else 0
    taxes = (TaxLine(tax_name, tax_rate_bp, tax),) if tax_rate_bp else ()
    rounding = rounding_line(subtotal + tax, currency)
    if rounding is not None:
        lines += (rounding,)
    total_minor = subtotal + tax + (rounding.amount_minor if rounding else 0)
    require_payable_total(total_minor, currency)
    return Invoice(invoice_id=invoice_id, customer_id=customer_id, number=number, currency=currency,
                   status=InvoiceStatus.OPEN if total_minor > 0 else InvoiceStatus.PAID, issued_at=issued_at,
                   due_on=issued_on + timedelta(days=payment_terms_days), lines=lines,
                   subtotal_minor=subtotal, tax_minor=tax, total_minor=total_minor, taxes=taxes,
                   subscription_id=subscription_id, period_start=period.start if period else None,
                   period_end=period.end if period else None, paid_at=issued_at if total_minor <= 0 else None,
                   notes=notes)
