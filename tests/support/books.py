"""What the merchant's books need: tables whose items are never hard-deleted (a voided invoice,
a declined estimate, a refunded payment change status and stay). A new such table (a ledger, say)
goes in BOOK_TABLES; every other table goes in OTHER_TABLES, and the data-safety tests
refuse a table that is in neither."""
from __future__ import annotations

BOOK_TABLES = frozenset({
    "invoices", "credit_notes", "payments", "activity", "reviews", "estimates", "timesheets",
    "cancellation_feedback",  # what customers said when they cancelled: the merchant's counts
    "account_summaries",     # the running figures the dashboard rests on
    "ledger",                # every balance change, dated: the statement of accounts
    "audit_log",             # who changed what in the back office: kept for good
    "sequences",             # document numbers: deleting one would issue a number twice
    "customers", "subscriptions", "organizations", "catalog",   # what the documents refer to
    "portal_addresses",      # a name once an organization's stays its own: deleted, another could take it
})

# Not needed by the books: sign-in, request and delivery state. Their items may still be deleted only
# where the table is declared `deletable` (tables/base.py).
OTHER_TABLES = frozenset({
    "sessions", "rate_counters", "idempotency", "payment_methods", "portal_users", "one_time_tokens",
    "action_links", "webhook_events", "emails", "notifications", "api_keys", "logos",
    "passkeys", "merchant_users", "merchant_sessions",
    "rendered_documents",    # PDFs kept as rendered: any is rendered again from the books
})


def census() -> dict[str, dict[tuple, str | None]]:
    """Every item of every book table (tests only: a Scan of moto), by key, with its status."""
    from chalicelib.tables import MODELS
    found = {}
    for model in MODELS:
        if model.Meta.logical_name in BOOK_TABLES:
            found[model.Meta.logical_name] = {_key(model, item): getattr(item, "status", None)
                                              for item in model.scan()}
    return found


def _key(model, item) -> tuple:
    range_key = getattr(item, model._range_keyname) if model._range_keyname else None
    return getattr(item, model._hash_keyname), range_key
