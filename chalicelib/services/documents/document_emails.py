"""The emails that tell a customer a document was issued to them: an invoice to pay, an estimate to
answer. Each carries an action link to that page of the portal, is written in the customer's
language, and is recorded within the transaction that issues the document (the outbox job sends it).
The merchant turns each off in the preferences (`emails`)."""
from __future__ import annotations

from datetime import datetime

from ...domain import email_words
from ...domain.action_links import for_email as action_link_for
from ...domain.calendar import local_date
from ...domain.customers import Customer
from ...domain.documents import Estimate, Invoice
from ...domain.locales import day_text, money_text
from ...domain.organization import Organization
from ...tables.emails import EmailRecord
from ..accounts import languages, outbox as mail


def invoice_issued(org: Organization, customer: Customer, invoice: Invoice, now: datetime) -> EmailRecord | None:
    """The email of a new invoice with something left to pay; None when the merchant sends none,
    the invoice has nothing to pay, or the customer has no address."""
    if not org.preferences.emails.invoice_issued or not invoice.is_outstanding() or not customer.email:
        return None
    locale = languages.locale_of(org, customer)
    return mail.new_record(org.org_id, "invoice_issued", {
        "org_name": org.name, "locale": locale, "invoice_number": invoice.number,
        "amount": money_text(invoice.balance_minor, invoice.currency, locale),
        "due_date": day_text(invoice.due_on, locale)},
        [customer.email], now=now, customer_id=customer.customer_id, reply_to=org.email,
        link=action_link_for("pay_invoice", invoice.invoice_id))


def estimate_sent(org: Organization, customer: Customer, estimate: Estimate, now: datetime) -> EmailRecord | None:
    """The email of a new estimate awaiting the customer's answer; None when the merchant sends none."""
    if not org.preferences.emails.estimate_sent or not customer.email:
        return None
    locale = languages.locale_of(org, customer)
    return mail.new_record(org.org_id, "estimate_sent", {
        "org_name": org.name, "locale": locale, "estimate_number": estimate.number,
        "amount": money_text(estimate.total_minor, estimate.currency, locale),
        "validity": email_words.estimate_validity(local_date(estimate.expires_at, org.time_zone), locale)},
        [customer.email], now=now, customer_id=customer.customer_id, reply_to=org.email,
        link=action_link_for("accept_estimate", estimate.estimate_id))
