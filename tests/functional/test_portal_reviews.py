"""POST|GET /portal/reviews, and POST /admin/customers/{id}/review-requests: reviews are
private to the merchant, notify it, and can be asked for by email."""
import re

from tests.support.api import Api, client
from tests.support.documents import a_scene, other_org_stranger, signed_in, turn
from tests.support.portal import assert_refused, emails_to, new_customer, text_of


def test_a_review_is_kept_for_the_merchant_who_is_notified(aws):
    with client() as c:
        # Given a signed-in customer
        scene = a_scene(Api(c))

        # When Zoë rates the merchant 4 stars with a comment
        answer = scene.zoe.portal.post("/portal/reviews", {"rating": 4, "comment": "Quick support, <i>great</i>."})

        # Then the review is kept, the merchant sees it and is notified
        assert answer.status == 201, answer.json
        review = answer.json
        assert (review["rating"], review["comment"], review["contact_id"]) == \
            (4, "Quick support, <i>great</i>.", scene.zoe.contact["contact_id"])
        merchant_view = scene.admin.get(f"/admin/reviews?customer_id={scene.customer_id}").json["items"]
        assert [r["review_id"] for r in merchant_view] == [review["review_id"]]
        [notification] = scene.admin.get("/admin/notifications").json["items"]
        assert notification["kind"] == "review.received" and notification["subject_id"] == review["review_id"]
        assert notification["headline"] == "Globex rated you 4 out of 5"
        # And the customer sees its own reviews, and the review on its timeline
        mine = scene.zoe.portal.get("/portal/reviews").json
        assert [r["review_id"] for r in mine["items"]] == [review["review_id"]] and mine["next_cursor"] is None
        assert "review.written" in [a["action"] for a in scene.zoe.portal.get("/portal/activity").json["items"]]


def test_a_customer_lists_only_its_own_reviews(aws):
    with client() as c:
        # Given a review by another customer of the same organization
        scene = a_scene(Api(c))
        other = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        bill = signed_in(scene.api, scene.acme.org.org_id, other, "bill@initech.example")
        assert bill.portal.post("/portal/reviews", {"rating": 1, "comment": "Meh"}).status == 201
        assert scene.zoe.portal.post("/portal/reviews", {"rating": 5}).status == 201

        # When Zoë lists her reviews
        mine = scene.zoe.portal.get("/portal/reviews").json["items"]

        # Then Bill's is not there
        assert [(r["rating"], r["customer_id"]) for r in mine] == [(5, scene.customer_id)]


def test_a_rating_outside_one_to_five_or_a_malformed_review_is_refused(aws):
    with client() as c:
        scene = a_scene(Api(c))

        for body in ({"rating": 0}, {"rating": 6}, {"rating": "5"}, {"rating": 4.5}, {},
                     {"rating": 3, "comment": "x" * 5001}, {"rating": 3, "public": True}):
            answer = scene.zoe.portal.post("/portal/reviews", body)

            assert answer.status == 400 and answer.json["error"]["details"]["fields"], body
        assert scene.admin.get("/admin/reviews").json["items"] == []
        assert scene.admin.get("/admin/notifications").json["items"] == []


def test_reviews_are_refused_when_the_merchant_turned_them_off(aws):
    with client() as c:
        # Given a merchant without reviews
        scene = a_scene(Api(c))
        turn(scene, "reviews", False)

        # When the customer writes or lists reviews, or the merchant asks for one
        writing = scene.zoe.portal.post("/portal/reviews", {"rating": 5})
        listing = scene.zoe.portal.get("/portal/reviews")
        asking = scene.admin.post(f"/admin/customers/{scene.customer_id}/review-requests")

        # Then each is refused as a disabled feature, and nothing is written or sent
        for answer in (writing, listing, asking):
            assert answer.status == 403 and answer.json["error"]["details"] == {"feature": "reviews"}
        assert scene.admin.get("/admin/reviews").json["items"] == []
        assert emails_to("zoe@globex.example") == []

        # And with reviews back on, they work
        turn(scene, "reviews", True)
        assert scene.zoe.portal.post("/portal/reviews", {"rating": 5}).status == 201


def test_the_merchant_asks_the_primary_contact_for_a_review_by_email(aws):
    with client() as c:
        # Given Globex, whose primary contact is Zoë
        scene = a_scene(Api(c))

        # When the merchant requests a review
        answer = scene.admin.post(f"/admin/customers/{scene.customer_id}/review-requests")

        # Then Zoë (not Hank) gets an email with an action link to the portal's review page
        assert answer.status == 202, answer.json
        assert answer.json == {"customer_id": scene.customer_id, "sent_to": "zoe@globex.example",
                               "email_status": "queued"}
        [message] = emails_to("zoe@globex.example")
        assert message["Subject"] == "How was your experience with Acme Cloud?"
        assert message["Reply-To"] == "billing@acme.example"
        link = re.search(r"http://127\.0\.0\.1:8000/#/act/([A-Za-z0-9_-]+)", text_of(message))
        assert f'href="{link.group(0)}"' in message.get_body(("html",)).get_content()
        followed = scene.zoe.portal.post("/portal/action-links/redeem", {"token": link.group(1)})
        assert followed.json["route"] == "/reviews"
        assert emails_to("hank@globex.example") == []
        # And the request is on the customer's timeline
        [entry] = [a for a in scene.zoe.portal.get("/portal/activity").json["items"] if a["action"] == "review.requested"]
        assert entry["actor"]["type"] == "merchant"


def test_review_requests_are_throttled_per_customer(aws):
    with client() as c:
        scene = a_scene(Api(c))
        path = f"/admin/customers/{scene.customer_id}/review-requests"

        answers = [scene.admin.post(path) for _ in range(4)]

        assert [a.status for a in answers] == [202, 202, 202, 429]
        assert len(emails_to("zoe@globex.example")) == 3


def test_a_review_request_for_another_organizations_customer_answers_404(aws):
    with client() as c:
        scene = a_scene(Api(c))
        stranger = other_org_stranger(scene)

        theirs = scene.admin.post(f"/admin/customers/{stranger.customer_id}/review-requests")
        missing = scene.admin.post("/admin/customers/cus_missing/review-requests")

        assert theirs.status == missing.status == 404
        assert theirs.json["error"] == missing.json["error"]


def test_reviews_need_a_session_and_review_requests_a_merchant_key(aws):
    with client() as c:
        anonymous = Api(c)
        assert_refused(anonymous.post("/portal/reviews", {"rating": 5}))
        assert_refused(anonymous.get("/portal/reviews"))
        assert anonymous.post("/admin/customers/cus_1/review-requests").status == 401


def test_a_review_request_links_to_the_review_page_of_the_organizations_own_portal(aws):
    with client() as c:
        # Given Globex, a customer of Acme, whose portal is named "acme"
        scene = a_scene(Api(c))
        scene.admin.patch("/admin/organization", {"portal_name": "acme"})

        # When the merchant requests a review
        scene.admin.post(f"/admin/customers/{scene.customer_id}/review-requests")

        # Then the link opens Acme's portal (the sign-in there asks no organization) to follow it
        [message] = emails_to("zoe@globex.example")
        assert "http://127.0.0.1:8000/?portal=acme#/act/" in text_of(message)
