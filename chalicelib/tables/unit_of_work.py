"""The unit of work over DynamoDB: one instance of every repository, each wired to the repositories
it writes with, and the transaction a use case writes in (one TransactWrite per use case).

Services reach the tables only through it (`adapters.uow.invoices.get(...)`,
`with adapters.uow.transaction("invoice") as tx:`); bootstrap builds one per process, on first use."""
from __future__ import annotations

import importlib
from contextlib import AbstractContextManager, contextmanager

from .transactions import Transaction, transaction

# repository -> (its module, its class, the repositories it writes with)
REPOSITORIES = {
    "ledger": ("ledger", "Ledger", ()),
    "idempotency": ("idempotency", "IdempotencyKeys", ()),
    # the documents and payments add their ledger entries to the transaction they are written in
    "invoices": ("invoices", "Invoices", ("ledger",)),
    "credit_notes": ("credit_notes", "CreditNotes", ("ledger",)),
    "estimates": ("estimates", "Estimates", ("ledger",)),
    "timesheets": ("timesheets", "Timesheets", ("ledger",)),
    "payments": ("payments", "Payments", ("ledger",)),
    "refund_requests": ("refund_requests", "RefundRequests", ("idempotency",)),
    "invoice_claims": ("invoice_claims", "InvoiceClaims", ()),
    "payment_methods": ("payment_methods", "PaymentMethods", ()),
    "account_summaries": ("account_summaries", "AccountSummaries", ()),
    "subscriptions": ("subscriptions", "Subscriptions", ()),
    "catalog": ("catalog", "Catalog", ()),
    "customers": ("customers", "Customers", ()),
    "organizations": ("organizations", "Organizations", ()),
    "sequences": ("sequences", "Sequences", ()),
    "api_keys": ("api_keys", "ApiKeys", ()),
    "activity": ("activity", "Activity", ()),
    "notifications": ("notifications", "Notifications", ()),
    "reviews": ("reviews", "Reviews", ()),
    "cancellation_feedback": ("cancellation_feedback", "CancellationFeedbackLog", ()),
    "emails": ("emails", "Emails", ()),
    "one_time_tokens": ("one_time_tokens", "OneTimeTokens", ()),
    "action_links": ("action_links", "ActionLinks", ()),
    "portal_addresses": ("portal_addresses", "PortalAddresses", ()),
    "logos": ("logos", "Logos", ()),
    "portal_users": ("portal_users", "PortalUsers", ()),
    "passkeys": ("passkeys", "Passkeys", ()),
    "rate_counters": ("rate_counters", "RateCounters", ()),
    "sessions": ("sessions", "Sessions", ()),
    "webhook_events": ("webhook_events", "WebhookEvents", ()),
    "merchant_users": ("merchant_users", "MerchantUsers", ()),
    "merchant_sessions": ("merchant_sessions", "MerchantSessions", ()),
    "audit_log": ("audit_log", "AuditLog", ()),
    "rendered_documents": ("rendered_documents", "RenderedDocuments", ()),
}


class DynamoUnitOfWork:
    """Every repository, named for what it holds (REPOSITORIES), each built on first use with its
    table module, so that a request loads only the tables it reads (a cold start imports less).
    Repositories hold no state: one of each serves every request of the process."""

    def __getattr__(self, name: str):
        try:
            module, class_name, writes_with = REPOSITORIES[name]
        except KeyError:
            raise AttributeError(name) from None
        repository_class = getattr(importlib.import_module(f"{__package__}.{module}"), class_name)
        repository = repository_class(*(getattr(self, other) for other in writes_with))
        self.__dict__[name] = repository
        return repository

    def transaction(self, kind: str = "item") -> AbstractContextManager[Transaction]:
        """A TransactWrite to fill; committed when the block ends without an error (transactions.py):
        a failed condition is ConcurrentUpdate(kind), 409. The audit entry the request holds for the
        change it makes (tables/audit_log.py) is written in the first transaction it commits."""
        return _with_audit_entry(self.audit_log, kind)


@contextmanager
def _with_audit_entry(audit_log, kind: str):
    with transaction(kind) as tx:
        yield tx
        entry = audit_log.add_pending_in(tx)
    if entry is not None:
        audit_log.written(entry)
