"""Invoices, credit notes, estimates and timesheets: one shape of repository for each."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from ...domain.documents import CreditNote, Estimate, Invoice, Timesheet
from ...domain.ledger import credit_note_entries, invoice_entries
from ...domain.errors import ConcurrentUpdate, NotFound
from ..base import owner_key
from ..credit_notes import CreditNoteItem
from ..estimates import EstimateItem
from ..invoices import InvoiceItem
from ..mapping import from_item, to_item
from ..pages import Page, collect, decode_cursor
from ..timesheets import TimesheetItem
from ..transactions import condition_failed
from . import ledger


def _moves_no_money(before, after, now) -> list:
    return []


@dataclass(frozen=True)
class DocumentRepository:
    model: type[Model]
    domain: type
    id_field: str
    kind: str
    ledger_entries: Callable[[object, object, datetime], list] = _moves_no_money

    def get(self, org_id: str, customer_id: str, document_id: str, *, consistent: bool = False):
        try:
            return from_item(self.domain, self.model.get(owner_key(org_id, customer_id), document_id,
                                                         consistent_read=consistent))
        except DoesNotExist:
            raise NotFound(self.kind) from None

    def get_many(self, org_id: str, customer_id: str, document_ids: list[str]) -> dict:
        owner = owner_key(org_id, customer_id)
        keys = [(owner, d) for d in dict.fromkeys(document_ids)]
        found = self.model.batch_get(keys) if keys else []
        return {getattr(i, self.id_field): from_item(self.domain, i) for i in found}

    def page(self, org_id: str, customer_id: str, *, statuses: tuple[str, ...] = (), limit: int,
             cursor: str | None) -> Page:
        owner = owner_key(org_id, customer_id)
        start = decode_cursor(cursor, hash_attribute="owner", hash_value=owner)
        if len(statuses) == 1:
            results = self.model.by_status.query(
                owner, self.model.status_key.startswith(f"{statuses[0]}#"),
                limit=limit, last_evaluated_key=start, scan_index_forward=False)
        else:
            condition = self.model.status.is_in(*statuses) if statuses else None
            results = self.model.query(owner, filter_condition=condition, limit=limit,
                                       last_evaluated_key=start, scan_index_forward=False)
        return collect(results, lambda item: from_item(self.domain, item), limit)

    def all_in_status(self, org_id: str, customer_id: str, status: str) -> list:
        results = self.model.by_status.query(owner_key(org_id, customer_id),
                                             self.model.status_key.startswith(f"{status}#"))
        return [from_item(self.domain, item) for item in results]

    def item_for(self, org_id: str, document, **extra) -> Model:
        status = document.status.value
        return to_item(self.model, document, owner=owner_key(org_id, document.customer_id),
                       org_id=org_id, status_key=f"{status}#{getattr(document, self.id_field)}", **extra)

    def save_in(self, tx: TransactWrite, org_id: str, document, *, before, now: datetime) -> Model:
        """Put `document` in the caller's transaction, with the ledger entries its change from
        `before` makes: every write of a document goes through here. `before` None: it is new,
        and written only if it does not exist yet; otherwise on the version read."""
        item = self.item_for(org_id, document)
        tx.save(item, condition=getattr(self.model, self.id_field).does_not_exist() if before is None else None)
        ledger.record_in(tx, org_id, document.customer_id, self.ledger_entries(before, document, now))
        return item

    def add(self, org_id: str, document, **extra):
        item = self.item_for(org_id, document, **extra)
        item.save(condition=getattr(self.model, self.id_field).does_not_exist())
        return from_item(self.domain, item)

    def save(self, org_id: str, document, **extra):
        item = self.item_for(org_id, document, **extra)
        try:
            item.save()
        except PutError as error:
            if condition_failed(error):
                raise ConcurrentUpdate(self.kind) from error
            raise
        return from_item(self.domain, item)

    def saved(self, item: Model):
        return from_item(self.domain, item)


class InvoiceRepository(DocumentRepository):
    def item_for(self, org_id: str, invoice: Invoice, **extra) -> Model:
        ref = f"{org_id}#{invoice.customer_id}#{invoice.subscription_id}" if invoice.subscription_id else None
        return super().item_for(org_id, invoice, balance_minor=invoice.balance_minor,
                                subscription_ref=ref, **extra)

    def for_subscription(self, org_id: str, customer_id: str, subscription_id: str, *, limit: int,
                         cursor: str | None) -> Page[Invoice]:
        ref = f"{org_id}#{customer_id}#{subscription_id}"
        start = decode_cursor(cursor, hash_attribute="subscription_ref", hash_value=ref)
        results = InvoiceItem.by_subscription.query(ref, limit=limit, last_evaluated_key=start,
                                                    scan_index_forward=False)
        return collect(results, lambda item: from_item(Invoice, item), limit)


invoices = InvoiceRepository(InvoiceItem, Invoice, "invoice_id", "invoice", invoice_entries)
credit_notes = DocumentRepository(CreditNoteItem, CreditNote, "credit_note_id", "credit note", credit_note_entries)
estimates = DocumentRepository(EstimateItem, Estimate, "estimate_id", "estimate")
timesheets = DocumentRepository(TimesheetItem, Timesheet, "timesheet_id", "timesheet")
