"""The portal's home: figures from the account summary (kept exact by the transactions that
change invoices, payments and credits), so reading it is one BatchGetItem (organization,
customer, summary) and one small Query (payment methods), both eventually consistent: the page
only shows them, and half a read unit per item keeps it within 3 units."""
from __future__ import annotations



def dashboard(adapters, org_id: str, customer_id: str, contact_id: str) -> dict:
    found = adapters.uow.customers.with_organization(org_id, customer_id, with_summary=True, consistent=False)
    org, customer, figures = found.org, found.customer, found.summary
    contact = customer.contact(contact_id)
    methods = adapters.uow.payment_methods.of_customer(org_id, customer_id, consistent=False)
    currency = figures.currency
    last = None
    if figures.last_payment_id:
        last = {"payment_id": figures.last_payment_id, "amount_minor": figures.last_payment_minor,
                "currency": currency, "date": figures.last_payment_at.isoformat(),
                "invoice_id": figures.last_payment_invoice_id}
    return {
        "outstanding": {"count": figures.outstanding_count, "total_minor": figures.outstanding_minor,
                        "currency": currency},
        "available_credits": {"amount_minor": figures.credits_minor, "currency": currency},
        "last_payment": last,
        "my_details": {
            "display_name": customer.display_name, "company_name": customer.company_name,
            "email": customer.email, "phone": customer.phone,
            "billing_address": list(customer.billing_address.lines()),
            "shipping_address": list(customer.shipping_address.lines()),
            "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone} if contact else None,
            "payment_methods": [{"payment_method_id": m.payment_method_id, "summary": m.summary,
                                 "exp_month": m.exp_month, "exp_year": m.exp_year, "is_default": m.is_default}
                                for m in methods],
        },
        "pending_approvals": {"estimates": figures.pending_estimates, "timesheets": figures.pending_timesheets},
        "organization": org.public_details(),
    }
