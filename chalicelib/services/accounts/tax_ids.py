"""My tax IDs: the customer adds, replaces and removes them in the portal (at most MOST_TAX_IDS,
each a kind and a valid number of it: domain/tax_ids.py). They are customer details: the merchant's
`update_customer_details` turns changing them off, and `require_tax_id` keeps the last one from being
removed. A change keeps the tax IDs it replaces in the customer's billing history, so a document
prints those valid when it was issued; every change is an activity record with before and after.

Adding a number already on the account answers that one and changes nothing, so a retried add
makes no second entry; the customer's version guards each write against a concurrent one."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ...domain.customers import Customer
from ...domain.engagement import ActivityRecord, contact_actor
from ...domain.errors import BusinessRuleViolation, NotFound
from ...domain.ids import new_id
from ...domain.organization import Organization
from ...domain.tax_ids import MOST_TAX_IDS, TaxId, valid_tax_id


@dataclass(frozen=True)
class TaxIds:
    """The customer's tax IDs, and whether the merchant requires one."""
    items: tuple[TaxId, ...]
    required: bool


def tax_ids(adapters, org: Organization, customer: Customer) -> TaxIds:
    """As the session check read the customer and organization: no read here."""
    return TaxIds(customer.tax_ids, org.preferences.require_tax_id)


def add_tax_id(adapters, org_id: str, customer_id: str, contact_id: str, kind: str, value: str,
               now: datetime) -> TaxId:
    found = _changeable(adapters, org_id, customer_id)
    number = valid_tax_id(kind, value)
    same = next((t for t in found.customer.tax_ids if (t.type, t.value) == (kind, number)), None)
    if same is not None:
        return same
    if len(found.customer.tax_ids) >= MOST_TAX_IDS:
        raise BusinessRuleViolation(f"An account has at most {MOST_TAX_IDS} tax IDs: remove one first.",
                                    "too_many_tax_ids")
    added = TaxId(new_id("tax_id", now), kind, number)
    _save(adapters, org_id, found.customer, found.customer.tax_ids + (added,), contact_id, "tax_id.added", now)
    return added


def replace_tax_id(adapters, org_id: str, customer_id: str, contact_id: str, tax_id: str, kind: str, value: str,
                   now: datetime) -> TaxId:
    found = _changeable(adapters, org_id, customer_id)
    current = _one(found.customer, tax_id)
    number = valid_tax_id(kind, value)
    if any((t.type, t.value) == (kind, number) and t.tax_id != tax_id for t in found.customer.tax_ids):
        raise BusinessRuleViolation("This tax ID is already on your account.", "duplicate_tax_id")
    replaced = TaxId(tax_id, kind, number)
    if replaced != current:
        kept = tuple(replaced if t.tax_id == tax_id else t for t in found.customer.tax_ids)
        _save(adapters, org_id, found.customer, kept, contact_id, "tax_id.replaced", now)
    return replaced


def remove_tax_id(adapters, org_id: str, customer_id: str, contact_id: str, tax_id: str, now: datetime) -> None:
    found = _changeable(adapters, org_id, customer_id)
    _one(found.customer, tax_id)
    left = tuple(t for t in found.customer.tax_ids if t.tax_id != tax_id)
    if not left and found.org.preferences.require_tax_id:
        raise BusinessRuleViolation(f"{found.org.name} needs a tax ID on your account: add another one before "
                                    "removing this one, or replace it.", "tax_id_required")
    _save(adapters, org_id, found.customer, left, contact_id, "tax_id.removed", now)


def _changeable(adapters, org_id: str, customer_id: str):
    found = adapters.uow.customers.with_organization(org_id, customer_id)
    found.org.preferences.require("update_customer_details")
    return found


def _one(customer: Customer, tax_id: str) -> TaxId:
    found = next((t for t in customer.tax_ids if t.tax_id == tax_id), None)
    if found is None:
        raise NotFound("tax ID")
    return found


def _save(adapters, org_id: str, customer: Customer, tax_ids: tuple[TaxId, ...], contact_id: str, action: str,
          now: datetime) -> None:
    updated = replace(customer, tax_ids=tax_ids, updated_at=now).keeping_billing_history(customer, now)
    before, after = [t.printed() for t in customer.tax_ids], [t.printed() for t in tax_ids]
    record = ActivityRecord(
        activity_id=new_id("activity", now), customer_id=customer.customer_id, actor=contact_actor(customer, contact_id),
        action=action, subject_type="customer", subject_id=customer.customer_id, at=now,
        summary="Changed tax IDs", before={"tax_ids": before}, after={"tax_ids": after})
    with adapters.uow.transaction("tax IDs") as tx:
        adapters.uow.customers.put_in(tx, org_id, updated)
        adapters.uow.activity.record(org_id, record, tx)
