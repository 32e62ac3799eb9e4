"""Every write of an invoice, credit note or payment goes through its repository's `save_in`, which
puts the ledger entries the change makes in the same transaction: a service that built the item
itself could change what the customer owes without the statement knowing."""
import re
from pathlib import Path

CHALICELIB = Path(__file__).resolve().parents[2] / "chalicelib"
BYPASSES = re.compile(r"\b(invoices|credit_notes)\.item_for\(|\bpayment_item\(|\b(InvoiceItem|CreditNoteItem|PaymentItem)\(")


def test_no_service_or_handler_writes_a_money_document_around_the_ledger():
    found = [f"{path.relative_to(CHALICELIB)}:{number}: {line.strip()}"
             for folder in ("services", "handlers")
             for path in sorted((CHALICELIB / folder).rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if BYPASSES.search(line)]
    assert found == []
