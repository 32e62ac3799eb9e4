"""What settling a portal payment writes in its one transaction besides the money: the
invoices' claims are released, the request's answer is kept, and the emails are recorded there and
noted once sent, so that SES failing never loses an email nor fails the payment."""
from datetime import timedelta

from chalicelib import bootstrap
from chalicelib.bootstrap import adapters
from chalicelib.gateways.email import EmailDeliveryFailed
from tests.support.api import NOW, Api, client
from tests.support.payments import a_payer, a_saved_card, an_invoice, pay
from tests.support.portal import Clock, run_the_outbox_job


def test_paying_many_invoices_at_once_releases_every_claim_and_replays_the_answer(aws):
    Clock()
    with client() as c:
        # Given ten open invoices and a saved card
        payer = a_payer(Api(c))
        invoice_ids = [an_invoice(payer, 1000 + n)["invoice_id"] for n in range(10)]
        card = a_saved_card(payer)

        # When the customer pays them all, then retries with the same key
        body = {"invoice_ids": invoice_ids, "payment_method": card["payment_method_id"]}
        answer = pay(payer.portal, body, key="pay-ten")
        again = pay(payer.portal, body, key="pay-ten")

        # Then the payment succeeded, no invoice is still claimed, and the retry got the same answer
        assert answer.status == 201 and answer.json["status"] == "succeeded", answer.json
        assert adapters().uow.payments.state(payer.org_id, payer.customer_id, claim_ids=invoice_ids).claims == {}
        assert (again.status, again.json) == (201, answer.json)


def test_when_ses_fails_the_payment_succeeds_and_its_emails_stay_queued_for_a_retry(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given an open invoice (its email sent), a saved card, and SES refusing every message
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        run_the_outbox_job()
        card = a_saved_card(payer)

        def refuse(message):
            raise EmailDeliveryFailed("SES is down")
        monkeypatch.setattr(bootstrap.adapters().mailer, "send", refuse)

        # When the customer pays it, and the outbox job runs
        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]],
                                    "payment_method": card["payment_method_id"]})
        run_the_outbox_job()

        # Then the payment succeeded, and the receipt and the merchant's notice wait for a retry
        assert answer.status == 201 and answer.json["status"] == "succeeded", answer.json
        queued = adapters().uow.emails.due(NOW + timedelta(days=1), limit=25)
        assert sorted(e.template for e in queued) == ["merchant_notification", "payment_receipt"]
        assert {(e.status, e.attempts) for e in queued} == {("queued", 1)}
