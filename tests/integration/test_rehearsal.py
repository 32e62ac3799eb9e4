"""A deployment rehearsal: the package `make package` builds, unzipped and run as AWS runs it.

Each function is a process with the unzipped package, the Lambda runtime's SDK and nothing else,
started with the template's handler and environment (its parameters given) and held to its own role.
API Gateway's REST API is played from the template's API definition: requests carry the stage in
their path (/api/...), each request is one invocation of the function its route integrates (the
passkeys function for the passkey routes, from its own package; the API function for every other; no
authorizer), and a path
the API does not have answers 403. EventBridge sends the schedules their events, Stripe a signed
webhook. AWS is moto's server. This is where a dependency missing from the package, a path that
assumes the site root, a setting read at import time (the functions get theirs only after the
import, as under Chalice) or a permission missing from a role shows up."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from urllib.parse import urljoin

import boto3
import pytest

from devstack.schedules import sqs_event
from tests.support.package import unzipped
from tests.support.rehearsal import Function, Gateway, TraceDaemon, runtime_sdk, scheduled_event
from tests.support.template import REGION, Template

pytestmark = pytest.mark.slow   # left out of `make check`: the Lambda package, run

PARAMETERS = {"PortalUrl": "https://billing.rehearsal.example/portal", "SenderAddress": "billing@rehearsal.example",
              "AlarmEmail": "ops@rehearsal.example", "DefaultTimeZone": "Europe/Berlin",
              "StripeWebhookSecretParameter": "/portico/rehearsal/stripe-webhook-secret",
              "AllowSimulatedPayments": "true"}
WEBHOOK_SECRET = "whsec_rehearsal_0123456789"
PASSWORD = "velvet lantern orchard at dusk"
DAY = 86400


class Stack:
    def __init__(self, package, work):
        from devstack.server import start_embedded_aws
        self.moto = start_embedded_aws(0)
        self.endpoint = "http://%s:%d" % self.moto.get_host_and_port()
        self.template = Template.load(package.template, PARAMETERS)
        self.task, self.sdk, self.work = unzipped(package, work / "task"), runtime_sdk(work / "sdk"), work
        self.packages = {"deployment.zip": self.task,   # each function's CodeUri, unzipped
                         "passkeys.zip": unzipped(package, work / "passkeys-task", passkeys=True)}
        self.daemon = TraceDaemon()
        self.functions: dict[str, Function] = {}

    def client(self, service: str):
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint, aws_access_key_id="rehearsal",
                            aws_secret_access_key="rehearsal", aws_session_token="rehearsal")

    def provision(self) -> None:
        """What CloudFormation and the deployment guide's steps leave in the account."""
        dynamodb = self.client("dynamodb")
        for table in self.template.of_type("AWS::DynamoDB::Table").values():
            properties = table["Properties"]
            dynamodb.create_table(**{k: v for k, v in properties.items() if k in (
                "TableName", "KeySchema", "AttributeDefinitions", "BillingMode", "GlobalSecondaryIndexes",
                "LocalSecondaryIndexes")})
        sqs = self.client("sqs")
        queues = self.template.of_type("AWS::SQS::Queue")
        for name in sorted(queues, key=lambda n: "RedrivePolicy" in queues[n]["Properties"]):   # dead letters first
            attributes = {k: json.dumps(v) if isinstance(v, dict) else str(v)
                          for k, v in self.template.resolve(queues[name]["Properties"]).items()
                          if k in ("VisibilityTimeout", "MessageRetentionPeriod", "RedrivePolicy")}
            sqs.create_queue(QueueName=self.template.get_att(name, "QueueName"), Attributes=attributes)
        self.client("ses").verify_email_identity(EmailAddress=PARAMETERS["SenderAddress"])
        self.client("ssm").put_parameter(Name=PARAMETERS["StripeWebhookSecretParameter"], Type="SecureString",
                                         Value=WEBHOOK_SECRET)

    def runtime_environment(self) -> dict[str, str]:
        """What the Lambda runtime sets before the function's own variables (and AWS's endpoint)."""
        return {"AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "AWS_ACCESS_KEY_ID": "ASIAREHEARSAL",
                "AWS_SECRET_ACCESS_KEY": "rehearsal", "AWS_SESSION_TOKEN": "rehearsal",
                "AWS_ENDPOINT_URL": self.endpoint, "AWS_XRAY_DAEMON_ADDRESS": self.daemon.address,
                "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR", "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
                "TZ": ":UTC", "LANG": "en_US.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin",
                "HOME": str(self.work), "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}

    def start(self, logical_id: str, work_name: str | None = None) -> Function:
        folder = self.work / (work_name or logical_id)
        folder.mkdir(exist_ok=True)
        package = self.packages[self.template.functions()[logical_id]["CodeUri"].removeprefix("./")]
        return Function(self.template, logical_id, package=package, sdk=self.sdk, work=folder,
                        environment=self.runtime_environment())

    def start_all(self) -> None:
        for logical_id in self.template.functions():
            self.functions[logical_id] = self.start(logical_id)

    @property
    def gateway(self) -> Gateway:
        return Gateway(self.template, self.functions)

    def denied(self) -> dict:
        return {name: f.denied for name, f in self.functions.items() if f.denied}

    def cli(self, *arguments: str) -> str:
        """chalicelib.cli from the package, against the stack's tables (docs/deploy.md)."""
        code = "import sys; sys.path[:0] = sys.argv[1:3]; from chalicelib.cli import main; raise SystemExit(main(sys.argv[3:]))"
        environment = {**self.runtime_environment(), "PORTICO_TABLE_PREFIX": "portico-dev-",
                       "PORTICO_DEFAULT_TIME_ZONE": PARAMETERS["DefaultTimeZone"]}
        done = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(self.task), str(self.sdk), *arguments],
                              capture_output=True, text=True, env=environment)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def emails_to(self, address: str):
        """What SES accepted for `address` once the email job (a Lambda of its own) has run:
        requests only queue their email."""
        from devstack.mailbox import embedded_ses_emails
        self.functions["SendQueuedEmail"].invoke(scheduled_event("send-queued-email"))
        return [m for m in embedded_ses_emails() if address in m.to]

    def stop(self) -> None:
        for function in self.functions.values():
            function.stop()
        self.daemon.stop()
        self.moto.close()


