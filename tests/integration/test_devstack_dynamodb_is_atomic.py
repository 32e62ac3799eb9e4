"""The local stack's DynamoDB is atomic, as DynamoDB is: requests racing through the portal's HTTP
API take effect once, and concurrent transactions on its moto endpoint lose no committed write.

DynamoDB applies each request atomically and in isolation. moto's server does not when its threads
overlap: it checks a condition and then writes, and it cancels a transaction by restoring copies of
the tables taken when the transaction began, erasing what other requests wrote meanwhile. So the
devstack answers DynamoDB requests one at a time (`devstack.server.one_dynamodb_request_at_a_time`,
docs/security.md). These tests run `python -m devstack` as `make run` does (on free ports, its
jobs' timer out of the way); without that lock, most runs pay an invoice twice, tell a payer
"not found", or lose committed writes."""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from devstack.seed import DEMO_ORG_ID, DEMO_PASSWORD
from devstack.server import one_dynamodb_request_at_a_time
from tests.support.concurrency import at_once
from devstack.launcher import RunningDevstack, start_devstack

pytestmark = pytest.mark.slow   # left out of `make check`: a live stack

PREFIX = "atomic-"
BROWSERS = 6
RACES = 4   # of each kind: enough for each test to fail without the lock in (nearly) every run


@pytest.fixture(scope="module")
def stack():
    """One live local stack for the module (it takes seconds to start), used for a while before."""
    # the races pay one customer's invoices many times an hour: the velocity limits (docs/security.md)
    # are not what these tests are about
    running = start_devstack(PREFIX, PORTICO_SCHEDULE_SECONDS="3600",
                             PORTICO_RATE_LIMITS="payment_customer=100000,payment_failure_customer=100000")
    try:
        used_for_a_while(running)
        yield running
    finally:
        try:
            running.interrupt(timeout=20)
        finally:
            running.kill()


# --- builders -------------------------------------------------------------------------------

@dataclass
class Ada:
    """The demo customer signed in to the live portal, beside her merchant's admin API."""
    url: str
    session: dict
    admin: dict
    customer_id: str

    def portal(self, method: str, path: str, body: dict | None = None, **headers) -> requests.Response:
        return requests.request(method, self.url + path, json=body, headers={**self.session, **headers}, timeout=30)

    def merchant(self, method: str, path: str, body: dict | None = None) -> requests.Response:
        return requests.request(method, self.url + path, json=body, headers=self.admin, timeout=30)

    def pays(self, invoice: dict, *, key: str) -> requests.Response:
        return self.portal("POST", "/portal/payments", {"invoice_ids": [invoice["invoice_id"]],
                                                        "payment_method": "pm_card_visa"}, **{"Idempotency-Key": key})

    def payments_of(self, invoice: dict) -> list[str]:
        listed = self.portal("GET", "/portal/payments?limit=100").json()["items"]
        return [p["status"] for p in listed if invoice["invoice_id"] in {a["invoice_id"] for a in p["allocations"]}]

    def owes(self) -> int:
        return self.portal("GET", "/portal/dashboard").json()["outstanding"]["total_minor"]

    def activity_on(self, subject_id: str) -> list[str]:
        timeline = self.portal("GET", "/portal/activity?limit=100").json()["items"]
        return [a["action"] for a in timeline if a["subject_id"] == subject_id and a["actor"]["type"] == "customer"]


def signed_in_ada(stack: RunningDevstack) -> Ada:
    login = requests.post(f"{stack.api_url}/portal/auth/login", timeout=30, json={
        "organization": DEMO_ORG_ID, "email": "ada@acme-analytics.example", "password": DEMO_PASSWORD})
    assert login.status_code == 200, login.text
    session = {"Authorization": f"Bearer {login.json()['token']}"}
    me = requests.get(f"{stack.api_url}/portal/me", headers=session, timeout=30).json()
    return Ada(stack.api_url, session, {"Authorization": f"Bearer {stack.printed('Admin API key')}"},
               me["customer"]["customer_id"])


def an_open_invoice(ada: Ada, amount_minor: int = 10000) -> dict:
    answer = ada.merchant("POST", "/admin/invoices", {"customer_id": ada.customer_id, "due_days": 30, "lines": [
        {"description": "Consulting", "unit_price_minor": amount_minor}]})
    assert answer.status_code == 201, answer.text
    return answer.json()


def a_live_subscription(ada: Ada) -> str:
    answer = ada.merchant("POST", "/admin/subscriptions", {"customer_id": ada.customer_id, "plan_code": "pro"})
    assert answer.status_code == 201 and answer.json()["status"] == "live", answer.text
    return answer.json()["subscription_id"]


