"""Invoices, credit notes, estimates and timesheets: one shape of repository for each (`Documents`),
made concrete beside each document's model (invoices.py, credit_notes.py, estimates.py, timesheets.py)."""
from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.models import Model

from ..domain.errors import ConcurrentUpdate, NotFound
from .base import owner_key
from .customers import Parties, read_with_parties
from .ledger import Ledger
from .mapping import from_item, from_raw, to_item
from .pages import ListScope, Page, collect
from .transactions import Transaction, condition_failed


def _moves_no_money(before, after, now) -> list:
    return []


class Documents:
    """A customer's documents of one kind, each written on the version read. A subclass names its
    `model`, its `domain` class, the `id_field` both share, the `kind` its errors name, and the
    `ledger_entries` a change of one makes (none: its changes move no money)."""
    model: type[Model]
    domain: type
    id_field: str
    kind: str
    ledger_entries = staticmethod(_moves_no_money)

    def __init__(self, ledger: Ledger):
        self._ledger = ledger

    def get(self, org_id: str, customer_id: str, document_id: str, *, consistent: bool = False):
        try:
            return from_item(self.domain, self.model.get(owner_key(org_id, customer_id), document_id,
                                                         consistent_read=consistent))
        except DoesNotExist:
            raise NotFound(self.kind) from None

    def with_parties(self, org_id: str, customer_id: str, document_id: str, *, kept: str | None = None,
                     consistent: bool = True) -> Parties:
        """The document with its organization and customer (its issuer and recipient) and, if asked,
        the PDF kept of document `kept`, in one BatchGetItem; NotFound if any is missing.
        `consistent` False: for what is only shown."""
        return read_with_parties(org_id, customer_id, model=self.model, item_id=document_id,
                                 to_domain=lambda item: from_item(self.domain, item), kind=self.kind, kept=kept,
                                 consistent=consistent)

    def get_many(self, org_id: str, customer_id: str, document_ids: list[str]) -> dict:
        owner = owner_key(org_id, customer_id)
        keys = [(owner, d) for d in dict.fromkeys(document_ids)]
        found = self.model.batch_get(keys) if keys else []
        return {getattr(i, self.id_field): from_item(self.domain, i) for i in found}

    def page(self, org_id: str, customer_id: str, *, statuses: tuple[str, ...] = (), limit: int,
             cursor: str | None) -> Page:
        owner = owner_key(org_id, customer_id)
        scope = ListScope(f"{type(self).__name__}:{','.join(statuses)}", "owner", owner)
        start = scope.start(cursor)
        if len(statuses) == 1:
            results = self.model.by_status.query(
                owner, self.model.status_key.startswith(f"{statuses[0]}#"),
                limit=limit, last_evaluated_key=start, scan_index_forward=False)
        else:
            condition = self.model.status.is_in(*statuses) if statuses else None
            results = self.model.query(owner, filter_condition=condition, limit=limit,
                                       last_evaluated_key=start, scan_index_forward=False)
        return collect(results, lambda raw: from_raw(self.domain, self.model, raw), limit, scope)

    def all_in_status(self, org_id: str, customer_id: str, status: str) -> list:
        results = self.model.by_status.query(owner_key(org_id, customer_id),
                                             self.model.status_key.startswith(f"{status}#"))
        return [from_item(self.domain, item) for item in results]

    def save_in(self, tx: Transaction, org_id: str, document, *, before, now: datetime) -> Model:
        """Put `document` in the caller's transaction, with the ledger entries its change from
        `before` makes: every write of a document goes through here. `before` None: it is new,
        and written only if it does not exist yet; otherwise on the version read. Answers what
        `saved` reads back once the transaction is committed."""
        item = self._item(org_id, document)
        tx.save(item, condition=getattr(self.model, self.id_field).does_not_exist() if before is None else None)
        self._ledger.record_in(tx, org_id, document.customer_id, self.ledger_entries(before, document, now))
        return item

    def saved(self, item: Model):
        """The document as written (its version bumped), after the transaction that `save_in` put it in."""
        return from_item(self.domain, item)

    def add(self, org_id: str, document, **extra):
        item = self._item(org_id, document, **extra)
        item.save(condition=getattr(self.model, self.id_field).does_not_exist())
        return from_item(self.domain, item)

    def save(self, org_id: str, document, **extra):
        item = self._item(org_id, document, **extra)
        try:
            item.save()
        except PutError as error:
            if condition_failed(error):
                raise ConcurrentUpdate(self.kind) from error
            raise
        return from_item(self.domain, item)

    def _item(self, org_id: str, document, **extra) -> Model:
        status = document.status.value
        return to_item(self.model, document, owner=owner_key(org_id, document.customer_id),
                       org_id=org_id, status_key=f"{status}#{getattr(document, self.id_field)}", **extra)
