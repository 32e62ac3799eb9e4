"""The portal's subscription actions, estimate decisions and document forwarding stay within the
DynamoDB call budget (bench/RESULTS.md): reads <= 3 including the session check, writes <= 4 (a
transaction counts once). Each is measured on the wire (`counting_calls`) through the routes."""
from datetime import timedelta

import pytest

from chalicelib.tables.metrics import counting_calls
from tests.support.api import NOW, Api, client
from tests.support.documents import a_scene, an_estimate, an_invoice
from tests.support.subscriptions import TERM, a_shop

READS, WRITES = 3, 4

SUBSCRIPTION_ACTIONS = [
    # (status to start from, its fields, method, action path, body)
    ("trial", {}, "POST", "activate/preview", None),
    ("trial", {}, "POST", "activate", {}),
    ("live", TERM, "POST", "changes/preview", {"plan": "biz", "when": "end_of_term"}),
    ("live", TERM, "POST", "changes", {"plan": "biz", "when": "end_of_term"}),
    ("live", TERM, "PUT", "pause-schedule", {"pause_at": (NOW.date() + timedelta(days=3)).isoformat()}),
    ("live", TERM, "POST", "cancel/preview", {"when": "now"}),
    ("live", TERM, "POST", "cancel", {"when": "now"}),
    ("live", TERM, "POST", "cancel", {"when": "end_of_term"}),
    ("non_renewing", TERM, "DELETE", "scheduled-cancellation", None),
    ("paused", TERM, "POST", "resume/preview", None),
    ("paused", TERM, "POST", "resume", {}),
    ("cancelled", TERM, "POST", "reactivate/preview", {}),
    ("cancelled", TERM, "POST", "reactivate", {}),
]


def within_budget(calls) -> bool:
    return calls.reads <= READS and calls.writes <= WRITES


@pytest.mark.parametrize("status, fields, method, action, body", SUBSCRIPTION_ACTIONS,
                         ids=[f"{method} {action} ({status})" for status, _, method, action, _ in SUBSCRIPTION_ACTIONS])
def test_each_subscription_action_stays_within_its_call_budget(aws, status, fields, method, action, body):
    with client() as c:
        # Given a subscription in the status the action starts from
        shop = a_shop(c)
        sub = shop.subscription(status, **fields)

        # When the customer takes the action
        with counting_calls() as calls:
            answer = shop.portal.call(method, f"/portal/subscriptions/{sub['subscription_id']}/{action}", body)

        # Then it succeeds within three reads (the session, then the organization with the
        # subscription in one BatchGetItem, then open credits where it bills) and four writes
        assert answer.status < 300, answer.json
        assert within_budget(calls), dict(calls.operations)


def test_turning_auto_charge_on_stays_within_its_call_budget(aws):
    with client() as c:
        shop = a_shop(c)
        sub = shop.subscription("live", payment_method_id=shop.saved_card(), **TERM)

        with counting_calls() as calls:
            answer = shop.portal.call("PUT", f"/portal/subscriptions/{sub['subscription_id']}/auto-charge",
                                      {"enabled": True})

        assert answer.status == 200, answer.json
        assert within_budget(calls), dict(calls.operations)


def test_choosing_a_subscriptions_card_stays_within_its_call_budget(aws):
    with client() as c:
        # Given a live subscription without a card, and a card saved
        shop = a_shop(c)
        sub = shop.subscription("live", **TERM)
        card = shop.saved_card()

        # When the customer chooses the card, turning auto-charge on with it
        with counting_calls() as calls:
            answer = shop.portal.put(f"/portal/subscriptions/{sub['subscription_id']}/payment-method",
                                     {"payment_method_id": card, "auto_charge": True})

        # Then the cards come with the subscription (the account summary mirrors them): within budget
        assert answer.status == 200, answer.json
        assert within_budget(calls), dict(calls.operations)


def test_deleting_a_pause_schedule_stays_within_its_call_budget(aws):
    with client() as c:
        shop = a_shop(c)
        path = f"/portal/subscriptions/{shop.subscription('live', **TERM)['subscription_id']}/pause-schedule"
        assert shop.portal.put(path, {"pause_at": (NOW.date() + timedelta(days=3)).isoformat()}).status == 200

        with counting_calls() as calls:
            answer = shop.portal.delete(path)

        assert answer.status == 200, answer.json
        assert within_budget(calls), dict(calls.operations)


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_deciding_an_estimate_stays_within_its_call_budget(aws, decision):
    with client() as c:
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id)

        with counting_calls() as calls:
            answer = scene.zoe.portal.post(f"/portal/estimates/{estimate['estimate_id']}/{decision}", {})

        assert answer.status == 200, answer.json
        assert within_budget(calls), dict(calls.operations)


@pytest.mark.parametrize("kind", ["invoice", "estimate"])
def test_forwarding_a_document_stays_within_its_call_budget(aws, kind):
    with client() as c:
        # Given an invoice or an estimate, and a second contact to forward it to
        scene = a_scene(Api(c))
        document = (an_invoice if kind == "invoice" else an_estimate)(scene.admin, scene.customer_id)
        hank = scene.contact_id("hank@globex.example")

        # When Zoë forwards it (its PDF rendered and the email sent at once)
        with counting_calls() as calls:
            answer = scene.zoe.portal.post(f"/portal/{kind}s/{document[kind + '_id']}/forward", {"contact_ids": [hank]})

        # Then: the session, the organization, customer and document in one read, the same again
        # to render the attachment; the rate limit, the email (recorded, then marked sent), the activity
        assert answer.status == 202, answer.json
        assert within_budget(calls), dict(calls.operations)