def dynamodb_of(stack: RunningDevstack):
    """A client of the devstack's own DynamoDB (its embedded moto) that shows every error as it came."""
    return boto3.client("dynamodb", endpoint_url=stack.printed("AWS endpoint"), region_name="us-east-1",
                        aws_access_key_id="devstack", aws_secret_access_key="devstack",
                        config=Config(retries={"total_max_attempts": 1}))


def used_for_a_while(stack: RunningDevstack, earlier_customers: int = 500) -> None:
    """Earlier customers' payments and activity: copies of the demo's first, under keys no request
    reads and in no index.

    moto copies each table a transaction writes to before it begins; in tables of the size a
    devstack reaches with use, that copy takes long enough for racing requests to meet inside it."""
    db = dynamodb_of(stack)
    for table in (f"{PREFIX}payments", f"{PREFIX}activity"):
        described = db.describe_table(TableName=table)["Table"]
        keys = [key["AttributeName"] for key in described["KeySchema"]]
        indexed = {key["AttributeName"] for index in described.get("GlobalSecondaryIndexes", [])
                   for key in index["KeySchema"]}
        [demo_item] = db.scan(TableName=table, Limit=1)["Items"]
        copy = {name: value for name, value in demo_item.items() if name not in indexed}
        earlier = [{**copy, **{key: {"S": f"earlier#{n:04d}"} for key in keys}} for n in range(earlier_customers)]
        for first in range(0, len(earlier), 25):
            db.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": item}} for item in earlier[first:first + 25]]})


def a_scratch_table(stack: RunningDevstack, *, items: int) -> str:
    """A table of the test's own on the devstack's DynamoDB, holding `items` items of twenty attributes."""
    db, name = dynamodb_of(stack), f"{PREFIX}scratch-{uuid.uuid4().hex[:8]}"
    db.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    for first in range(0, items, 25):
        db.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": {"pk": {"S": f"old-{n}"}, **{f"a{i}": {"S": "value"} for i in range(20)}}}}
            for n in range(first, min(items, first + 25))]})
    return name


@dataclass
class Writes:
    committed: list[str]
    cancelled: list[str]
    errors: list[str]


def commit_and_cancel(db, table: str, writer: int, count: int) -> Writes:
    """`count` transactions that commit, each followed by one cancelled by its condition check."""
    writes = Writes([], [], [])
    for n in range(count):
        key = f"w{writer}-{n}"
        try:
            db.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {"pk": {"S": key}}}}])
            writes.committed.append(key)
        except ClientError as error:
            writes.errors.append(error.response["Error"]["Code"])
        try:
            db.transact_write_items(TransactItems=[
                {"Put": {"TableName": table, "Item": {"pk": {"S": f"{key}-cancelled"}}}},
                {"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "missing"}},
                                    "ConditionExpression": "attribute_exists(pk)"}}])
            writes.errors.append("cancelled transaction committed")
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                writes.cancelled.append(f"{key}-cancelled")
            else:
                writes.errors.append(error.response["Error"]["Code"])
    return writes


def keys_in(stack: RunningDevstack, table: str) -> set[str]:
    pages = dynamodb_of(stack).get_paginator("scan").paginate(TableName=table, ProjectionExpression="pk")
    return {item["pk"]["S"] for page in pages for item in page["Items"]}


def code_of(answer: requests.Response) -> str:
    return answer.json()["error"]["code"]


# --- payments -------------------------------------------------------------------------------

def test_six_browsers_paying_one_invoice_each_with_its_own_key_pay_it_once(stack):
    # Given Ada signed in
    ada = signed_in_ada(stack)
    for _ in range(RACES):
        owed_before = ada.owes()
        invoice = an_open_invoice(ada)

        # When six browsers pay the invoice at the same moment, each with its own Idempotency-Key
        answers = at_once(lambda n: ada.pays(invoice, key=f"tab-{n}-{invoice['invoice_id']}"), BROWSERS)

        # Then one payment succeeded, and every other browser was told it is under way or already paid
        assert [a.json()["status"] for a in answers if a.status_code == 201] == ["succeeded"], \
            [(a.status_code, a.text) for a in answers]
        assert {(a.status_code, code_of(a)) for a in answers if a.status_code != 201} <= {
            (409, "payment_in_progress"), (409, "concurrent_update"), (422, "invoice_not_outstanding")}, \
            [(a.status_code, a.text) for a in answers]
        # And the invoice is paid once, by one payment, and Ada owes what she owed before it
        paid = ada.portal("GET", f"/portal/invoices/{invoice['invoice_id']}").json()
        assert (paid["status"], paid["amount_paid_minor"]) == ("paid", invoice["total_minor"])
        assert ada.payments_of(invoice) == ["succeeded"]
        assert ada.owes() == owed_before


# --- subscriptions --------------------------------------------------------------------------

