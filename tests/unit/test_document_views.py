"""What each printable document shows (services/documents/layouts.py): pure, no PDF drawn."""
from dataclasses import replace
from datetime import date, datetime, timezone

from chalicelib.domain.customers import Address, Customer
from chalicelib.domain.documents import (CreditApplication, DocumentLine, Estimate, EstimateStatus, Invoice,
                                         InvoiceStatus, TaxLine)
from chalicelib.domain.money import Money
from chalicelib.domain.organization import Organization
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.domain.statement import LedgerEntry, build_statements
from chalicelib.domain.tax_ids import TaxId
from chalicelib.services.documents.layouts import (Writing, estimate_document, invoice_document, receipt_document,
                                                statement_document)

UTC = timezone.utc
ISSUED = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)
AMERICAN = Writing("en-US", "UTC")
GERMAN = Writing("de-DE", "Pacific/Auckland")
NBSP = "\u00a0"
BEFORE_DUE = date(2026, 11, 10)          # the invoices below are due on November 20


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


def test_money_and_days_are_written_in_the_readers_locale_on_the_organizations_calendar():
    assert AMERICAN.money(123_456_789, "USD") == "$1,234,567.89"
    assert AMERICAN.money(-500, "USD") == "-$5.00"
    assert AMERICAN.money(1_234_567, "KWD") == f"KWD{NBSP}1,234.567"
    assert GERMAN.money(123_456_789, "EUR") == f"1.234.567,89{NBSP}€"
    assert AMERICAN.day(ISSUED) == "November 5, 2026"
    assert GERMAN.day(datetime(2026, 12, 5, 12, 30, tzinfo=UTC)) == "6. Dezember 2026"   # already the 6th in Auckland
    assert GERMAN.day(date(2026, 12, 5)) == "5. Dezember 2026"


def test_the_organization_issues_and_the_customer_receives_at_its_billing_address():
    doc = invoice_document(an_org(), a_customer(), an_invoice(), AMERICAN, BEFORE_DUE)

    assert doc.issuer.name == "Acme Cloud"
    assert doc.issuer.lines == ("1 Harbour Street", "Bristol", "BS1 4XX", "GB", "billing@acme.example",
                                "+1 555 0100", "https://acme.example")
    assert doc.recipient.name == "Globex"
    assert doc.recipient.lines == ("Globex Corporation", "1 Globex Way", "Cypress Creek", "US", "ap@globex.example")
    assert "Dock 4" not in doc.recipient.lines


def test_an_invoice_shows_its_lines_taxes_credits_payments_and_balance():
    doc = invoice_document(an_org(), a_customer(), an_invoice(), AMERICAN, BEFORE_DUE)

    assert (doc.title, doc.number) == ("Invoice", "INV-000042")
    assert doc.facts == (("Issued", "November 5, 2026"), ("Due", "November 20, 2026"), ("Status", "Partially Paid"))
    assert doc.table.rows == (("Pro plan", "2", "$1,000.00", "$2,000.00"), ("Setup", "1", "", "$50.00"))
    assert doc.totals == (("Subtotal", "$2,050.00"), ("VAT (20 %)", "$410.00"), ("Total", "$2,460.00"),
                          ("Credits applied", "-$60.00"), ("Amount paid", "-$400.00"),
                          ("Balance due", "$2,000.00"))
    assert doc.notes == ("Thank you.",)


def test_an_outstanding_invoice_past_its_due_day_says_overdue_as_the_portal_does_and_a_paid_one_paid():
    # Given a partially paid invoice due on November 20, and the same invoice paid
    owing, paid = an_invoice(), an_invoice(status=InvoiceStatus.PAID, amount_paid_minor=240_000)

    # When each is laid out on November 20 and on November 21
    def status(invoice, today):
        return dict(invoice_document(an_org(), a_customer(), invoice, AMERICAN, today).facts)["Status"]

    # Then the owing one is Partially Paid on its due day and Overdue the day after; the paid one stays Paid
    assert (status(owing, date(2026, 11, 20)), status(owing, date(2026, 11, 21))) == ("Partially Paid", "Overdue")
    assert status(paid, date(2026, 11, 21)) == "Paid"
    assert dict(invoice_document(an_org(), a_customer(), owing, GERMAN, date(2026, 11, 21)).facts)["Status"] == "Überfällig"


