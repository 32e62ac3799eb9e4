"""No request waits for SES: a payment (and every other request that emails) records its email in
the outbox, and the scheduled outbox job sends it."""
from chalicelib import bootstrap
from tests.support.api import Api, client
from tests.support.documents import a_scene
from tests.support.payments import a_payer, a_saved_card, an_invoice, pay
from tests.support.portal import Clock, run_the_outbox_job


def test_a_payment_answers_before_any_email_is_sent_and_the_outbox_job_sends_its_two(aws, monkeypatch):
    Clock()
    with client() as c:
        # Given an open invoice (its email sent) and a saved card, and SES calls being counted
        payer = a_payer(Api(c))
        invoice = an_invoice(payer, 10000)
        run_the_outbox_job()
        card = a_saved_card(payer)
        sends = _counted_sends(monkeypatch)

        # When the customer pays it
        answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": card["payment_method_id"]})

        # Then the payment answered without calling SES
        assert answer.status == 201 and answer.json["status"] == "succeeded", answer.json
        assert sends == []
        # And the outbox job sends the receipt and the merchant's notice
        assert run_the_outbox_job() == 2
        assert sorted(sends) == ["Acme Cloud: Payment received from Globex", "Payment receipt from Acme Cloud"]


def test_a_message_to_the_merchant_is_queued_not_sent_by_the_request(aws, monkeypatch):
    with client() as c:
        # Given a signed-in contact, and SES calls being counted
        scene = a_scene(Api(c))
        sends = _counted_sends(monkeypatch)

        # When Zoë writes to the merchant
        answer = scene.zoe.portal.post("/portal/messages", {"subject": "Hello", "message": "A question."})

        # Then the request answered without calling SES, and the job sends the message
        assert answer.status == 202 and answer.json["email_status"] == "queued", answer.json
        assert sends == []
        assert run_the_outbox_job() == 1 and len(sends) == 1


def _counted_sends(monkeypatch) -> list[str]:
    mailer = bootstrap.adapters().mailer
    sends: list[str] = []
    real_send = mailer.send

    def send(message):
        sends.append(message.subject)
        return real_send(message)
    monkeypatch.setattr(mailer, "send", send)
    return sends
