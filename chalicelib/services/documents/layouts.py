"""What each printable document shows: domain objects laid out as a `PdfDocument` (invoice,
credit note, payment receipt, estimate, statement of accounts). The organization issues, as it
named itself when the document was issued (its name, address, email, phone and website then:
`Organization.as_issuer_at`; a statement, made on the day, as it is now), and the customer
receives, as it was addressed then (its name, company, billing address and tax IDs:
`Customer.billed_to_at`). Money and days are written in the reader's locale.
No I/O here: callers load, `render_pdf` draws."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ...domain import document_words
from ...domain.calendar import local_date
from ...domain.customers import Customer
from ...domain.documents import DocumentLine, Estimate, Invoice
from ...domain.locales import day_text, money_text
from ...domain.organization import Organization
from ...domain.payments import Payment
from ...domain.statement import Statement
from ...gateways.pdf import Party, PdfDocument, Table

LINE_COLUMNS = ("Description", "Qty", "Unit price", "Amount")
LINE_ALIGN = ("L", "R", "R", "R")
STATEMENT_COLUMNS = ("Date", "Transaction", "Details", "Amount", "Balance")
DUE = re.compile(r"Due (\d{4}-\d{2}-\d{2})")     # how the ledger books an invoice's due day
PAGE = "Page {page} of {pages}"
KIND_NAMES = {"invoice": "Invoice", "payment": "Payment", "credit_note": "Credit note", "refund": "Refund",
              "void": "Invoice voided", "credit_note_void": "Credit note voided"}


@dataclass(frozen=True)
class Writing:
    """How a document writes money and days: in its reader's locale (as their page does), days
    as they fall in the organization's time zone."""
    locale: str
    time_zone: str

    def money(self, amount_minor: int, currency: str) -> str:
        return money_text(amount_minor, currency, self.locale)

    def words(self, text: str) -> str:
        """A label in the reader's language."""
        return document_words.words(text, self.locale)

    def day(self, at: datetime | date | None) -> str:
        if at is None:
            return ""
        return day_text(local_date(at, self.time_zone) if isinstance(at, datetime) else at, self.locale)


def issuer(org: Organization) -> Party:
    lines = (*org.address.lines(), org.email, org.phone, org.website)
    return Party(org.name, tuple(line for line in lines if line))


def recipient(customer: Customer) -> Party:
    company = customer.company_name if customer.company_name not in ("", customer.display_name) else ""
    lines = (company, *customer.billing_address.lines(), customer.email,
             *(tax_id.printed() for tax_id in customer.tax_ids))
    return Party(customer.display_name, tuple(line for line in lines if line))


def invoice_document(org: Organization, customer: Customer, invoice: Invoice, w: Writing, today: date) -> PdfDocument:
    """`today`, the organization's date: its status is the portal's on that day (Overdue once past due)."""
    cur = invoice.currency
    status = "Overdue" if invoice.is_overdue(today) else invoice.status.value.replace("_", " ").title()
    facts = [(w.words("Issued"), w.day(invoice.issued_at)), (w.words("Due"), w.day(invoice.due_on)),
             (w.words("Status"), w.words(status))]
    if invoice.period_start and invoice.period_end:
        facts.append((w.words("Period"),
                      f"{w.day(invoice.period_start)} {w.words('to')} {w.day(invoice.period_end)}"))
    totals = [(w.words("Subtotal"), w.money(invoice.subtotal_minor, cur))]
    totals += [(f"{tax.name} ({tax.rate_bp / 100:g} %)", w.money(tax.amount_minor, cur)) for tax in invoice.taxes]
    totals += [(line.description, w.money(line.amount_minor, cur)) for line in _rounding(invoice.lines)]
    totals.append((w.words("Total"), w.money(invoice.total_minor, cur)))
    if invoice.credits_applied_minor:
        totals.append((w.words("Credits applied"), w.money(-invoice.credits_applied_minor, cur)))
    if invoice.amount_paid_minor:
        totals.append((w.words("Amount paid"), w.money(-invoice.amount_paid_minor, cur)))
    totals.append((w.words("Balance due"), w.money(invoice.balance_minor, cur)))
    issued_by = org.as_issuer_at(invoice.issued_at)
    return PdfDocument(title=w.words("Invoice"), number=invoice.number,
                       issuer=issuer(issued_by),
                       recipient=recipient(customer.billed_to_at(invoice.issued_at)),
                       facts=tuple(facts), table=_lines_table(_charged(invoice.lines), cur, w), totals=tuple(totals),
                       notes=_notes(invoice.notes), footer=_footer(issued_by),
                       page_words=w.words(PAGE))


def estimate_document(org: Organization, customer: Customer, estimate: Estimate, w: Writing) -> PdfDocument:
    facts = ((w.words("Issued"), w.day(estimate.issued_at)), (w.words("Valid until"), w.day(estimate.expires_at)),
             (w.words("Status"), w.words(estimate.status.value.title())))
    issued_by = org.as_issuer_at(estimate.issued_at)
    return PdfDocument(title=w.words("Estimate"), number=estimate.number,
                       issuer=issuer(issued_by),
                       recipient=recipient(customer.billed_to_at(estimate.issued_at)),
                       facts=facts, table=_lines_table(estimate.lines, estimate.currency, w),
                       totals=((w.words("Total"), w.money(estimate.total_minor, estimate.currency)),),
                       notes=_notes(estimate.notes), footer=_footer(issued_by),
                       page_words=w.words(PAGE))


