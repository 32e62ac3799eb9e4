"""The customer's documents: invoices, PDFs, statements of accounts, estimates and timesheets to approve,
forwarding; and the merchant's back office for invoices, offline payments, credit notes, estimates and
timesheets."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from datetime import date, datetime

    from ...domain.customers import Customer
    from ...domain.documents import CreditNote, Estimate, Invoice, TimeEntry, Timesheet
    from ...domain.organization import Organization
    from ...domain.payments import Payment
    from ...tables.pages import Page
    from .commands import NewDocumentLine
    from .exports import Export
    from .forwarding import Forwarded
    from .invoice_backfill import Recorded
    from .ledger_balances import Counted
    from .ledger_backfill import Rebuilt
    from .pdfs import RenderedPdf
    from .spending import Spending
    from .statements import StatementOfAccounts
    from .views import Decided, InFull, Listed


class Documents:
    """Documents' use cases, one method each. Each imports its module when called, so that `import app`
    loads none of them."""

    def __init__(self, adapters):
        self._adapters = adapters

    # invoices and PDFs

    def invoices(self, org: Organization, customer_id: str, *, view: str, limit: int, cursor: str | None,
                 now: datetime) -> Page[Listed]:
        from .invoices import page
        return page(self._adapters, org, customer_id, view=view, limit=limit, cursor=cursor, now=now)

    def invoice(self, org: Organization, customer_id: str, invoice_id: str, now: datetime) -> InFull:
        from .invoices import detail
        return detail(self._adapters, org, customer_id, invoice_id, now)

    def invoice_pdf(self, org_id: str, customer_id: str, invoice_id: str, *, now: datetime,
                    reader: str | None = None) -> RenderedPdf:
        from .pdfs import invoice_pdf
        return invoice_pdf(self._adapters, org_id, customer_id, invoice_id, now=now, reader=reader)

    def estimate_pdf(self, org_id: str, customer_id: str, estimate_id: str, *,
                     reader: str | None = None) -> RenderedPdf:
        from .pdfs import estimate_pdf
        return estimate_pdf(self._adapters, org_id, customer_id, estimate_id, reader=reader)

    def receipt_pdf(self, org_id: str, customer_id: str, payment_id: str, *, reader: str | None = None) -> RenderedPdf:
        from .pdfs import receipt_pdf
        return receipt_pdf(self._adapters, org_id, customer_id, payment_id, reader=reader)

    def statement_pdf(self, org_id: str, customer_id: str, *, start: date | None, end: date | None,
                      now: datetime, reader: str | None = None) -> RenderedPdf:
        from .pdfs import statement_pdf
        return statement_pdf(self._adapters, org_id, customer_id, start=start, end=end, now=now, reader=reader)

    def statement(self, org: Organization, customer_id: str, *, start: date | None, end: date | None,
                  now: datetime) -> StatementOfAccounts:
        from .statements import statement_for
        return statement_for(self._adapters, org, customer_id, start=start, end=end, now=now)

    def spending(self, org: Organization, customer_id: str, *, months: int, now: datetime) -> Spending:
        from .spending import spending
        return spending(self._adapters, org, customer_id, months=months, now=now)

    def export(self, org: Organization, customer_id: str, kind: str, *, start: date | None, end: date | None,
               currency: str | None, now: datetime) -> Export:
        from .exports import export
        return export(self._adapters, org, customer_id, kind, start=start, end=end, currency=currency, now=now)

    def forward_invoice(self, org_id: str, customer_id: str, contact_id: str, invoice_id: str, *,
                        contact_ids: list[str], subject: str | None, body: str | None, now: datetime) -> Forwarded:
        from .forwarding import forward_invoice
        return forward_invoice(self._adapters, org_id, customer_id, contact_id, invoice_id,
                               contact_ids=contact_ids, subject=subject, body=body, now=now)

    def forward_estimate(self, org_id: str, customer_id: str, contact_id: str, estimate_id: str, *,
                         contact_ids: list[str], subject: str | None, body: str | None, now: datetime) -> Forwarded:
        from .forwarding import forward_estimate
        return forward_estimate(self._adapters, org_id, customer_id, contact_id, estimate_id,
                                contact_ids=contact_ids, subject=subject, body=body, now=now)

    # approvals

    def estimates(self, org: Organization, customer: Customer, *, status: str | None, limit: int,
                  cursor: str | None, now: datetime) -> Page[Decided]:
        from .approvals import estimates_page
        return estimates_page(self._adapters, org, customer, status=status, limit=limit, cursor=cursor, now=now)

    def estimate(self, org: Organization, customer: Customer, estimate_id: str, now: datetime) -> Decided:
        from .approvals import estimate
        return estimate(self._adapters, org, customer, estimate_id, now)

    def decide_estimate(self, org_id: str, customer_id: str, contact_id: str, estimate_id: str, *, decision: str,
                        comment: str, now: datetime) -> Decided:
        from .approvals import decide_estimate
        return decide_estimate(self._adapters, org_id, customer_id, contact_id, estimate_id, decision=decision,
                               comment=comment, now=now)

    def timesheets(self, org_id: str, customer: Customer, *, status: str | None, limit: int,
                   cursor: str | None) -> Page[Decided]:
        from .approvals import timesheets_page
        return timesheets_page(self._adapters, org_id, customer, status=status, limit=limit, cursor=cursor)

    def timesheet(self, org_id: str, customer: Customer, timesheet_id: str) -> Decided:
        from .approvals import timesheet
        return timesheet(self._adapters, org_id, customer, timesheet_id)

    def decide_timesheet(self, org_id: str, customer_id: str, contact_id: str, timesheet_id: str, *, decision: str,
                         comment: str, now: datetime) -> Decided:
        from .approvals import decide_timesheet
        return decide_timesheet(self._adapters, org_id, customer_id, contact_id, timesheet_id, decision=decision,
                                comment=comment, now=now)

    # the merchant's back office

    def create_invoice(self, org_id: str, customer_id: str, *, lines: Sequence[NewDocumentLine], now: datetime,
                       due_days: int | None = None, tax_rate_bp: int = 0, subscription_id: str | None = None,
                       notes: str = "", issued_at: datetime | None = None) -> Invoice:
        from .admin import create_invoice
        return create_invoice(self._adapters, org_id, customer_id, lines=lines, now=now, due_days=due_days,
                              tax_rate_bp=tax_rate_bp, subscription_id=subscription_id, notes=notes,
                              issued_at=issued_at)

    def void_invoice(self, org_id: str, customer_id: str, invoice_id: str, now: datetime) -> Invoice:
        from .admin import void_invoice
        return void_invoice(self._adapters, org_id, customer_id, invoice_id, now)

    def record_payment(self, org_id: str, customer_id: str, *, invoice_id: str, amount_minor: int, now: datetime,
                       method: str = "bank_transfer") -> Payment:
        from .admin import record_payment
        return record_payment(self._adapters, org_id, customer_id, invoice_id=invoice_id,
                              amount_minor=amount_minor, now=now, method=method)

    def create_credit_note(self, org_id: str, customer_id: str, *, lines: Sequence[NewDocumentLine], now: datetime,
                           reason: str = "", invoice_id: str | None = None) -> CreditNote:
        from .admin import create_credit_note
        return create_credit_note(self._adapters, org_id, customer_id, lines=lines, now=now, reason=reason,
                                  invoice_id=invoice_id)

    def void_credit_note(self, org_id: str, customer_id: str, credit_note_id: str, now: datetime) -> CreditNote:
        from .admin import void_credit_note
        return void_credit_note(self._adapters, org_id, customer_id, credit_note_id, now)

    def create_estimate(self, org_id: str, customer_id: str, *, lines: Sequence[NewDocumentLine], now: datetime,
                        expires_in_days: int = 30, notes: str = "") -> Estimate:
        from .admin import create_estimate
        return create_estimate(self._adapters, org_id, customer_id, lines=lines, now=now,
                               expires_in_days=expires_in_days, notes=notes)

    def create_timesheet(self, org_id: str, customer_id: str, *, project: str, period_start: str, period_end: str,
                         entries: tuple[TimeEntry, ...], now: datetime) -> Timesheet:
        from .admin import create_timesheet
        return create_timesheet(self._adapters, org_id, customer_id, project=project, period_start=period_start,
                                period_end=period_end, entries=entries, now=now)

    def rebuild_ledger(self, org_id: str) -> Rebuilt:
        from .ledger_backfill import rebuild
        return rebuild(self._adapters, org_id)

    def record_ledger_balances(self, org_id: str, *, again: bool = False) -> Counted:
        from .ledger_balances import record_all
        return record_all(self._adapters, org_id, again=again)

    def record_invoice_payments(self, org_id: str, now: datetime) -> Recorded:
        from .invoice_backfill import record_all
        return record_all(self._adapters, org_id, now)
