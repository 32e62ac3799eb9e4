"""SES mailer against moto, and the email templates it carries."""

from __future__ import annotations

import email
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default as default_policy
from unittest import mock

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.gateways.email import (
    Attachment,
    EmailDeliveryFailed,
    OutgoingEmail,
    SesMailer,
)
from chalicelib.gateways.email_templates import TEMPLATE_NAMES, render_email, required_keys

REGION = "us-east-1"
SENDER = "billing@acme.example"
FAKE_AWS_ENV = {
    "AWS_DEFAULT_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
PDF_BYTES = b"%PDF-1.7\n\x00\x01\xff binary invoice body \r\n%%EOF"


@contextmanager
def fake_aws() -> Iterator[None]:
    with mock.patch.dict(os.environ, FAKE_AWS_ENV), mock_aws():
        yield


def ses_client():
    return boto3.client("ses", region_name=REGION)


def verified_mailer(sender: str = SENDER) -> SesMailer:
    ses_client().verify_email_identity(EmailAddress=sender)
    return SesMailer(sender=sender, client_factory=ses_client)


def an_email(**overrides) -> OutgoingEmail:
    fields = dict(
        to=("zoe@customer.example",),
        subject="Invoice INV-000042 from Acme",
        html="<p>Your invoice is attached.</p>",
        text="Your invoice is attached.",
        attachments=(Attachment("INV-000042.pdf", "application/pdf", PDF_BYTES),),
    )
    return OutgoingEmail(**{**fields, **overrides})


def sent_messages() -> list[EmailMessage]:
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    return [
        email.message_from_string(sent.raw_data, policy=default_policy)
        for sent in backend.sent_messages
    ]


def page_heading(html: str) -> str:
    """Text of the first table cell that holds text: the heading above the content."""
    return re.search(r"<td[^>]*>([^<]+)</td>", html).group(1)


def forward_context(**overrides) -> dict[str, object]:
    context = dict(
        subject="Invoice INV-000042",
        body="Hello team,\n<script>alert('x')</script>\nThanks, Zoë",
        org_name="Acme & Co",
        document_number="INV-000042",
        sender_name="Zoë Łukasz",
    )
    return {**context, **overrides}


def sample_context() -> dict[str, object]:
    return dict(
        link="https://portal.acme.example/t/abc?x=1&y=2",
        org_name="Acme & Co",
        contact_name="Zoë",
        expires_hours=72,
        expires_minutes=30,
        amount="USD 120.00",
        invoice_numbers=("INV-000041", "INV-000042"),
        receipt_number="PAY-000012",
        invoice_number="INV-000042",
        date="2026-11-25",
        reason="Your card was declined.",
        next_step="We will try again on November 26, 2026.",
        subject="A question",
        body="Hello",
        document_number="INV-000042",
        sender_name="Zoë",
        customer_name="Zoë Łukasz",
        customer_id="cus_01J",
        contact_email="zoe@customer.example",
        message="Could you resend my invoice?",
        headline="New review",
        details=("Rating: 5", "Comment: great"),
        due_date="December 6, 2026",
        term_end="December 2, 2026",
        estimate_number="EST-000003",
        validity="The estimate is valid until January 5, 2027.",
        inviter_name="Zoë Keller",
        role_words="see invoices, payments and subscriptions",
    )


# --- mailer ---------------------------------------------------------------------------------


def test_sends_subject_both_parts_and_the_pdf_attachment_through_ses():
    with fake_aws():
        # Given a verified sender
        mailer = verified_mailer()

        # When an email with a PDF attachment is sent
        message_id = mailer.send(an_email(reply_to="owner@acme.example"))

        # Then SES holds one message with the subject, both parts and the exact PDF bytes
        [sent] = sent_messages()
        assert message_id == ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages[0].id
        assert sent["Subject"] == "Invoice INV-000042 from Acme"
        assert sent["From"] == SENDER
        assert sent["To"] == "zoe@customer.example"
        assert sent["Reply-To"] == "owner@acme.example"
        assert sent.get_body(("plain",)).get_content().strip() == "Your invoice is attached."
        assert sent.get_body(("html",)).get_content().strip() == "<p>Your invoice is attached.</p>"
        [attachment] = sent.iter_attachments()
        assert attachment.get_filename() == "INV-000042.pdf"
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content() == PDF_BYTES


def test_a_rendered_template_travels_escaped_in_html_and_verbatim_in_text():
    with fake_aws():
        # Given a forwarded invoice whose body carries a script
        subject, html, text = render_email("forward_document", forward_context())

        # When it is sent
        verified_mailer().send(an_email(subject=subject, html=html, text=text))

        # Then the HTML part shows the script as text and the plain part keeps it as written
        [sent] = sent_messages()
        sent_html = sent.get_body(("html",)).get_content()
        sent_text = sent.get_body(("plain",)).get_content()
        assert sent["Subject"] == "Invoice INV-000042"
        assert "<script>" not in sent_html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in sent_html
        assert "Acme &amp; Co" in sent_html
        assert "<script>alert('x')</script>" in sent_text
        assert "Zoë Łukasz" in sent_text


def test_a_subject_with_line_breaks_is_sent_on_one_line():
    with fake_aws():
        # Given a subject typed with a line break (a header injection attempt)
        subject = "Invoice\r\nBcc: victim@example.com"

        # When it is sent
        verified_mailer().send(an_email(subject=subject))

        # Then the header stays one line and adds no recipient
        [sent] = sent_messages()
        assert sent["Subject"] == "Invoice Bcc: victim@example.com"
        assert sent["Bcc"] is None


def test_sends_to_every_recipient_and_non_ascii_names_survive():
    with fake_aws():
        # When an email goes to two contacts with a non-ASCII subject
        verified_mailer().send(an_email(to=("a@customer.example", "b@customer.example"), subject="Reçu € Łódź"))

        # Then both are addressed and the subject decodes back intact
        [sent] = sent_messages()
        assert sent["To"] == "a@customer.example, b@customer.example"
        assert sent["Subject"] == "Reçu € Łódź"


def test_sending_from_an_unverified_identity_raises_delivery_failed():
    with fake_aws():
        # Given a sender SES has never verified
        mailer = SesMailer(sender="nobody@unverified.example", client_factory=ses_client)

        # When / Then
        with pytest.raises(EmailDeliveryFailed, match="MessageRejected"):
            mailer.send(an_email())
        assert sent_messages() == []


def test_an_unreachable_ses_raises_delivery_failed():
    # Given an SES endpoint nobody listens on
    def unreachable_client():
        return boto3.client(
            "ses",
            region_name=REGION,
            endpoint_url="http://127.0.0.1:9",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1}, connect_timeout=1),
        )

    mailer = SesMailer(sender=SENDER, client_factory=unreachable_client)

    # When / Then
    with pytest.raises(EmailDeliveryFailed, match="unreachable"):
        mailer.send(an_email())