@pytest.fixture(scope="module")
def stack(lambda_package, tmp_path_factory):
    running = Stack(lambda_package, tmp_path_factory.mktemp("rehearsal"))
    try:
        running.provision()
        running.start_all()
        yield running
    finally:
        running.stop()


class Merchant:
    """The back office, through the gateway with its admin key."""

    def __init__(self, stack: Stack, name: str):
        printed = stack.cli("create-org", "--name", name, "--email", f"billing@{name.lower()}.example")
        self.org_id = re.search(r"organization: (\S+)", printed).group(1)
        self.key = re.search(r"\(shown once\): (\S+)", printed).group(1)
        self.gateway = stack.gateway

    def call(self, method: str, path: str, body: dict | None = None):
        answer = self.gateway.request(method, f"/api{path}", body=json.dumps(body) if body is not None else None,
                                      headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"})
        return answer


def signed_in(stack: Stack, merchant: Merchant, email: str, *, colleague: str | None = None):
    """A customer whose contact `email` accepted the portal invitation; (customer, token, invitation)."""
    contacts = [{"first_name": "Zoë", "last_name": "Keller", "email": email}]
    if colleague:
        contacts.append({"first_name": "Hank", "last_name": "Scorpio", "email": colleague})
    customer = merchant.call("POST", "/admin/customers", {"display_name": "Globex", "email": email,
                                                          "contacts": contacts})
    assert customer.status == 201, customer.body
    contact_id = next(c["contact_id"] for c in customer.json["contacts"] if c["email"] == email)
    invited = merchant.call("POST", f"/admin/customers/{customer.json['customer_id']}/portal-invite",
                            {"contact_id": contact_id})
    assert invited.status == 202, invited.body
    [invitation] = stack.emails_to(email)
    token = re.search(r"[?&]token=([A-Za-z0-9_-]+)", invitation.text).group(1)
    accepted = stack.gateway.request("POST", "/api/portal/auth/accept-invite", body=json.dumps(
        {"organization": merchant.org_id, "token": token, "password": PASSWORD}),
        headers={"Content-Type": "application/json"})
    assert accepted.status == 201, accepted.body
    return customer.json, accepted.json["token"], invitation


def portal(stack: Stack, token: str, method: str, path: str, body: dict | None = None, **headers):
    return stack.gateway.request(method, f"/api{path}", body=json.dumps(body) if body is not None else None,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                          **headers})


