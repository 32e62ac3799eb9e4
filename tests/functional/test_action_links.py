"""POST /admin/customers/{id}/action-links and POST /portal/action-links/redeem: the merchant makes a
single-use, expiring link for one customer; signed in as that customer, following it once answers the
page of its action, and another account's, an expired or a used link says so and does nothing."""
import re

from tests.support.action_links import redeem, token_of
from tests.support.api import Api, client
from tests.support.documents import a_scene, an_estimate, an_invoice, other_org_stranger, same_org_stranger, \
    signed_in, turn
from tests.support.portal import emails_to, new_customer, text_of


def a_link(scene, action: str, target_id: str | None = None, **extra) -> dict:
    body = {"action": action, **({"target_id": target_id} if target_id else {}), **extra}
    answer = scene.admin.post(f"/admin/customers/{scene.customer_id}/action-links", body)
    assert answer.status == 201, answer.json
    return answer.json


def stored_links() -> list:
    from chalicelib.tables.action_links import ActionLinkItem
    return list(ActionLinkItem.scan())


def test_a_link_to_pay_an_invoice_leads_its_customer_to_the_payment_of_that_invoice_once(aws):
    with client() as c:
        # Given an open invoice of Globex, and a link to pay it made by the merchant
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        made = a_link(scene, "pay_invoice", invoice["invoice_id"], expires_in_days=3)

        # Then the link opens the portal at the action's page, and only the token's hash is kept
        assert made["url"].startswith("http://127.0.0.1:8000/#/act/")
        assert (made["action"], made["target_id"]) == ("pay_invoice", invoice["invoice_id"])
        assert made["expires_at"].startswith("2026-11-")
        token = token_of(made["url"])
        [item] = stored_links()
        assert item.token_hash != token and token not in str(item.attribute_values)

        # When Zoë, signed in, follows it (and her browser retries the request)
        first, retry = redeem(scene.zoe, token), redeem(scene.zoe, token)

        # Then both answer the page where the invoice is paid
        assert first.status == retry.status == 200, first.json
        assert first.json == retry.json == {"action": "pay_invoice", "target_id": invoice["invoice_id"],
                                            "route": f"/pay?invoices={invoice['invoice_id']}"}

        # And once used, it is used: Hank, of the same customer, gets a clear refusal
        hank = signed_in(scene.api, scene.acme.org.org_id, scene.zoe.customer, "hank@globex.example")
        reused = redeem(hank, token)
        assert reused.status == 409
        assert reused.json["error"]["code"] == "action_link_used"
        assert "already used" in reused.json["error"]["message"]


def test_each_action_leads_to_its_own_page(aws):
    with client() as c:
        scene = a_scene(Api(c))
        estimate = an_estimate(scene.admin, scene.customer_id)

        routes = {action: redeem(scene.zoe, token_of(a_link(scene, action, target)["url"])).json["route"]
                  for action, target in (("accept_estimate", estimate["estimate_id"]),
                                         ("update_payment_method", None), ("write_review", None))}

        assert routes == {"accept_estimate": f"/approvals?tab=estimates&estimate={estimate['estimate_id']}",
                          "update_payment_method": "/details", "write_review": "/reviews"}


def test_a_link_for_another_customer_says_so_and_stays_usable_by_its_own(aws):
    with client() as c:
        # Given a link for Globex, and Bill of Initech (another customer of Acme) signed in
        scene = a_scene(Api(c))
        token = token_of(a_link(scene, "update_payment_method")["url"])
        initech = new_customer(scene.admin, display_name="Initech", email="bill@initech.example")
        bill = signed_in(scene.api, scene.acme.org.org_id, initech, "bill@initech.example")

        # When Bill follows it
        answer = redeem(bill, token)

        # Then it says the link is someone else's, shows nothing of Globex, and does nothing else
        assert answer.status == 404
        assert answer.json["error"]["code"] == "action_link_other_account"
        assert "sent to another account" in answer.json["error"]["message"]
        assert "Globex" not in str(answer.json) and scene.customer_id not in str(answer.json)
        assert redeem(scene.zoe, token).status == 200


