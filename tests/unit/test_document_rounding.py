"""In a currency Stripe moves in steps (KWD, BHD...: 10 fils; MGA: a whole ariary), every document
total is rounded half up to the step by an explicit Rounding line, so totals, balances and the
credits applied are always amounts that can be charged. Currencies moved in single minor units
never get one."""
from datetime import date, datetime, timezone

from hypothesis import given, strategies as st

from chalicelib.domain import billing
from chalicelib.domain.calendar import Term
from chalicelib.domain.currencies import CURRENCIES, increment
from chalicelib.domain.documents import DocumentLine
from chalicelib.domain.line_words import LineWords
from chalicelib.domain.money import Money
from chalicelib.domain.pricing import Line, total, with_rounding
from chalicelib.domain.subscription import AppliedCoupon, PlanSnapshot, Subscription
from chalicelib.domain.subscription_status import Status

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
JANUARY = Term(date(2026, 1, 1), date(2026, 2, 1))
JAN_17 = date(2026, 1, 17)
ROUNDING_CURRENCIES = sorted(code for code, currency in CURRENCIES.items() if currency.increment > 1)


def an_invoice(*amounts_minor, currency="KWD", tax_rate_bp=0, lines=None):
    return billing.build_invoice(
        invoice_id="inv_1", number="INV-000001", customer_id="cus_1", currency=currency,
        lines=lines or tuple(DocumentLine("Consulting", amount) for amount in amounts_minor), issued_at=NOW,
        issued_on=NOW.date(), payment_terms_days=15, tax_rate_bp=tax_rate_bp)


def a_kwd_subscription(price_minor, coupon=None, code="pro"):
    """Live in January (31 days), anchored on Jan 1."""
    return Subscription("sub_1", "cus_1", Status.LIVE, PlanSnapshot(code, code.title(), price_minor), "KWD", NOW,
                        coupon=coupon, billing_anchor=JANUARY.start, term_start=JANUARY.start, term_end=JANUARY.end)


def test_a_kwd_invoice_of_12_345_gets_a_rounding_line_of_0_005_and_totals_12_350():
    # Given one line of 12.345 KWD; When the invoice is issued
    invoice = an_invoice(12_345)

    # Then a last Rounding line brings the total to 12.350, the subtotal staying 12.345
    assert invoice.lines[-1] == DocumentLine("Rounding to the nearest 0.010 KWD", 5, kind="rounding",
                                             words=LineWords("rounding", "KWD", increment_minor=10))
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor, invoice.balance_minor) == (
        12_345, 0, 12_350, 12_350)


def test_a_kwd_invoice_rounds_down_below_half_a_step():
    # Given 12.344 KWD; When it is invoiced; Then the Rounding line takes 0.004 off: 12.340
    invoice = an_invoice(12_344)

    assert (invoice.lines[-1].amount_minor, invoice.total_minor) == (-4, 12_340)


def test_the_rounding_comes_after_the_tax():
    # Given 12.344 KWD at 5 % tax (0.6172 -> 0.617, rounded once on the subtotal)
    invoice = an_invoice(12_344, tax_rate_bp=500)

    # Then 12.344 + 0.617 = 12.961 is rounded to 12.960 by a Rounding line of -0.001
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.lines[-1].amount_minor, invoice.total_minor) == (
        12_344, 617, -1, 12_960)


def test_a_usd_invoice_never_gets_a_rounding_line():
    # Given 123.45 USD at 5 % tax; When it is invoiced; Then there is nothing to round
    invoice = an_invoice(12_345, currency="USD", tax_rate_bp=500)

    assert [line.kind for line in invoice.lines] == ["charge"] and invoice.total_minor == 12_345 + 617


def test_a_rounding_line_handed_in_is_worked_out_again_on_the_new_total():
    # Given lines that already end with a Rounding line (a subscription's term lines), and a tax
    lines = (DocumentLine("Pro", 12_345), DocumentLine("Rounding to the nearest 0.010 KWD", 5, kind="rounding"))

    # When the invoice is built
    invoice = an_invoice(lines=lines, tax_rate_bp=1000)

    # Then there is one Rounding line, on subtotal + tax: 12.345 + 1.235 = 13.580, nothing to round
    assert [line.kind for line in invoice.lines] == ["charge"] and invoice.total_minor == 13_580


