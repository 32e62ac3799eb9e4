"""No table holds a live token: after every route that issues one (an invitation, accepting it,
signing in, a password reset asked for and used, a sign-in email change asked for and confirmed, a
sign-in link asked for and used)
every item of every table is read back, and no token that reached a mailbox or a browser is in
any of them. Emails expire (TTL) once sent or dropped."""
import json

from chalicelib.bootstrap import adapters, services
from chalicelib.tables.emails import RETENTION, EmailItem
from infra.tables import table_resource
from tests.support.api import Api, client
from tests.support.portal import (
    NEW_PASSWORD, PASSWORD, Clock, emails_to, link_token, login, new_customer, portal_organization,
)


def everything_stored() -> str:
    """Every item of every table, as text (a Scan is fine here: tests read moto, the app never scans)."""
    dynamodb = adapters().client("dynamodb")
    items = []
    for name in dynamodb.list_tables()["TableNames"]:
        for page in dynamodb.get_paginator("scan").paginate(TableName=name):
            items += page["Items"]
    return json.dumps(items)


def last_link(email: str, subject: str) -> str:
    return link_token([m for m in emails_to(email) if m["Subject"].startswith(subject)][-1])


def test_no_table_holds_a_token_after_any_route_that_issues_one(aws):
    clock = Clock()
    with client() as c:
        api = Api(c)
        acme = portal_organization(api)
        org_id = acme.org.org_id
        customer = new_customer(acme.admin)
        public = api.as_(None)
        issued = {}

        def stored_tokens() -> list[str]:
            stored = everything_stored()
            return [kind for kind, token in issued.items() if token in stored]

        # the merchant invites Zoë
        contact_id = customer["contacts"][0]["contact_id"]
        assert acme.admin.post(f"/admin/customers/{customer['customer_id']}/portal-invite",
                               {"contact_id": contact_id}).status == 202
        issued["invitation"] = last_link("zoe@globex.example", "")
        assert stored_tokens() == []

        # she accepts it, and signs in
        accepted = public.post("/portal/auth/accept-invite", {"organization": org_id, "token": issued["invitation"],
                                                              "password": PASSWORD})
        issued["session from the invitation"] = accepted.json["token"]
        issued["session"] = login(api, org_id, "zoe@globex.example", PASSWORD).json["token"]
        assert stored_tokens() == []

        # she forgets her password (and someone asks for an address without an account), the outbox sends
        for email in ("zoe@globex.example", "nobody@globex.example"):
            assert public.post("/portal/auth/forgot-password", {"organization": org_id, "email": email}).status == 202
        assert stored_tokens() == []
        services().accounts.send_queued_email(clock.now)
        issued["reset"] = last_link("zoe@globex.example", "Reset your")
        assert stored_tokens() == []
        assert public.post("/portal/auth/reset-password", {"organization": org_id, "token": issued["reset"],
                                                           "new_password": NEW_PASSWORD}).status == 204
        assert stored_tokens() == []

        # she changes her sign-in email and confirms it
        zoe = api.as_(login(api, org_id, "zoe@globex.example", NEW_PASSWORD).json["token"])
        issued["session after the reset"] = zoe.token
        assert zoe.patch("/portal/profile", {"contact": {"email": "zoe.k@globex.example"},
                                             "current_password": NEW_PASSWORD}).status == 200
        assert stored_tokens() == []
        services().accounts.send_queued_email(clock.now)
        issued["email change"] = last_link("zoe.k@globex.example", "Confirm your new")
        assert stored_tokens() == []
        assert public.post("/portal/auth/confirm-email", {"organization": org_id,
                                                          "token": issued["email change"]}).status == 204

        # she signs in with an emailed link, where the merchant allows it
        assert acme.admin.put("/admin/preferences", {"preferences": {"sign_in_with": "both"}}).status == 200
        assert public.post("/portal/auth/sign-in-links", {"organization": org_id,
                                                          "email": "zoe.k@globex.example"}).status == 202
        assert stored_tokens() == []
        services().accounts.send_queued_email(clock.now)
        issued["sign-in link"] = last_link("zoe.k@globex.example", "Sign in to")
        assert stored_tokens() == []
        redeemed = public.post("/portal/auth/sign-in-links/redeem", {"organization": org_id,
                                                                     "token": issued["sign-in link"]})
        issued["session from the sign-in link"] = redeemed.json["token"]

        # Then no table ever held any of them
        services().accounts.send_queued_email(clock.now)   # the old address's notice, queued by the switch
        assert stored_tokens() == []
        assert len(issued) == 8
        # And every email that left the queue expires RETENTION after
        for item in EmailItem.query(org_id):
            assert item.status in ("sent", "dropped"), item.template
            assert item.expires_at == clock.now + RETENTION, item.template


def test_the_emails_table_is_declared_with_a_time_to_live():
    resource = table_resource(EmailItem, "portico-test-", protect=True)
    assert resource["Properties"]["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
