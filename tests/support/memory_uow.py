"""An in-memory unit of work for fast service tests: the repositories the payment and settlement use
cases reach through `adapters.uow` (chalicelib/services/repositories.py names them), over dicts, with
the Dynamo repositories' semantics: writes on the version read (a stale version fails), writes that
must be new fail on an existing item, a transaction applies every item or none (a failed condition is
ConcurrentUpdate(kind), like `tables/transactions.py`), scoped reads miss another customer's items,
lists page newest first with signed cursors (`tables/pages.ListScope`).

tests/contract runs the same behavioural tests against both implementations, so what a service test
proves here holds against DynamoDB. Items are kept as the domain values the repositories answer; a
plan or a request's answer is kept as JSON, as the table keeps it."""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator, Mapping

from chalicelib.domain.account_summary import AccountSummary, SummaryChange
from chalicelib.domain.cancellation_feedback import CancellationFeedback
from chalicelib.domain.customers import Customer
from chalicelib.domain.documents import Invoice
from chalicelib.domain.errors import ConcurrentUpdate, NotFound
from chalicelib.domain.ledger import credit_note_entries, invoice_entries, payment_entries
from chalicelib.domain.lockout import NO_FAILURES, FailureState
from chalicelib.domain.organization import Organization
from chalicelib.domain.payment_plans import PaymentPlan, RefundPlan
from chalicelib.domain.payments import Payment, PaymentMethod, PaymentStatus
from chalicelib.domain.rate_limits import Counted
from chalicelib.domain.statement import Balance, LedgerEntry, LedgerSince
from chalicelib.domain.subscription import Subscription
from chalicelib.tables.customers import Parties
from chalicelib.tables.emails import EmailRecord
from chalicelib.tables.idempotency import ABANDONED_AFTER, StoredRequest
from chalicelib.tables.pages import ListScope, Page
from chalicelib.tables.payments import PaymentState
from chalicelib.tables.refund_requests import Claim, RefundRequest

TRANSACTION_ITEMS = 100   # DynamoDB's most per TransactWriteItems


def owner_key(org_id: str, customer_id: str) -> str:
    return f"{org_id}#{customer_id}"


class TransactionRefused(Exception):
    """What DynamoDB refuses outright (a ValidationException): one item twice, over 100 items."""


# -- the store and its transactions ----------------------------------------------------------

class Tables:
    """Every table as a dict {key: value}, the key as the Dynamo table's (hash, range)."""

    def __init__(self) -> None:
        self._tables: dict[str, dict] = {}

    def __getitem__(self, name: str) -> dict:
        return self._tables.setdefault(name, {})


@dataclass
class _Write:
    item: tuple              # (table, key): an item is touched once per transaction
    holds: Callable[[], bool]
    apply: Callable[[], None]
    refusal: Callable[[], Exception] | None = None   # what a failed condition says, as `update_or_refuse`
    overriding: bool = False   # the refusal is raised whatever else failed (`whatever_else_failed`)


class MemoryTransaction:
    """The writes of one use case, checked and applied together when the block ends."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._writes: list[_Write] = []

    def item_count(self) -> int:
        return len(self._writes)

    def add(self, item: tuple, *, holds: Callable[[], bool] = lambda: True,
            apply: Callable[[], None] = lambda: None, refusal: Callable[[], Exception] | None = None,
            overriding: bool = False) -> None:
        self._writes.append(_Write(item, holds, apply, refusal, overriding))

    def add_once(self, item: tuple) -> None:
        """`item` among the transaction's once, however many of its writes add to it (`Transaction.add_to`)."""
        if all(write.item != item for write in self._writes):
            self.add(item)

    def commit(self) -> None:
        touched = [w.item for w in self._writes]
        if len(set(touched)) != len(touched):
            raise TransactionRefused("Transaction request cannot include multiple operations on one item")
        if len(touched) > TRANSACTION_ITEMS:
            raise TransactionRefused(f"at most {TRANSACTION_ITEMS} items per transaction")
        failed = [w for w in self._writes if not w.holds()]
        overriding = [w for w in failed if w.overriding]
        if overriding:
            raise overriding[0].refusal()
        if failed and all(w.refusal is not None for w in failed):
            raise failed[0].refusal()
        if failed:
            raise ConcurrentUpdate(self.kind)
        for write in self._writes:
            write.apply()


def _on_version(table: dict, key, value) -> Callable[[], bool]:
    """The condition of a versioned write: the item is still at the version read (absent if None)."""
    def holds() -> bool:
        stored = table.get(key)
        return (stored.version if stored is not None else None) == value.version
    return holds


def _bumped(value):
    return replace(value, version=(value.version or 0) + 1)


def _absent(table: dict, key) -> Callable[[], bool]:
    return lambda: key not in table


def _page(scope: ListScope, ordered: list, sort_key: Callable, limit: int, cursor: str | None,
          keep: Callable = lambda value: True) -> Page:
    """A Query's page: `limit` items evaluated after the cursor's key, then filtered (as DynamoDB
    filters after its limit), and a signed cursor when the page is full."""
    start = scope.start(cursor)
    if start is not None:
        after = start["sort"]["S"]
        ordered = [v for v in ordered if sort_key(v) < after]
    evaluated = ordered[:limit]
    last = {scope.hash_attribute: {"S": scope.hash_value}, "sort": {"S": sort_key(evaluated[-1])}} \
        if len(evaluated) >= limit else None
    return Page([v for v in evaluated if keep(v)], scope.cursor_after(last))


# -- organizations, customers -----------------------------------------------------------------