def test_a_kwd_invoices_rounding_shows_after_the_tax_above_the_total_not_among_the_lines():
    # Given 12.344 KWD at 5 % VAT (0.617), rounded by -0.001 to 12.960
    invoice = an_invoice(currency="KWD", lines=(DocumentLine("Consulting", 12_344),
                                                DocumentLine("Rounding to the nearest 0.010 KWD", -1,
                                                             kind="rounding")),
                         subtotal_minor=12_344, tax_minor=617, total_minor=12_960, taxes=(TaxLine("VAT", 500, 617),),
                         credits_applied=(), amount_paid_minor=0, status=InvoiceStatus.OPEN)

    # When it is laid out
    doc = invoice_document(an_org(), a_customer(), invoice, AMERICAN, BEFORE_DUE)

    # Then the Rounding line is a total, between the tax and the total
    assert doc.table.rows == (("Consulting", "1", "", f"KWD{NBSP}12.344"),)
    assert doc.totals == (("Subtotal", f"KWD{NBSP}12.344"), ("VAT (5 %)", f"KWD{NBSP}0.617"),
                          ("Rounding to the nearest 0.010 KWD", f"-KWD{NBSP}0.001"), ("Total", f"KWD{NBSP}12.960"),
                          ("Balance due", f"KWD{NBSP}12.960"))


def test_an_estimate_shows_until_when_it_is_valid():
    estimate = Estimate(estimate_id="est_1", customer_id="cus_1", number="EST-000007", currency="USD",
                        status=EstimateStatus.SENT, issued_at=ISSUED, expires_at=datetime(2026, 12, 5, tzinfo=UTC),
                        lines=(DocumentLine("Migration", 250_000, 1, 250_000),), total_minor=250_000)

    doc = estimate_document(an_org(), a_customer(), estimate, AMERICAN)

    assert (doc.title, doc.number) == ("Estimate", "EST-000007")
    assert ("Valid until", "December 5, 2026") in doc.facts
    assert doc.totals == (("Total", "$2,500.00"),)


def test_a_receipt_lists_the_invoices_the_payment_paid_and_any_refund():
    payment = Payment(payment_id="pay_1", customer_id="cus_1", status=PaymentStatus.SUCCEEDED, amount_minor=40_000,
                      currency="USD", allocations=(Allocation.of(an_invoice(), 30_000), Allocation("inv_gone", 10_000)),
                      created_at=ISSUED, gateway="simulated", method_summary="Visa •••• 4242",
                      succeeded_at=ISSUED, refunded_minor=5_000)

    doc = receipt_document(an_org(), a_customer(), payment, AMERICAN)

    assert (doc.title, doc.number) == ("Payment receipt", "pay_1")
    assert ("Paid by", "Visa •••• 4242") in doc.facts
    assert doc.table.rows == (("INV-000042", "November 5, 2026", "$2,460.00", "$300.00"),
                              ("inv_gone", "", "", "$100.00"))
    assert doc.totals == (("Amount received", "$400.00"), ("Refunded", "-$50.00"), ("Net received", "$350.00"))


def test_a_statement_table_opens_and_closes_each_currency():
    entries = [LedgerEntry(ISSUED, "invoice", "INV-000042", "Due 2026-11-20", Money(246_000, "USD")),
               LedgerEntry(ISSUED, "payment", "pay_1", "Visa •••• 4242", Money(-40_000, "USD"))]
    statements = build_statements(entries, date(2026, 11, 1), date(2026, 11, 30))

    doc = statement_document(an_org(), a_customer(), date(2026, 11, 1), date(2026, 11, 30), statements, AMERICAN)

    assert doc.facts == (("From", "November 1, 2026"), ("To", "November 30, 2026"))
    assert [row[1] for row in doc.table.rows] == ["Opening balance", "Invoice", "Payment", "Closing balance"]
    assert doc.table.rows[1][2] == "INV-000042 Due November 20, 2026"
    assert doc.table.rows[2] == ("November 5, 2026", "Payment", "Visa •••• 4242", "-$400.00", "$2,060.00")
    assert doc.totals[-1] == ("Balance due (USD)", "$2,060.00")


