"""Estimates (accept/decline) and timesheets (approve/reject): pending ones listed, decided once,
the dashboard's pending counts kept exact, the merchant notified."""
from datetime import timedelta

import pytest

from chalicelib.bootstrap import adapters
from tests.support.api import Api, client
from tests.support.documents import (a_scene, a_timesheet, an_estimate, other_org_stranger, same_org_stranger,
                                     sign_in_contact)
from tests.support.portal import assert_refused, internals_in


def pending(scene) -> tuple[int, int]:
    summary = adapters().uow.account_summaries.get(scene.acme.org.org_id, scene.customer_id, "USD")
    return summary.pending_estimates, summary.pending_timesheets


def an_expired_estimate(scene) -> dict:
    """Sent 40 days ago, valid for 30."""
    today = scene.clock.now
    scene.clock.now = today - timedelta(days=40)
    estimate = an_estimate(scene.admin, scene.customer_id, 10_000, expires_in_days=30)
    scene.clock.now = today
    return estimate


def test_pending_estimates_are_listed_and_one_is_accepted_with_a_comment(aws):
    with client() as c:
        # Given two estimates awaiting an answer
        scene = a_scene(Api(c))
        first = an_estimate(scene.admin, scene.customer_id, 100_000)
        scene.clock.advance(seconds=1)
        second = an_estimate(scene.admin, scene.customer_id, 200_000)
        assert pending(scene) == (2, 0)
        listed = scene.zoe.portal.get("/portal/estimates?status=sent").json["items"]
        assert [e["number"] for e in listed] == [second["number"], first["number"]]

        # When Hank accepts the first with a comment
        hank = sign_in_contact(scene, "hank@globex.example")
        scene.clock.advance(seconds=1)
        answer = hank.post(f"/portal/estimates/{first['estimate_id']}/accept", {"comment": "Go ahead in January."})

        # Then it is accepted by him, one estimate is left pending, and the merchant is told
        assert answer.status == 200, answer.json
        assert (answer.json["status"], answer.json["comment"]) == ("accepted", "Go ahead in January.")
        assert answer.json["decided_by_name"] == "Hank Scorpio"
        assert answer.json["decided_at"] == scene.clock.now.isoformat()
        assert pending(scene) == (1, 0)
        assert [e["number"] for e in scene.zoe.portal.get("/portal/estimates?status=sent").json["items"]] == \
            [second["number"]]
        assert scene.zoe.portal.get(f"/portal/estimates/{first['estimate_id']}").json["status"] == "accepted"
        [notification] = scene.admin.get("/admin/notifications").json["items"]
        assert notification["kind"] == "estimate.accepted"
        assert notification["headline"] == f"Globex accepted estimate {first['number']}"
        activity = scene.zoe.portal.get("/portal/activity").json["items"]
        assert activity[0]["action"] == "estimate.accepted" and activity[0]["summary"] == "Go ahead in January."


def test_an_estimate_is_declined_without_a_comment(aws):
    with client() as c:
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id)

        answer = scene.zoe.portal.post(f"/portal/estimates/{estimate['estimate_id']}/decline")

        assert answer.status == 200 and answer.json["status"] == "declined" and answer.json["comment"] == ""
        assert pending(scene) == (0, 0)
        assert scene.admin.get("/admin/notifications").json["items"][0]["kind"] == "estimate.declined"
        assert [e["number"] for e in scene.zoe.portal.get("/portal/estimates?status=declined").json["items"]] == \
            [estimate["number"]]


def test_an_estimate_is_decided_once(aws):
    with client() as c:
        # Given an accepted estimate
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id)
        path = f"/portal/estimates/{estimate['estimate_id']}"
        assert scene.zoe.portal.post(f"{path}/accept").status == 200

        # When it is declined, or accepted again
        declined = scene.zoe.portal.post(f"{path}/decline")
        again = scene.zoe.portal.post(f"{path}/accept")

        # Then both conflict with its status, and nothing changes
        for answer in (declined, again):
            assert answer.status == 409 and answer.json["error"]["details"] == {"current_status": "accepted"}
        assert pending(scene) == (0, 0)
        assert scene.zoe.portal.get(path).json["status"] == "accepted"
        assert len(scene.admin.get("/admin/notifications").json["items"]) == 1


