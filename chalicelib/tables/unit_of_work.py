"""The unit of work over DynamoDB: one instance of every repository, each wired to the repositories
it writes with, and the transaction a use case writes in (one TransactWrite per use case).

Services reach the tables only through it (`adapters.uow.invoices.get(...)`,
`with adapters.uow.transaction("invoice") as tx:`); bootstrap builds one per process, on first use."""
from __future__ import annotations

from contextlib import AbstractContextManager

from .account_summaries import AccountSummaries
from .activity import Activity
from .api_keys import ApiKeys
from .catalog import Catalog
from .credit_notes import CreditNotes
from .customers import Customers
from .emails import Emails
from .estimates import Estimates
from .idempotency import IdempotencyKeys
from .invoice_claims import InvoiceClaims
from .invoices import Invoices
from .ledger import Ledger
from .notifications import Notifications
from .one_time_tokens import OneTimeTokens
from .organizations import Organizations
from .payment_methods import PaymentMethods
from .payments import Payments
from .portal_users import PortalUsers
from .rate_counters import RateCounters
from .refund_requests import RefundRequests
from .reviews import Reviews
from .sequences import Sequences
from .sessions import Sessions
from .subscriptions import Subscriptions
from .timesheets import Timesheets
from .transactions import Transaction, transaction
from .webhook_events import WebhookEvents


class DynamoUnitOfWork:
    """Every repository, named for what it holds. Repositories hold no state: one of each serves
    every request of the process."""

    def __init__(self) -> None:
        self.ledger = Ledger()
        self.idempotency = IdempotencyKeys()
        # the documents and payments add their ledger entries to the transaction they are written in
        self.invoices = Invoices(self.ledger)
        self.credit_notes = CreditNotes(self.ledger)
        self.estimates = Estimates(self.ledger)
        self.timesheets = Timesheets(self.ledger)
        self.payments = Payments(self.ledger)
        self.refund_requests = RefundRequests(self.idempotency)
        self.invoice_claims = InvoiceClaims()
        self.payment_methods = PaymentMethods()
        self.account_summaries = AccountSummaries()
        self.subscriptions = Subscriptions()
        self.catalog = Catalog()
        self.customers = Customers()
        self.organizations = Organizations()
        self.sequences = Sequences()
        self.api_keys = ApiKeys()
        self.activity = Activity()
        self.notifications = Notifications()
        self.reviews = Reviews()
        self.emails = Emails()
        self.one_time_tokens = OneTimeTokens()
        self.portal_users = PortalUsers()
        self.rate_counters = RateCounters()
        self.sessions = Sessions()
        self.webhook_events = WebhookEvents()

    def transaction(self, kind: str = "item") -> AbstractContextManager[Transaction]:
        """A TransactWrite to fill; committed when the block ends without an error (transactions.py):
        a failed condition is ConcurrentUpdate(kind), 409."""
        return transaction(kind)
