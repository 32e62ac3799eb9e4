"""What each printable document shows (services/documents/layouts.py): pure, no PDF drawn."""
from datetime import date, datetime, timezone

from chalicelib.domain.customers import Address, Customer
from chalicelib.domain.documents import (CreditApplication, DocumentLine, Estimate, EstimateStatus, Invoice,
                                         InvoiceStatus, TaxLine)
from chalicelib.domain.money import Money
from chalicelib.domain.organization import Organization
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.domain.statement import LedgerEntry, build_statements
from chalicelib.services.documents.layouts import (estimate_document, invoice_document, money, receipt_document,
                                                statement_document)

UTC = timezone.utc
ISSUED = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)


def an_org() -> Organization:
    return Organization(org_id="org_1", name="Acme Cloud", email="billing@acme.example", currency="USD",
                        created_at=ISSUED, phone="+1 555 0100", website="https://acme.example",
                        address=Address(line1="1 Harbour Street", city="Bristol", postal_code="BS1 4XX",
                                        country="GB"))


def a_customer() -> Customer:
    return Customer(customer_id="cus_1", display_name="Globex", company_name="Globex Corporation",
                    email="ap@globex.example", currency="USD",
                    billing_address=Address(line1="1 Globex Way", city="Cypress Creek", country="US"),
                    shipping_address=Address(line1="Dock 4"))


def an_invoice(**changes) -> Invoice:
    fields = dict(invoice_id="inv_1", customer_id="cus_1", number="INV-000042", currency="USD",
                  status=InvoiceStatus.PARTIALLY_PAID, issued_at=ISSUED, due_on=date(2026, 11, 20),
                  lines=(DocumentLine("Pro plan", 200_000, 2, 100_000), DocumentLine("Setup", 5_000)),
                  subtotal_minor=205_000, tax_minor=41_000, total_minor=246_000,
                  taxes=(TaxLine("VAT", 2000, 41_000),),
                  credits_applied=(CreditApplication("cn_1", 6_000, ISSUED),), amount_paid_minor=40_000,
                  notes="Thank you.")
    return Invoice(**{**fields, **changes})


def test_money_shows_the_currency_and_groups_thousands():
    assert money(123_456_789, "USD") == "USD 1,234,567.89"
    assert money(-500, "USD") == "USD -5.00"
    assert money(0, "EUR") == "EUR 0.00"
    assert money(1_000_000, "JPY") == "JPY 1,000,000"
    assert money(1_234_567, "KWD") == "KWD 1,234.567"


def test_the_organization_issues_and_the_customer_receives_at_its_billing_address():
    doc = invoice_document(an_org(), a_customer(), an_invoice())

    assert doc.issuer.name == "Acme Cloud"
    assert doc.issuer.lines == ("1 Harbour Street", "BS1 4XX Bristol", "GB", "billing@acme.example",
                                "+1 555 0100", "https://acme.example")
    assert doc.recipient.name == "Globex"
    assert doc.recipient.lines == ("Globex Corporation", "1 Globex Way", "Cypress Creek", "US", "ap@globex.example")
    assert "Dock 4" not in doc.recipient.lines


def test_an_invoice_shows_its_lines_taxes_credits_payments_and_balance():
    doc = invoice_document(an_org(), a_customer(), an_invoice())

    assert (doc.title, doc.number) == ("Invoice", "INV-000042")
    assert doc.facts == (("Issued", "2026-11-05"), ("Due", "2026-11-20"), ("Status", "Partially Paid"))
    assert doc.table.rows == (("Pro plan", "2", "USD 1,000.00", "USD 2,000.00"), ("Setup", "1", "", "USD 50.00"))
    assert doc.totals == (("Subtotal", "USD 2,050.00"), ("VAT (20 %)", "USD 410.00"), ("Total", "USD 2,460.00"),
                          ("Credits applied", "USD -60.00"), ("Amount paid", "USD -400.00"),
                          ("Balance due", "USD 2,000.00"))
    assert doc.notes == ("Thank you.",)


