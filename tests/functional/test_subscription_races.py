"""Several requests racing on one subscription: exactly one takes effect, every other one gets a
clean 409 and writes nothing. The threads call the services behind the routes
(chalice.test.Client serves one request at a time)."""
from datetime import timedelta

import pytest

from chalicelib.bootstrap import services
from chalicelib.domain.errors import DomainError
from chalicelib.services.subscriptions.actions import Caller
from chalicelib.services.subscriptions.changes import ChangeRequest
from tests.support.api import NOW, client
from tests.support.concurrency import RACERS, at_once, dynamodb_requests_one_at_a_time, every_request_has_read_before_any_writes
from tests.support.subscriptions import TERM, a_shop

ACTIONS = {
    # name: (status to start from, the action)
    "change plan now": ("live", lambda caller, sid, card: services().subscriptions.change(
        caller, sid, ChangeRequest(plan="biz"), when="now", quote_id=None, now=NOW)),
    "cancel": ("live", lambda caller, sid, card: services().subscriptions.cancel(
        caller, sid, when="now", reason=None, now=NOW)),
    "schedule a pause": ("live", lambda caller, sid, card: services().subscriptions.pause(
        caller, sid, pause_at=NOW.date() + timedelta(days=3), resume_at=None, now=NOW)),
    "turn auto-charge on": ("live", lambda caller, sid, card: services().subscriptions.set_auto_charge(
        caller, sid, enabled=True, now=NOW)),
    "reactivate": ("cancelled", lambda caller, sid, card: services().subscriptions.reactivate(
        caller, sid, changes=None, quote_id=None, now=NOW)),
    "activate a trial": ("trial", lambda caller, sid,
                         card: services().subscriptions.activate(caller, sid, quote_id=None, now=NOW)),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_racing_requests_take_effect_once_and_the_rest_get_409(aws, monkeypatch, name):
    status, act = ACTIONS[name]
    with client() as c:
        # Given a subscription, and several requests for the same action at the same moment
        shop = a_shop(c)
        card = shop.saved_card()
        sub = shop.subscription(status, payment_method_id=card, **(TERM if status == "live" else {}))
        caller = Caller(shop.acme.org.org_id, shop.zoe.customer_id, shop.zoe.contact["contact_id"])
        dynamodb_requests_one_at_a_time(monkeypatch)
        every_request_has_read_before_any_writes(monkeypatch)

        # When they race
        answers = at_once(lambda n: act(caller, sub["subscription_id"], card), RACERS)
        monkeypatch.undo()

        # Then exactly one took effect, the others met a conflict (409), and one activity was written
        refused = [a for a in answers if isinstance(a, DomainError)]
        assert len(answers) - len(refused) == 1, answers
        assert {type(e).__name__ for e in refused} <= {"ConcurrentUpdate", "InvalidTransition", "QuoteChanged",
                                                       "BusinessRuleViolation"}, refused
        assert all(e.code in ("concurrent_update", "invalid_status") for e in refused), [e.code for e in refused]
        timeline = shop.portal.get("/portal/activity?limit=100").json["items"]
        by_customer = [a["action"] for a in timeline
                       if a["subject_id"] == sub["subscription_id"] and a["actor"]["type"] == "customer"]
        assert len(by_customer) == 1, by_customer
