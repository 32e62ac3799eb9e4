"""A client made from /openapi.json alone (tests/support/openapi_client.py: what a code generator
makes of the document) pays an invoice through the API as API Gateway serves it, under its stage:
the document must name the base path, the required Idempotency-Key, the statuses and bodies the
routes really answer, and the PDF as binary."""
import pytest

from tests.support.api import Api, client
from tests.support.documents import a_scene, an_invoice
from tests.support.openapi_client import GeneratedClient, NotAsDocumented, behind_a_stage
from tests.support.portal import PASSWORD

STAGE_URL = "https://abc123def4.execute-api.eu-west-1.amazonaws.com/api"


def test_a_client_made_from_the_document_alone_signs_in_and_pays_an_invoice(aws):
    with client() as c:
        # Given a customer with an open invoice, and a client made from the document at the stage's URL
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1))
        portal = GeneratedClient(f"{STAGE_URL}/openapi.json", behind_a_stage(c, STAGE_URL))
        credentials = {"organization": scene.acme.org.org_id, "email": scene.zoe.email}

        # When she signs in with it (a wrong password first: an answer the document declares)
        assert portal.login(body={**credentials, "password": "not my password at all"}).status == 401
        portal.token = portal.login(body={**credentials, "password": PASSWORD}).json["token"]
        outstanding = portal.list_invoices(query={"status": "outstanding"}).json["items"]
        assert [item["invoice_id"] for item in outstanding] == [invoice["invoice_id"]]

        # Then a payment without the Idempotency-Key the document requires is never sent
        paying = {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"}
        with pytest.raises(NotAsDocumented, match="Idempotency-Key"):
            portal.pay(body=paying)

        # And with one, the invoice is paid, and the receipt downloads as a PDF
        paid = portal.pay(headers={"Idempotency-Key": "generated-client-attempt-1"}, body=paying)
        assert paid.status == 201 and paid.json["status"] == "succeeded", paid.json
        assert portal.invoice(path={"invoice_id": invoice["invoice_id"]}).json["balance_minor"] == 0
        receipt = portal.payment_receipt(path={"payment_id": paid.json["payment_id"]})
        assert receipt.headers["Content-Type"] == "application/pdf" and receipt.content.startswith(b"%PDF-")


def test_the_generated_client_refuses_an_answer_the_document_does_not_describe(aws):
    with client() as c:
        # Given a client made from the document, whose description of login is then cut short
        portal = GeneratedClient(f"{STAGE_URL}/openapi.json", behind_a_stage(c, STAGE_URL))
        del portal.operations["login"][2]["responses"]["401"]

        # When login answers 401
        with pytest.raises(NotAsDocumented, match="answered 401"):
            portal.login(body={"organization": "org_nobody", "email": "a@b.example", "password": "x" * 12})
