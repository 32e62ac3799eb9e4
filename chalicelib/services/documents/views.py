"""The customer's documents as the portal shows them, as typed results: an invoice with what the
organization's day says of it (overdue), in full with the numbers of the credit notes applied and
the payments that paid it; an estimate or timesheet with the name of whoever decided it. The
response models (handlers/responses/documents.py) build the wire shapes from these."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

from ...domain.documents import Estimate, Invoice, PaymentApplied, Timesheet


@dataclass(frozen=True)
class Listed:
    """An invoice as a list shows it."""
    invoice: Invoice
    overdue: bool          # past its due day, on the organization's date


def listed(invoice: Invoice, today: date) -> Listed:
    """`today`: the organization's date."""
    return Listed(invoice, invoice.is_overdue(today))


@dataclass(frozen=True)
class InFull:
    """An invoice as its detail shows it."""
    listed: Listed
    credit_numbers: Mapping[str, str]    # the numbers of the credit notes applied, by id (a missing one: none)
    paid_by: tuple[PaymentApplied, ...]


@dataclass(frozen=True)
class Decided:
    """An estimate or timesheet, and the name of the contact who decided it (None: undecided, or the
    contact is gone or has no name)."""
    document: Estimate | Timesheet
    decided_by_name: str | None


def with_decider(document: Estimate | Timesheet, names: Mapping[str, str]) -> Decided:
    """`names`: the customer's contacts' names, by id."""
    return Decided(document, names.get(document.decided_by or ""))
