"""Claims on invoices: while a payment is with the gateway, no other payment may charge the
same invoice. A claim names its payment; it lives in the idempotency table under
`org#customer#invoice_claim#invoice_id`."""
from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError

from ..domain.documents import Invoice
from .base import owner_key
from .idempotency import IdempotencyItem
from .invoices import InvoiceItem
from .transactions import Transaction

I = IdempotencyItem
KEEP_FOR = timedelta(days=7)   # a claim is released when its payment settles; this only tidies up


def claim_key(org_id: str, customer_id: str, invoice_id: str) -> str:
    return f"{org_id}#{customer_id}#invoice_claim#{invoice_id}"


def holder(item: IdempotencyItem) -> str:
    """The payment a claim's item names (read along with other items)."""
    return item.request_hash


class InvoiceClaims:
    """The claims payments in progress hold on invoices."""

    def claim_in(self, tx: Transaction, org_id: str, customer_id: str, invoice_id: str, payment_id: str,
                 now: datetime) -> None:
        """Claim the invoice for `payment_id`; the transaction fails if it is claimed already."""
        tx.save(I(claim_key(org_id, customer_id, invoice_id), request_hash=payment_id, state="claimed",
                  created_at=now, expires_at=now + KEEP_FOR), condition=I.idem_key.does_not_exist())

    def unchanged_in(self, tx: Transaction, org_id: str, invoice: Invoice) -> None:
        """The transaction fails if the invoice changed since it was read (its version and balance)."""
        tx.condition_check(InvoiceItem, owner_key(org_id, invoice.customer_id), invoice.invoice_id,
                           condition=(InvoiceItem.version == invoice.version)
                           & (InvoiceItem.balance_minor == invoice.balance_minor))

    def holder_of(self, org_id: str, customer_id: str, invoice_id: str) -> str | None:
        """The payment that holds the invoice now (None: no payment is in progress), read consistently."""
        try:
            return holder(I.get(claim_key(org_id, customer_id, invoice_id), consistent_read=True))
        except I.DoesNotExist:
            return None

    def unclaimed_in(self, tx: Transaction, org_id: str, customer_id: str, invoice_id: str) -> None:
        """The transaction fails if a payment claims the invoice meanwhile."""
        tx.condition_check(I, claim_key(org_id, customer_id, invoice_id), condition=I.idem_key.does_not_exist())

    def release_in(self, tx: Transaction, org_id: str, customer_id: str, invoice_id: str, payment_id: str) -> None:
        """Release the claim within the transaction that settles its payment; the transaction fails
        if another payment holds it now (the caller read it as the payment's)."""
        tx.delete(I(claim_key(org_id, customer_id, invoice_id)), condition=I.request_hash == payment_id)

    def release(self, org_id: str, customer_id: str, invoice_id: str, payment_id: str) -> None:
        """Release the invoice if `payment_id` still holds it (another payment's claim stays)."""
        try:
            I(claim_key(org_id, customer_id, invoice_id)).delete(condition=I.request_hash == payment_id)
        except DeleteError as error:
            if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