def test_a_credit_note_total_is_rounded_the_same_way():
    # Given credit lines of 4.444 KWD; When the note's lines are rounded; Then it credits 4.440
    lines = billing.rounded_lines((DocumentLine("Unused time", 4_444, kind="credit"),), "KWD")

    assert [(line.kind, line.amount_minor) for line in lines] == [("credit", 4_444), ("rounding", -4)]
    assert sum(line.amount_minor for line in lines) == 4_440


def test_a_term_quoted_in_kwd_ends_with_the_rounding_line_its_invoice_will_have():
    # Given Pro at 10.005 KWD a month with 12.5 % off (1.250625 -> 1.251 off)
    coupon = AppliedCoupon("SAVE", "Save", "forever", percent_off_bp=1250)

    # When the term is billed (as the preview and the invoice both price it)
    lines = billing.term_bill(a_kwd_subscription(10_005, coupon)).charge_lines
    invoice = an_invoice(lines=billing.document_lines(list(lines)))

    # Then 10.005 - 1.251 = 8.754 is rounded to 8.750, and the invoice says the same
    assert [line.kind for line in lines] == ["charge", "discount", "rounding"]
    assert total(lines).amount_minor == 8_750 == invoice.total_minor


def test_a_change_in_kwd_credits_and_charges_whole_tens_of_fils():
    # Given Pro at 10.000 KWD for January, changed to Business at 20.000 on Jan 17 (15/31 days left)
    sub = a_kwd_subscription(10_000)
    bill = billing.change_bill(sub, a_kwd_subscription(20_000, code="biz"), JAN_17)

    # Then credit 4.838.. -> 4.839 -> 4.840; charge 9.677.. -> 9.677 -> 9.680
    assert (bill.credit_total.amount_minor, bill.charge_total.amount_minor) == (4_840, 9_680)
    assert [line.kind for line in bill.charge_lines] == ["proration", "rounding"]


# --- the property: every document total in a rounding currency is a whole increment ---------

amounts = st.integers(min_value=-10**6, max_value=10**7)


@given(st.sampled_from(ROUNDING_CURRENCIES), st.lists(st.integers(min_value=1, max_value=10**7), min_size=1,
                                                      max_size=6), st.integers(min_value=0, max_value=10_000))
def test_every_invoice_total_in_a_rounding_currency_is_a_whole_increment(currency, amounts_minor, tax_rate_bp):
    # Given any lines and tax in a currency Stripe moves in steps; When the invoice is issued
    invoice = an_invoice(*amounts_minor, currency=currency, tax_rate_bp=tax_rate_bp)

    # Then its total (and so its balance) is a whole step, at most half a step from subtotal + tax
    step = increment(currency)
    rounding = sum(line.amount_minor for line in invoice.lines if line.kind == "rounding")
    assert invoice.total_minor % step == 0
    assert invoice.total_minor == invoice.subtotal_minor + invoice.tax_minor + rounding
    assert abs(rounding) * 2 <= step


@given(st.sampled_from(ROUNDING_CURRENCIES), st.lists(amounts, min_size=1, max_size=6))
def test_every_credit_note_and_priced_term_in_a_rounding_currency_totals_a_whole_increment(currency, amounts_minor):
    # Given any lines in a currency Stripe moves in steps
    lines = [Line("Item", Money(amount, currency)) for amount in amounts_minor]

    # When they are rounded as a credit note's or a term's are
    rounded = with_rounding(lines, currency)
    note_lines = billing.rounded_lines(tuple(DocumentLine("Item", a) for a in amounts_minor), currency)

    # Then both total a whole step, and rounding twice changes nothing
    assert total(rounded).amount_minor % increment(currency) == 0
    assert sum(line.amount_minor for line in note_lines) == total(rounded).amount_minor
    assert with_rounding(rounded, currency) == rounded
