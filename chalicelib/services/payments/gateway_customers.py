"""The customer's counterpart at the payment gateway (a Stripe Customer), created on first use."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ...domain.customers import Customer
from ...domain.errors import ConcurrentUpdate


def ensure(adapters, org_id: str, customer: Customer, now: datetime) -> str:
    """The gateway customer id, created (once, whatever the concurrency) and remembered."""
    for _ in range(3):
        if customer.gateway_customer_id:
            return customer.gateway_customer_id
        gateway_id = adapters.gateway.ensure_customer(
            org_id=org_id, customer_id=customer.customer_id, email=customer.email,
            name=customer.display_name, existing_gateway_customer_id=None,
            # the same key from concurrent first uses: the gateway creates one customer
            idempotency_key=f"customer:{org_id}:{customer.customer_id}")
        try:
            with adapters.uow.transaction("customer") as tx:
                adapters.uow.customers.put_in(tx, org_id, replace(customer, gateway_customer_id=gateway_id))
                adapters.uow.customers.remember_gateway_customer_in(tx, gateway_id, org_id, customer.customer_id, now)
            return gateway_id
        except ConcurrentUpdate:
            customer = adapters.uow.customers.get(org_id, customer.customer_id)
    raise ConcurrentUpdate("customer")