def an_invoice(merchant: Merchant, customer: dict, amount_minor: int = 12_345) -> dict:
    answer = merchant.call("POST", "/admin/invoices", {"customer_id": customer["customer_id"], "due_days": 15,
                                                       "lines": [{"description": "Consulting",
                                                                  "unit_price_minor": amount_minor}]})
    assert answer.status == 201, answer.body
    return answer.json


# --- the tests ---------------------------------------------------------------------------------

def test_every_function_starts_from_the_package_with_only_the_runtime_and_calls_nothing_while_starting(stack):
    # Given the package unzipped beside nothing but the runtime's SDK
    # When each function's handler is imported, as Lambda's init does
    inits = {name: function.init for name, function in stack.functions.items()}

    # Then every one starts, without a single AWS call
    assert {name: init["init_error"] for name, init in inits.items() if not init["ready"]} == {}
    assert {name: init["calls"] for name, init in inits.items() if init["calls"]} == {}
    assert set(inits) == {"APIHandler", "PasskeysHandler", "SendQueuedEmail", "RunDueWork", "DueWorkWorker",
                          "ReconcilePayments"}


def test_a_merchant_created_with_the_cli_invites_a_customer_who_signs_in_pays_and_gets_the_pdf(stack):
    # Given an organization created with the CLI against the stack's tables (the stage's time zone)
    acme = Merchant(stack, "Acme")

    # When it invites a customer, whose contact accepts, looks at the portal and pays an invoice by card
    customer, token, invitation = signed_in(stack, acme, "zoe@globex.example")
    me = portal(stack, token, "GET", "/portal/me")
    invoice = an_invoice(acme, customer)
    paid = portal(stack, token, "POST", "/portal/payments", {"invoice_ids": [invoice["invoice_id"]],
                                                             "payment_method": "pm_card_visa"},
                  **{"Idempotency-Key": "rehearsal-payment-1"})
    pdf = portal(stack, token, "GET", f"/portal/invoices/{invoice['invoice_id']}/pdf", Accept="application/pdf")

    # Then the invitation links to the portal's configured address, not a default
    assert re.search(r"https://billing\.rehearsal\.example/portal/#/\S*token=", invitation.text), invitation.text
    # and the portal knows the customer, the organization bills in the stage's default time zone
    assert me.status == 200, me.body
    assert me.json["organization"]["time_zone"] == "Europe/Berlin" and me.json["payments_mode"] == "simulated"
    # and the payment went through the simulated gateway the stage allows, counted as a metric
    assert paid.status == 201 and paid.json["status"] == "succeeded", paid.body
    assert paid.handler.metrics() == {"PaymentsSucceeded": 1}
    # and the PDF came back whole, through API Gateway's binary support
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF"), pdf.headers
    # and no function made a call its role does not allow
    assert stack.denied() == {}


