"""A customer hears of a document issued to them: an invoice to pay, an estimate to answer, each by
an email in their language (written off the request path, by the outbox job) whose action link
leads to the page where it is done. The merchant may turn either email off."""
import re

from tests.support.action_links import redeem, token_of
from tests.support.api import Api, client
from tests.support.documents import a_scene, an_estimate, an_invoice
from tests.support.portal import PASSWORD, accepted_by_ses, emails_to, text_of

ACTION_LINK = re.compile(r"(http\S+#/act/[A-Za-z0-9_-]+)")


def test_an_invoice_issued_is_emailed_with_a_link_to_pay_it(aws):
    with client() as c:
        # Given Globex in Acme's portal
        scene = a_scene(Api(c))

        # When Acme issues an invoice of $100.00
        invoice = an_invoice(scene.admin, scene.customer_id, ("Consulting", 10_000, 1))

        # Then the request only recorded the email; the outbox job sends it
        assert [m for m in accepted_by_ses() if "Consulting" in str(m)] == []
        [message] = [m for m in emails_to("zoe@globex.example") if invoice["number"] in m["Subject"]]
        text = text_of(message)
        assert message["Subject"] == f"New invoice {invoice['number']} from Acme Cloud"
        assert "$100.00" in text and re.search(r"Due on: [A-Z][a-z]+ \d{1,2}, 2026", text), text

        # And its link leads Zoë to paying that invoice
        answer = redeem(scene.zoe, token_of(ACTION_LINK.search(text).group(1)))
        assert answer.status == 200 and answer.json["route"] == f"/pay?invoices={invoice['invoice_id']}"


def test_an_estimate_sent_is_emailed_with_a_link_to_answer_it(aws):
    with client() as c:
        scene = a_scene(Api(c))

        estimate = an_estimate(scene.admin, scene.customer_id, 250_000, expires_in_days=30)

        [message] = [m for m in emails_to("zoe@globex.example") if estimate["number"] in m["Subject"]]
        text = text_of(message)
        assert message["Subject"] == f"Estimate {estimate['number']} from Acme Cloud"
        assert "$2,500.00" in text and "valid until" in text
        answer = redeem(scene.zoe, token_of(ACTION_LINK.search(text).group(1)))
        assert answer.json["route"] == f"/approvals?tab=estimates&estimate={estimate['estimate_id']}"


def test_a_german_customer_reads_the_invoice_email_in_german(aws):
    with client() as c:
        # Given Zoë's browser speaks German
        scene = a_scene(Api(c))
        assert scene.zoe.portal.put("/portal/me/locale", {"locale": "de-DE"}).status == 200

        # When an invoice is issued to her
        invoice = an_invoice(scene.admin, scene.customer_id, ("Beratung", 123_456, 1))

        # Then its email is German, with German money and days
        [message] = [m for m in emails_to("zoe@globex.example") if invoice["number"] in m["Subject"]]
        text = text_of(message)
        assert message["Subject"] == f"Neue Rechnung {invoice['number']} von Acme Cloud"
        assert "Betrag: 1.234,56\u00a0$" in text, text
        assert re.search(r"Fällig am: \d{1,2}\. (November|Dezember) 2026", text), text


def test_the_merchant_may_turn_the_document_emails_off(aws):
    with client() as c:
        scene = a_scene(Api(c))
        answer = scene.admin.put("/admin/preferences", {"preferences": {"emails": {"invoice_issued": False,
                                                                                   "estimate_sent": False}}})
        assert answer.status == 200, answer.json
        assert answer.json["preferences"]["emails"] == {"invoice_issued": False, "estimate_sent": False}

        invoice = an_invoice(scene.admin, scene.customer_id)
        estimate = an_estimate(scene.admin, scene.customer_id)

        subjects = [m["Subject"] for m in emails_to("zoe@globex.example")]
        assert not [s for s in subjects if invoice["number"] in s or estimate["number"] in s], subjects


def test_a_password_changed_email_is_written_in_the_language_of_its_reader(aws):
    with client() as c:
        # Given Zoë reads German
        scene = a_scene(Api(c))
        assert scene.zoe.portal.put("/portal/me/locale", {"locale": "de-DE"}).status == 200

        # When she changes her password
        answer = scene.zoe.portal.post("/portal/auth/change-password", {
            "current_password": PASSWORD, "new_password": "quiet orange lantern meadow 42"})
        assert answer.status == 200, answer.json

        # Then the notice of it is German
        [message] = [m for m in emails_to("zoe@globex.example") if "Passwort" in m["Subject"]]
        assert message["Subject"] == "Ihr Passwort für das Kundenportal von Acme Cloud wurde geändert"