def test_an_expired_estimate_is_shown_as_expired_and_cannot_be_accepted(aws):
    with client() as c:
        # Given an estimate whose validity ended ten days ago
        scene = a_scene(Api(c))
        estimate = an_expired_estimate(scene)

        # When the customer tries to accept it
        answer = scene.zoe.portal.post(f"/portal/estimates/{estimate['estimate_id']}/accept")

        # Then the business rule refuses it, and it is listed as expired, not as awaiting an answer
        assert answer.status == 422 and answer.json["error"]["code"] == "estimate_expired"
        assert "ask Acme Cloud for a new one" in answer.json["error"]["message"]
        assert scene.zoe.portal.get("/portal/estimates?status=sent").json["items"] == []
        [expired] = scene.zoe.portal.get("/portal/estimates?status=expired").json["items"]
        assert expired["estimate_id"] == estimate["estimate_id"] and expired["status"] == "expired"
        assert scene.zoe.portal.get(f"/portal/estimates/{estimate['estimate_id']}").json["status"] == "expired"
        assert scene.admin.get("/admin/notifications").json["items"] == []


def test_pending_timesheets_are_approved_or_rejected(aws):
    with client() as c:
        # Given two timesheets awaiting approval
        scene = a_scene(Api(c))
        onboarding = a_timesheet(scene.admin, scene.customer_id, "Onboarding")
        scene.clock.advance(seconds=1)
        training = a_timesheet(scene.admin, scene.customer_id, "Training")
        assert pending(scene) == (0, 2)
        listed = scene.zoe.portal.get("/portal/timesheets?status=pending").json["items"]
        assert [t["project"] for t in listed] == ["Training", "Onboarding"]

        # When one is approved and the other rejected with a reason
        approved = scene.zoe.portal.post(f"/portal/timesheets/{onboarding['timesheet_id']}/approve")
        rejected = scene.zoe.portal.post(f"/portal/timesheets/{training['timesheet_id']}/reject",
                                         {"comment": "Two hours were not worked."})

        # Then each is decided, none is pending, and the merchant is told of both
        assert (approved.status, approved.json["status"]) == (200, "approved")
        assert (rejected.status, rejected.json["status"], rejected.json["comment"]) == \
            (200, "rejected", "Two hours were not worked.")
        assert pending(scene) == (0, 0)
        assert scene.zoe.portal.get("/portal/timesheets?status=pending").json["items"] == []
        assert scene.zoe.portal.get(f"/portal/timesheets/{training['timesheet_id']}").json["status"] == "rejected"
        kinds = [n["kind"] for n in scene.admin.get("/admin/notifications").json["items"]]
        assert sorted(kinds) == ["timesheet.approved", "timesheet.rejected"]
        # And deciding again conflicts
        again = scene.zoe.portal.post(f"/portal/timesheets/{onboarding['timesheet_id']}/reject")
        assert again.status == 409 and again.json["error"]["details"] == {"current_status": "approved"}
        assert pending(scene) == (0, 0)