def test_a_customer_adds_a_passkey_and_signs_in_with_it_through_the_passkeys_function_under_its_own_role(stack):
    from chalicelib.domain.passkeys import relying_party
    from tests.support.passkeys import Authenticator

    # Given a signed-in contact of a merchant's customer, and her browser's authenticator
    acme = Merchant(stack, "Initech")
    _customer, token, _ = signed_in(stack, acme, "peter@initech.example")
    device = Authenticator(origin=relying_party(PARAMETERS["PortalUrl"]).origins[0])
    before = stack.functions["PasskeysHandler"].invocations

    # When she adds a passkey, then signs in with it (no email typed)
    options = portal(stack, token, "POST", "/portal/auth/passkeys/options", {"current_password": PASSWORD})
    added = portal(stack, token, "POST", "/portal/auth/passkeys",
                   {"name": "Laptop", "credential": device.create(options.json["options"])})
    public = {"Content-Type": "application/json"}
    challenge = stack.gateway.request("POST", "/api/portal/auth/passkeys/sign-in/options", headers=public,
                                      body=json.dumps({"organization": acme.org_id}))
    session = stack.gateway.request("POST", "/api/portal/auth/passkeys/sign-in", headers=public, body=json.dumps(
        {"organization": acme.org_id, "credential": device.get(challenge.json["options"])}))
    me = portal(stack, session.json["token"], "GET", "/portal/me")

    # Then each ceremony was one invocation of the passkeys function, from its own package and role
    assert options.status == 200 and added.status == 201, added.body
    assert challenge.status == 200 and session.status == 200, session.body
    assert stack.functions["PasskeysHandler"].invocations - before == 4
    assert me.status == 200 and me.json["contact"]["email"] == "peter@initech.example"
    assert stack.denied() == {}


def test_a_passkey_route_that_reached_the_api_function_answers_503_in_the_envelope(stack):
    # Given the API function, whose package goes without py_webauthn, handed a passkey route all the same
    rerouted = Gateway(stack.template, {**stack.functions, "PasskeysHandler": stack.functions["APIHandler"]})

    # When a browser asks it for the options of a passkey sign-in
    answer = rerouted.request("POST", "/api/portal/auth/passkeys/sign-in/options",
                              headers={"Content-Type": "application/json"},
                              body=json.dumps({"organization": "org_anything"}))

    # Then it answers 503 in the API's envelope, and its process lives on
    assert answer.status == 503 and answer.json["error"]["code"] == "not_served_here", answer.body
    assert stack.functions["APIHandler"].process.poll() is None


def test_a_request_without_a_session_is_refused_by_the_function_and_a_path_off_the_stage_by_the_gateway(stack):
    # When a request comes without a session, and one for a path outside the stage
    unsigned = stack.gateway.request("GET", "/api/portal/me")
    off_stage = stack.gateway.request("GET", "/portal/me")

    # Then the API function refuses the first itself, in one invocation, reading nothing
    assert unsigned.status == 401 and unsigned.json["error"]["code"] == "unauthenticated"
    assert unsigned.handler is not None and unsigned.headers["X-Content-Type-Options"] == "nosniff"
    # and API Gateway answers the second as the template's gateway responses say: in the API's
    # envelope with its security headers, echoing nothing of the request
    assert (off_stage.status, off_stage.json["error"]["code"]) == (404, "not_found")
    assert off_stage.headers["X-Content-Type-Options"] == "nosniff"
    forged = stack.gateway.request("GET", "/nowhere", headers={"Authorization": "Bearer secret-looking"})
    assert b"secret-looking" not in forged.body and forged.json["error"]["code"] == "not_found"


def test_an_email_ses_refused_is_sent_with_its_pdf_by_the_email_job_on_a_later_run(stack):
    # Given Zoë, her colleague Hank and an invoice; and SES refusing the sender for a moment
    acme = Merchant(stack, "Initech")
    customer, token, _ = signed_in(stack, acme, "zoe@initech-client.example", colleague="hank@initech-client.example")
    hank = next(c["contact_id"] for c in customer["contacts"] if c["email"] == "hank@initech-client.example")
    invoice = an_invoice(acme, customer)
    ses = stack.client("ses")
    ses.delete_identity(Identity=PARAMETERS["SenderAddress"])
    try:
        # When she forwards the invoice to Hank, and the email job runs
        forwarded = portal(stack, token, "POST", f"/portal/invoices/{invoice['invoice_id']}/forward",
                           {"contact_ids": [hank]})
        refused = stack.functions["SendQueuedEmail"].invoke(scheduled_event("send-queued-email"))
    finally:
        ses.verify_email_identity(EmailAddress=PARAMETERS["SenderAddress"])
    # and the email job's schedule fires again after the first retry delay
    run = stack.functions["SendQueuedEmail"].invoke(scheduled_event("send-queued-email"), clock_offset_seconds=120)

    # Then the forward was accepted with the email queued, without calling SES itself
    assert forwarded.status == 202 and forwarded.json["email_status"] == "queued", forwarded.body
    assert [r for r in forwarded.handler.records() if r.get("level") == "WARNING"] == []
    # and the job's first attempt was refused, logged and counted (the forward, and the invoice's own
    # email to Zoë queued when it was issued)
    warnings = [r for r in refused.records() if r.get("level") == "WARNING"]
    assert {r["logger"] for r in warnings} == {"portico.mail"} and all("not sent" in r["message"] for r in warnings)
    assert refused.metrics().get("EmailsFailed", 0) >= 1
    # and the job (a Lambda of its own) sent it later with the invoice PDF
    assert run.result["sent"] >= 1
    [email] = stack.emails_to("hank@initech-client.example")
    assert email.attachments == (f"{invoice['number']}.pdf",)
    assert stack.denied() == {}


