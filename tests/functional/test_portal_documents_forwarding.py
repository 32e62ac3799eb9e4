"""POST /portal/invoices/{id}/forward and /portal/estimates/{id}/forward: the primary contact
emails a document, its PDF attached, to contact persons of the same customer."""
from datetime import timedelta

import pytest

from chalicelib import bootstrap
from chalicelib.bootstrap import adapters, services
from chalicelib.config import settings
from chalicelib.services.access import rate_limiting
from tests.support.api import Api, client
from tests.support.documents import (a_scene, an_estimate, an_invoice, attachments_of, pdf_text,
                                     same_org_stranger, other_org_stranger, sign_in_contact, turn)
from tests.support.portal import PASSWORD, assert_refused, emails_to, link_token, sent_emails, text_of, verify_sender

HANK = "hank@globex.example"


def forward(portal: Api, kind: str, document_id: str, contact_ids: list[str], **extra):
    return portal.post(f"/portal/{kind}/{document_id}/forward", {"contact_ids": contact_ids, **extra})


def test_the_primary_contact_forwards_an_invoice_with_its_pdf_to_a_colleague(aws):
    with client() as c:
        # Given Zoë, the primary contact, and her colleague Hank
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id, ("Pro plan", 12_345, 1))

        # When she forwards the invoice to Hank with her own subject and words
        answer = forward(scene.zoe.portal, "invoices", invoice["invoice_id"], [scene.contact_id(HANK)],
                         subject="Invoice for the Q4 budget", body="Hank,\nplease pay this one.\n<b>Zoë</b>")

        # Then Hank gets one email from the portal, answerable to Zoë, with the invoice PDF
        assert answer.status == 202, answer.json
        assert answer.json["sent_to"] == [HANK] and answer.json["email_status"] == "queued"
        [message] = emails_to(HANK)
        assert message["Subject"] == "Invoice for the Q4 budget"
        assert message["Reply-To"] == "zoe@globex.example"
        assert "Hank,\nplease pay this one.\n<b>Zoë</b>" in text_of(message).replace("\r\n", "\n")
        html = message.get_body(("html",)).get_content()
        assert "&lt;b&gt;Zoë&lt;/b&gt;" in html and "<b>Zoë</b>" not in html
        assert f"Invoice {invoice['number']} from Acme Cloud is attached" in text_of(message)
        [(filename, content_type, data)] = attachments_of(message)
        assert (filename, content_type) == (f"{invoice['number']}.pdf", "application/pdf")
        text = pdf_text(data)
        assert invoice["number"] in text and "$123.45" in text and "Globex" in text
        # And the forward is on the customer's timeline
        [entry] = [a for a in scene.zoe.portal.get("/portal/activity").json["items"] if a["action"] == "invoice.forwarded"]
        assert entry["actor"] == {"type": "customer", "id": scene.zoe.contact["contact_id"], "name": "Zoë Keller"}


def test_an_estimate_is_forwarded_with_a_default_subject_and_its_pdf(aws):
    with client() as c:
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id, 250_000)

        answer = forward(scene.zoe.portal, "estimates", estimate["estimate_id"],
                         [scene.contact_id(HANK), scene.contact_id("zoe@globex.example")])

        assert answer.status == 202, answer.json
        [message] = emails_to(HANK)
        assert message["To"] == f"{HANK}, zoe@globex.example"
        assert message["Subject"] == f"Estimate {estimate['number']} from Acme Cloud"
        [(filename, _, data)] = attachments_of(message)
        assert filename == f"{estimate['number']}.pdf" and "$2,500.00" in pdf_text(data)


def test_a_contact_who_is_not_the_primary_one_cannot_forward(aws):
    with client() as c:
        # Given Hank, signed in but not the primary contact
        scene = a_scene(Api(c))
        hank = sign_in_contact(scene, HANK)
        invoice = an_invoice(scene.admin, scene.customer_id)
        before = len(sent_emails())

        # When he tries to forward an invoice to Zoë
        answer = forward(hank, "invoices", invoice["invoice_id"], [scene.contact_id("zoe@globex.example")])

        # Then his role (billing) is refused, and nothing is sent: forwarding is the owner's
        assert answer.status == 403
        assert answer.json["error"]["details"] == {"role": "billing", "rule": "portal_role"}
        assert len(sent_emails()) == before


def test_documents_go_only_to_contact_persons_of_the_same_customer(aws):
    with client() as c:
        # Given a contact of another customer of the same organization
        scene = a_scene(Api(c))
        stranger = same_org_stranger(scene)
        their_contact = stranger.admin.get(f"/admin/customers/{stranger.customer_id}").json["contacts"][0]
        invoice = an_invoice(scene.admin, scene.customer_id)
        before = len(sent_emails())

        # When Zoë tries to forward to them (next to Hank)
        answer = forward(scene.zoe.portal, "invoices", invoice["invoice_id"],
                         [scene.contact_id(HANK), their_contact["contact_id"]])

        # Then the request is refused on that entry, and nothing is sent to anyone
        assert answer.status == 400
        assert answer.json["error"]["details"]["fields"] == {"contact_ids.1": "Not a contact person of your account."}
        assert len(sent_emails()) == before


