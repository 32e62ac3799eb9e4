"""The outbox sends emails in the order they were queued, also when a request queues several at
the same instant (an invoice's email and its payment's receipt)."""
from datetime import timedelta

from chalicelib.bootstrap import adapters, services
from chalicelib.services.accounts import outbox as mail
from tests.support.api import NOW
from tests.support.portal import accepted_by_ses, verify_sender


def queued_at_one_instant(count: int) -> list[str]:
    """`count` emails queued at NOW, answered by subject in the order queued."""
    subjects = []
    for n in range(count):
        mail.queue(adapters(), "org_1", "portal_invite", {"org_name": f"Acme {n:02d}", "contact_name": "Zoë",
                                                           "link": "https://portal.example/#/x", "expires_hours": 72},
                   ["zoe@globex.example"], now=NOW)
        subjects.append(f"Acme {n:02d} invited you to its customer portal")
    return subjects


def test_emails_queued_at_the_same_instant_are_due_in_the_order_queued(aws):
    # Given thirty emails queued at one instant
    queued_at_one_instant(30)

    # When the outbox reads what is due, a page at a time
    first_page = adapters().uow.emails.due(NOW, limit=10)

    # Then it finds the first ten queued, in order
    assert [record.context["org_name"] for record in first_page] == [f"Acme {n:02d}" for n in range(10)]


def test_the_outbox_job_sends_emails_queued_together_in_the_order_queued(aws):
    # Given SES ready and twelve emails queued at one instant
    verify_sender()
    subjects = queued_at_one_instant(12)

    # When the outbox job runs
    assert services().accounts.send_queued_email(NOW + timedelta(seconds=1)) == 12

    # Then SES received them in the order they were queued
    assert [message["Subject"] for message in accepted_by_ses()] == subjects


def test_an_email_due_earlier_goes_before_one_queued_earlier_but_due_later(aws):
    # Given an email to send in an hour, then one to send at once
    later = mail.queue(adapters(), "org_1", "portal_invite", {"org_name": "Later", "contact_name": "Zoë",
                                                              "link": "https://x.example", "expires_hours": 72},
                       ["zoe@globex.example"], now=NOW, send_after=NOW + timedelta(hours=1))
    at_once = mail.queue(adapters(), "org_1", "portal_invite", {"org_name": "At once", "contact_name": "Zoë",
                                                                "link": "https://x.example", "expires_hours": 72},
                         ["zoe@globex.example"], now=NOW)

    # Then only the one due is due now, and an hour later both, the earlier due first
    assert [r.email_id for r in adapters().uow.emails.due(NOW, limit=10)] == [at_once.email_id]
    assert [r.email_id for r in adapters().uow.emails.due(NOW + timedelta(hours=1), limit=10)] == [
        at_once.email_id, later.email_id]