class Organizations:
    def __init__(self, tables: Tables):
        self._t = tables["organizations"]

    def get(self, org_id: str) -> Organization:
        if org_id not in self._t:
            raise NotFound("organization")
        return self._t[org_id]

    def add(self, org: Organization) -> None:
        if org.org_id in self._t:
            raise ConcurrentUpdate("organization")
        self._t[org.org_id] = _bumped(replace(org, version=None))

    def save(self, org: Organization) -> Organization:
        if not _on_version(self._t, org.org_id, org)():
            raise ConcurrentUpdate("organization")
        self._t[org.org_id] = _bumped(org)
        return self._t[org.org_id]


class Customers:
    def __init__(self, tables: Tables):
        self._tables = tables
        self._t = tables["customers"]

    def get(self, org_id: str, customer_id: str, *, consistent: bool = False) -> Customer:
        try:
            return self._t[(org_id, customer_id)]
        except KeyError:
            raise NotFound("customer") from None

    def with_organization(self, org_id: str, customer_id: str, *, consistent: bool = True,
                          kept: str | None = None, numbered: str | None = None) -> Parties:
        return read_with_parties(self._tables, org_id, customer_id, numbered=numbered)

    def add(self, org_id: str, customer: Customer) -> Customer:
        key = (org_id, customer.customer_id)
        if key in self._t:
            raise ConcurrentUpdate("customer")
        self._t[key] = _bumped(replace(customer, version=None))
        return self._t[key]

    def save(self, org_id: str, customer: Customer) -> Customer:
        key = (org_id, customer.customer_id)
        if not _on_version(self._t, key, customer)():
            raise ConcurrentUpdate("customer")
        self._t[key] = _bumped(customer)
        return self._t[key]

    def put_in(self, tx: MemoryTransaction, org_id: str, customer: Customer) -> None:
        key = (org_id, customer.customer_id)
        tx.add(("customers", key), holds=_on_version(self._t, key, customer),
               apply=lambda: self._t.__setitem__(key, _bumped(customer)))

    def remember_gateway_customer_in(self, tx: MemoryTransaction, gateway_customer_id: str, org_id: str,
                                     customer_id: str, now: datetime) -> None:
        keys, key = self._tables["idempotency"], f"gateway_customer#{gateway_customer_id}"
        tx.add(("idempotency", key), apply=lambda: keys.__setitem__(key, StoredRequest(
            key, f"{org_id}#{customer_id}", "reference", now, response={"org_id": org_id, "customer_id": customer_id})))

    def owner_of_gateway_customer(self, gateway_customer_id: str) -> tuple[str, str] | None:
        found = self._tables["idempotency"].get(f"gateway_customer#{gateway_customer_id}")
        return (found.response["org_id"], found.response["customer_id"]) if found else None


def read_with_parties(tables: Tables, org_id: str, customer_id: str, *, table: str | None = None,
                      item_id: str | None = None, kind: str = "customer", numbered: str | None = None) -> Parties:
    org = tables["organizations"].get(org_id)
    customer = tables["customers"].get((org_id, customer_id))
    document = tables[table].get((owner_key(org_id, customer_id), item_id)) if table else None
    if org is None or customer is None or (table is not None and document is None):
        raise NotFound(kind)
    last_numbers = {numbered: tables["sequences"].get(f"{org_id}#{numbered}", 0)} if numbered else {}
    return Parties(org, customer, document, last_numbers=last_numbers)


# -- the ledger, the documents, the payments ----------------------------------------------------

class Ledger:
    """The entries by (owner, key); each customer's balances by owner and currency, each entry
    added to its currency's as it is applied; the owners whose balances count every entry."""

    def __init__(self, tables: Tables):
        self._t, self._balances, self._kept = tables["ledger"], tables["ledger_balances"], tables["ledger_kept"]

    def record_in(self, tx: MemoryTransaction, org_id: str, customer_id: str, entries) -> None:
        owner, entries = owner_key(org_id, customer_id), list(entries)
        for entry in entries:
            key = (owner, _entry_key(entry))
            tx.add(("ledger", key), holds=_absent(self._t, key), apply=lambda key=key, entry=entry: self._add(key, entry))
        for currency in dict.fromkeys(entry.amount.currency for entry in entries):
            tx.add_once(("ledger_balances", (owner, currency)))    # added to as each entry is applied

    def _add(self, key: tuple, entry: LedgerEntry) -> None:
        self._t[key] = entry
        held = self._balances.get((key[0], entry.amount.currency), Balance(0, 0))
        self._balances[(key[0], entry.amount.currency)] = Balance(held.total_minor + entry.amount.amount_minor,
                                                                  held.entries + 1)

    def mark_balances_complete(self, org_id: str, customer_id: str) -> None:
        self._kept[owner_key(org_id, customer_id)] = True

    def entries_before(self, org_id: str, customer_id: str, until: datetime | None = None) -> list[LedgerEntry]:
        owner, bound = owner_key(org_id, customer_id), _sortable(until) if until else "~"
        return [self._t[k] for k in sorted(self._t) if k[0] == owner and k[1] < bound]

    def between(self, org_id: str, customer_id: str, start: datetime, until: datetime) -> list[LedgerEntry]:
        owner, low, high = owner_key(org_id, customer_id), _sortable(start), _sortable(until)
        return [self._t[k] for k in sorted(self._t) if k[0] == owner and low <= k[1] < high]

    def since(self, org_id: str, customer_id: str, start: datetime) -> LedgerSince:
        owner, low = owner_key(org_id, customer_id), _sortable(start)
        return LedgerSince([self._t[k] for k in sorted(self._t) if k[0] == owner and k[1] >= low],
                           *self.balances(org_id, customer_id))

    def balances(self, org_id: str, customer_id: str) -> tuple[dict[str, Balance], bool]:
        owner = owner_key(org_id, customer_id)
        return ({currency: b for (o, currency), b in self._balances.items() if o == owner},
                bool(self._kept.get(owner)))

    def keep_balances_in(self, tx: MemoryTransaction, org_id: str, customer_id: str, counted: dict[str, Balance],
                         read: dict[str, Balance]) -> None:
        owner = owner_key(org_id, customer_id)
        for currency, balance in counted.items():
            tx.add(("ledger_balances", (owner, currency)),
                   holds=lambda currency=currency: self._balances.get((owner, currency)) == read.get(currency),
                   apply=lambda currency=currency, balance=balance: self._balances.__setitem__((owner, currency),
                                                                                               balance))
        tx.add(("ledger_kept", owner), apply=lambda: self._kept.__setitem__(owner, True))

    def is_empty(self, org_id: str, customer_id: str) -> bool:
        owner = owner_key(org_id, customer_id)
        return not any(k[0] == owner for k in self._t)


