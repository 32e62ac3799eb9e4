"""Giving invoices paid or credited before they kept their payments and credit notes' numbers
(`Invoice.payments_applied`, `CreditApplication.number`) what they would keep today, so that their
detail is one read like every other's (`python -m chalicelib.cli record-invoice-payments --org ...`,
docs/deploy.md). Until then such an invoice's detail reads every payment the customer made.

Each invoice is written on the version read, with what it already holds and nothing else changed;
one changed meanwhile is left for the next run, as is one whose payments found do not add up to
what it was paid (`settling.with_kept_facts`). Safe to run again: an invoice that keeps them is
left alone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...domain import settling
from ...domain.errors import ConcurrentUpdate
from ...tables.pages import every
from ..backfills import PAGE, every_customer



@dataclass
class Recorded:
    invoices: int = 0        # written: they now keep their payments and credit notes' numbers
    left: int = 0            # not written: changed meanwhile, or payments not adding up (run again, or look)


def record_all(adapters, org_id: str, now: datetime) -> Recorded:
    report = Recorded()
    for customer in every_customer(adapters, org_id):
        _record(adapters, org_id, customer.customer_id, now, report)
    return report


def _record(adapters, org_id: str, customer_id: str, now: datetime, report: Recorded) -> None:
    owned = dict(org_id=org_id, customer_id=customer_id, limit=PAGE)
    lacking = [invoice for invoice in every(lambda cursor: adapters.uow.invoices.page(**owned, cursor=cursor))
               if not invoice.knows_its_payments or any(c.number is None for c in invoice.credits_applied)]
    if not lacking:
        return
    payments = adapters.uow.payments.succeeded(org_id, customer_id)
    unnumbered = [c.credit_note_id for invoice in lacking for c in invoice.credits_applied if c.number is None]
    numbers = {note_id: note.number for note_id, note in
               adapters.uow.credit_notes.get_many(org_id, customer_id, unnumbered).items()}
    for invoice in lacking:
        kept = settling.with_kept_facts(invoice, payments, numbers)
        if kept is None:
            report.left += 1
            continue
        try:
            with adapters.uow.transaction("invoice") as tx:
                adapters.uow.invoices.save_in(tx, org_id, kept, before=invoice, now=now)
            report.invoices += 1
        except ConcurrentUpdate:
            report.left += 1