def test_a_kwd_invoices_rounding_shows_after_the_tax_above_the_total_not_among_the_lines():
    # Given 12.344 KWD at 5 % VAT (0.617), rounded by -0.001 to 12.960
    invoice = an_invoice(currency="KWD", lines=(DocumentLine("Consulting", 12_344),
                                                DocumentLine("Rounding to the nearest 0.010 KWD", -1,
                                                             kind="rounding")),
                         subtotal_minor=12_344, tax_minor=617, total_minor=12_960, taxes=(TaxLine("VAT", 500, 617),),
                         credits_applied=(), amount_paid_minor=0, status=InvoiceStatus.OPEN)

    # When it is laid out
    doc = invoice_document(an_org(), a_customer(), invoice)

    # Then the Rounding line is a total, between the tax and the total
    assert doc.table.rows == (("Consulting", "1", "", "KWD 12.344"),)
    assert doc.totals == (("Subtotal", "KWD 12.344"), ("VAT (5 %)", "KWD 0.617"),
                          ("Rounding to the nearest 0.010 KWD", "KWD -0.001"), ("Total", "KWD 12.960"),
                          ("Balance due", "KWD 12.960"))


def test_an_estimate_shows_until_when_it_is_valid():
    estimate = Estimate(estimate_id="est_1", customer_id="cus_1", number="EST-000007", currency="USD",
                        status=EstimateStatus.SENT, issued_at=ISSUED, expires_at=datetime(2026, 12, 5, tzinfo=UTC),
                        lines=(DocumentLine("Migration", 250_000, 1, 250_000),), total_minor=250_000)

    doc = estimate_document(an_org(), a_customer(), estimate)

    assert (doc.title, doc.number) == ("Estimate", "EST-000007")
    assert ("Valid until", "2026-12-05") in doc.facts
    assert doc.totals == (("Total", "USD 2,500.00"),)


def test_a_receipt_lists_the_invoices_the_payment_paid_and_any_refund():
    payment = Payment(payment_id="pay_1", customer_id="cus_1", status=PaymentStatus.SUCCEEDED, amount_minor=40_000,
                      currency="USD", allocations=(Allocation("inv_1", 30_000), Allocation("inv_gone", 10_000)),
                      created_at=ISSUED, gateway="simulated", method_summary="Visa •••• 4242",
                      succeeded_at=ISSUED, refunded_minor=5_000)

    doc = receipt_document(an_org(), a_customer(), payment, {"inv_1": an_invoice()})

    assert (doc.title, doc.number) == ("Payment receipt", "pay_1")
    assert ("Paid by", "Visa •••• 4242") in doc.facts
    assert doc.table.rows == (("INV-000042", "2026-11-05", "USD 2,460.00", "USD 300.00"),
                              ("inv_gone", "", "", "USD 100.00"))
    assert doc.totals == (("Amount received", "USD 400.00"), ("Refunded", "USD -50.00"), ("Net received", "USD 350.00"))


def test_a_statement_table_opens_and_closes_each_currency():
    entries = [LedgerEntry(ISSUED, "invoice", "INV-000042", "Due 2026-11-20", Money(246_000, "USD")),
               LedgerEntry(ISSUED, "payment", "pay_1", "Visa •••• 4242", Money(-40_000, "USD"))]
    statements = build_statements(entries, date(2026, 11, 1), date(2026, 11, 30))

    doc = statement_document(an_org(), a_customer(), date(2026, 11, 1), date(2026, 11, 30), statements)

    assert doc.facts == (("From", "2026-11-01"), ("To", "2026-11-30"))
    assert [row[1] for row in doc.table.rows] == ["Opening balance", "Invoice", "Payment", "Closing balance"]
    assert doc.table.rows[2] == ("2026-11-05", "Payment", "pay_1 Visa •••• 4242", "USD -400.00", "USD 2,060.00")
    assert doc.totals[-1] == ("Balance due (USD)", "USD 2,060.00")
