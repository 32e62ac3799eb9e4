"""Documents print names as they are written, in any of the scripts customers and merchants use
(Latin with its accents, Greek, Cyrillic, Chinese, Japanese, Korean): read back from the invoice,
the receipt and the statement the portal serves."""
from tests.support.api import Api, client
from tests.support.documents import PDF_HEADERS, a_payment, a_scene, an_invoice, pdf_text

MERCHANT = "Ωмега ООО 株式会社"
CUSTOMER = "Łódź Ηλεκτρική 서울상사"
STREET = "ул. Пушкина 10, 東京都港区"
CITY = "Łódź"
LINE = "Консультация, 相談, 상담"


def a_merchant_and_customer_named_in_many_scripts(scene) -> None:
    renamed = scene.admin.patch("/admin/organization", {"name": MERCHANT})
    assert renamed.status == 200, renamed.json
    named = scene.admin.patch(f"/admin/customers/{scene.customer_id}", {
        "company_name": CUSTOMER,
        "billing_address": {"line1": STREET, "city": CITY, "postal_code": "90-001", "country": "PL"}})
    assert named.status == 200, named.json


def test_the_invoice_receipt_and_statement_print_names_in_every_script(aws):
    with client() as c:
        # Given a merchant and a customer whose names and address are in five scripts, an
        # invoice with a line in three, and a payment of it
        scene = a_scene(Api(c))
        a_merchant_and_customer_named_in_many_scripts(scene)
        invoice = an_invoice(scene.admin, scene.customer_id, (LINE, 10_000, 1))
        payment = a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 10_000)
        today = scene.clock.now.date().isoformat()

        # When the customer downloads the invoice, the receipt and the statement
        documents = {
            "invoice": f"/portal/invoices/{invoice['invoice_id']}/pdf",
            "receipt": f"/portal/payments/{payment['payment_id']}/receipt",
            "statement": f"/portal/statements/pdf?from={today}&to={today}",
        }
        texts = {}
        for kind, path in documents.items():
            answer = scene.zoe.portal.get(path, headers=PDF_HEADERS)
            assert answer.status == 200, (kind, answer.body[:200])
            texts[kind] = pdf_text(answer.body)

        # Then every name reads back exactly as written, with no "?" in its place
        for kind, text in texts.items():
            for name in (MERCHANT, CUSTOMER, CITY):
                assert name in text, (kind, name, text[:500])
            assert "?" not in text, (kind, text)
        assert LINE in texts["invoice"] and STREET in texts["invoice"]