def _entry_key(entry: LedgerEntry) -> str:
    return f"{_sortable(entry.at)}#{entry.kind}#{entry.reference}"


def _sortable(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _no_money(before, after, now) -> list:
    return []


class Documents:
    """Invoices and credit notes: one customer's documents of a kind, each written on its version."""
    table: str
    id_field: str
    kind: str
    ledger_entries = staticmethod(_no_money)

    def __init__(self, tables: Tables, ledger: Ledger):
        self._tables, self._t, self._ledger = tables, tables[self.table], ledger

    def _key(self, org_id: str, document) -> tuple:
        return owner_key(org_id, document.customer_id), getattr(document, self.id_field)

    def get(self, org_id: str, customer_id: str, document_id: str, *, consistent: bool = False):
        try:
            return self._t[(owner_key(org_id, customer_id), document_id)]
        except KeyError:
            raise NotFound(self.kind) from None

    def with_parties(self, org_id: str, customer_id: str, document_id: str, *, kept: str | None = None,
                     consistent: bool = True) -> Parties:
        return read_with_parties(self._tables, org_id, customer_id, table=self.table, item_id=document_id,
                                 kind=self.kind)

    def get_many(self, org_id: str, customer_id: str, document_ids: list[str]) -> dict:
        owner = owner_key(org_id, customer_id)
        return {d: self._t[(owner, d)] for d in dict.fromkeys(document_ids) if (owner, d) in self._t}

    def _of(self, org_id: str, customer_id: str) -> list:
        """The customer's documents, newest first (the range key, descending)."""
        owner = owner_key(org_id, customer_id)
        return [self._t[k] for k in sorted((k for k in self._t if k[0] == owner), reverse=True)]

    def page(self, org_id: str, customer_id: str, *, statuses: tuple[str, ...] = (), limit: int,
             cursor: str | None) -> Page:
        scope = ListScope(f"{type(self).__name__}:{','.join(statuses)}", "owner", owner_key(org_id, customer_id))
        documents = self._of(org_id, customer_id)
        if len(statuses) == 1:   # the status index: only those documents are evaluated
            documents = [d for d in documents if d.status.value == statuses[0]]
        return _page(scope, documents, lambda d: getattr(d, self.id_field), limit, cursor,
                     keep=lambda d: not statuses or d.status.value in statuses)

    def all_in_status(self, org_id: str, customer_id: str, status: str) -> list:
        return [d for d in reversed(self._of(org_id, customer_id)) if d.status.value == status]

    def save_in(self, tx: MemoryTransaction, org_id: str, document, *, before, now: datetime):
        key, written = self._key(org_id, document), _bumped(document)
        tx.add((self.table, key), holds=_on_version(self._t, key, document),
               apply=lambda: self._t.__setitem__(key, written))
        self._ledger.record_in(tx, org_id, document.customer_id, self.ledger_entries(before, document, now))
        return written

    def saved(self, item):
        return item

    def add(self, org_id: str, document, **extra):
        key = self._key(org_id, document)
        if key in self._t:
            raise ConcurrentUpdate(self.kind)
        self._t[key] = _bumped(replace(document, version=None))
        return self._t[key]

    def save(self, org_id: str, document, **extra):
        key = self._key(org_id, document)
        if not _on_version(self._t, key, document)():
            raise ConcurrentUpdate(self.kind)
        self._t[key] = _bumped(document)
        return self._t[key]


class Invoices(Documents):
    table, id_field, kind = "invoices", "invoice_id", "invoice"
    ledger_entries = staticmethod(invoice_entries)

    def outstanding(self, org_id: str, customer_id: str) -> list[Invoice]:
        """Oldest due first, as the owner-outstanding index sorts them (due day, then id)."""
        owed = [i for i in self._of(org_id, customer_id) if i.is_outstanding()]
        return sorted(owed, key=lambda i: f"{i.due_on.isoformat()}#{i.invoice_id}")


class CreditNotes(Documents):
    table, id_field, kind = "credit_notes", "credit_note_id", "credit note"
    ledger_entries = staticmethod(credit_note_entries)

    def of_subscription(self, org_id: str, customer_id: str, subscription_id: str) -> list:
        return [n for n in reversed(self._of(org_id, customer_id)) if n.subscription_id == subscription_id]


class Payments:
    def __init__(self, tables: Tables, ledger: Ledger):
        self._tables, self._t, self._ledger = tables, tables["payments"], ledger

    def save_in(self, tx: MemoryTransaction, org_id: str, payment: Payment, *, before: Payment | None,
                now: datetime, invoice_numbers: Mapping[str, str] = {}) -> Payment:
        key, written = (owner_key(org_id, payment.customer_id), payment.payment_id), _bumped(payment)
        tx.add(("payments", key), holds=_on_version(self._t, key, payment),
               apply=lambda: self._t.__setitem__(key, written))
        self._ledger.record_in(tx, org_id, payment.customer_id,
                               payment_entries(before, payment, now, invoice_numbers=invoice_numbers))
        return written

    def saved(self, item: Payment) -> Payment:
        return item

    def get(self, org_id: str, customer_id: str, payment_id: str) -> Payment:
        try:
            return self._t[(owner_key(org_id, customer_id), payment_id)]
        except KeyError:
            raise NotFound("payment") from None

    def with_parties(self, org_id: str, customer_id: str, payment_id: str, *, kept: str | None = None,
                     consistent: bool = True) -> Parties:
        parties = read_with_parties(self._tables, org_id, customer_id)
        return replace(parties, document=self.get(org_id, customer_id, payment_id))

    def _of(self, org_id: str, customer_id: str) -> list[Payment]:
        owner = owner_key(org_id, customer_id)
        return [self._t[k] for k in sorted((k for k in self._t if k[0] == owner), reverse=True)]

    def page(self, org_id: str, customer_id: str, *, limit: int, cursor: str | None,
             status: str | None = None) -> Page[Payment]:
        scope = ListScope(f"payments:{status or 'all'}", "owner", owner_key(org_id, customer_id))
        return _page(scope, self._of(org_id, customer_id), lambda p: p.payment_id, limit, cursor,
                     keep=lambda p: status is None or p.status.value == status)

    def succeeded(self, org_id: str, customer_id: str) -> list[Payment]:
        return [p for p in self._of(org_id, customer_id) if p.status == PaymentStatus.SUCCEEDED]

    def by_gateway_id(self, gateway_payment_id: str) -> tuple[str, Payment] | None:
        return next(((_org_of(k), p) for k, p in self._t.items() if p.gateway_payment_id == gateway_payment_id),
                    None)

    def awaiting_gateway_since(self, before: datetime) -> Iterator[tuple[str, Payment]]:
        waiting = sorted(((p.created_at, _org_of(k), p) for k, p in self._t.items()
                          if p.awaiting_gateway and p.created_at < before), key=lambda w: w[0])
        for _, org_id, payment in waiting:
            yield org_id, payment

    def ahead(self, org_id: str, customer_id: str, *, payment_key: str | None = None,
              request_key: str | None = None, invoice_ids=(), counter_keys=(), sequences=()) -> list[tuple]:
        return []   # no session check reads ahead here: `state` reads the tables as they are

    def state(self, org_id: str, customer_id: str, *, org: bool = False, customer: bool = False,
              payment_id: str | None = None, payment_key: str | None = None, request_key: str | None = None,
              invoice_ids=(), claim_ids=(), note_ids=(), counter_keys=(), sequences=()) -> PaymentState:
        t, owner = self._tables, owner_key(org_id, customer_id)
        found: dict = {}
        if request_key and request_key in t["idempotency"]:
            found["request"] = t["idempotency"][request_key]
        if org and org_id in t["organizations"]:
            found["org"] = t["organizations"][org_id]
        if customer and (org_id, customer_id) in t["customers"]:
            found["customer"] = t["customers"][(org_id, customer_id)]
        if payment_id and (owner, payment_id) in self._t:
            found["payment"] = self._t[(owner, payment_id)]
        if payment_key and payment_key in t["idempotency"]:
            found["plan"] = PaymentPlan.from_stored(json.loads(json.dumps(t["idempotency"][payment_key].response)))
        for asked, name in ((org, "org"), (customer, "customer"), (payment_id, "payment")):
            if asked and name not in found:
                raise NotFound("organization" if name == "org" else name)
        claims = {i: t["idempotency"][claim_key(org_id, customer_id, i)].request_hash
                  for i in claim_ids if claim_key(org_id, customer_id, i) in t["idempotency"]}
        invoices = {i: t["invoices"][(owner, i)] for i in invoice_ids if (owner, i) in t["invoices"]}
        notes = {n: t["credit_notes"][(owner, n)] for n in note_ids if (owner, n) in t["credit_notes"]}
        counters = {k: _counted(t["rate_counters"].get(k)) for k in counter_keys}
        last_numbers = {name: t["sequences"].get(f"{org_id}#{name}", 0) for name in sequences}
        return PaymentState(**found, invoices=invoices, claims=claims, notes=notes, counters=counters,
                            last_numbers=last_numbers)


def _org_of(key: tuple) -> str:
    return key[0].split("#", 1)[0]


# -- keys: idempotency, claims, refund requests ----------------------------------------------

KEEP_FOR = timedelta(days=7)


def request_key(org_id: str, customer_id: str, scope: str, key: str) -> str:
    return f"{org_id}#{customer_id}#{scope}#{key}"


def payment_key(org_id: str, customer_id: str, source: str, key: str) -> str:
    return request_key(org_id, customer_id, f"payment:{source}", key)


def claim_key(org_id: str, customer_id: str, invoice_id: str) -> str:
    return f"{org_id}#{customer_id}#invoice_claim#{invoice_id}"


class IdempotencyKeys:
    request_key = staticmethod(request_key)
    payment_key = staticmethod(payment_key)

    def __init__(self, tables: Tables):
        self._t = tables["idempotency"]

    def begin_in(self, tx: MemoryTransaction, key: str, request_hash: str, now: datetime) -> None:
        taken = StoredRequest(key, request_hash, "in_progress", now)

        def free() -> bool:
            stored = self._t.get(key)
            return stored is None or (stored.state == "in_progress" and stored.created_at < now - ABANDONED_AFTER)
        tx.add(("idempotency", key), holds=free, apply=lambda: self._t.__setitem__(key, taken))

    def _finished(self, key: str, status_code: int, response: object) -> None:
        stored = self._t.get(key) or StoredRequest(key, "", "done", datetime.min)   # UpdateItem creates
        self._t[key] = replace(stored, state="done", status_code=status_code,
                               response=json.loads(json.dumps(response)))

    def finish(self, key: str, status_code: int, response: object) -> None:
        self._finished(key, status_code, response)

    def finish_in(self, tx: MemoryTransaction, key: str, status_code: int, response: object) -> None:
        tx.add(("idempotency", key), apply=lambda: self._finished(key, status_code, response))

    def release(self, key: str) -> None:
        stored = self._t.get(key)
        if stored is not None and stored.state == "in_progress":
            del self._t[key]

    def find(self, key: str) -> StoredRequest | None:
        return self._t.get(key)

    def add_payment_plan_in(self, tx: MemoryTransaction, key: str, plan: PaymentPlan, now: datetime) -> None:
        kept = StoredRequest(key, plan.payment_id, "done", now, response=json.loads(json.dumps(plan.stored())))
        tx.add(("idempotency", key), holds=_absent(self._t, key), apply=lambda: self._t.__setitem__(key, kept))

    def payment_plan(self, key: str) -> PaymentPlan | None:
        found = self.find(key)
        return PaymentPlan.from_stored(found.response) if found else None


class InvoiceClaims:
    def __init__(self, tables: Tables):
        self._t, self._invoices = tables["idempotency"], tables["invoices"]

    def claim_in(self, tx: MemoryTransaction, org_id: str, customer_id: str, invoice_id: str, payment_id: str,
                 now: datetime) -> None:
        key = claim_key(org_id, customer_id, invoice_id)
        claim = StoredRequest(key, payment_id, "claimed", now)
        tx.add(("idempotency", key), holds=_absent(self._t, key), apply=lambda: self._t.__setitem__(key, claim))

    def unchanged_in(self, tx: MemoryTransaction, org_id: str, invoice: Invoice) -> None:
        key = (owner_key(org_id, invoice.customer_id), invoice.invoice_id)

        def holds() -> bool:
            stored = self._invoices.get(key)
            return (stored is not None and stored.version == invoice.version
                    and stored.balance_minor == invoice.balance_minor)
        tx.add(("invoices", key), holds=holds)

    def release_in(self, tx: MemoryTransaction, org_id: str, customer_id: str, invoice_id: str,
                   payment_id: str) -> None:
        key = claim_key(org_id, customer_id, invoice_id)
        tx.add(("idempotency", key), holds=lambda: self._holder(key) == payment_id,
               apply=lambda: self._t.pop(key, None))

    def release(self, org_id: str, customer_id: str, invoice_id: str, payment_id: str) -> None:
        key = claim_key(org_id, customer_id, invoice_id)
        if self._holder(key) == payment_id:
            del self._t[key]

    def _holder(self, key: str) -> str | None:
        stored = self._t.get(key)
        return stored.request_hash if stored else None


def refund_request_key(org_id: str, customer_id: str, key: str) -> str:
    return request_key(org_id, customer_id, "refund:merchant", key)


def refund_claim_key(org_id: str, customer_id: str, payment_id: str) -> str:
    return f"{org_id}#{customer_id}#refund_claim#{payment_id}"


class RefundRequests:
    request_key = staticmethod(refund_request_key)

    def __init__(self, tables: Tables, idempotency: IdempotencyKeys):
        self._tables, self._t, self._idempotency = tables, tables["idempotency"], idempotency

    def read(self, org_id: str, customer_id: str, payment_id: str, key: str) -> RefundRequest:
        org = self._tables["organizations"].get(org_id)
        payment = self._tables["payments"].get((owner_key(org_id, customer_id), payment_id))
        if org is None:
            raise NotFound("organization")
        if payment is None:
            raise NotFound("payment")
        claim = self._t.get(refund_claim_key(org_id, customer_id, payment_id))
        return RefundRequest(org, payment, self._t.get(key),
                             Claim(claim.request_hash, claim.created_at) if claim else None)

    def start_in(self, tx: MemoryTransaction, org_id: str, customer_id: str, payment_id: str, key: str,
                 request_hash: str, plan: RefundPlan, now: datetime, *, stale: RefundRequest) -> None:
        record = StoredRequest(key, request_hash, "in_progress", now, response=json.loads(json.dumps(plan.stored())))

        def record_free() -> bool:
            stored = self._t.get(key)
            if stale.request is None:
                return stored is None
            return stored is not None and stored.state == "in_progress" and stored.created_at == stale.request.created_at
        tx.add(("idempotency", key), holds=record_free, apply=lambda: self._t.__setitem__(key, record))
        claim_key_ = refund_claim_key(org_id, customer_id, payment_id)
        claim = StoredRequest(claim_key_, key, "claimed", now)

        def claim_free() -> bool:
            stored = self._t.get(claim_key_)
            if stale.claim is None:
                return stored is None
            return stored is not None and stored.created_at == stale.claim.created_at
        tx.add(("idempotency", claim_key_), holds=claim_free, apply=lambda: self._t.__setitem__(claim_key_, claim))

    def finish_in(self, tx: MemoryTransaction, org_id: str, customer_id: str, payment_id: str, key: str,
                  answer: dict) -> None:
        self._idempotency.finish_in(tx, key, 201, answer)
        claim_key_ = refund_claim_key(org_id, customer_id, payment_id)
        tx.add(("idempotency", claim_key_), holds=lambda: self._holder(claim_key_) == key,
               apply=lambda: self._t.pop(claim_key_, None))

    def release(self, org_id: str, customer_id: str, payment_id: str, key: str) -> None:
        self._idempotency.release(key)
        claim_key_ = refund_claim_key(org_id, customer_id, payment_id)
        if self._holder(claim_key_) == key:
            del self._t[claim_key_]

    def _holder(self, key: str) -> str | None:
        stored = self._t.get(key)
        return stored.request_hash if stored else None


# -- what a payment also writes: methods, subscriptions, the summary, the timeline, mail ---------

class PaymentMethods:
    def __init__(self, tables: Tables):
        self._t = tables["payment_methods"]

    def of_customer(self, org_id: str, customer_id: str, *, consistent: bool = True) -> list[PaymentMethod]:
        owner = owner_key(org_id, customer_id)
        return sorted((m for k, m in self._t.items() if k[0] == owner), key=lambda m: m.created_at)

    def get(self, org_id: str, customer_id: str, payment_method_id: str) -> PaymentMethod:
        try:
            return self._t[(owner_key(org_id, customer_id), payment_method_id)]
        except KeyError:
            raise NotFound("payment method") from None

    def put_in(self, tx: MemoryTransaction, org_id: str, method: PaymentMethod) -> None:
        key = (owner_key(org_id, method.customer_id), method.payment_method_id)
        tx.add(("payment_methods", key), holds=_on_version(self._t, key, method),
               apply=lambda: self._t.__setitem__(key, _bumped(method)))

    def delete_in(self, tx: MemoryTransaction, org_id: str, method: PaymentMethod) -> None:
        key = (owner_key(org_id, method.customer_id), method.payment_method_id)
        tx.add(("payment_methods", key), holds=_on_version(self._t, key, method), apply=lambda: self._t.pop(key))


class Subscriptions:
    """What settling a payment and the portal's actions without a bill reach (scheduled work's claims
    and due index are not kept)."""

    def __init__(self, tables: Tables):
        self._tables = tables
        self._t = tables["subscriptions"]
        self.claimed_until: dict[tuple, datetime] = {}

    def get(self, org_id: str, customer_id: str, subscription_id: str) -> Subscription:
        try:
            return self._t[(owner_key(org_id, customer_id), subscription_id)]
        except KeyError:
            raise NotFound("subscription") from None

    def with_organization(self, org_id: str, customer_id: str, subscription_id: str, *,
                          consistent: bool = True) -> tuple[Organization, Subscription | None]:
        org = Organizations(self._tables).get(org_id)
        return org, self._t.get((owner_key(org_id, customer_id), subscription_id))

    def get_many(self, org_id: str, customer_id: str, subscription_ids) -> list[Subscription]:
        owner = owner_key(org_id, customer_id)
        return [self._t[(owner, s)] for s in dict.fromkeys(subscription_ids) if (owner, s) in self._t]

    def unclaimed(self, org_id: str, customer_id: str, subscription_ids, now: datetime) -> dict[str, Subscription]:
        owner = owner_key(org_id, customer_id)
        return {s.subscription_id: s for s in self.get_many(org_id, customer_id, subscription_ids)
                if self.claimed_until.get((owner, s.subscription_id), now) <= now}

    def charged_to(self, org_id: str, customer_id: str, payment_method_id: str) -> list[Subscription]:
        owner = owner_key(org_id, customer_id)
        return [s for k, s in sorted(self._t.items()) if k[0] == owner and s.payment_method_id == payment_method_id]

    def add(self, org_id: str, sub: Subscription, *, clock: str) -> Subscription:
        key = (owner_key(org_id, sub.customer_id), sub.subscription_id)
        if key in self._t:
            raise ConcurrentUpdate("subscription")
        self._t[key] = _bumped(replace(sub, version=None))
        return self._t[key]

    def put_in(self, tx: MemoryTransaction, org_id: str, sub: Subscription, *, clock: str,
               updated_at: datetime | None = None) -> Subscription:
        key, written = (owner_key(org_id, sub.customer_id), sub.subscription_id), _bumped(sub)
        tx.add(("subscriptions", key), holds=_on_version(self._t, key, sub),
               apply=lambda: self._t.__setitem__(key, written))
        return written

    def unchanged_in(self, tx: MemoryTransaction, org_id: str, sub: Subscription) -> None:
        key = (owner_key(org_id, sub.customer_id), sub.subscription_id)
        tx.add(("subscriptions", key), holds=_on_version(self._t, key, sub))

    def charge_to_in(self, tx: MemoryTransaction, org_id: str, sub: Subscription, payment_method_id: str | None,
                     now: datetime, *, auto_charge: bool | None = None) -> None:
        key = (owner_key(org_id, sub.customer_id), sub.subscription_id)

        def apply() -> None:
            stored = self._t[key]
            changed = replace(stored, payment_method_id=payment_method_id)
            self._t[key] = _bumped(changed if auto_charge is None else replace(changed, auto_charge=auto_charge))
        tx.add(("subscriptions", key), holds=_on_version(self._t, key, sub), apply=apply)

    def saved(self, item: Subscription) -> Subscription:
        return item


@dataclass(frozen=True)
class MirrorRead:
    version: int | None
    currency: str | None


class AccountSummaries:
    """The summary as its domain value; the mirror's version beside it (`account_summary_versions`)."""

    def __init__(self, tables: Tables):
        self._t = tables["account_summaries"]
        self._versions = tables["account_summary_versions"]

    def get(self, org_id: str, customer_id: str, currency: str) -> AccountSummary:
        return self._t.get(owner_key(org_id, customer_id)) or AccountSummary(currency=currency)

    def mirrored_methods(self, org_id: str, customer_id: str, *,
                         consistent: bool = True) -> tuple[PaymentMethod, ...] | None:
        stored = self._t.get(owner_key(org_id, customer_id))
        return stored.payment_methods if stored is not None else None

    def start(self, org_id: str, customer_id: str, currency: str) -> None:
        key = owner_key(org_id, customer_id)
        if key not in self._t:
            self._t[key], self._versions[key] = AccountSummary(currency=currency, payment_methods=()), 0

    def mirror_ahead(self, org_id: str, customer_id: str) -> list[tuple]:
        return []   # nothing is read ahead here

    def mirror_read(self, org_id: str, customer_id: str) -> MirrorRead:
        key = owner_key(org_id, customer_id)
        stored = self._t.get(key)
        return MirrorRead(self._versions.get(key), stored.currency if stored is not None else None)

    def mirror_in(self, tx: MemoryTransaction, org_id: str, customer_id: str, read: MirrorRead, currency: str,
                  kept: list[PaymentMethod], *, put: tuple[PaymentMethod, ...] = (),
                  deleted: tuple[PaymentMethod, ...] = ()) -> None:
        key = owner_key(org_id, customer_id)
        gone = {m.payment_method_id for m in (*put, *deleted)}
        methods = tuple(sorted([m for m in kept if m.payment_method_id not in gone] + [_bumped(m) for m in put],
                               key=lambda m: m.created_at))

        def apply() -> None:
            s = self._t.get(key) or AccountSummary(currency=currency)
            self._t[key], self._versions[key] = replace(s, payment_methods=methods), (read.version or 0) + 1
        tx.add(("account_summaries", key), holds=lambda: self._versions.get(key) == read.version, apply=apply)

    def apply_in(self, tx: MemoryTransaction, org_id: str, customer_id: str, currency: str, change: SummaryChange,
                 *, last_payment: tuple[str, int, datetime, str | None] | None = None,
                 new_method: PaymentMethod | None = None) -> None:
        if change.is_empty and last_payment is None and new_method is None:
            return
        key = owner_key(org_id, customer_id)

        def apply() -> None:   # commutative: what concurrent changes add up to, whatever their order
            s = self._t.get(key) or AccountSummary(currency=currency)
            s = replace(s, outstanding_count=s.outstanding_count + change.outstanding_count,
                        outstanding_minor=s.outstanding_minor + change.outstanding_minor,
                        credits_minor=s.credits_minor + change.credits_minor,
                        pending_estimates=s.pending_estimates + change.pending_estimates,
                        pending_timesheets=s.pending_timesheets + change.pending_timesheets,
                        open_credit_note_ids=(s.open_credit_note_ids | change.credit_notes_opened)
                        - change.credit_notes_closed)
            if last_payment is not None:
                payment_id, amount_minor, at, invoice_id = last_payment
                s = replace(s, last_payment_id=payment_id, last_payment_minor=amount_minor, last_payment_at=at,
                            last_payment_invoice_id=invoice_id)
            if new_method is not None:   # appended, trusted only if mirrored already
                s = replace(s, payment_methods=None if s.payment_methods is None else
                            (*s.payment_methods, _bumped(new_method)))
                self._versions[key] = (self._versions.get(key) or 0) + 1
            self._t[key] = s
        tx.add(("account_summaries", key), apply=apply)


class Activity:
    def __init__(self, tables: Tables):
        self._t = tables["activity"]

    def record(self, org_id: str, record, tx: MemoryTransaction | None = None) -> None:
        key = (owner_key(org_id, record.customer_id), record.activity_id)
        if tx is None:
            self._t[key] = record
        else:
            tx.add(("activity", key), apply=lambda: self._t.__setitem__(key, record))

    def page(self, org_id: str, customer_id: str, *, limit: int, cursor: str | None) -> Page:
        owner = owner_key(org_id, customer_id)
        timeline = [self._t[k] for k in sorted((k for k in self._t if k[0] == owner), reverse=True)]
        return _page(ListScope("activity", "owner", owner), timeline, lambda r: r.activity_id, limit, cursor)


class CancellationFeedbackLog:
    def __init__(self, tables: Tables):
        self._t = tables["cancellation_feedback"]

    def add_in(self, tx: MemoryTransaction, org_id: str, feedback: CancellationFeedback, version: int | None) -> None:
        key = (org_id, f"{_sortable(feedback.at)}#{feedback.subscription_id}#{feedback.kind}#{version or 0}")
        tx.add(("cancellation_feedback", key), holds=_absent(self._t, key),
               apply=lambda: self._t.__setitem__(key, feedback))

    def between(self, org_id: str, start: datetime, end: datetime) -> list[CancellationFeedback]:
        return [self._t[k] for k in sorted(self._t) if k[0] == org_id and start <= self._t[k].at < end]


class Notifications:
    def __init__(self, tables: Tables):
        self._t = tables["notifications"]

    def add(self, org_id: str, notification, tx: MemoryTransaction | None = None) -> None:
        key = (org_id, notification.notification_id)
        if tx is None:
            self._t[key] = notification
        else:
            tx.add(("notifications", key), apply=lambda: self._t.__setitem__(key, notification))

    def page(self, org_id: str, *, limit: int, cursor: str | None) -> Page:
        found = [self._t[k] for k in sorted((k for k in self._t if k[0] == org_id), reverse=True)]
        return _page(ListScope("notifications", "org_id", org_id), found, lambda n: n.notification_id, limit, cursor)


class Emails:
    def __init__(self, tables: Tables):
        self._t = tables["emails"]

    def add(self, record: EmailRecord) -> None:
        key = (record.org_id, record.email_id)
        if key in self._t:
            raise ConcurrentUpdate("email")
        self._t[key] = record

    def put_in(self, tx: MemoryTransaction, record: EmailRecord) -> None:
        key = (record.org_id, record.email_id)
        tx.add(("emails", key), apply=lambda: self._t.__setitem__(key, record))


class Sequences:
    def __init__(self, tables: Tables):
        self._t = tables["sequences"]

    def last_number(self, org_id: str, sequence: str) -> int:
        return self._t.get(f"{org_id}#{sequence}", 0)

    def take_in(self, tx: MemoryTransaction, org_id: str, sequence: str, *, last: int,
                taken: Callable[[int], Exception], count: int = 1, resent: bool = True) -> int:
        key = f"{org_id}#{sequence}"
        tx.add(("sequences", key), holds=lambda: self._t.get(key, 0) == last,
               apply=lambda: self._t.__setitem__(key, last + count), refusal=lambda: taken(self._t.get(key, 0)),
               overriding=resent)
        return last + 1


class WebhookEvents:
    def __init__(self, tables: Tables):
        self._t = tables["webhook_events"]

    def record_in(self, tx: MemoryTransaction, event_id: str, event_type: str, now: datetime) -> None:
        tx.add(("webhook_events", event_id), holds=_absent(self._t, event_id),
               apply=lambda: self._t.__setitem__(event_id, (event_type, now)))

    def record(self, event_id: str, event_type: str, now: datetime) -> bool:
        if event_id in self._t:
            return False
        self._t[event_id] = (event_type, now)
        return True

    def seen(self, event_id: str) -> bool:
        return event_id in self._t


@dataclass
class _Counter:
    events: int = 0
    failures: int | None = None
    state: FailureState = field(default=NO_FAILURES)


def _counted(counter: _Counter | None) -> Counted:
    return Counted() if counter is None else Counted(counter.events, counter.failures or 0)


class RateCounters:
    def __init__(self, tables: Tables):
        self._t = tables["rate_counters"]

    def count_within(self, counter_key: str, *, max_events: int, expires_at: datetime) -> bool:
        return self.count_up_to(counter_key, max_events=max_events, expires_at=expires_at) is not None

    def count_up_to(self, counter_key: str, *, max_events: int, expires_at: datetime) -> int | None:
        counter = self._t.setdefault(counter_key, _Counter())
        if counter.events >= max_events:
            return None
        counter.events += 1
        return counter.events

    def count_event_in(self, tx: MemoryTransaction, counter_key: str, *, counted: Counted, max_events: int,
                       max_failures: int, expires_at: datetime, refused: Callable[[Counted], Exception]) -> None:
        def holds() -> bool:   # exact where this event fills the window, loose below, as DynamoDB's
            now = _counted(self._t.get(counter_key))
            events_free = (now.events == max_events - 1 if counted.events + 1 >= max_events
                           else now.events < max_events - 1)
            return events_free and now.failures < max_failures

        def apply() -> None:
            self._t.setdefault(counter_key, _Counter()).events += 1
        tx.add(("rate_counters", counter_key), holds=holds, apply=apply,
               refusal=lambda: refused(_counted(self._t.get(counter_key))))

    def count_failure_in(self, tx: MemoryTransaction, counter_key: str, *, counted: Counted, max_failures: int,
                         expires_at: datetime) -> None:
        def holds() -> bool:
            failures = _counted(self._t.get(counter_key)).failures
            return (failures == max_failures - 1 if counted.failures + 1 == max_failures
                    else failures != max_failures - 1)

        def apply() -> None:
            counter = self._t.setdefault(counter_key, _Counter())
            counter.failures = (counter.failures or 0) + 1
        tx.add(("rate_counters", counter_key), holds=holds, apply=apply)

    def count_failure(self, counter_key: str, *, expires_at: datetime) -> int:
        counter = self._t.setdefault(counter_key, _Counter())
        counter.failures = (counter.failures or 0) + 1
        return counter.failures

    def state(self, key: str) -> FailureState:
        counter = self._t.get(key)
        return counter.state if counter else NO_FAILURES

    def save_state(self, key: str, previous: FailureState, state: FailureState, *, expires_at: datetime) -> bool:
        if self.state(key) != previous:
            return False
        self._t[key] = _Counter(events=state.count, state=state)
        return True


# -- the unit of work ----------------------------------------------------------------------------

class MemoryUnitOfWork:
    """The repositories over one set of in-memory tables, and their transactions."""

    def __init__(self) -> None:
        self.tables = Tables()
        t = self.tables
        self.ledger = Ledger(t)
        self.organizations, self.customers = Organizations(t), Customers(t)
        self.invoices, self.credit_notes = Invoices(t, self.ledger), CreditNotes(t, self.ledger)
        self.payments = Payments(t, self.ledger)
        self.idempotency, self.invoice_claims = IdempotencyKeys(t), InvoiceClaims(t)
        self.refund_requests = RefundRequests(t, self.idempotency)
        self.payment_methods, self.subscriptions = PaymentMethods(t), Subscriptions(t)
        self.account_summaries, self.activity = AccountSummaries(t), Activity(t)
        self.cancellation_feedback = CancellationFeedbackLog(t)
        self.notifications, self.emails, self.sequences = Notifications(t), Emails(t), Sequences(t)
        self.webhook_events, self.rate_counters = WebhookEvents(t), RateCounters(t)

    @contextmanager
    def transaction(self, kind: str = "item") -> Iterator[MemoryTransaction]:
        tx = MemoryTransaction(kind)
        yield tx
        tx.commit()
