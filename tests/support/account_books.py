"""A customer with a saved card, made through the services, and its credit notes two ways: those the
account summary lists as open, and those that are open by their own status and balance."""
from chalicelib.bootstrap import adapters, services
from chalicelib.domain.documents import CreditNoteStatus
from chalicelib.services.accounts.commands import NewCustomer


def a_customer_with_a_card(now):
    org, _ = services().access.create_organization(name="Prop Co", email="billing@prop.example", currency="USD",
                                                   now=now)
    customer = services().accounts.create_customer(org.org_id, NewCustomer("Prop", "ap@prop.example"), now)
    card = services().payments.add_method(org.org_id, customer.customer_id, "pm_card_visa", make_default=True, now=now)
    return org.org_id, customer, card.payment_method_id


def listed_credit_notes(org_id: str, customer_id: str) -> frozenset[str]:
    return adapters().uow.account_summaries.get(org_id, customer_id, "USD").open_credit_note_ids


def open_credit_notes(org_id: str, customer_id: str) -> frozenset[str]:
    notes = adapters().uow.credit_notes.page(org_id, customer_id, limit=100, cursor=None).items
    return frozenset(n.credit_note_id for n in notes if n.status == CreditNoteStatus.OPEN and n.balance_minor > 0)
