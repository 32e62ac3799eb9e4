"""The email that tells a customer their dunning ended with the term it collected (no charge made
then: the "payment failed" email of a retry does not go), recorded within the transaction that ends
it (the outbox job sends it). Its last sentence is the one the last retry's email ends with."""
from __future__ import annotations

from datetime import datetime

from ...domain import email_words
from ...domain.action_links import for_email as action_link_for
from ...domain.customers import Customer
from ...domain.documents import Invoice
from ...domain.locales import day_text, money_text
from ...domain.organization import Organization
from ...domain.subscription import Subscription
from ...tables.emails import EmailRecord
from ..accounts import languages, outbox as mail


def dunning_ended(org: Organization, customer: Customer, invoice: Invoice, ended: Subscription,
                  now: datetime) -> EmailRecord | None:
    """The email of `ended` (unpaid or cancelled at its term's end) with `invoice` still to pay;
    None when the invoice has nothing left to pay or the customer has no address."""
    if not invoice.is_outstanding() or not customer.email:
        return None
    locale = languages.locale_of(org, customer)
    return mail.new_record(org.org_id, "dunning_ended", {
        "org_name": org.name, "locale": locale, "invoice_number": invoice.number,
        "amount": money_text(invoice.balance_minor, invoice.currency, locale),
        "term_end": day_text(ended.term_end, locale),
        "next_step": email_words.dunning_over(ended.status.value, locale)},
        [customer.email], now=now, customer_id=customer.customer_id, reply_to=org.email,
        link=action_link_for("pay_invoice", invoice.invoice_id))