def test_a_german_reader_gets_german_money_and_days_on_the_organizations_calendar():
    doc = invoice_document(an_org(), a_customer(), an_invoice(), GERMAN, BEFORE_DUE)

    assert ("Ausgestellt", "5. November 2026") in doc.facts     # 22:30 in Auckland
    assert ("Offener Betrag", f"2.000,00{NBSP}$") in doc.totals


def test_an_invoice_keeps_the_recipient_it_was_issued_to_after_the_customer_moves():
    # Given a customer who moved and renamed after the invoice was issued
    before = a_customer()
    moved = replace(before, display_name="Globex Europe", company_name="Globex GmbH",
                    billing_address=Address(line1="Hauptstraße 1", city="Berlin", country="DE"))
    moved = moved.keeping_billing_history(before, datetime(2026, 11, 20, tzinfo=UTC))

    # When the old invoice and a new one are laid out
    old = invoice_document(an_org(), moved, an_invoice(), AMERICAN, BEFORE_DUE)
    new = invoice_document(an_org(), moved, an_invoice(issued_at=datetime(2026, 11, 21, tzinfo=UTC)), AMERICAN, BEFORE_DUE)

    # Then each names the customer as it was when it was issued
    assert old.recipient.name == "Globex" and "1 Globex Way" in old.recipient.lines
    assert "Globex Corporation" in old.recipient.lines
    assert new.recipient.name == "Globex Europe" and "Hauptstraße 1" in new.recipient.lines


def test_documents_print_the_tax_ids_the_customer_had_when_they_were_issued():
    # Given a customer who replaced its German VAT number by a UK one after the invoice was issued
    before = replace(a_customer(), tax_ids=(TaxId("txi_1", "eu_vat", "DE136695976"),))
    changed = replace(before, tax_ids=(TaxId("txi_1", "gb_vat", "GB980780684"),))
    changed = changed.keeping_billing_history(before, datetime(2026, 11, 20, tzinfo=UTC))

    # When the old invoice, a new receipt and a statement made now are laid out
    old = invoice_document(an_org(), changed, an_invoice(), AMERICAN, BEFORE_DUE)
    new = invoice_document(an_org(), changed, an_invoice(issued_at=datetime(2026, 11, 21, tzinfo=UTC)), AMERICAN, BEFORE_DUE)
    statement = statement_document(an_org(), changed, date(2026, 11, 1), date(2026, 11, 30), [], AMERICAN)

    # Then each prints the number valid when it was issued, under the address
    assert old.recipient.lines[-1] == "VAT DE136695976" and "VAT GB980780684" not in old.recipient.lines
    assert new.recipient.lines[-1] == "VAT GB980780684" and "VAT DE136695976" not in new.recipient.lines
    assert statement.recipient.lines[-1] == "VAT GB980780684"


def test_a_change_that_leaves_the_recipient_alone_keeps_no_history():
    before = a_customer()
    same = replace(before, phone="+1 555 0199")

    assert same.keeping_billing_history(before, ISSUED).billing_history == ()


def test_a_german_reader_gets_a_document_labelled_in_german():
    doc = invoice_document(an_org(), a_customer(), an_invoice(), GERMAN, BEFORE_DUE)

    assert doc.title == "Rechnung"
    assert [label for label, _ in doc.facts][:3] == ["Ausgestellt", "Fällig", "Status"]
    assert doc.table.columns == ("Beschreibung", "Menge", "Einzelpreis", "Betrag")
    assert doc.totals[-1][0] == "Offener Betrag"
    assert doc.page_words == "Seite {page} von {pages}"


def test_every_german_label_names_an_english_one_a_layout_writes():
    from pathlib import Path

    from chalicelib.domain.document_words import GERMAN_WORDS
    layouts = (Path(__file__).resolve().parents[2] / "chalicelib/services/documents/layouts.py").read_text()
    statuses = {"Open", "Partially Paid", "Paid", "Void", "Overdue", "Sent", "Accepted", "Declined", "Draft",
                "Expired", "to"}
    unused = sorted(english for english in GERMAN_WORDS if f'"{english}"' not in layouts and english not in statuses)
    assert not unused, unused
