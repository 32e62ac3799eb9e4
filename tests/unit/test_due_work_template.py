"""The template fans due work out over SQS: a queue with a dead-letter queue and an alarm on it,
the worker's event source reporting failures per message with the batch size and concurrency the
merchant sets, the discovery allowed only to read the due index and send, the worker only to take
from its queue (and the books it bills), the payments' reconciliation a function of its own."""
import pytest

from infra.generate import merge_template
from infra.operations import DUE_WORK_RECEIVE_LIMIT


@pytest.fixture(scope="module")
def template():
    return merge_template("prod")


def statements(template, role: str) -> dict[str, dict]:
    [policy] = template["Resources"][role]["Properties"]["Policies"]
    return {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"] if "Sid" in s}


def test_the_worker_takes_the_stacks_queue_reporting_failures_per_message_within_the_merchants_limits(template):
    [(name, source)] = template["Resources"]["DueWorkWorker"]["Properties"]["Events"].items()
    assert name == "DueWorkWorkerSqsEventSource"   # the name Chalice gives it: the two merge
    assert source["Properties"] == {
        "Queue": {"Fn::GetAtt": ["DueWorkQueue", "Arn"]}, "BatchSize": {"Ref": "DueWorkBatchSize"},
        "ScalingConfig": {"MaximumConcurrency": {"Ref": "DueWorkConcurrency"}},
        "FunctionResponseTypes": ["ReportBatchItemFailures"]}
    parameters = template["Parameters"]
    assert parameters["DueWorkConcurrency"]["Default"] >= 2 and parameters["DueWorkConcurrency"]["MinValue"] == 2
    assert parameters["DueWorkBatchSize"]["MaxValue"] == 10


def test_a_message_failing_every_delivery_goes_to_a_dead_letter_queue_that_raises_an_alarm(template):
    resources = template["Resources"]
    queue = resources["DueWorkQueue"]["Properties"]
    assert queue["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": ["DueWorkDeadLetters", "Arn"]},
                                      "maxReceiveCount": DUE_WORK_RECEIVE_LIMIT}
    # hidden while a worker (and the event source's retries) may still have it
    assert queue["VisibilityTimeout"] >= 6 * 120
    alarm = resources["DueWorkDeadLettersAlarm"]["Properties"]
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["DueWorkDeadLetters", "QueueName"]}}]
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] and alarm["Threshold"] == 1
    assert "DueWorkBacklogAlarm" in resources and "DueWorkWorkerErrorsAlarm" in resources


def test_discovery_reads_the_due_index_and_sends_only_to_the_due_work_queue(template):
    found = statements(template, "RunDueWorkRole")
    assert set(found) == {"Reads", "Logs", "Tracing", "FailureDestination", "SendsDueWork"}
    read = [r["Fn::Sub"].rsplit(":table/", 1)[1] for r in found["Reads"]["Resource"]]
    assert read == ["portico-prod-subscriptions", "portico-prod-subscriptions/index/*"]   # the due index
    assert found["SendsDueWork"]["Action"] == ["sqs:SendMessage"]
    assert found["SendsDueWork"]["Resource"] == {"Fn::GetAtt": ["DueWorkQueue", "Arn"]}
    variables = template["Resources"]["RunDueWork"]["Properties"]["Environment"]["Variables"]
    assert variables["PORTICO_DUE_WORK_QUEUE_URL"] == {"Ref": "DueWorkQueue"}
    assert variables["PORTICO_DUE_WORK_PER_ORG"] == {"Ref": "DueWorkPerOrganization"}


def test_the_reconciliation_settles_payments_with_the_books_and_the_stripe_secret_but_sends_nowhere(template):
    found = statements(template, "ReconcilePaymentsRole")
    assert set(found) == {"Reads", "Writes", "Deletes", "Logs", "Tracing", "FailureDestination"}
    written = " ".join(r["Fn::Sub"] for r in found["Writes"]["Resource"])
    assert all(table in written for table in ("payments", "invoices", "ledger", "rate_counters", "emails"))
    assert all("idempotency" in r["Fn::Sub"] for r in found["Deletes"]["Resource"])
    policy = template["Resources"]["ReconcilePaymentsRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    assert any("Fn::If" in s and s["Fn::If"][1]["Sid"] == "StripeParameters" for s in policy["Statement"])
    variables = template["Resources"]["ReconcilePayments"]["Properties"]["Environment"]["Variables"]
    assert "PORTICO_JOB_BUDGET_SECONDS" in variables and "PORTICO_DUE_WORK_QUEUE_URL" not in variables


def test_the_worker_takes_from_its_queue_and_bills_but_sends_nowhere(template):
    found = statements(template, "DueWorkWorkerRole")
    assert found["TakesDueWork"]["Resource"] == {"Fn::GetAtt": ["DueWorkQueue", "Arn"]}
    assert set(found["TakesDueWork"]["Action"]) == {"sqs:ReceiveMessage", "sqs:DeleteMessage",
                                                    "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}
    assert "SendsDueWork" not in found and "FailureDestination" not in found
    assert "Email" in found and "Writes" in found
    # a queue's worker is not invoked asynchronously: no on-failure destination of its own
    assert "EventInvokeConfig" not in template["Resources"]["DueWorkWorker"]["Properties"]


STRIPE_PAYMENT_INTENTS_PER_SECOND = 25   # Stripe's live-mode default for one endpoint (docs.stripe.com/rate-limits)
STRIPE_ROUND_TRIP_SECONDS = 0.4


def test_the_workers_charges_are_paced_within_stripes_default_limit_with_room_for_the_portals(template):
    parameters = template["Parameters"]
    concurrency = parameters["DueWorkConcurrency"]["Default"]
    charges = parameters["DueWorkChargesPerSecond"]["Default"]
    # the worker paces its charges by the merchant's two settings; the discovery and the API do not
    variables = template["Resources"]["DueWorkWorker"]["Properties"]["Environment"]["Variables"]
    assert variables["PORTICO_DUE_WORK_CONCURRENCY"] == {"Ref": "DueWorkConcurrency"}
    assert variables["PORTICO_DUE_WORK_CHARGES_PER_SECOND"] == {"Ref": "DueWorkChargesPerSecond"}
    for other in ("RunDueWork", "APIHandler"):
        assert "PORTICO_DUE_WORK_CHARGES_PER_SECOND" not in \
            template["Resources"][other]["Properties"]["Environment"]["Variables"]
    # the defaults stay under Stripe's endpoint limit, paced or not, with a 0.4 s round trip
    assert charges < STRIPE_PAYMENT_INTENTS_PER_SECOND
    assert concurrency / STRIPE_ROUND_TRIP_SECONDS <= STRIPE_PAYMENT_INTENTS_PER_SECOND
    # and a discovery's share of one organization is about what they do in one 5-minute cycle
    assert parameters["DueWorkPerOrganization"]["Default"] == charges * 300