def test_the_due_work_job_queues_what_is_due_and_the_worker_renews_and_charges_it(stack):
    # Given a customer with a saved card and a monthly subscription charged to it whose term ends today
    acme = Merchant(stack, "Umbrella")
    customer, token, _ = signed_in(stack, acme, "zoe@umbrella-client.example")
    assert acme.call("POST", "/admin/plans", {"code": "pro", "name": "Pro", "price_minor": 10_000,
                                              "currency": "USD"}).status == 201
    card = portal(stack, token, "POST", "/portal/payment-methods", {"payment_method": "pm_card_visa"})
    assert card.status == 201, card.body
    today = time.strftime("%Y-%m-%d", time.gmtime())
    month_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 30 * DAY))
    subscription = acme.call("POST", "/admin/subscriptions", {
        "customer_id": customer["customer_id"], "plan_code": "pro", "status": "live", "auto_charge": True,
        "payment_method_id": card.json["payment_method_id"], "term_start": month_ago, "term_end": today})
    assert subscription.status == 201, subscription.body

    # When EventBridge fires the due-work schedule a day later, and the queue's event source hands
    # the worker what it sent
    discovery = stack.functions["RunDueWork"].invoke(scheduled_event("run-due-work"), clock_offset_seconds=DAY)
    sqs, queue = stack.client("sqs"), stack.template.resolve({"Ref": "DueWorkQueue"})
    received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    run = stack.functions["DueWorkWorker"].invoke(
        sqs_event(received, stack.template.get_att("DueWorkQueue", "Arn"), REGION), clock_offset_seconds=DAY)

    # Then the discovery queued the one subscription, and the worker renewed it and charged its new term
    assert discovery.result == {"queued": 1, "organizations": 1, "held_back": 0, "stopped_early": False}
    assert [json.loads(m["Body"])["subscription_id"] for m in received] == [subscription.json["subscription_id"]]
    assert run.result == {"batchItemFailures": []}
    # and the worker said so in its log line and its metrics
    [line] = [r for r in run.records() if r.get("type") == "job"]
    assert (line["job"], line["done"], line["failed"]) == ("due_work_worker", 1, 0)
    assert run.metrics() == {"JobItemsDone": 1, "JobItemsFailed": 0, "PaymentsSucceeded": 1}
    assert stack.denied() == {}


def test_the_reconciliation_job_cancels_a_payment_nobody_authenticated_under_its_own_role(stack):
    # Given a payment waiting for 3-D Secure that the customer never finished
    acme = Merchant(stack, "Hooli")
    customer, token, _ = signed_in(stack, acme, "zoe@hooli-client.example")
    invoice = an_invoice(acme, customer)
    waiting = portal(stack, token, "POST", "/portal/payments", {"invoice_ids": [invoice["invoice_id"]],
                                                                "payment_method": "pm_card_authenticationRequired"},
                     **{"Idempotency-Key": "rehearsal-3ds-1"})
    assert waiting.status == 201 and waiting.json["status"] == "requires_action", waiting.body

    # When EventBridge fires the reconciliation a day later
    run = stack.functions["ReconcilePayments"].invoke(scheduled_event("reconcile-payments"), clock_offset_seconds=DAY)

    # Then it cancelled the payment (a failure, counted against the customer's velocity), within its role
    assert run.result["settled"] == [waiting.json["payment_id"]], run.result
    [line] = [r for r in run.records() if r.get("type") == "job"]
    assert (line["job"], line["settled"], line["failed"]) == ("reconcile_payments", 1, 0)
    assert stack.denied() == {}


