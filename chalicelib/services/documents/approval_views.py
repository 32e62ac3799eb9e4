"""Who decided an estimate or timesheet, by name, as the portal shows it (the contact's id is no
business of the browser's): the names of the customer's contacts (`views.with_decider` pairs them),
from the customer the session check read."""
from __future__ import annotations

from ...domain.customers import Customer


def names_of(customer: Customer) -> dict[str, str]:
    return {c.contact_id: c.name for c in customer.contacts if c.name}
