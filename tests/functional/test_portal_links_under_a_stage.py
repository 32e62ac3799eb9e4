"""Links the server puts in emails (invitation, password reset, a payment to make) start with
the configured portal URL, whole: deployed behind API Gateway that URL has a path (the stage,
".../api"), and a link that dropped it would lead to API Gateway's 403."""
import re

import pytest

from chalicelib.bootstrap import services
from tests.support.api import NOW, Api, client
from tests.support.portal import (Clock, emails_to, invite, new_customer, portal_organization, signed_in_customer,
                                  text_of)
from tests.support.subscriptions import a_shop

STAGE_URL = "https://abc123def4.execute-api.eu-west-1.amazonaws.com/api"


@pytest.fixture(params=[STAGE_URL, STAGE_URL + "/"], ids=["without-slash", "with-slash"])
def portal_url_with_a_path(request, monkeypatch):
    from chalicelib import config
    monkeypatch.setenv("PORTICO_PORTAL_URL", request.param)
    config.reload()
    yield STAGE_URL + "/#/"
    monkeypatch.undo()
    config.reload()


def portal_links(message) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+/#/[^\s\"<>]*", text_of(message))


def test_an_invitation_links_to_the_portal_under_its_path(aws, portal_url_with_a_path):
    with client() as c:
        # Given a portal configured at the stage's URL
        acme = portal_organization(Api(c))
        customer = new_customer(acme.admin, email="zoe@globex.example")

        # When the merchant invites a contact
        invite(acme.admin, customer, "zoe@globex.example")

        # Then the emailed link keeps the stage's path
        [link] = portal_links(emails_to("zoe@globex.example")[-1])
        assert link.startswith(portal_url_with_a_path + "accept-invite?organization=")


def test_a_password_reset_links_to_the_portal_under_its_path(aws, portal_url_with_a_path):
    with client() as c:
        # Given a customer with a portal account
        clock = Clock()
        api = Api(c)
        acme = portal_organization(api)
        zoe = signed_in_customer(api, acme.org, acme.key)

        # When she asks for a new password (the outbox job sends it)
        answer = api.as_(None).post("/portal/auth/forgot-password", {"organization": acme.org.org_id,
                                                                     "email": zoe.email})
        assert answer.status == 202, answer.json
        services().accounts.send_queued_email(clock.now)

        # Then the emailed link keeps the stage's path
        [reset] = [m for m in emails_to(zoe.email) if m["Subject"].startswith("Reset your")]
        [link] = portal_links(reset)
        assert link.startswith(portal_url_with_a_path + "reset-password?organization=")


def test_a_payment_to_make_links_to_the_invoice_under_the_portals_path(aws, portal_url_with_a_path):
    with client() as c:
        # Given a trial charged at its end to a card whose bank asks for 3-D Secure
        shop = a_shop(c)
        card = shop.saved_card("pm_card_authenticationRequired")
        shop.subscription("trial", auto_charge=True, payment_method_id=card, trial_end=NOW.replace(day=NOW.day + 1))

        # When the trial ends and the job runs
        shop.clock.advance(days=2)
        event = c.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                           resources=[])
        c.lambda_.invoke("run_due_work", event)

        # Then the customer is emailed an action link that pays the invoice, under the stage's path
        [message] = [m for m in emails_to(shop.zoe.email) if m["Subject"].startswith("Action needed")]
        [link] = portal_links(message)
        assert re.fullmatch(re.escape(portal_url_with_a_path) + r"act/[\w-]+", link), link