def test_six_racing_cancellations_cancel_once_and_the_others_get_409(stack):
    ada = signed_in_ada(stack)
    for _ in range(RACES):
        # Given a live subscription of Ada's
        subscription = a_live_subscription(ada)

        # When six browsers cancel it now, at the same moment
        answers = at_once(lambda n: ada.portal("POST", f"/portal/subscriptions/{subscription}/cancel",
                                               {"when": "now"}), BROWSERS)

        # Then one cancelled it, the others met the changed subscription (409), and it was cancelled once
        assert sorted(a.status_code for a in answers) == [200] + [409] * (BROWSERS - 1), [a.text for a in answers]
        assert {code_of(a) for a in answers if a.status_code == 409} <= {"concurrent_update", "invalid_status"}
        assert ada.portal("GET", f"/portal/subscriptions/{subscription}").json()["status"] == "cancelled"
        assert ada.activity_on(subscription) == ["subscription.cancelled"]


def test_a_cancellation_at_term_end_racing_a_pause_today_lets_exactly_one_take_effect(stack):
    ada = signed_in_ada(stack)
    today = datetime.now(timezone.utc).date().isoformat()   # the demo organization's calendar is UTC
    for _ in range(RACES):
        # Given a live subscription of Ada's (once its cancellation is scheduled it cannot be paused,
        # and once paused its cancellation cannot be scheduled)
        subscription = a_live_subscription(ada)
        racers = {
            "cancel": (lambda: ada.portal("POST", f"/portal/subscriptions/{subscription}/cancel",
                                          {"when": "end_of_term"}), "non_renewing", "subscription.cancellation_scheduled"),
            "pause": (lambda: ada.portal("PUT", f"/portal/subscriptions/{subscription}/pause-schedule",
                                         {"pause_at": today}), "paused", "subscription.paused"),
        }

        # When Ada schedules its cancellation in one tab and pauses it today in another, at the same moment
        names = list(racers)
        answers = dict(zip(names, at_once(lambda n: racers[names[n]][0](), len(names))))

        # Then exactly one took effect, and the other met the changed subscription (409)
        assert sorted(a.status_code for a in answers.values()) == [200, 409], {n: a.text for n, a in answers.items()}
        [winner] = [name for name, answer in answers.items() if answer.status_code == 200]
        _, status, action = racers[winner]
        assert ada.portal("GET", f"/portal/subscriptions/{subscription}").json()["status"] == status
        assert ada.activity_on(subscription) == [action]


# --- the DynamoDB endpoint itself -------------------------------------------------------------

def test_concurrent_transactions_on_the_devstacks_dynamodb_lose_no_committed_write(stack):
    # Given a table on the devstack's DynamoDB with a hundred items
    table = a_scratch_table(stack, items=100)
    clients = [dynamodb_of(stack) for _ in range(BROWSERS)]

    # When six clients each commit ten transactions, each followed by one its condition cancels
    writes = at_once(lambda n: commit_and_cancel(clients[n], table, writer=n, count=10), BROWSERS)

    # Then each was answered as DynamoDB answers it, every committed write is there, and no cancelled one is
    found = keys_in(stack, table)
    assert {"failed": [error for w in writes for error in w.errors],
            "committed, then lost": [key for w in writes for key in w.committed if key not in found],
            "cancelled, yet written": [key for w in writes for key in w.cancelled if key in found]} == {
        "failed": [], "committed, then lost": [], "cancelled, yet written": []}
    assert sum(len(w.committed) for w in writes) == BROWSERS * 10


def test_a_dynamodb_request_waits_for_the_one_being_answered_and_other_services_do_not():
    # Given moto's app behind the lock, holding the first DynamoDB request until told to answer it
    answered, first_inside, answer_first = [], threading.Event(), threading.Event()

    def moto(environ, start_response):
        answered.append(environ["name"])
        if environ["name"] == "first DynamoDB request":
            first_inside.set()
            answer_first.wait(5)
        start_response("200 OK", [])
        return [b"{}"]
    app = one_dynamodb_request_at_a_time(moto)

    def request(name: str, target: str) -> threading.Thread:
        return threading.Thread(target=lambda: app({"name": name, "HTTP_X_AMZ_TARGET": target}, lambda *_: None))

    # When a DynamoDB request is being answered, and another DynamoDB request and an SES one arrive
    first = request("first DynamoDB request", "DynamoDB_20120810.TransactWriteItems")
    first.start()
    assert first_inside.wait(5)
    second = request("second DynamoDB request", "DynamoDB_20120810.GetItem")
    second.start()
    app({"name": "SES request"}, lambda *_: None)

    # Then the SES request is answered meanwhile, and the second DynamoDB request only after the first
    assert answered == ["first DynamoDB request", "SES request"]
    answer_first.set()
    first.join(5), second.join(5)
    assert answered == ["first DynamoDB request", "SES request", "second DynamoDB request"]
