"""A document names its issuer as the merchant named itself when the document was issued
(`Organization.as_issuer_at`): an invoice keeps the seller's details it was issued with, whatever the
merchant changes later; a statement, made on the day, names it as it is now."""
from tests.support.api import Api, client
from tests.support.documents import PDF_HEADERS, a_scene, an_invoice, pdf_text


def test_an_invoice_keeps_the_merchants_name_and_address_it_was_issued_with(aws):
    with client() as c:
        # Given an invoice issued while the merchant was in Seattle
        scene = a_scene(Api(c))
        assert scene.admin.patch("/admin/organization", {"postal_address": {
            "line1": "400 Harbor Way", "city": "Seattle", "state": "WA", "postal_code": "98101",
            "country": "US"}}).status == 200
        old = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 12_345, 1))

        # When the merchant moves to Berlin and takes a new name, minutes later, and invoices again
        scene.clock.advance(minutes=5)
        assert scene.admin.patch("/admin/organization", {"name": "Acme Europe GmbH", "postal_address": {
            "line1": "Friedrichstraße 12", "city": "Berlin", "postal_code": "10117", "country": "DE"}}).status == 200
        new = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 12_345, 1))

        # Then the old invoice still names Seattle and the old name; the new one Berlin and the new name
        def text_of(path: str) -> str:
            answer = scene.zoe.portal.get(path, headers=PDF_HEADERS)
            assert answer.status == 200
            return pdf_text(answer.body)
        old_text, new_text = (text_of(f"/portal/invoices/{invoice['invoice_id']}/pdf") for invoice in (old, new))
        assert "Seattle, WA 98101" in old_text and "Acme Europe GmbH" not in old_text and "Berlin" not in old_text
        assert "10117 Berlin" in new_text and "Acme Europe GmbH" in new_text and "Seattle" not in new_text

        # And a statement, made today, names the merchant as it is now
        statement = text_of("/portal/statements/pdf")
        assert "10117 Berlin" in statement and "Seattle" not in statement
