"""Writing the ledger of customers whose books predate it, from their documents, so that their
statements show their whole history (`python -m chalicelib.cli rebuild-ledger --org ...`).

A customer with any entry is left alone: from its first entry on, every change wrote its own. A
refund is dated by the credit note that documents it (issued when refunded), or, for a payment's
overpayment credit given back later, by the payment's record of it. An overpayment credit adds no
entry of its own (its payment counted the money). The documents do not record when a credit note
was voided: one issued then voided (net nothing) is left out, and an overpayment credit voided is
dated by its issue (domain/ledger.rebuilt_credit_note_entries). Safe to run again: entries are
written only if they do not exist, in transactions of at most 100 items with the balances they are
added to; the customer's balances then count every entry (`ledger.mark_balances_complete`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from ...domain.ledger import invoice_entries, payment_entries, rebuilt_credit_note_entries
from ...domain.statement import LedgerEntry
from ...tables.pages import every
from ..backfills import PAGE, every_customer

TRANSACTION_ITEMS = 100       # DynamoDB's most: the entries, and each currency's balance they are added to


@dataclass
class Rebuilt:
    customers: list[str] = field(default_factory=list)   # whose ledger was written
    entries: int = 0


def rebuild(adapters, org_id: str) -> Rebuilt:
    report = Rebuilt()
    for customer in every_customer(adapters, org_id):
        if not adapters.uow.ledger.is_empty(org_id, customer.customer_id):
            continue
        entries = history(adapters, org_id, customer.customer_id)
        for batch in _batches(entries):
            with adapters.uow.transaction("ledger") as tx:
                adapters.uow.ledger.record_in(tx, org_id, customer.customer_id, batch)
        # every entry it now has was added to its balances with it (`record_in`)
        adapters.uow.ledger.mark_balances_complete(org_id, customer.customer_id)
        report.customers.append(customer.customer_id)
        report.entries += len(entries)
    return report


def _batches(entries: list[LedgerEntry]) -> Iterator[list[LedgerEntry]]:
    """`entries` in order, in batches that fit a transaction with the balances they are added to."""
    batch: list[LedgerEntry] = []
    currencies: set[str] = set()
    for entry in entries:
        if len(batch) + 1 + len(currencies | {entry.amount.currency}) > TRANSACTION_ITEMS:
            yield batch
            batch, currencies = [], set()
        batch.append(entry)
        currencies.add(entry.amount.currency)
    if batch:
        yield batch


def history(adapters, org_id: str, customer_id: str) -> list[LedgerEntry]:
    """The entries the customer's documents would have written, had the ledger been there."""
    owned = dict(org_id=org_id, customer_id=customer_id, limit=PAGE)
    invoice_list = list(every(lambda cursor: adapters.uow.invoices.page(**owned, cursor=cursor)))
    numbers = {invoice.invoice_id: invoice.number for invoice in invoice_list}
    entries = [e for i in invoice_list for e in invoice_entries(None, i, i.voided_at or i.issued_at)]
    payment_list = list(every(lambda cursor: adapters.uow.payments.page(**owned, cursor=cursor)))
    entries += [e for p in payment_list
                for e in payment_entries(None, p, p.succeeded_at or p.created_at, invoice_numbers=numbers)]
    refunds = [r for p in payment_list for r in p.refunds]
    entries += [e for n in every(lambda cursor: adapters.uow.credit_notes.page(**owned, cursor=cursor))
                for e in rebuilt_credit_note_entries(n, refunds)]
    return entries
