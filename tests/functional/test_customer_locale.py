"""Each contact reads money and days their own way: the portal keeps the way their browser writes
them (PUT /portal/me/locale), and the receipts emailed to them and the PDFs they download write
amounts and days the same way; a contact never seen reads the organization's way. A PDF keeps the
recipient it was issued to when the customer later moves."""
from datetime import timedelta

from chalicelib.bootstrap import adapters
from tests.support.api import NOW, Api, client
from tests.support.documents import PDF_HEADERS, a_scene, an_invoice as an_admin_invoice, pdf_text
from tests.support.payments import a_payer, a_saved_card, an_invoice, pay
from tests.support.portal import Clock, assert_refused

NBSP = "\u00a0"


def the_receipt_email(payer) -> dict:
    queued = adapters().uow.emails.due(NOW + timedelta(days=1), limit=25)
    [receipt] = [e for e in queued if e.template == "payment_receipt" and e.customer_id == payer.customer_id]
    return receipt.context


def paid(payer, amount_minor: int) -> None:
    invoice = an_invoice(payer, amount_minor)
    card = a_saved_card(payer)
    answer = pay(payer.portal, {"invoice_ids": [invoice["invoice_id"]], "payment_method": card["payment_method_id"]})
    assert answer.json["status"] == "succeeded", answer.json


def test_a_contact_keeps_the_way_their_browser_writes_and_a_language_not_spoken_is_refused(aws):
    Clock()
    with client() as c:
        payer = a_payer(Api(c))

        # When her Austrian German browser tells the portal, and then an unknown language is sent
        kept = payer.portal.put("/portal/me/locale", {"locale": "de-AT"})
        refused = payer.portal.put("/portal/me/locale", {"locale": "xx-YY"})

        # Then German as written in Germany is kept, the unknown one is refused and changes nothing
        assert (kept.status, kept.json) == (200, {"locale": "de-DE"})
        assert refused.status == 400 and "locale" in refused.json["error"]["details"]["fields"]
        assert payer.portal.get("/portal/me").json["contact"]["locale"] == "de-DE"
        assert_refused(Api(c).put("/portal/me/locale", {"locale": "de-DE"}))


def test_a_german_contacts_receipt_email_writes_money_and_the_day_in_german(aws):
    Clock()
    with client() as c:
        # Given a contact whose browser is German
        payer = a_payer(Api(c))
        assert payer.portal.put("/portal/me/locale", {"locale": "de-DE"}).status == 200

        # When she pays an invoice of 35.20
        paid(payer, 3520)

        # Then her receipt says so the German way
        context = the_receipt_email(payer)
        assert context["amount"] == f"35,20{NBSP}$"
        assert context["date"] == "25. November 2026"


def test_a_contact_never_seen_reads_the_organizations_way(aws):
    Clock()
    with client() as c:
        # Given an organization writing British English, and a contact whose browser it never saw
        payer = a_payer(Api(c))
        assert payer.admin.patch("/admin/organization", {"locale": "en-GB"}).json["locale"] == "en-GB"

        # When she pays an invoice of 35.20
        paid(payer, 3520)

        # Then her receipt is written the organization's way, never "USD 35.20" nor "2026-11-25"
        context = the_receipt_email(payer)
        assert (context["amount"], context["date"]) == ("US$35.20", "25 November 2026")


def test_a_pdf_is_written_as_the_readers_page_and_keeps_the_address_it_was_issued_to(aws):
    with client() as c:
        # Given an invoice issued to Globex at its old address, and a German reader
        scene = a_scene(Api(c))
        assert scene.admin.patch(f"/admin/customers/{scene.customer_id}", {
            "company_name": "Globex Corporation",
            "billing_address": {"line1": "1 Globex Way", "city": "Cypress Creek", "country": "US"}}).status == 200
        old = an_admin_invoice(scene.admin, scene.customer_id, ("Pro plan", 12_345, 1))
        assert scene.zoe.portal.put("/portal/me/locale", {"locale": "de-DE"}).status == 200

        # When the customer moves and renames, minutes later, and is invoiced again
        scene.clock.advance(minutes=5)
        assert scene.admin.patch(f"/admin/customers/{scene.customer_id}", {
            "display_name": "Globex Europe", "company_name": "Globex GmbH",
            "billing_address": {"line1": "Hauptstraße 1", "city": "Berlin", "country": "DE"}}).status == 200
        new = an_admin_invoice(scene.admin, scene.customer_id, ("Pro plan", 12_345, 1))

        # Then the old invoice's PDF still names the old address and company, the new one the new,
        # both with German money and days
        old_text = pdf_text(scene.zoe.portal.get(f"/portal/invoices/{old['invoice_id']}/pdf", headers=PDF_HEADERS).body)
        new_text = pdf_text(scene.zoe.portal.get(f"/portal/invoices/{new['invoice_id']}/pdf", headers=PDF_HEADERS).body)
        assert "1 Globex Way" in old_text and "Globex Corporation" in old_text and "Hauptstraße" not in old_text
        assert "Hauptstraße 1" in new_text and "Globex GmbH" in new_text and "Globex Way" not in new_text
        assert "123,45" in old_text and "25. November 2026" in old_text and "123,45" in new_text
