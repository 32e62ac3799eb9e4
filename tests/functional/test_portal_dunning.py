"""A subscription in dunning as its customer sees it: the failed invoice, why it failed in words,
the retries to come by day; paying now ends the dunning as a retry's success would; each failed
attempt's email says the same and leads to that screen."""
import re
from datetime import date

from tests.support.api import client
from tests.support.portal import emails_to, login, text_of
from tests.support.scheduled_work import a_renewal_declined, run_jobs
from tests.support.subscriptions import a_shop



def signed_in_again(shop):
    """Zoë signs in again (the test clock may have outlived her session)."""
    signed_in = login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password)
    assert signed_in.status == 200, signed_in.json
    return shop.api.as_(signed_in.json["token"])


def test_a_subscription_in_dunning_shows_the_invoice_the_reason_in_words_and_the_retries_by_day(aws):
    with client() as c:
        # Given a renewal declined for want of funds
        shop, sub = a_renewal_declined(c)

        # When Zoë looks at its dunning
        answer = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}/dunning")

        # Then she sees the invoice, why it failed in words, and the three retries to come
        assert answer.status == 200, answer.json
        dunning = answer.json
        assert dunning["invoice"]["amount_due_minor"] == 10_000 and dunning["invoice"]["number"]
        assert dunning["failure"] == {"code": "insufficient_funds",
                                      "message": "The card did not have enough funds for this payment."}
        assert dunning["attempts_made"] == 0
        assert dunning["next_retries"] == ["2026-11-26", "2026-11-28", "2026-11-30"]
        assert (dunning["ends_on"], dunning["after_last_retry"]) == ("2026-11-30", "unpaid")
        assert dunning["payment_method_id"] == sub["payment_method_id"]


def test_the_email_of_a_failed_attempt_says_why_and_when_the_next_retry_is_and_leads_to_the_dunning_screen(aws):
    with client() as c:
        # Given a renewal declined for want of funds
        shop, sub = a_renewal_declined(c)

        # Then Zoë was told why, when it is tried again, with a link to the subscription's screen
        [message] = [m for m in emails_to(shop.zoe.email) if "failed" in m["Subject"]]
        text = text_of(message)
        assert "The card did not have enough funds for this payment." in text
        assert "We will try again on November 26, 2026." in text
        token = re.search(r"/#/act/([A-Za-z0-9_-]+)", text).group(1)
        followed = signed_in_again(shop).post("/portal/action-links/redeem", {"token": token})
        assert followed.json["route"] == f"/subscriptions/{sub['subscription_id']}"


def test_after_a_failed_retry_the_screen_and_the_email_show_the_retries_left(aws):
    with client() as c:
        # Given the first retry (Nov 26) failed too
        shop, sub = a_renewal_declined(c)
        shop.clock.advance(days=1)
        run_jobs(c)

        # Then two retries are left, and the latest email names the next one
        answer = signed_in_again(shop).get(f"/portal/subscriptions/{sub['subscription_id']}/dunning")
        assert answer.json["attempts_made"] == 1
        assert answer.json["next_retries"] == ["2026-11-28", "2026-11-30"]
        latest = [text_of(m) for m in emails_to(shop.zoe.email) if "failed" in m["Subject"]][-1]
        assert "We will try again on November 28, 2026." in latest


def test_retry_now_with_a_new_card_ends_the_dunning_as_a_successful_retry_would(aws):
    with client() as c:
        # Given a renewal in dunning
        shop, sub = a_renewal_declined(c)
        invoice_id = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}/dunning").json["invoice"][
            "invoice_id"]

        # When Zoë retries now with another card, twice with the same Idempotency-Key (a double click)
        body = {"invoice_ids": [invoice_id], "payment_method": "pm_card_visa"}
        paid = shop.portal.post("/portal/payments", body, headers={"Idempotency-Key": f"retry-{invoice_id}"})
        again = shop.portal.post("/portal/payments", body, headers={"Idempotency-Key": f"retry-{invoice_id}"})

        # Then one payment succeeded, the subscription is live with no retries left, and no dunning to show
        assert paid.status == 201 and paid.json["status"] == "succeeded", paid.json
        assert again.json["payment_id"] == paid.json["payment_id"]
        detail = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}").json
        assert detail["status"] == "live"
        gone = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}/dunning")
        assert (gone.status, gone.json["error"]["code"]) == (409, "subscription_not_in_dunning")


def test_a_subscription_not_in_dunning_or_of_another_customer_has_no_dunning_to_show(aws):
    with client() as c:
        # Given a live subscription of Zoë's, and one of another customer's in dunning
        shop = a_shop(c)
        live = shop.subscription("live", term_start=date(2026, 11, 9), term_end=date(2026, 12, 10))
        other_shop, declined = a_renewal_declined(c)

        # Then hers is a conflict that says why, and the other customer's is not found
        mine = shop.portal.get(f"/portal/subscriptions/{live['subscription_id']}/dunning")
        assert (mine.status, mine.json["error"]["code"]) == (409, "subscription_not_in_dunning")
        theirs = shop.portal.get(f"/portal/subscriptions/{declined['subscription_id']}/dunning")
        assert theirs.status == 404
