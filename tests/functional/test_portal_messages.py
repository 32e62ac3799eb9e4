"""POST /portal/messages: a customer's contact emails the organization's primary address."""
from chalicelib.bootstrap import adapters
from chalicelib.services.access import rate_limiting
from tests.support.api import Api, client
from tests.support.documents import a_scene, sign_in_contact
from tests.support.portal import assert_refused, emails_to, sent_emails, text_of

ORG_EMAIL = "billing@acme.example"


def test_a_message_reaches_the_organization_naming_the_customer_and_answerable_to_the_contact(aws):
    with client() as c:
        # Given Hank, a contact of Globex
        scene = a_scene(Api(c))
        hank = sign_in_contact(scene, "hank@globex.example")

        # When he writes to the merchant
        answer = hank.post("/portal/messages", {"subject": "Invoice question",
                                                "message": "Why is <b>VAT</b> charged twice?\nThanks"})

        # Then the organization's address gets it, with the customer identified and Hank to reply to
        assert answer.status == 202, answer.json
        assert answer.json["sent_to"] == ORG_EMAIL and answer.json["email_status"] == "queued"
        [message] = emails_to(ORG_EMAIL)
        assert message["Subject"] == "Portal message from Globex: Invoice question"
        assert message["Reply-To"] == "hank@globex.example"
        text = text_of(message).replace("\r\n", "\n")
        assert f"Customer: Globex ({scene.customer_id})" in text
        assert "Contact email: hank@globex.example" in text
        assert "Why is <b>VAT</b> charged twice?\nThanks" in text
        html = message.get_body(("html",)).get_content()
        assert "Why is &lt;b&gt;VAT&lt;/b&gt; charged twice?<br>" in html and "<b>VAT</b>" not in html
        # And it is on the customer's timeline
        actions = [a["action"] for a in hank.get("/portal/activity").json["items"]]
        assert "message.sent" in actions


def test_a_message_without_a_subject_or_text_or_with_extra_fields_is_refused(aws):
    with client() as c:
        scene = a_scene(Api(c))

        for body in ({"subject": "", "message": "Hi"}, {"subject": "Hi"}, {"subject": "Hi", "message": "x" * 5001},
                     {"subject": "Hi", "message": "Hi", "to": "ceo@acme.example"}):
            answer = scene.zoe.portal.post("/portal/messages", body)

            assert answer.status == 400 and answer.json["error"]["details"]["fields"], body
        assert emails_to(ORG_EMAIL) == []


def test_messages_are_throttled_per_customer(aws):
    with client() as c:
        # Given a customer whose contacts sent 10 messages this hour
        scene = a_scene(Api(c))
        for _ in range(10):
            rate_limiting.hit(adapters(), "message_to_org_customer", f"{scene.acme.org.org_id}#{scene.customer_id}",
                              scene.clock.now)

        # When one more is sent
        answer = scene.zoe.portal.post("/portal/messages", {"subject": "Again", "message": "Hello?"})

        # Then it must wait
        assert answer.status == 429 and int(answer.headers["Retry-After"]) > 0
        assert sent_emails() == []


def test_messages_need_a_session(aws):
    with client() as c:
        assert_refused(Api(c).post("/portal/messages", {"subject": "Hi", "message": "Hi"}))
