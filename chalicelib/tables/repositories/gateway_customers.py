"""Which of our customers a gateway customer (Stripe `cus_...`) is: webhooks name only the
gateway's ids. Kept in the idempotency table under `gateway_customer#<id>`."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from ..idempotency import IdempotencyItem

I = IdempotencyItem
KEEP_FOR = timedelta(days=3650)   # as long as the gateway customer may send events; TTL is required


def _key(gateway_customer_id: str) -> str:
    return f"gateway_customer#{gateway_customer_id}"


def remember_in(tx: TransactWrite, gateway_customer_id: str, org_id: str, customer_id: str,
                now: datetime) -> None:
    tx.save(I(_key(gateway_customer_id), request_hash=f"{org_id}#{customer_id}", state="reference",
              created_at=now, expires_at=now + KEEP_FOR,
              response_json=json.dumps({"org_id": org_id, "customer_id": customer_id})))


def owner_of(gateway_customer_id: str) -> tuple[str, str] | None:
    """(org_id, customer_id) of a gateway customer we created."""
    try:
        item = I.get(_key(gateway_customer_id))
    except DoesNotExist:
        return None
    owner = json.loads(item.response_json)
    return owner["org_id"], owner["customer_id"]
