"""DynamoDB tables, one module each with its PynamoDB model(s) and its repository (README.md); importing
the package registers every model."""
from . import (account_summaries, activity, api_keys, catalog, credit_notes, customers, emails,  # noqa: F401
               estimates, idempotency, invoices, ledger, notifications, one_time_tokens, organizations,
               payment_methods, payments, portal_users, rate_counters, reviews, sequences, sessions,
               subscriptions, timesheets, webhook_events)
from .base import MODELS, configure, connection, create_all, owner_key  # noqa: F401
