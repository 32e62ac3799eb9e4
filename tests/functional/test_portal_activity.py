"""GET /portal/activity: the customer's own timeline, newest first, a page at a time."""
from chalicelib.bootstrap import adapters
from chalicelib.domain.engagement import ActivityRecord, Actor
from chalicelib.domain.ids import new_id
from tests.support.api import Api, client
from tests.support.documents import a_scene, an_invoice, same_org_stranger, signed_in
from tests.support.portal import assert_refused, new_customer


def test_the_timeline_shows_what_the_merchant_a_job_and_the_customer_did_newest_first(aws):
    with client() as c:
        # Given an invoice issued by the merchant, a renewal by a job, and a review by Zoë
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        scene.clock.advance(seconds=1)
        adapters().uow.activity.record(scene.acme.org.org_id, ActivityRecord(
            activity_id=new_id("activity", scene.clock.now), customer_id=scene.customer_id,
            actor=Actor("job", "renewals"), action="subscription.renewed", subject_type="subscription",
            subject_id="sub_1", at=scene.clock.now, summary="Pro, renewed"))
        scene.clock.advance(seconds=1)
        assert scene.zoe.portal.post("/portal/reviews", {"rating": 5}).status == 201

        # When she reads her timeline
        answer = scene.zoe.portal.get("/portal/activity")

        # Then all three are there, newest first, each with who did it
        assert answer.status == 200
        assert [(a["action"], a["actor"]["type"]) for a in answer.json["items"]] == [
            ("review.written", "customer"), ("subscription.renewed", "job"), ("invoice.issued", "merchant")]
        assert answer.json["items"][2]["subject_id"] == invoice["invoice_id"]
        assert answer.json["next_cursor"] is None


def test_the_timeline_pages_with_a_cursor_and_holds_only_my_account(aws):
    with client() as c:
        # Given three invoices of Globex and one of another customer
        scene = a_scene(Api(c))
        stranger = same_org_stranger(scene)
        an_invoice(stranger.admin, stranger.customer_id)
        for _ in range(3):
            scene.clock.advance(seconds=1)
            an_invoice(scene.admin, scene.customer_id)

        # When the timeline is read two at a time
        first = scene.zoe.portal.get("/portal/activity?limit=2").json
        second = scene.zoe.portal.get(f"/portal/activity?limit=2&cursor={first['next_cursor']}").json

        # Then the pages hold Globex's three records, once each
        records = first["items"] + second["items"]
        assert len(records) == 3 and len({r["activity_id"] for r in records}) == 3
        assert {r["customer_id"] for r in records} == {scene.customer_id}
        assert second["next_cursor"] is None


def test_a_cursor_of_another_customers_timeline_is_refused(aws):
    with client() as c:
        # Given a cursor Bill of Initech got from his own timeline
        scene = a_scene(Api(c))
        initech = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        bill = signed_in(scene.api, scene.acme.org.org_id, initech, "bill@initech.example")
        for _ in range(2):
            scene.clock.advance(seconds=1)
            an_invoice(scene.admin, initech["customer_id"])
        cursor = bill.portal.get("/portal/activity?limit=1").json["next_cursor"]

        # When Zoë uses it
        answer = scene.zoe.portal.get(f"/portal/activity?cursor={cursor}")

        # Then it is refused as a cursor her list never gave out
        assert answer.status == 400 and "cursor" in answer.json["error"]["details"]["fields"]


def test_the_timeline_needs_a_session(aws):
    with client() as c:
        assert_refused(Api(c).get("/portal/activity"))
