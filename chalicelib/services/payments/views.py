"""What the portal shows of a payment, wherever it appears (the payments routes, the answer of a
subscription action that charged): never its idempotency key, gateway ids or version; the client
secret only while the browser must finish 3-D Secure with it. It imports no payments use case:
a subscription action shows the charge it made without loading the payments service."""
from __future__ import annotations

from ...domain.payments import Payment, PaymentStatus


def view(adapters, payment: Payment) -> dict:
    answer = {
        "payment_id": payment.payment_id, "number": payment.number, "status": payment.status.value, "amount_minor": payment.amount_minor,
        "currency": payment.currency, "created_at": payment.created_at.isoformat(),
        "succeeded_at": payment.succeeded_at.isoformat() if payment.succeeded_at else None,
        "allocations": [{"invoice_id": a.invoice_id, "amount_minor": a.amount_minor} for a in payment.allocations],
        "payment_method_id": payment.payment_method_id, "method_summary": payment.method_summary,
        "source": payment.source, "refunded_minor": payment.refunded_minor,
        "refunds": [{"credit_note_id": r.credit_note_id, "number": r.number, "amount_minor": r.amount_minor,
                     "refunded_at": r.refunded_at.isoformat()} for r in payment.refunds],
        "failure_code": payment.failure_code, "failure_message": payment.failure_message,
        "dispute_status": payment.dispute_status, "disputed_minor": payment.disputed_minor,
    }
    if payment.status == PaymentStatus.REQUIRES_ACTION:
        answer["next_action"] = _next_action(adapters, payment)
    return answer


def _next_action(adapters, payment: Payment) -> dict:
    gateway = adapters.gateway
    if gateway.name == "simulated":
        return {"type": "simulated_authentication", "client_secret": payment.client_secret,
                "confirm_path": f"/portal/payments/{payment.payment_id}/confirm-action"}
    return {"type": "stripe_confirm_card_payment", "client_secret": payment.client_secret,
            "publishable_key": gateway.publishable_key}
