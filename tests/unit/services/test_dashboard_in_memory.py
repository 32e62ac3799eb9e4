"""The portal's home as a typed result (services/accounts/dashboard.Home) and its one wire shape
(handlers/responses/accounts.Dashboard.of), on the in-memory unit of work: no HTTP, no moto."""
from chalicelib.handlers.responses.accounts import Dashboard
from chalicelib.handlers.portal.payments import payment_answer
from chalicelib.services.accounts.dashboard import dashboard
from chalicelib.services.payments import portal
from chalicelib.services.payments.commands import PayInvoices
from tests.support.domain_builders import NOW, an_invoice
from tests.support.fast_services import a_merchant_with_a_customer

ORG, CUSTOMER = "org_acme", "cus_globex"


def test_the_home_shows_the_last_payment_once_an_invoice_is_paid():
    # Given Globex's invoice, paid in the portal
    adapters = a_merchant_with_a_customer()
    invoice = adapters.uow.invoices.add(ORG, an_invoice(10_000))
    paid = portal.pay(adapters, ORG, CUSTOMER, PayInvoices("pm_card_visa", (invoice.invoice_id,)),
                      idempotency_key="k", now=NOW, wire=payment_answer)

    # When its contact opens the portal's home
    home = dashboard(adapters, adapters.uow.organizations.get(ORG), adapters.uow.customers.get(ORG, CUSTOMER),
                     "con_missing")
    answer = Dashboard.of(home)

    # Then the figures are the account summary's, and the answer says so in its one shape
    assert (home.figures.last_payment_id, home.figures.last_payment_minor) == (paid["payment_id"], 10_000)
    assert answer.last_payment.payment_id == paid["payment_id"] and answer.last_payment.currency_exponent == 2
    assert answer.my_details.contact is None   # a contact removed since it signed in
    assert answer.organization.name == "Acme Cloud"
