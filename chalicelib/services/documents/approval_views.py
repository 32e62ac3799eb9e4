"""Who decided an estimate or timesheet, by name, as the portal shows it (the contact's id is no
business of the browser's): the names of the customer's contacts (`views.with_decider` pairs them)."""
from __future__ import annotations

from typing import Iterable

from ...domain.customers import Customer
from ...domain.documents import Estimate, Timesheet


def decider_names(adapters, org_id: str, customer_id: str, documents: Iterable[Estimate | Timesheet]) -> dict[str, str]:
    """The names of the contacts who decided any of `documents`; no read when none is decided."""
    if not any(d.decided_by for d in documents):
        return {}
    return names_of(adapters.uow.customers.get(org_id, customer_id))


def names_of(customer: Customer) -> dict[str, str]:
    return {c.contact_id: c.name for c in customer.contacts if c.name}
