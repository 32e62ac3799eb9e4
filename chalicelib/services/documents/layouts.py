"""What each printable document shows: domain objects laid out as a `PdfDocument` (invoice,
credit note, payment receipt, estimate, statement of accounts). The organization issues, the
customer (with its billing address) receives. No I/O here: callers load, `render_pdf` draws."""
from __future__ import annotations

from datetime import date, datetime

from ...domain.calendar import local_date
from ...domain.customers import Customer
from ...domain.documents import DocumentLine, Estimate, Invoice
from ...domain.money import Money
from ...domain.organization import Organization
from ...domain.payments import Payment
from ...domain.statement import Statement
from ...gateways.pdf import Party, PdfDocument, Table

LINE_COLUMNS = ("Description", "Qty", "Unit price", "Amount")
LINE_ALIGN = ("L", "R", "R", "R")
STATEMENT_COLUMNS = ("Date", "Transaction", "Details", "Amount", "Balance")
KIND_NAMES = {"invoice": "Invoice", "payment": "Payment", "credit_note": "Credit note", "refund": "Refund",
              "void": "Invoice voided", "credit_note_void": "Credit note voided"}


def money(amount_minor: int, currency: str) -> str:
    """'USD 1,234.56': the currency, then the amount with thousands grouped."""
    plain = Money(amount_minor, currency).format()
    sign = "-" if plain.startswith("-") else ""
    units, dot, minor = plain.lstrip("-").partition(".")
    return f"{currency} {sign}{int(units):,}{dot}{minor}"


def day(at: datetime | date | None, time_zone: str) -> str:
    """The day of `at` in the organization's time zone (a date is already one)."""
    if at is None:
        return ""
    return (local_date(at, time_zone) if isinstance(at, datetime) else at).isoformat()


def issuer(org: Organization) -> Party:
    lines = (*org.address.lines(), org.email, org.phone, org.website)
    return Party(org.name, tuple(line for line in lines if line))


def recipient(customer: Customer) -> Party:
    company = customer.company_name if customer.company_name not in ("", customer.display_name) else ""
    lines = (company, *customer.billing_address.lines(), customer.email)
    return Party(customer.display_name, tuple(line for line in lines if line))


def invoice_document(org: Organization, customer: Customer, invoice: Invoice) -> PdfDocument:
    cur, tz = invoice.currency, org.time_zone
    facts = [("Issued", day(invoice.issued_at, tz)), ("Due", day(invoice.due_on, tz)),
             ("Status", invoice.status.value.replace("_", " ").title())]
    if invoice.period_start and invoice.period_end:
        facts.append(("Period", f"{day(invoice.period_start, tz)} to {day(invoice.period_end, tz)}"))
    totals = [("Subtotal", money(invoice.subtotal_minor, cur))]
    totals += [(f"{tax.name} ({tax.rate_bp / 100:g} %)", money(tax.amount_minor, cur)) for tax in invoice.taxes]
    totals += [(line.description, money(line.amount_minor, cur)) for line in _rounding(invoice.lines)]
    totals.append(("Total", money(invoice.total_minor, cur)))
    if invoice.credits_applied_minor:
        totals.append(("Credits applied", money(-invoice.credits_applied_minor, cur)))
    if invoice.amount_paid_minor:
        totals.append(("Amount paid", money(-invoice.amount_paid_minor, cur)))
    totals.append(("Balance due", money(invoice.balance_minor, cur)))
    return PdfDocument(title="Invoice", number=invoice.number, issuer=issuer(org), recipient=recipient(customer),
                       facts=tuple(facts), table=_lines_table(_charged(invoice.lines), cur), totals=tuple(totals),
                       notes=_notes(invoice.notes), footer=_footer(org))


def estimate_document(org: Organization, customer: Customer, estimate: Estimate) -> PdfDocument:
    tz = org.time_zone
    facts = (("Issued", day(estimate.issued_at, tz)), ("Valid until", day(estimate.expires_at, tz)),
             ("Status", estimate.status.value.title()))
    return PdfDocument(title="Estimate", number=estimate.number, issuer=issuer(org), recipient=recipient(customer),
                       facts=facts, table=_lines_table(estimate.lines, estimate.currency),
                       totals=(("Total", money(estimate.total_minor, estimate.currency)),),
                       notes=_notes(estimate.notes), footer=_footer(org))