def receipt_document(org: Organization, customer: Customer, payment: Payment, w: Writing) -> PdfDocument:
    """A payment's receipt: what was received, how, and which invoices it paid."""
    cur, paid_at = payment.currency, payment.succeeded_at or payment.created_at
    facts = [(w.words("Payment date"), w.day(paid_at)),
             (w.words("Paid by"), payment.method_summary or payment.gateway.title())]
    if payment.gateway_payment_id:
        facts.append((w.words("Reference"), payment.gateway_payment_id))
    rows = []
    for allocation in payment.allocations:   # with its invoice's facts (an invoice not found: its id alone)
        rows.append((allocation.invoice_number or allocation.invoice_id,
                     w.day(allocation.invoice_issued_at) if allocation.invoice_issued_at else "",
                     w.money(allocation.invoice_total_minor, cur) if allocation.invoice_total_minor is not None
                     else "",
                     w.money(allocation.amount_minor, cur)))
    totals = [(w.words("Amount received"), w.money(payment.amount_minor, cur))]
    if payment.refunded_minor:
        totals += [(f"{w.words('Refunded')} {w.day(refund.refunded_at)} ({refund.number})",
                    w.money(-refund.amount_minor, cur))
                   for refund in payment.refunds]
        undocumented = payment.refunded_minor - sum(refund.amount_minor for refund in payment.refunds)
        if undocumented:   # refunded before refunds were documented by credit notes
            totals.append((w.words("Refunded"), w.money(-undocumented, cur)))
        totals.append((w.words("Net received"), w.money(payment.amount_minor - payment.refunded_minor, cur)))
    table = Table(tuple(w.words(c) for c in ("Invoice", "Invoice date", "Invoice amount", "Payment")), tuple(rows),
                  ("L", "L", "R", "R"))
    issued_by = org.as_issuer_at(paid_at)
    return PdfDocument(title=w.words("Payment receipt"), number=payment.label,
                       issuer=issuer(issued_by),
                       recipient=recipient(customer.billed_to_at(paid_at)), facts=tuple(facts), table=table,
                       totals=tuple(totals), footer=_footer(issued_by), page_words=w.words(PAGE))


def statement_document(org: Organization, customer: Customer, start: date, end: date,
                       statements: list[Statement], w: Writing) -> PdfDocument:
    """Every currency's statement in one table: its opening balance, rows, closing balance."""
    rows, totals = [], []
    for statement in statements:
        cur = statement.currency
        rows.append((w.day(start), w.words("Opening balance"), "", "",
                     w.money(statement.opening_balance.amount_minor, cur)))
        for row in statement.rows:
            rows.append((w.day(row.at), w.words(KIND_NAMES[row.kind]), _details(row.kind, row.reference, row.description, w),
                         w.money(row.amount.amount_minor, cur), w.money(row.balance.amount_minor, cur)))
        rows.append((w.day(end), w.words("Closing balance"), "", "",
                     w.money(statement.closing_balance.amount_minor, cur)))
        totals += [(f"{w.words('Opening balance')} ({cur})", w.money(statement.opening_balance.amount_minor, cur)),
                   (w.words("Invoiced amount"), w.money(statement.invoiced.amount_minor, cur)),
                   (w.words("Amount paid"), w.money(statement.paid.amount_minor, cur)),
                   (w.words("Credits"), w.money(statement.credited.amount_minor, cur)),
                   (w.words("Refunds"), w.money(statement.refunded.amount_minor, cur)),
                   (f"{w.words('Balance due')} ({cur})", w.money(statement.closing_balance.amount_minor, cur))]
    table = Table(tuple(w.words(c) for c in STATEMENT_COLUMNS), tuple(rows), ("L", "L", "L", "R", "R"))
    return PdfDocument(title=w.words("Statement of accounts"), number=None, issuer=issuer(org),
                       recipient=recipient(customer), facts=((w.words("From"), w.day(start)), (w.words("To"), w.day(end))),
                       table=table, totals=tuple(totals),
                       footer=_footer(org), page_words=w.words(PAGE))


def _charged(lines: tuple[DocumentLine, ...]) -> tuple[DocumentLine, ...]:
    """An invoice's lines but its Rounding line, which shows after the tax, above the total."""
    return tuple(line for line in lines if line.kind != "rounding")


def _rounding(lines: tuple[DocumentLine, ...]) -> tuple[DocumentLine, ...]:
    return tuple(line for line in lines if line.kind == "rounding")


def _lines_table(lines: tuple[DocumentLine, ...], currency: str, w: Writing) -> Table:
    rows = tuple((line.description, str(line.quantity),
                  w.money(line.unit_price_minor, currency) if line.unit_price_minor is not None else "",
                  w.money(line.amount_minor, currency)) for line in lines)
    return Table(tuple(w.words(c) for c in LINE_COLUMNS), rows, LINE_ALIGN)


def _details(kind: str, reference: str, description: str, w: Writing) -> str:
    """A payment's reference is its id, for programs: its details say how it was paid and for
    which invoices. An invoice's due day is written as every other day is."""
    if kind == "payment":
        return description
    due = DUE.fullmatch(description)
    if kind == "invoice" and due:
        description = f"{w.words('Due')} {w.day(date.fromisoformat(due.group(1)))}"
    return f"{reference} {description}".strip() if description and description != reference else reference


def _notes(text: str) -> tuple[str, ...]:
    return (text,) if text.strip() else ()


def _footer(org: Organization) -> str:
    return " | ".join(part for part in (org.name, org.email, org.website) if part)
