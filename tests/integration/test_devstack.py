"""`make run`'s local stack: it serves the seeded demo, seeds once, and stops cleanly on Ctrl-C."""
from __future__ import annotations

import json
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from urllib.error import HTTPError

import pytest

from chalicelib.domain.subscription_status import Status
from devstack.launcher import RunningDevstack, port_is_free, start_devstack

pytestmark = pytest.mark.slow   # left out of `make check`: live stacks

PROJECT_DIR = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


# --- builders -------------------------------------------------------------------------------

def get(url: str, key: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.read()
    except HTTPError as error:
        return error.code, error.read()


def customer_names(stack: RunningDevstack, key: str) -> list[str]:
    status, body = get(f"{stack.api_url}/admin/customers?limit=100", key)
    assert status == 200, body
    return sorted(c["display_name"] for c in json.loads(body)["items"])


# --- the process ----------------------------------------------------------------------------

def test_devstack_serves_the_demo_seeds_it_once_and_stops_cleanly_on_ctrl_c():
    # Given a devstack with its embedded AWS
    first = start_devstack("devstack-test-")
    second = None
    try:
        key = first.printed("Admin API key")
        endpoint = first.printed("AWS endpoint")
        # When the merchant lists customers with the printed key, Then the demo customers are there
        demo = customer_names(first, key)
        assert "Acme Analytics" in demo and len(demo) >= 3
        # And the admin API still demands a key, And the mailbox answers
        assert get(f"{first.api_url}/admin/customers")[0] == 401
        assert get(f"http://127.0.0.1:{first.ports['PORTICO_MAILBOX_PORT']}/")[0] == 200

        # When a second devstack starts against the same endpoint
        second = start_devstack("devstack-test-", PORTICO_AWS_ENDPOINT=endpoint)
        # Then it keeps the demo data as it was, and its fresh key works
        assert any("already there" in line for line in second.output)
        assert customer_names(second, second.printed("Admin API key")) == demo
        assert second.interrupt() == 0

        # When Ctrl-C reaches the first one, Then it exits 0 within seconds and frees its ports
        assert first.interrupt() == 0
        assert all(port_is_free(port) for port in first.ports.values()), first.ports
        assert first.output[-1] == "Stopped."
    finally:
        first.kill()
        if second is not None:
            second.kill()


# --- the seed, in-process -------------------------------------------------------------------

def test_demo_seed_enables_every_feature_and_runs_only_once(aws):
    from chalicelib.bootstrap import services
    from devstack import seed
    # When the demo is seeded
    first = seed.seed_demo(NOW)
    # Then every portal feature is on, the portal shows some custom fields, and the demo user can sign in
    org = services().access.organization(seed.DEMO_ORG_ID)
    assert all(org.preferences.enabled_features().values())
    assert any(definition.show_in_portal for definition in org.custom_fields)
    assert first.created and first.portal_sign_in.email == "ada@acme-analytics.example"
    # And its portal has an address of its own, a logo, and signs in with a password or an emailed link
    assert services().access.organization_for_portal(seed.DEMO_PORTAL_NAME).org_id == seed.DEMO_ORG_ID
    assert org.logo and org.preferences.password_sign_in and org.preferences.link_sign_in
    # When it is seeded again, Then nothing is added, and both keys open the demo organization
    again = seed.seed_demo(NOW)
    assert not again.created and again.portal_sign_in == first.portal_sign_in
    listed = services().accounts.customers(seed.DEMO_ORG_ID, limit=100, cursor=None).items
    assert len(listed) == len(seed.DEMO_CUSTOMERS)
    assert {services().access.org_for_api_key(k) for k in (first.api_key, again.api_key)} == {seed.DEMO_ORG_ID}


def test_a_demo_seeded_before_logos_gets_the_demo_logo_when_seeded_again(aws):
    from chalicelib.bootstrap import services
    from devstack import seed
    # Given a demo seeded before organizations had logos
    seed.seed_demo(NOW)
    services().access.remove_logo(seed.DEMO_ORG_ID)

    # When it is seeded again
    seed.seed_demo(NOW)

    # Then it has the demo's logo
    assert services().access.organization(seed.DEMO_ORG_ID).logo


def test_the_demo_customer_has_a_subscription_in_every_status_and_each_unpaid_one_its_own_open_invoice(aws):
    from chalicelib.bootstrap import adapters
    from devstack import seed
    # When the demo is seeded
    result = seed.seed_demo(NOW)
    demo = result.customer_ids[0]
    # Then the demo customer has a subscription in every status
    stored = adapters().uow.subscriptions.page(seed.DEMO_ORG_ID, demo, status=None, limit=100, cursor=None).items
    subscriptions = {s.status.value: s for s in stored}
    assert set(subscriptions) == {status.value for status in Status}
    # and the dunning and the unpaid ones each have an invoice of their own still to pay
    invoices = adapters().uow.invoices.in_view(seed.DEMO_ORG_ID, demo, view="outstanding", today=NOW.date(),
                                               limit=100, cursor=None).items
    owing = {invoice.subscription_id for invoice in invoices}
    assert {subscriptions["dunning"].subscription_id, subscriptions["unpaid"].subscription_id} <= owing


def test_the_demo_tells_a_coherent_story_ended_ones_ended_with_their_term_and_the_dunning_one_has_its_card(aws):
    from chalicelib.bootstrap import adapters
    from devstack import seed
    # When the demo is seeded
    demo = seed.seed_demo(NOW).customer_ids[0]
    stored = adapters().uow.subscriptions.page(seed.DEMO_ORG_ID, demo, status=None, limit=100, cursor=None).items
    subscriptions = {s.status.value: s for s in stored}
    cancelled, expired, dunning = subscriptions["cancelled"], subscriptions["expired"], subscriptions["dunning"]

    # Then the cancelled and the expired subscriptions ended the day their last term did, not in its middle
    assert cancelled.today(cancelled.cancelled_at) == cancelled.term_end <= NOW.date()
    assert expired.today(expired.expired_at) == expired.term_end <= NOW.date()
    # and the dunning subscription's declined card is a card the customer has, charged automatically
    cards = adapters().uow.payment_methods.of_customer(seed.DEMO_ORG_ID, demo)
    assert dunning.auto_charge and dunning.payment_method_id in {card.payment_method_id for card in cards}


def test_paying_the_demo_dunning_subscriptions_invoice_leaves_its_term_billed_once(aws):
    from chalicelib.bootstrap import adapters, services
    from chalicelib.domain.organization import clock_name
    from devstack import seed
    # Given the demo seeded, and the dunning subscription's declined renewal paid
    demo = seed.seed_demo(NOW).customer_ids[0]
    uow = adapters().uow
    dunning = uow.subscriptions.page(seed.DEMO_ORG_ID, demo, status="dunning", limit=10, cursor=None).items[0]
    services().documents.record_payment(seed.DEMO_ORG_ID, demo, invoice_id=dunning.unpaid_invoice_id,
                                        amount_minor=2900, now=NOW)

    # When the scheduled work runs that day
    services().subscriptions.run_due(clock_name(uow.organizations.get(seed.DEMO_ORG_ID)), NOW)

    # Then that paid invoice stays the only one of the subscription: its term is the one it billed
    billed = uow.invoices.for_subscription(seed.DEMO_ORG_ID, demo, dunning.subscription_id, limit=10, cursor=None).items
    assert [invoice.invoice_id for invoice in billed] == [dunning.unpaid_invoice_id]


def test_a_seed_step_the_rules_refuse_stops_the_seed_with_its_error(aws, monkeypatch):
    from chalicelib.domain.errors import BusinessRuleViolation
    from devstack import seed
    # Given a catalog the rules would refuse (a coupon in a currency the organization does not bill in)
    refused = BusinessRuleViolation("no", "refused")

    def refusing(*args, **kwargs):
        raise refused
    monkeypatch.setattr(seed, "seed_catalog", refusing)
    # When the demo is seeded, Then the error stops it: no demo that silently lacks its catalog
    with pytest.raises(BusinessRuleViolation):
        seed.seed_demo(NOW)


# --- the jobs' timer and the mailbox, without AWS --------------------------------------------

def test_schedule_timer_runs_every_scheduled_function_and_survives_a_failing_one():
    from chalice import Blueprint, Chalice, Rate

    from devstack.schedules import ScheduleTimer, scheduled_handlers
    # Given an app with a scheduled function, another in a blueprint, and one that fails
    app, jobs, seen = Chalice("jobs"), Blueprint("jobs.blueprint"), []

    @app.schedule(Rate(1, unit=Rate.MINUTES))
    def broken(event):
        raise RuntimeError("boom")

    @app.schedule("rate(5 minutes)")
    def renewals(event):
        seen.append(("renewals", event.detail_type))

    @jobs.schedule("rate(1 hour)")
    def reminders(event):
        seen.append(("reminders", event.source))

    app.register_blueprint(jobs)
    # When the timer ticks once
    handlers = scheduled_handlers(app)
    ScheduleTimer(handlers, region="us-east-1").run_once()
    # Then every job ran with a scheduled event, despite the failure
    assert set(handlers) == {"broken", "renewals", "reminders"}
    assert seen == [("renewals", "Scheduled Event"), ("reminders", "aws.events")]


def test_queue_workers_take_every_message_once_and_a_reported_failure_comes_back(aws):
    import threading
    import time

    import boto3

    from devstack.schedules import QueueWorkers, create_queue
    # Given a queue on moto's SQS (a message taken is hidden for 3 s: long enough for a loaded machine
    # to finish a batch, so only the failure comes back) with 25 messages, and a worker failing "7"
    # the first time
    sqs = boto3.client("sqs", region_name="us-east-1")
    url = create_queue(sqs, "devstack-test-due-work", visibility_seconds=3)
    for n in range(25):
        sqs.send_message(QueueUrl=url, MessageBody=str(n))
    seen, lock, failed_once = [], threading.Lock(), []

    def worker(event, context):
        failures = []
        for record in event["Records"]:
            with lock:
                if record["body"] == "7" and not failed_once:
                    failed_once.append(record["messageId"])
                    failures.append({"itemIdentifier": record["messageId"]})
                else:
                    seen.append(record["body"])
        return {"batchItemFailures": failures}

    # When a pool of three workers runs until the queue is empty
    workers = QueueWorkers(worker, sqs, url, region="us-east-1", size=3, batch_size=4).start()
    try:
        deadline = time.monotonic() + 20
        while len(set(seen)) < 25 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        workers.stop()

    # Then every message was done once, the failed one on its second delivery
    assert sorted(seen, key=int) == [str(n) for n in range(25)] and len(failed_once) == 1
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"]["ApproximateNumberOfMessages"] == "0"


def test_mailbox_lists_emails_newest_first_with_everything_escaped():
    from chalicelib.gateways.email import Attachment, OutgoingEmail, mime_message
    from devstack.mailbox import parse_raw_email, render_email, render_inbox
    # Given two captured emails, the second with markup in its subject and HTML part
    sent = [OutgoingEmail(to=("ada@acme.example",), subject="Welcome", html="<p>Hi</p>", text="Hi Ada"),
            OutgoingEmail(to=("ada@acme.example",), subject="Invoice <INV-7>", text="Due & payable",
                          html="<p>Pay</p><script>alert(1)</script>",
                          attachments=(Attachment("INV-7.pdf", "application/pdf", b"%PDF"),))]
    captured = [parse_raw_email(f"m{i}", mime_message("portal@portico.example", mail).decode())
                for i, mail in enumerate(sent)]
    # When the mailbox renders them
    inbox = render_inbox(captured)
    # Then the newest comes first, escaped, with its attachment named and a link to its HTML part
    assert inbox.index("Invoice &lt;INV-7&gt;") < inbox.index("Welcome")
    assert "Due &amp; payable" in inbox and "INV-7.pdf" in inbox and "/messages/m1" in inbox
    # And the HTML part is only ever shown escaped, inside a sandboxed frame
    page = render_email(captured[1])
    assert "<script>" not in page and "<iframe sandbox srcdoc=" in page


def test_the_demo_customer_can_sign_in_to_the_portal(aws):
    # Given the demo data seeded in-process
    from chalicelib.bootstrap import services
    from devstack import seed
    from tests.support.api import NOW
    result = seed.seed_demo(NOW)
    # Then its printed sign-in really opens the portal
    sign_in = result.portal_sign_in
    signed_in = services().access.login(sign_in.org_id, sign_in.email, sign_in.password, NOW, source_ip="127.0.0.1")
    assert signed_in.token


def test_on_the_demo_a_plan_change_keeping_the_coupon_is_previewed_and_only_the_portal_coupon_is_offered(aws):
    # Given the demo data seeded in-process, and its customer signed in to the portal
    from devstack import seed
    from tests.support.api import NOW, Api, client
    from tests.support.portal import Clock, login
    Clock(NOW)
    result = seed.seed_demo(NOW)
    sign_in = result.portal_sign_in
    with client() as c:
        api = Api(c)
        ada = api.as_(login(api, sign_in.org_id, sign_in.email, sign_in.password).json["token"])

        def subscription(status: str) -> dict:
            [found] = ada.get(f"/portal/subscriptions?status={status}").json["items"]
            return ada.get(f"/portal/subscriptions/{found['subscription_id']}").json

        trial, live = subscription("trial"), subscription("live")
        # When Ada previews a plan change keeping each subscription's coupon, as the browser sends it
        keeping_tenoff = ada.post(f"/portal/subscriptions/{trial['subscription_id']}/changes/preview",
                                  {"plan": "pro", "coupon": trial["coupon"]["code"], "when": "now"})
        keeping_welcome = ada.post(f"/portal/subscriptions/{live['subscription_id']}/changes/preview",
                                   {"plan": "starter", "coupon": live["coupon"]["code"], "when": "now"})
        # And asks for the merchant's TENOFF on her live subscription
        asking = ada.post(f"/portal/subscriptions/{live['subscription_id']}/changes/preview",
                          {"coupon": "tenoff", "when": "now"})
        offered = ada.get("/portal/subscription-options").json["coupons"]

    # Then both previews keep the coupon the merchant gave, written as the merchant wrote it
    assert keeping_tenoff.status == 200, keeping_tenoff.json
    assert (keeping_tenoff.json["plan_code"], keeping_tenoff.json["coupon_code"]) == ("pro", "TENOFF")
    assert keeping_welcome.status == 200, keeping_welcome.json
    assert (keeping_welcome.json["plan_code"], keeping_welcome.json["coupon_code"]) == ("starter", "WELCOME20")
    # And only WELCOME20 is offered in the portal: the merchant-only TENOFF is answered as a missing coupon
    assert [c["code"] for c in offered] == ["WELCOME20"]
    assert (asking.status, asking.json["error"]["details"]["fields"]) == (400, {"coupon": "No such coupon."})