def test_an_address_the_owner_typed_in_receives_no_document_until_its_mailbox_accepts_the_invitation(aws):
    with client() as c:
        # Given Zoë, the owner, who adds a "colleague" at an address nobody has confirmed
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        stranger = "anyone@elsewhere.example"
        added = scene.zoe.portal.post("/portal/people", {"first_name": "Any", "last_name": "One", "email": stranger,
                                                         "role": "viewer", "current_password": PASSWORD})
        stranger_id = added.json["contact_id"]

        # When she forwards an invoice to it, with words of her own
        answer = forward(scene.zoe.portal, "invoices", invoice["invoice_id"], [stranger_id],
                         subject="Your refund is waiting", body="Claim it at https://elsewhere.example/claim")

        # Then it is refused on that entry, the address is not offered for documents, and all it got is its invitation
        assert (answer.status, answer.json["error"]["details"]["field_codes"]) == (
            400, {"contact_ids.0": "address_unconfirmed"})
        offered = [person["contact_id"] for person in scene.zoe.portal.get("/portal/contacts").json["items"]]
        assert stranger_id not in offered and scene.contact_id(HANK) in offered
        [invitation] = emails_to(stranger)
        assert invitation["Subject"].startswith("Zoë Keller invited you")

        # And once the invitation is accepted from that mailbox, documents go there
        accepted = scene.api.as_(None).post("/portal/auth/accept-invite", {
            "organization": scene.acme.org.org_id, "token": link_token(invitation), "password": PASSWORD})
        assert accepted.status == 201, accepted.json
        assert forward(scene.zoe.portal, "invoices", invoice["invoice_id"], [stranger_id]).status == 202


def test_a_malformed_forward_is_refused_with_field_errors(aws):
    with client() as c:
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        hank = scene.contact_id(HANK)

        for body in ({"contact_ids": []}, {}, {"contact_ids": [hank], "subject": "s" * 201},
                     {"contact_ids": [hank], "cc": ["eve@evil.example"]}, {"contact_ids": hank}):
            answer = scene.zoe.portal.post(f"/portal/invoices/{invoice['invoice_id']}/forward", body)

            assert answer.status == 400 and answer.json["error"]["details"]["fields"], body
        assert emails_to(HANK) == []


def test_forwarding_is_refused_when_the_merchant_turned_it_off(aws):
    with client() as c:
        # Given a merchant that disabled forwarding
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        estimate = an_estimate(scene.admin, scene.customer_id)
        turn(scene, "forward_documents", False)

        # When Zoë tries to forward
        invoice_answer = forward(scene.zoe.portal, "invoices", invoice["invoice_id"], [scene.contact_id(HANK)])
        estimate_answer = forward(scene.zoe.portal, "estimates", estimate["estimate_id"], [scene.contact_id(HANK)])

        # Then both are refused as a disabled feature, and Hank gets nothing
        for answer in (invoice_answer, estimate_answer):
            assert answer.status == 403
            assert answer.json["error"] == {"code": "feature_disabled", "message": answer.json["error"]["message"],
                                            "details": {"feature": "forward_documents"}}
        assert emails_to(HANK) == []

        # And once it is turned back on, it works
        turn(scene, "forward_documents", True)
        assert forward(scene.zoe.portal, "invoices", invoice["invoice_id"], [scene.contact_id(HANK)]).status == 202


@pytest.mark.parametrize("stranger_of", [same_org_stranger, other_org_stranger])
def test_another_customers_documents_cannot_be_forwarded(aws, stranger_of):
    with client() as c:
        scene = a_scene(Api(c))
        stranger = stranger_of(scene)
        invoice = an_invoice(stranger.admin, stranger.customer_id)
        estimate = an_estimate(stranger.admin, stranger.customer_id)
        hank = [scene.contact_id(HANK)]

        answers = [forward(scene.zoe.portal, "invoices", invoice["invoice_id"], hank),
                   forward(scene.zoe.portal, "estimates", estimate["estimate_id"], hank),
                   forward(scene.zoe.portal, "invoices", "inv_missing", hank)]

        assert [a.status for a in answers] == [404, 404, 404]
        assert answers[0].json["error"]["details"] == answers[2].json["error"]["details"] == {"kind": "invoice"}
        assert emails_to(HANK) == []


def test_when_ses_is_down_the_forward_is_queued_and_the_outbox_attaches_the_pdf_later(aws):
    with client() as c:
        # Given an invoice (its email sent), and SES refusing to send for a while
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        sent_emails()
        bootstrap.adapters().client("ses").delete_identity(Identity=settings().email_sender)

        # When Zoë forwards the invoice
        answer = forward(scene.zoe.portal, "invoices", invoice["invoice_id"], [scene.contact_id(HANK)])

        # Then the forward is accepted and queued
        assert answer.status == 202 and answer.json["email_status"] == "queued"
        assert emails_to(HANK) == []

        # And once SES is back, the outbox sends it with the invoice rendered then
        verify_sender()
        assert services().accounts.send_queued_email(scene.clock.now + timedelta(minutes=1)) == 1
        [message] = emails_to(HANK)
        [(filename, _, data)] = attachments_of(message)
        assert filename == f"{invoice['number']}.pdf" and invoice["number"] in pdf_text(data)


def test_forwarding_is_throttled_per_customer(aws):
    with client() as c:
        # Given a customer that forwarded 20 documents this hour
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        for _ in range(20):
            rate_limiting.hit(adapters(), "forward_document_customer", f"{scene.acme.org.org_id}#{scene.customer_id}",
                              scene.clock.now)

        # When it forwards one more
        answer = forward(scene.zoe.portal, "invoices", invoice["invoice_id"], [scene.contact_id(HANK)])

        # Then it must wait, and nothing is sent
        assert answer.status == 429
        assert int(answer.headers["Retry-After"]) > 0
        assert emails_to(HANK) == []


def test_forwarding_needs_a_session(aws):
    with client() as c:
        anonymous = Api(c)
        assert_refused(forward(anonymous, "invoices", "inv_1", ["con_1"]))
        assert_refused(forward(anonymous, "estimates", "est_1", ["con_1"]))
