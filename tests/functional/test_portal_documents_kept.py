"""PDFs are rendered once for what they show and kept (services/documents/pdfs.py): a second download
of the same page answers the kept bytes without rendering; anything the page shows changing (a
payment, the billing details, the range's transactions) renders it again; a kept copy is never
another customer's."""
from __future__ import annotations

import pytest

from chalicelib.bootstrap import adapters
from chalicelib.tables.rendered_documents import LARGEST_KEPT_BYTES, KeptCopy, RenderedDocuments
from tests.support.api import Api, client
from tests.support.documents import (PDF_HEADERS, a_payment, a_scene, an_estimate, an_invoice, pdf_text,
                                     sign_in_contact, signed_in)
from tests.support.portal import new_customer


@pytest.fixture
def renders(monkeypatch) -> list:
    """The documents rendered while the test runs (the real renderer, counted)."""
    rendered, render = [], adapters().renderer

    def counted(doc) -> bytes:
        rendered.append(doc)
        return render(doc)

    monkeypatch.setattr(adapters(), "renderer", counted)
    return rendered


def test_a_second_download_of_an_unchanged_invoice_answers_the_kept_pdf_without_rendering(aws, renders):
    with client() as c:
        # Given an invoice the customer has downloaded once
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1))
        path = f"/portal/invoices/{invoice['invoice_id']}/pdf"
        first = scene.zoe.portal.get(path, headers=PDF_HEADERS)

        # When she downloads it again
        second = scene.zoe.portal.get(path, headers=PDF_HEADERS)

        # Then it was rendered once, and both answers are the same PDF under the same name
        assert first.status == second.status == 200
        assert len(renders) == 1
        assert second.body == first.body
        assert second.headers["Content-Disposition"] == first.headers["Content-Disposition"]


def test_an_invoice_paid_since_its_pdf_was_kept_is_rendered_again_showing_the_payment(aws, renders):
    with client() as c:
        # Given an invoice downloaded while it was open
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1))
        path = f"/portal/invoices/{invoice['invoice_id']}/pdf"
        assert "Balance due" in pdf_text(scene.zoe.portal.get(path, headers=PDF_HEADERS).body)

        # When it is paid in full and downloaded again, twice
        a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 10_000)
        paid = scene.zoe.portal.get(path, headers=PDF_HEADERS)
        again = scene.zoe.portal.get(path, headers=PDF_HEADERS)

        # Then the download after the payment was rendered anew and shows it; the one after that was kept
        assert len(renders) == 2
        text = pdf_text(paid.body)
        assert "Paid" in text and "-$100.00" in text
        assert again.body == paid.body


def test_an_invoice_kept_while_open_says_overdue_the_day_after_its_due_day_as_the_portal_does(aws, renders):
    with client() as c:
        # Given an invoice due today, downloaded by Zoë today while it is open
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1), due_days=0)
        path = f"/portal/invoices/{invoice['invoice_id']}/pdf"
        assert "Open" in pdf_text(scene.zoe.portal.get(path, headers=PDF_HEADERS).body)

        # When Hank, of the same customer, signs in the next day and downloads it
        scene.clock.advance(days=1)
        hank = sign_in_contact(scene, "hank@globex.example")
        answer = hank.get(path, headers=PDF_HEADERS)
        listed = hank.get(f"/portal/invoices/{invoice['invoice_id']}").json

        # Then it is rendered anew and says Overdue, as the portal does
        assert answer.status == 200 and listed["overdue"] is True
        assert len(renders) == 2
        assert "Overdue" in pdf_text(answer.body) and "Open" not in pdf_text(answer.body)


def test_changed_billing_details_render_an_open_estimate_again(aws, renders):
    with client() as c:
        # Given an estimate downloaded once
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id)
        path = f"/portal/estimates/{estimate['estimate_id']}/pdf"
        assert scene.zoe.portal.get(path, headers=PDF_HEADERS).status == 200

        # When the merchant changes the customer's company name and she downloads it again
        assert scene.admin.patch(f"/admin/customers/{scene.customer_id}",
                                 {"company_name": "Globex Holdings"}).status == 200
        answer = scene.zoe.portal.get(path, headers=PDF_HEADERS)

        # Then it was rendered again, with the new name
        assert len(renders) == 2
        assert "Globex Holdings" in pdf_text(answer.body)


def test_a_receipt_and_a_statement_are_kept_too(aws, renders):
    with client() as c:
        # Given a payment, its receipt and this month's statement downloaded once each
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 10_000, 1))
        payment = a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 4_000)
        receipt, statement = f"/portal/payments/{payment['payment_id']}/receipt", "/portal/statements/pdf"
        first = [scene.zoe.portal.get(path, headers=PDF_HEADERS).body for path in (receipt, statement)]

        # When both are downloaded again
        second = [scene.zoe.portal.get(path, headers=PDF_HEADERS).body for path in (receipt, statement)]

        # Then neither was rendered again
        assert len(renders) == 2 and second == first

        # And a new payment in the statement's range renders the statement again, showing it
        a_payment(scene.admin, scene.customer_id, invoice["invoice_id"], 1_000)
        changed = scene.zoe.portal.get(statement, headers=PDF_HEADERS)
        assert len(renders) == 3
        assert "$50.00" in pdf_text(changed.body)     # the balance after 40.00 and 10.00 of 100.00


def test_another_customers_id_is_404_even_when_its_pdf_is_kept(aws):
    with client() as c:
        # Given Zoë's invoice, downloaded (so its PDF is kept), and another customer of the same merchant
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        path = f"/portal/invoices/{invoice['invoice_id']}/pdf"
        assert scene.zoe.portal.get(path, headers=PDF_HEADERS).status == 200
        other = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        bill = signed_in(scene.api, scene.acme.org.org_id, other, "bill@initech.example")

        # When the other customer asks for Zoë's invoice by its id
        answer = bill.portal.get(path, headers=PDF_HEADERS)

        # Then it is not found, as a missing one is
        assert answer.status == 404


def test_a_pdf_too_large_for_an_item_is_not_kept():
    # Given a rendering larger than a DynamoDB item may hold
    too_large = KeptCopy("fingerprint", b"%PDF-" + b"x" * LARGEST_KEPT_BYTES)
    # When it is to be kept, Then it is refused before any write (the route answers it all the same)
    assert RenderedDocuments().keep("org_1", "cus_1", "statement##", too_large, now=None) is False