def test_an_expired_link_says_so(aws):
    with client() as c:
        # Given a link good for one day
        scene = a_scene(Api(c))
        token = token_of(a_link(scene, "write_review", expires_in_days=1)["url"])

        # When Hank, of the same customer, signs in a day later and follows it
        scene.clock.advance(days=1)
        hank = signed_in(scene.api, scene.acme.org.org_id, scene.zoe.customer, "hank@globex.example")
        answer = redeem(hank, token)

        # Then it has expired, and is not marked used
        assert answer.status == 410
        assert answer.json["error"]["code"] == "action_link_expired"
        assert "expired" in answer.json["error"]["message"]
        [item] = stored_links()
        assert item.used_at is None


def test_an_unknown_link_is_not_found(aws):
    with client() as c:
        scene = a_scene(Api(c))

        answer = redeem(scene.zoe, "no-such-link")

        assert answer.status == 404 and answer.json["error"]["code"] == "not_found"


def test_a_link_to_another_customers_item_or_for_a_missing_customer_is_404_and_nothing_is_kept(aws):
    with client() as c:
        # Given invoices of another customer of Acme and of another organization's customer
        scene = a_scene(Api(c))
        neighbour, foreign = same_org_stranger(scene), other_org_stranger(scene)
        theirs = an_invoice(neighbour.admin, neighbour.customer_id)
        far = an_invoice(foreign.admin, foreign.customer_id)
        path = f"/admin/customers/{scene.customer_id}/action-links"

        # When the merchant makes links to them for Globex, or for a customer it does not have
        answers = [scene.admin.post(path, {"action": "pay_invoice", "target_id": theirs["invoice_id"]}),
                   scene.admin.post(path, {"action": "pay_invoice", "target_id": far["invoice_id"]}),
                   scene.admin.post(path, {"action": "pay_invoice", "target_id": "inv_missing"}),
                   scene.admin.post(f"/admin/customers/{foreign.customer_id}/action-links",
                                    {"action": "update_payment_method"})]

        # Then each is 404 like a missing one, and no link exists
        assert [a.status for a in answers] == [404, 404, 404, 404]
        assert answers[0].json["error"] == answers[2].json["error"]
        assert stored_links() == []


def test_a_malformed_link_request_is_refused_with_its_field(aws):
    with client() as c:
        scene = a_scene(Api(c))
        invoice = an_invoice(scene.admin, scene.customer_id)
        path = f"/admin/customers/{scene.customer_id}/action-links"

        for body, field in (({"action": "delete_account"}, "action"),
                            ({"action": "pay_invoice"}, "target_id"),
                            ({"action": "write_review", "target_id": invoice["invoice_id"]}, "target_id"),
                            ({"action": "pay_invoice", "target_id": invoice["invoice_id"], "expires_in_days": 0},
                             "expires_in_days"),
                            ({"action": "pay_invoice", "target_id": invoice["invoice_id"], "expires_in_days": 31},
                             "expires_in_days")):
            answer = scene.admin.post(path, body)

            assert answer.status == 400, (body, answer.json)
            assert field in answer.json["error"]["details"]["fields"], (body, answer.json)
        assert stored_links() == []


def test_a_link_carries_the_portal_name_and_needs_a_session(aws):
    with client() as c:
        scene = a_scene(Api(c))
        scene.admin.patch("/admin/organization", {"portal_name": "acme"})

        made = a_link(scene, "write_review")

        assert made["url"].startswith("http://127.0.0.1:8000/?portal=acme#/act/")
        assert Api(c).post("/portal/action-links/redeem", {"token": token_of(made["url"])}).status == 401


def test_a_review_request_emails_an_action_link_to_the_review_page(aws):
    with client() as c:
        # Given a review request for Globex
        scene = a_scene(Api(c))
        assert scene.admin.post(f"/admin/customers/{scene.customer_id}/review-requests").status == 202

        # When Zoë follows the link in the email
        [message] = emails_to("zoe@globex.example")
        token = token_of(re.search(r"(http\S+#/act/[A-Za-z0-9_-]+)", text_of(message)).group(1))
        answer = redeem(scene.zoe, token)

        # Then it leads to the review page
        assert answer.status == 200 and answer.json["route"] == "/reviews"


def test_no_link_is_made_to_a_page_the_merchant_turned_off(aws):
    with client() as c:
        scene = a_scene(Api(c))
        turn(scene, "reviews", False)

        answer = scene.admin.post(f"/admin/customers/{scene.customer_id}/action-links", {"action": "write_review"})

        assert answer.status == 403 and answer.json["error"]["details"] == {"feature": "reviews"}
        assert stored_links() == []
