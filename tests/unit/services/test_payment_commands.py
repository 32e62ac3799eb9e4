"""The payment a customer asks for, as the handler hands it to the use case (services/payments/commands.py):
a retry must hash as the first request did, so the command gives back the request the client sent."""
import pytest

from chalicelib.handlers.portal.payments import PaymentBody
from chalicelib.services.payments.commands import PayInvoices


@pytest.mark.parametrize("sent", [
    {"invoice_ids": ["inv_1", "inv_2"], "payment_method": "pm_card_visa"},
    {"invoice_ids": ["inv_1"], "payment_method": "pm_card_visa", "amount_minor": 4000, "save_for_future": True},
    {"all_outstanding": True, "currency": "EUR", "payment_method": "pm_card_visa", "use_credits": True},
    {"invoice_ids": ["inv_1"], "payment_method": "pm_card_visa", "all_outstanding": False, "use_credits": False},
])
def test_the_command_gives_back_the_request_as_the_client_sent_it(sent):
    body = PaymentBody(**sent)

    assert body.command().as_request() == body.model_dump(exclude_defaults=True)


def test_a_command_names_what_was_asked_and_leaves_the_rest_as_by_default():
    command = PaymentBody(invoice_ids=["inv_1"], payment_method="pm_card_visa").command()

    assert command == PayInvoices("pm_card_visa", ("inv_1",))
