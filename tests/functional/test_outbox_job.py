"""The scheduled outbox job sends what requests queue (e.g. password-reset email): no request
waits for SES."""
from tests.support.api import Api, client
from tests.support.portal import Clock, accepted_by_ses, emails_to, portal_organization, signed_in_customer


def test_the_scheduled_job_sends_the_queued_reset_email(aws):
    Clock()
    with client() as c:
        # Given a customer who asked for a password reset (the email is queued, not yet sent)
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)
        api.as_(None).post("/portal/auth/forgot-password", {"organization": acme.org.org_id, "email": zoe.email})
        assert not [m for m in accepted_by_ses() if m["Subject"].startswith("Reset your")]

        # When EventBridge invokes the outbox job, twice
        event = c.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                           resources=[])
        first = c.lambda_.invoke("send_queued_email", event)
        second = c.lambda_.invoke("send_queued_email", event)

        # Then the reset email went out exactly once
        assert first.payload == {"sent": 1} and second.payload == {"sent": 0}
        assert len([m for m in emails_to(zoe.email) if m["Subject"].startswith("Reset your")]) == 1