def test_a_signed_stripe_webhook_is_verified_with_the_secret_from_ssm_and_a_forged_one_is_counted(stack):
    import stripe
    # Given an event Stripe sends about no payment of ours
    payload = json.dumps({"id": "evt_rehearsal_1", "object": "event", "type": "payment_intent.succeeded",
                          "created": int(time.time()), "data": {"object": {
                              "id": "pi_unknown", "object": "payment_intent", "amount": 100, "currency": "usd",
                              "metadata": {}}}})
    signature = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)

    # When Stripe delivers it signed, and someone else delivers it with a made-up signature
    signed = stack.gateway.request("POST", "/api/webhooks/stripe", body=payload,
                                   headers={"Content-Type": "application/json", "Stripe-Signature": signature})
    forged = stack.gateway.request("POST", "/api/webhooks/stripe", body=payload, headers={
        "Content-Type": "application/json", "Stripe-Signature": f"t={int(time.time())},v1={'0' * 64}"})

    # Then the signed one is acknowledged, the forged one refused and counted for the alarm
    assert signed.status == 200 and signed.json["received"] is True, signed.body
    assert forged.status == 400
    assert forged.handler.metrics() == {"WebhooksRejected": 1}
    assert stack.denied() == {}


def test_each_request_logs_one_json_line_with_its_ids_latency_cold_start_and_trace(stack):
    # Given a function that has not served anything yet (a cold start)
    cold = stack.start("APIHandler", work_name="cold-api")
    gateway = Gateway(stack.template, {**stack.functions, "APIHandler": cold})
    try:
        # When it serves two requests under the stage
        first, second = gateway.request("GET", "/api/"), gateway.request("GET", "/api/openapi.json")
    finally:
        cold.stop()

    # Then each printed one JSON line naming its API Gateway request id, route, status, latency and trace
    lines = []
    for answer, route in ((first, "/"), (second, "/openapi.json")):
        [line] = [r for r in answer.handler.records() if r.get("type") == "request"]
        sent = answer.handler.answer
        assert (line["route"], line["status"], line["level"], line["logger"]) == (route, 200, "INFO", "portico.requests")
        assert line["duration_ms"] >= 0 and line["trace_id"] == sent["trace_id"] and line["request_id"]
        lines.append(line)
    # and only the first was a cold start
    assert [line["cold_start"] for line in lines] == [True, False]


def test_the_functions_send_their_traces_to_x_ray(stack):
    # When the portal serves a request that reads DynamoDB
    acme = Merchant(stack, "Tracer")
    answer = acme.call("GET", "/admin/customers")
    time.sleep(0.5)   # the SDK sends over UDP

    # Then X-Ray received the route's subsegment and its DynamoDB call, under the invocation's trace
    trace = answer.handler.answer["trace_id"]
    names = {segment.get("name") for segment in stack.daemon.segments if segment.get("trace_id") == trace}
    assert answer.status == 200 and {"route:list_customers", "dynamodb"} <= names, names


def test_the_portal_page_loads_its_scripts_and_styles_from_under_the_stage(stack):
    # When a browser opens the stage's address and fetches what the page links to
    page = stack.gateway.fetch(stack.gateway.page_url("/"))
    links = Links()
    links.feed(page.body.decode())
    fetched = {url: stack.gateway.fetch(urljoin(stack.gateway.page_url("/"), url)).status for url in links.found}

    # Then every asset is served (none assumes the site's root, which API Gateway does not have)
    assert page.status == 200 and links.found
    assert {url: status for url, status in fetched.items() if status != 200} == {}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        wanted = {"script": "src", "link": "href"}.get(tag)
        value = dict(attrs).get(wanted) if wanted else None
        if value and not value.startswith("https://js.stripe.com"):
            self.found.append(value)