def test_an_email_without_recipients_is_refused_before_calling_ses():
    def no_client():
        raise AssertionError("SES must not be called")

    with pytest.raises(ValueError, match="recipient"):
        SesMailer(sender=SENDER, client_factory=no_client).send(an_email(to=()))


# --- templates ------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_every_template_renders_a_subject_an_html_page_and_a_text(template):
    # When
    subject, html, text = render_email(template, sample_context())

    # Then
    assert subject and "\n" not in subject and "{" not in subject
    assert html.startswith("<!DOCTYPE html>") and "{" not in html and "}" not in html
    assert text.strip() and "{" not in text
    assert page_heading(html) == "Acme &amp; Co"
    assert text.startswith("Acme & Co\n")


def test_a_message_to_the_organization_without_its_name_is_headed_customer_portal():
    context = {key: sample_context()[key] for key in required_keys("message_to_organization")}

    _, html, text = render_email("message_to_organization", context)

    assert page_heading(html) == "Customer portal"
    assert text.startswith("Customer portal\n")
    assert "Could you resend my invoice?" in html


def test_every_context_value_is_escaped_in_html():
    # Given values that are all markup
    hostile = {key: "<b>x</b>" for key in sample_context()}
    hostile |= {"link": "https://portal.acme.example/?a=<b>&c=\"d\"", "details": ("<i>one</i>",)}

    for template in TEMPLATE_NAMES:
        # When
        _, html, _ = render_email(template, hostile)

        # Then no value reaches the HTML as markup
        assert "<b>" not in html and "<i>" not in html, template
        assert '"d"' not in html, template


def test_forwarded_body_keeps_its_line_breaks():
    _, html, text = render_email("forward_document", forward_context(body="Line one\nLine two\n\nBye"))

    assert "Line one<br>\nLine two<br>\n<br>\nBye" in html
    assert "Line one\nLine two\n\nBye" in text


def test_lists_are_joined_and_details_become_bullets():
    _, receipt_html, receipt_text = render_email("payment_receipt", sample_context())
    _, notice_html, notice_text = render_email("merchant_notification", sample_context())

    assert "INV-000041, INV-000042" in receipt_html and "INV-000041, INV-000042" in receipt_text
    assert '<li style="margin:0 0 4px">Rating: 5</li>' in notice_html
    assert "- Rating: 5\n- Comment: great" in notice_text


def test_links_are_placed_in_the_button_and_the_text():
    _, html, text = render_email("password_reset", sample_context())

    assert 'href="https://portal.acme.example/t/abc?x=1&amp;y=2"' in html
    assert "https://portal.acme.example/t/abc?x=1&y=2" in text
    assert "30 minutes" in text


def test_a_link_that_is_not_http_is_refused():
    with pytest.raises(ValueError, match="http"):
        render_email("review_request", sample_context() | {"link": "javascript:alert(1)"})


def test_an_unknown_template_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match="unknown email template 'welcome'"):
        render_email("welcome", sample_context())


def test_a_missing_context_key_is_a_key_error_naming_every_missing_key():
    with pytest.raises(KeyError, match="portal_invite.*missing context keys: expires_hours, link"):
        render_email("portal_invite", {"org_name": "Acme", "contact_name": "Zoë"})