def receipt_document(org: Organization, customer: Customer, payment: Payment,
                     invoices: dict[str, Invoice]) -> PdfDocument:
    """A payment's receipt: what was received, how, and which invoices it paid."""
    cur, tz = payment.currency, org.time_zone
    facts = [("Payment date", day(payment.succeeded_at or payment.created_at, tz)),
             ("Paid by", payment.method_summary or payment.gateway.title())]
    if payment.gateway_payment_id:
        facts.append(("Reference", payment.gateway_payment_id))
    rows = []
    for allocation in payment.allocations:
        invoice = invoices.get(allocation.invoice_id)
        rows.append((invoice.number if invoice else allocation.invoice_id,
                     day(invoice.issued_at, tz) if invoice else "",
                     money(invoice.total_minor, cur) if invoice else "",
                     money(allocation.amount_minor, cur)))
    totals = [("Amount received", money(payment.amount_minor, cur))]
    if payment.refunded_minor:
        totals += [(f"Refunded {day(refund.refunded_at, tz)} ({refund.number})", money(-refund.amount_minor, cur))
                   for refund in payment.refunds]
        undocumented = payment.refunded_minor - sum(refund.amount_minor for refund in payment.refunds)
        if undocumented:   # refunded before refunds were documented by credit notes
            totals.append(("Refunded", money(-undocumented, cur)))
        totals.append(("Net received", money(payment.amount_minor - payment.refunded_minor, cur)))
    table = Table(("Invoice", "Invoice date", "Invoice amount", "Payment"), tuple(rows), ("L", "L", "R", "R"))
    return PdfDocument(title="Payment receipt", number=payment.payment_id, issuer=issuer(org),
                       recipient=recipient(customer), facts=tuple(facts), table=table, totals=tuple(totals),
                       footer=_footer(org))


def statement_document(org: Organization, customer: Customer, start: date, end: date,
                       statements: list[Statement]) -> PdfDocument:
    """Every currency's statement in one table: its opening balance, rows, closing balance."""
    rows, totals, tz = [], [], org.time_zone
    for statement in statements:
        cur = statement.currency
        rows.append((day(start, tz), "Opening balance", "", "", money(statement.opening_balance.amount_minor, cur)))
        for row in statement.rows:
            rows.append((day(row.at, tz), KIND_NAMES[row.kind], _details(row.kind, row.reference, row.description),
                         money(row.amount.amount_minor, cur), money(row.balance.amount_minor, cur)))
        rows.append((day(end, tz), "Closing balance", "", "", money(statement.closing_balance.amount_minor, cur)))
        totals += [(f"Opening balance ({cur})", money(statement.opening_balance.amount_minor, cur)),
                   ("Invoiced amount", money(statement.invoiced.amount_minor, cur)),
                   ("Amount paid", money(statement.paid.amount_minor, cur)),
                   ("Credits", money(statement.credited.amount_minor, cur)),
                   ("Refunds", money(statement.refunded.amount_minor, cur)),
                   (f"Balance due ({cur})", money(statement.closing_balance.amount_minor, cur))]
    table = Table(STATEMENT_COLUMNS, tuple(rows), ("L", "L", "L", "R", "R"))
    return PdfDocument(title="Statement of accounts", number=None, issuer=issuer(org), recipient=recipient(customer),
                       facts=(("From", day(start, tz)), ("To", day(end, tz))), table=table, totals=tuple(totals),
                       footer=_footer(org))


def _charged(lines: tuple[DocumentLine, ...]) -> tuple[DocumentLine, ...]:
    """An invoice's lines but its Rounding line, which shows after the tax, above the total."""
    return tuple(line for line in lines if line.kind != "rounding")


def _rounding(lines: tuple[DocumentLine, ...]) -> tuple[DocumentLine, ...]:
    return tuple(line for line in lines if line.kind == "rounding")


def _lines_table(lines: tuple[DocumentLine, ...], currency: str) -> Table:
    rows = tuple((line.description, str(line.quantity),
                  money(line.unit_price_minor, currency) if line.unit_price_minor is not None else "",
                  money(line.amount_minor, currency)) for line in lines)
    return Table(LINE_COLUMNS, rows, LINE_ALIGN)


def _details(kind: str, reference: str, description: str) -> str:
    """A payment's reference is its id, for programs: its details say how it was paid and for
    which invoices."""
    if kind == "payment":
        return description
    return f"{reference} {description}".strip() if description and description != reference else reference


def _notes(text: str) -> tuple[str, ...]:
    return (text,) if text.strip() else ()


def _footer(org: Organization) -> str:
    return " | ".join(part for part in (org.name, org.email, org.website) if part)
