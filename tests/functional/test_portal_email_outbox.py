"""The email outbox: recorded first, sent after, retried through the due index when SES fails."""
from datetime import timedelta

import pytest

from chalicelib.bootstrap import adapters, services
from chalicelib.gateways.email import Attachment
from chalicelib.services.accounts import outbox as mail
from chalicelib.tables.emails import EmailItem
from tests.support.api import NOW
from tests.support.portal import emails_to, sent_emails, verify_sender

INVITE = {"org_name": "Acme Cloud", "contact_name": "Zoë", "link": "https://portal.example/#/x",
          "expires_hours": 72}


def send_invite(now=NOW, **extra):
    return mail.send(adapters(), "org_1", "portal_invite", INVITE, ["zoe@globex.example"], now=now, **extra)


def stored(record):
    return EmailItem.get(record.org_id, record.email_id)


def test_an_email_is_recorded_and_sent(aws):
    verify_sender()

    record = send_invite(customer_id="cus_1", reply_to="billing@acme.example")

    item = stored(record)
    assert (item.status, item.attempts, item.customer_id) == ("sent", 1, "cus_1")
    assert item.message_id == record.message_id and item.sent_at == NOW
    assert item.due_partition is None and item.due_at is None
    [message] = emails_to("zoe@globex.example")
    assert message["Reply-To"] == "billing@acme.example"
    assert message["Subject"] == "Acme Cloud invited you to its customer portal"


def test_when_ses_fails_the_email_stays_queued_and_a_later_retry_sends_it(aws):
    # Given SES refusing the sender
    record = send_invite()
    item = stored(record)
    assert (item.status, item.attempts, item.due_at) == ("queued", 1, NOW + timedelta(minutes=1))
    assert record.status == "queued"

    # When the retry job runs before the email is due, then after SES is fixed and it is due
    assert services().accounts.send_queued_email(NOW + timedelta(seconds=59)) == 0
    verify_sender()
    assert services().accounts.send_queued_email(NOW + timedelta(minutes=1)) == 1

    # Then it went out once, and is no longer due
    assert len(sent_emails()) == 1
    assert stored(record).status == "sent" and stored(record).attempts == 2
    assert services().accounts.send_queued_email(NOW + timedelta(days=1)) == 0


def test_an_email_is_given_up_after_six_failed_attempts(aws):
    # Given an email SES keeps refusing
    record = send_invite()
    at = NOW

    # When the retry job runs whenever it falls due
    for _ in range(5):
        at = stored(record).due_at
        services().accounts.send_queued_email(at)

    # Then after the sixth attempt it is marked failed and leaves the due index
    item = stored(record)
    assert (item.status, item.attempts, item.due_at) == ("failed", 6, None)
    assert "MessageRejected" in item.last_error
    assert adapters().uow.emails.due(at + timedelta(days=30), limit=10) == []


def test_a_due_email_is_claimed_by_one_retry_run_only(aws):
    # Given a queued email that two overlapping runs of the job both found due
    send_invite()
    later = NOW + timedelta(minutes=1)
    [seen_by_first] = adapters().uow.emails.due(later, limit=10)
    [seen_by_second] = adapters().uow.emails.due(later, limit=10)

    # Then only the first claims it
    assert adapters().uow.emails.claim(seen_by_first, until=later + mail.SEND_LEASE) is True
    assert adapters().uow.emails.claim(seen_by_second, until=later + mail.SEND_LEASE) is False


def test_an_attachment_is_rendered_from_its_ids_when_sent(aws):
    verify_sender()
    mail.register_attachment("test_document", lambda adapters, org_id, spec: Attachment(
        f"{spec['document_id']}.pdf", "application/pdf", f"%PDF {org_id}".encode()))

    record = mail.send(adapters(), "org_1", "forward_document", {
        "subject": "Invoice INV-1", "body": "Here it is.", "org_name": "Acme Cloud",
        "document_number": "INV-1", "sender_name": "Zoë"}, ["hank@globex.example"], now=NOW,
        attachment={"kind": "test_document", "document_id": "inv_1"})

    [message] = sent_emails()
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == "inv_1.pdf" and attachment.get_content() == b"%PDF org_1"
    assert stored(record).attachment.as_dict() == {"kind": "test_document", "document_id": "inv_1"}


def test_a_template_value_missing_fails_the_caller_and_records_nothing(aws):
    with pytest.raises(KeyError, match="link"):
        mail.send(adapters(), "org_1", "portal_invite",
                  {"org_name": "Acme", "contact_name": "Zoë", "expires_hours": 72}, ["zoe@globex.example"], now=NOW)

    assert list(EmailItem.query("org_1")) == []
