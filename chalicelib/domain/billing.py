"""From a subscription to the documents it produces: terms, priced items, invoices."""
from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

from .calendar import Term, add_interval
from .documents import DocumentLine, Invoice, InvoiceStatus, TaxLine
from .money import Money, round_half_up
from .pricing import CouponTerms, Line, PricedItem, rounding_text
from .subscription import AppliedCoupon, PlanSnapshot, Subscription


def term_from(start: datetime, plan: PlanSnapshot) -> Term:
    return Term(start, add_interval(start, plan.interval, plan.interval_count))


def priced_items(sub: Subscription) -> list[PricedItem]:
    items = [PricedItem(sub.plan.code, sub.plan.name, Money(sub.plan.price_minor, sub.currency), 1, "plan")]
    items += [PricedItem(a.code, a.name, Money(a.price_minor, sub.currency), a.quantity, "addon")
              for a in sub.addons]
    return items


def coupon_terms(coupon: AppliedCoupon | None, currency: str) -> CouponTerms | None:
    if coupon is None:
        return None
    amount_off = Money(coupon.amount_off_minor, currency) if coupon.amount_off_minor is not None else None
    return CouponTerms(coupon.code, coupon.name, coupon.percent_off_bp, amount_off, coupon.duration,
                       coupon.cycles_remaining)


def document_lines(lines: list[Line], term: Term | None = None) -> tuple[DocumentLine, ...]:
    return tuple(DocumentLine(description=line.description, amount_minor=line.amount.amount_minor,
                              quantity=line.quantity, code=line.code, kind=line.kind,
                              unit_price_minor=line.unit_price.amount_minor if line.unit_price else None,
                              period_start=term.start if term else None,
                              period_end=term.end if term else None)
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
    return DocumentLine(description=rounding_text(currency), amount_minor=adjustment.amount_minor,
                        kind="rounding")


def rounded_lines(lines: tuple[DocumentLine, ...], currency: str) -> tuple[DocumentLine, ...]:
    """The lines of a document without tax (credit note, estimate), its total a whole increment:
    any Rounding line is worked out again from the others."""
    kept = tuple(line for line in lines if line.kind != "rounding")
    rounding = rounding_line(sum(line.amount_minor for line in kept), currency)
    return kept + ((rounding,) if rounding else ())


def build_invoice(*, invoice_id: str, number: str, customer_id: str, currency: str,
                  lines: tuple[DocumentLine, ...], issued_at: datetime, payment_terms_days: int,
                  tax_rate_bp: int = 0, tax_name: str = "Tax", subscription_id: str | None = None,
                  term: Term | None = None, notes: str = "") -> Invoice:
    """An open invoice; tax is computed once on the subtotal, rounded half up. In a currency the
    gateway moves in steps (KWD: 10 fils), a last Rounding line brings subtotal + tax to a whole
    step: total = subtotal + tax + rounding, the subtotal being every line but the Rounding one."""
    lines = tuple(line for line in lines if line.kind != "rounding")
    subtotal = sum(line.amount_minor for line in lines)
    tax = round_half_up(Fraction(subtotal * tax_rate_bp, 10_000)) if tax_rate_bp else 0
    taxes = (TaxLine(tax_name, tax_rate_bp, tax),) if tax_rate_bp else ()
    rounding = rounding_line(subtotal + tax, currency)
    if rounding is not None:
        lines += (rounding,)
    total = subtotal + tax + (rounding.amount_minor if rounding else 0)
    return Invoice(invoice_id=invoice_id, customer_id=customer_id, number=number, currency=currency,
                   status=InvoiceStatus.OPEN if total > 0 else InvoiceStatus.PAID, issued_at=issued_at,
                   due_at=issued_at + timedelta(days=payment_terms_days), lines=lines,
                   subtotal_minor=subtotal, tax_minor=tax, total_minor=total, taxes=taxes,
                   subscription_id=subscription_id, period_start=term.start if term else None,
                   period_end=term.end if term else None, paid_at=issued_at if total <= 0 else None,
                   notes=notes)
