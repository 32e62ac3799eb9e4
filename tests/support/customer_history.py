"""A customer's settled past, written straight to the tables as an import would leave it: `count` of
each kind of thing a customer gathers over the years, one every hour going back from `newest` (so
the newest `count` of a longer past fall on the same hours as a shorter past of `count`):

paid invoices of their live subscription, each with the payment that paid it; used-up credit notes;
the ledger entries of all three; decided estimates and timesheets; cancelled subscriptions with
their cancellation answers; their activity, their reviews, the merchant's notifications and audit
entries about them. Each is copied from one of the customer's own (exercise/scenarios.py's world),
so it has every field a real one has."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.bootstrap import adapters
from chalicelib.domain.documents import (CreditNoteStatus, EstimateStatus, InvoiceStatus, PaymentApplied,
                                         TimeEntry, TimesheetStatus)
from chalicelib.domain.cancellation_feedback import CancellationFeedback
from chalicelib.domain.engagement import Notification, Review
from chalicelib.domain.ids import new_id
from chalicelib.domain.ledger import credit_note_entries, invoice_entries, payment_entries
from chalicelib.domain.organization import clock_name
from chalicelib.domain.payments import Allocation, PaymentStatus
from chalicelib.domain.statement import balances_of
from chalicelib.domain.subscription_status import Status
from chalicelib.tables import audit_log, cancellation_feedback, ledger, payments, subscriptions
from chalicelib.tables.activity import ActivityItem
from chalicelib.tables.base import owner_key
from chalicelib.tables.mapping import to_item
from chalicelib.tables.notifications import NotificationItem
from chalicelib.tables.reviews import ReviewItem
from exercise.scenarios import World


def a_settled_past(world: World, *, count: int, newest: datetime) -> None:
    """`count` of each kind for the world's customer, the newest at `newest`, one an hour before the other."""
    templates = _Templates(world)
    items = [item for n in range(count) for item in templates.past_at(newest - timedelta(hours=n), n)]
    by_model: dict[type, list] = {}
    for item in items:
        by_model.setdefault(type(item), []).append(item)
    for model, of_model in by_model.items():
        with model.batch_write() as batch:
            for item in of_model:
                batch.save(item)
    # as the ledger's balances count every entry (written with them; an import adds them so)
    owner = owner_key(world.org_id, world.customer_id)
    for currency, balance in balances_of(ledger.entries_of(by_model[ledger.LedgerEntryItem])).items():
        ledger.LedgerEntryItem(owner, ledger.balance_key(currency)).update(actions=[
            ledger.LedgerEntryItem.total_minor.add(balance.total_minor),
            ledger.LedgerEntryItem.entries.add(balance.entries)])