def test_a_decided_estimate_and_timesheet_show_who_decided_by_name_and_no_internals(aws):
    with client() as c:
        # Given an estimate and a timesheet Hank decided, and a timesheet still pending
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id)
        sheet = a_timesheet(scene.admin, scene.customer_id, "Onboarding")
        a_timesheet(scene.admin, scene.customer_id, "Training")
        hank = sign_in_contact(scene, "hank@globex.example")
        decisions = [hank.post(f"/portal/estimates/{estimate['estimate_id']}/accept"),
                     hank.post(f"/portal/timesheets/{sheet['timesheet_id']}/approve")]

        # When Zoë looks at them, one by one and in the lists
        shown = [scene.zoe.portal.get(f"/portal/estimates/{estimate['estimate_id']}"),
                 scene.zoe.portal.get(f"/portal/timesheets/{sheet['timesheet_id']}")]
        estimates = scene.zoe.portal.get("/portal/estimates").json["items"]
        timesheets = scene.zoe.portal.get("/portal/timesheets").json["items"]

        # Then each names Hank, not his contact id, and shows no stored version
        assert [a.json["decided_by_name"] for a in decisions + shown] == ["Hank Scorpio"] * 4
        assert [e["decided_by_name"] for e in estimates] == ["Hank Scorpio"]
        assert {t["project"]: t["decided_by_name"] for t in timesheets} == {
            "Onboarding": "Hank Scorpio", "Training": None}
        assert [internals_in(a.json) for a in decisions + shown] == [set()] * 4
        assert internals_in(estimates) | internals_in(timesheets) == set()


@pytest.mark.parametrize("stranger_of", [same_org_stranger, other_org_stranger])
def test_another_customers_estimates_and_timesheets_answer_404_like_missing_ones(aws, stranger_of):
    with client() as c:
        # Given another customer's estimate and timesheet
        scene = a_scene(Api(c))
        stranger = stranger_of(scene)
        estimate = an_estimate(stranger.admin, stranger.customer_id)
        sheet = a_timesheet(stranger.admin, stranger.customer_id)
        portal = scene.zoe.portal

        # When the signed-in customer reads or decides them
        answers = {
            "estimate": [portal.get(f"/portal/estimates/{estimate['estimate_id']}"),
                         portal.post(f"/portal/estimates/{estimate['estimate_id']}/accept"),
                         portal.post(f"/portal/estimates/{estimate['estimate_id']}/decline")],
            "timesheet": [portal.get(f"/portal/timesheets/{sheet['timesheet_id']}"),
                          portal.post(f"/portal/timesheets/{sheet['timesheet_id']}/approve"),
                          portal.post(f"/portal/timesheets/{sheet['timesheet_id']}/reject")]}
        missing = {"estimate": portal.post("/portal/estimates/est_missing/accept"),
                   "timesheet": portal.post("/portal/timesheets/ts_missing/approve")}

        # Then every answer is the 404 of a missing one, and nothing was decided
        for kind, theirs in answers.items():
            for answer in theirs:
                assert answer.status == 404 and answer.json["error"] == missing[kind].json["error"]
        assert portal.get("/portal/estimates").json["items"] == []
        assert portal.get("/portal/timesheets").json["items"] == []
        assert stranger.admin.get("/admin/notifications").json["items"] == []


def test_bad_filters_and_decisions_are_refused_and_decide_nothing(aws):
    with client() as c:
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id)
        accept = f"/portal/estimates/{estimate['estimate_id']}/accept"

        answers = [scene.zoe.portal.get("/portal/estimates?status=pending"),
                   scene.zoe.portal.get("/portal/timesheets?status=sent"),
                   scene.zoe.portal.get("/portal/estimates?limit=0"),
                   scene.zoe.portal.post(accept, {"comment": "x" * 5001}),
                   scene.zoe.portal.post(accept, {"note": "hi"}),
                   scene.zoe.portal.post(accept, {"comment": 5})]

        for answer in answers:
            assert answer.status == 400 and answer.json["error"]["details"]["fields"], answer.json
        assert pending(scene) == (1, 0)
        assert scene.zoe.portal.get(f"/portal/estimates/{estimate['estimate_id']}").json["status"] == "sent"


def test_approvals_need_a_session(aws):
    with client() as c:
        anonymous = Api(c)
        for answer in (anonymous.get("/portal/estimates"), anonymous.get("/portal/estimates/est_1"),
                       anonymous.post("/portal/estimates/est_1/accept"),
                       anonymous.post("/portal/estimates/est_1/decline"),
                       anonymous.get("/portal/timesheets"), anonymous.get("/portal/timesheets/ts_1"),
                       anonymous.post("/portal/timesheets/ts_1/approve"),
                       anonymous.post("/portal/timesheets/ts_1/reject")):
            assert_refused(answer)