class _Templates:
    """The customer's own documents and records, each the model of its kind's past copies."""

    def __init__(self, world: World):
        uow = adapters().uow
        self.org_id, self.customer_id, ids = world.org_id, world.customer_id, world.ids
        self.clock = clock_name(uow.organizations.get(self.org_id))
        self.contact_id = ids["contact_id"]
        of_live = uow.invoices.for_subscription(self.org_id, self.customer_id, ids["live_subscription_id"], limit=1,
                                                cursor=None).items[0]
        self.invoice = uow.invoices.get(self.org_id, self.customer_id, of_live.invoice_id)
        self.payment = uow.payments.get(self.org_id, self.customer_id, ids["refundable_payment_id"])
        self.credit_note = uow.credit_notes.get(self.org_id, self.customer_id, ids["credit_note_id"])
        self.estimate = uow.estimates.get(self.org_id, self.customer_id, ids["estimate_id"])
        self.timesheet = uow.timesheets.get(self.org_id, self.customer_id, ids["timesheet_id"])
        self.subscription = uow.subscriptions.get(self.org_id, self.customer_id, ids["cancelled_subscription_id"])
        self.activity = uow.activity.page(self.org_id, self.customer_id, limit=1, cursor=None).items[0]
        self.uow = uow

    def past_at(self, at: datetime, n: int) -> list:
        """The items of the `n`th hour of the past, dated `at`."""
        org_id, owner, total = self.org_id, owner_key(self.org_id, self.customer_id), self.invoice.total_minor
        payment_id, invoice_id = new_id("payment", at), new_id("invoice", at)
        invoice = replace(self.invoice, invoice_id=invoice_id, number=f"PAST-INV-{n:05}", status=InvoiceStatus.PAID,
                          issued_at=at, due_on=at.date(), paid_at=at, credits_applied=(), amount_paid_minor=total,
                          payments_applied=(PaymentApplied(payment_id, total, at, self.payment.method_summary),),
                          period_start=at.date(), period_end=(at + timedelta(days=30)).date(), version=None)
        payment = replace(self.payment, payment_id=payment_id, status=PaymentStatus.SUCCEEDED, amount_minor=total,
                          allocations=(Allocation(invoice_id, total),), created_at=at, succeeded_at=at,
                          gateway_payment_id=None, idempotency_key="", refunds=(), refunded_minor=0,
                          number=f"PAST-PAY-{n:05}", version=None)
        note = replace(self.credit_note, credit_note_id=new_id("credit_note", at), number=f"PAST-CN-{n:05}",
                       status=CreditNoteStatus.CLOSED, balance_minor=0, issued_at=at, invoice_id=None,
                       subscription_id=None, version=None)
        decided = at + timedelta(minutes=30)
        estimate = replace(self.estimate, estimate_id=new_id("estimate", at), number=f"PAST-EST-{n:05}",
                           status=(EstimateStatus.ACCEPTED, EstimateStatus.DECLINED)[n % 2], issued_at=at,
                           expires_at=at + timedelta(days=30), decided_at=decided, decided_by=self.contact_id,
                           version=None)
        day = at.date().isoformat()
        timesheet = replace(self.timesheet, timesheet_id=new_id("timesheet", at), period_start=day, period_end=day,
                            entries=(TimeEntry(day, 60, "Support"),),
                            status=(TimesheetStatus.APPROVED, TimesheetStatus.REJECTED)[n % 2], submitted_at=at,
                            decided_at=decided, decided_by=self.contact_id, version=None)
        subscription = replace(self.subscription, subscription_id=new_id("subscription", at), status=Status.CANCELLED,
                               created_at=at, billing_anchor=at.date(), term_start=at.date(),
                               term_end=(at + timedelta(days=30)).date(), activated_at=at, cancelled_at=decided,
                               cancel_reason="Too expensive", scheduled_change=None, undo=None, version=None)
        entries = (invoice_entries(None, invoice, at) + payment_entries(None, payment, at)
                   + credit_note_entries(None, note, at))
        feedback = CancellationFeedback(subscription.subscription_id, self.customer_id, "cancelled", decided,
                                        reason="Too expensive")
        review = Review(new_id("review", at), self.customer_id, self.contact_id, 4, "Fine.", at)
        notification = Notification(new_id("notification", at), "payment_received", "Paid", at, self.customer_id,
                                    "payment", payment_id)
        audit = audit_log.AuditEntry(org_id, new_id("audit_entry", at), at, "api_key", "API key",
                                     "PATCH /admin/customers/{customer_id}", self.customer_id)
        return [
            self.uow.invoices._item(org_id, invoice), payments._item(org_id, payment),
            self.uow.credit_notes._item(org_id, note), self.uow.estimates._item(org_id, estimate),
            self.uow.timesheets._item(org_id, timesheet),
            *(ledger._item(org_id, self.customer_id, entry) for entry in entries),
            subscriptions.item_for(org_id, subscription, clock=self.clock),
            cancellation_feedback._item(org_id, feedback, version=None),
            to_item(ActivityItem, replace(self.activity, activity_id=new_id("activity", at), at=at), owner=owner,
                    org_id=org_id),
            to_item(ReviewItem, review, org_id=org_id, review_key=f"{self.customer_id}#{review.review_id}"),
            to_item(NotificationItem, notification, org_id=org_id),
            audit_log._item(audit),
        ]
