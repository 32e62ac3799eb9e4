"""The scheduled job carries out what was scheduled on subscriptions, invoked as EventBridge would
(a generated CloudWatch event through chalice.test.Client): cancellations at term end, pauses and
resumes, trial ends (paid, declined, needing authentication, without auto-charge), renewals and
dunning until retries run out."""
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from chalicelib.gateways.email_templates import render_email

from tests.support.api import NOW, client
from tests.support.payments import counting_gateway
from tests.support.portal import emails_to, login, run_the_outbox_job, text_of
from tests.support.scheduled_work import auto_charged, credit_notes_of, dunning_policy, invoices_of, run_jobs, state
from tests.support.subscriptions import a_shop

DAY = timedelta(days=1)
TODAY = NOW.date()


def test_a_non_renewing_subscription_is_cancelled_at_term_end_without_an_invoice(aws):
    with client() as c:
        # Given a subscription cancelled at the end of its term, ten days from now
        shop = a_shop(c)
        sub = shop.subscription("non_renewing", term_start=NOW - 20 * DAY, term_end=NOW + 10 * DAY)

        # When the job runs before and after the term ends
        run_jobs(c)
        before = state(shop, sub).status.value
        shop.clock.advance(days=10)
        run_jobs(c)

        # Then it stayed non-renewing until then, and is cancelled since, with nothing invoiced
        assert before == "non_renewing"
        after = state(shop, sub)
        # (at the start of the term's end day, in the organization's time zone: UTC here)
        assert after.status.value == "cancelled" and after.cancelled_at == datetime(2026, 12, 5, tzinfo=timezone.utc)
        assert invoices_of(shop, sub) == []


def test_a_scheduled_pause_stops_billing_and_the_resume_starts_a_charged_term_from_its_date(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a live subscription with auto-charge, a pause scheduled in 2 days and a resume in 40
        shop = a_shop(c)
        sub = auto_charged(shop, term_start=NOW - 5 * DAY)
        answer = shop.portal.put(f"/portal/subscriptions/{sub['subscription_id']}/pause-schedule",
                                 {"pause_at": (TODAY + 2 * DAY).isoformat(), "resume_at": (TODAY + 40 * DAY).isoformat()})
        assert answer.status == 200, answer.json

        # When the pause date comes, then the term end passes while paused, then the resume date
        shop.clock.advance(days=2)
        run_jobs(c)
        paused = state(shop, sub)
        shop.clock.advance(days=30)
        run_jobs(c)
        still_paused = state(shop, sub)
        shop.clock.advance(days=8)
        run_jobs(c)

        # Then it paused on its day, its 23 unused paid days credited (100.00 x 23/30), nothing billed while paused
        assert paused.status.value == "paused" and paused.paused_at == TODAY + 2 * DAY
        assert [n.total_minor for n in credit_notes_of(shop, sub)] == [7_667]
        assert still_paused.status.value == "paused"
        # and it resumed live with a new term from the resume day, invoiced, the credit applied, the rest charged
        resumed = state(shop, sub)
        assert resumed.status.value == "live" and resumed.term_start == TODAY + 40 * DAY
        invoices = invoices_of(shop, sub)
        assert [(i["status"], i["total_minor"]) for i in invoices] == [("paid", 10_000)]
        assert gateway.charges == 1


def test_a_trial_with_a_card_becomes_live_when_its_first_charge_succeeds(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a trial ending in 14 days, with auto-charge and a saved card
        shop = a_shop(c)
        sub = auto_charged(shop, "trial", trial_end=NOW + 14 * DAY)

        # When the trial ends and the job runs
        shop.clock.advance(days=14)
        run_jobs(c)

        # Then the first term is invoiced, paid off-session, and the subscription is live
        after = state(shop, sub)
        assert after.status.value == "live" and after.term_start == TODAY + 14 * DAY
        assert after.unpaid_invoice_id is None
        assert [i["status"] for i in invoices_of(shop, sub)] == ["paid"]
        assert gateway.charges == 1


def test_a_trial_whose_first_charge_is_declined_expires_and_the_customer_may_extend_it(aws):
    with client() as c:
        # Given a trial with auto-charge on a card that will be declined
        shop = a_shop(c)
        sub = auto_charged(shop, "trial", card="pm_card_chargeDeclined", trial_end=NOW + 14 * DAY)

        # When the trial ends and the job runs
        shop.clock.advance(days=14)
        run_jobs(c)

        # Then it expired for that reason, its invoice voided, and the customer was told
        after = state(shop, sub)
        assert after.status.value == "expired" and after.expired_reason == "trial_charge_failed"
        assert [i["status"] for i in invoices_of(shop, sub)] == ["void"]
        assert [m["Subject"] for m in emails_to(shop.zoe.email) if "failed" in m["Subject"]]
        # and the customer can extend the trial (a fresh sign-in: two weeks passed)
        from chalicelib.bootstrap import services
        from chalicelib.services.subscriptions.actions import Caller
        caller = Caller(shop.acme.org.org_id, shop.zoe.customer_id, shop.zoe.contact["contact_id"])
        extended = services().subscriptions.extend_trial(caller, sub["subscription_id"], now=shop.clock.now)
        assert extended.subscription.subscription.status.value == "trial"


def test_a_trial_needing_authentication_leaves_the_invoice_open_and_emails_a_link_without_retrying(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a trial with auto-charge on a card whose bank asks for 3-D Secure
        shop = a_shop(c)
        sub = auto_charged(shop, "trial", card="pm_card_authenticationRequired", trial_end=NOW + 14 * DAY)

        # When the trial ends and the job runs, and runs again days later
        shop.clock.advance(days=14)
        run_jobs(c)
        shop.clock.advance(days=3)
        run_jobs(c)

        # Then the subscription is live with its invoice open, charged off-session only once
        after = state(shop, sub)
        assert after.status.value == "live"
        [invoice] = invoices_of(shop, sub)
        assert invoice["status"] != "paid" and invoice["balance_minor"] == 10_000
        assert len(gateway.calls) == 1
        # and the customer was emailed a link to pay it
        [message] = [m for m in emails_to(shop.zoe.email) if m["Subject"].startswith("Action needed")]
        token = re.search(r"/#/act/([A-Za-z0-9_-]+)", text_of(message)).group(1)
        session = login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password).json["token"]
        followed = shop.api.as_(session).post("/portal/action-links/redeem", {"token": token})
        assert followed.json["route"] == f"/pay?invoices={invoice['invoice_id']}"


def test_a_trial_without_auto_charge_goes_live_with_an_open_invoice(aws):
    with client() as c:
        shop = a_shop(c)
        sub = shop.subscription("trial", trial_end=NOW + 14 * DAY)

        shop.clock.advance(days=14)
        run_jobs(c)

        assert state(shop, sub).status.value == "live"
        assert [(i["status"], i["balance_minor"]) for i in invoices_of(shop, sub)] == [("open", 10_000)]


def test_a_future_subscription_starts_on_its_date_with_its_trial(aws):
    with client() as c:
        shop = a_shop(c)
        sub = shop.subscription("future", starts_at=NOW + 3 * DAY)

        shop.clock.advance(days=3)
        run_jobs(c)

        after = state(shop, sub)
        assert after.status.value == "trial" and after.trial_end == TODAY + 17 * DAY


def test_a_renewal_applies_the_scheduled_change_and_charges_the_new_term(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a live Pro subscription with auto-charge, a move to Business scheduled at term end
        shop = a_shop(c)
        sub = auto_charged(shop, term_start=NOW - 20 * DAY, term_end=NOW + 10 * DAY)
        answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes",
                                  {"plan": "biz", "when": "end_of_term"})
        assert answer.status in (200, 201), answer.json

        # When the term ends and the job runs
        shop.clock.advance(days=10)
        run_jobs(c)

        # Then the new term is Business, invoiced at 200.00 and paid
        after = state(shop, sub)
        assert after.status.value == "live" and after.plan.code == "biz" and after.scheduled_change is None
        assert after.term_start == TODAY + 10 * DAY
        assert [(i["status"], i["total_minor"]) for i in invoices_of(shop, sub)] == [("paid", 20_000)]
        assert gateway.charges == 1


def test_a_declined_renewal_is_retried_after_1_3_and_5_days_then_becomes_unpaid(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a live subscription charged to a card that will be declined, its term ending tomorrow
        shop = a_shop(c)
        sub = auto_charged(shop, card="pm_card_chargeDeclined", term_start=NOW - 29 * DAY, term_end=NOW + DAY)

        # When the term ends, then day by day for a week
        statuses = []
        for _ in range(7):
            shop.clock.advance(days=1)
            run_jobs(c)
            statuses.append(state(shop, sub).status.value)

        # Then the renewal failed into dunning, was retried on days 1, 3 and 5, then left unpaid
        assert statuses == ["dunning", "dunning", "dunning", "dunning", "dunning", "unpaid", "unpaid"]
        assert len(gateway.calls) == 4 and gateway.charges == 0
        [invoice] = invoices_of(shop, sub)
        assert invoice["balance_minor"] == 10_000


def test_when_retries_run_out_the_organization_may_cancel_instead(aws):
    with client() as c:
        # Given an organization that retries once after 2 days, then cancels
        shop = a_shop(c)
        dunning_policy(shop, retry_after_days=[2], when_exhausted="cancel")
        sub = auto_charged(shop, card="pm_card_chargeDeclined", term_start=NOW - 30 * DAY, term_end=NOW)

        # When the renewal fails, and two days later the retry fails too
        run_jobs(c)
        first = state(shop, sub).status.value
        shop.clock.advance(days=2)
        run_jobs(c)

        # Then it went to dunning, then was cancelled
        assert first == "dunning"
        after = state(shop, sub)
        assert after.status.value == "cancelled" and after.cancel_reason == "dunning_exhausted"


def test_a_renewal_paid_by_the_customer_during_dunning_ends_the_retries(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a renewal that failed into dunning
        shop, sub, invoice = a_renewal_in_dunning(c)

        # When the customer pays the invoice with another card, and the retry date comes
        paid = shop.portal.post("/portal/payments", {"invoice_ids": [invoice["invoice_id"]],
                                                     "payment_method": "pm_card_visa"},
                                headers={"Idempotency-Key": "pay-1"})
        assert paid.status in (200, 201), paid.json
        shop.clock.advance(days=1)
        run_jobs(c)

        # Then the subscription is live again and the retry charged nothing
        assert state(shop, sub).status.value == "live"
        assert gateway.charges == 1


def test_paying_the_invoice_in_dunning_brings_the_subscription_back_at_once_and_stops_the_retries(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a renewal that failed into dunning, a retry due tomorrow
        shop, sub, invoice = a_renewal_in_dunning(c)

        # When the customer pays it in the portal
        paid = pay_in_portal(shop, invoice, "pay-now")

        # Then the subscription is live before any job runs, with nothing left to retry
        assert paid.json["status"] == "succeeded"
        after = state(shop, sub)
        assert (after.status.value, after.unpaid_invoice_id, after.next_retry_at) == ("live", None, None)
        assert "subscription.dunning_paid" in timeline_of(shop, sub)
        shop.clock.advance(days=1)
        run_jobs(c)
        assert gateway.charges == 1 and state(shop, sub).status.value == "live"


def test_an_unpaid_subscription_is_live_again_once_its_invoice_is_paid(aws):
    with client() as c:
        # Given a subscription left unpaid after its one retry failed
        shop = a_shop(c)
        dunning_policy(shop, retry_after_days=[1], when_exhausted="unpaid")
        sub = auto_charged(shop, card="pm_card_chargeDeclined", term_start=NOW - 30 * DAY, term_end=NOW)
        run_jobs(c)
        shop.clock.advance(days=1)
        run_jobs(c)
        assert state(shop, sub).status.value == "unpaid"
        [invoice] = invoices_of(shop, sub)

        # When the customer pays the invoice with a card that works
        pay_in_portal(shop, invoice, "pay-unpaid")

        # Then it is live again, and its timeline says why
        assert state(shop, sub).status.value == "live"
        assert "subscription.unpaid_paid" in timeline_of(shop, sub)


def test_a_merchant_recording_the_full_payment_revives_the_subscription_and_a_part_payment_does_not(aws):
    with client() as c:
        # Given a subscription in dunning for a 100.00 invoice
        shop, sub, invoice = a_renewal_in_dunning(c)

        def record(amount_minor):
            answer = shop.admin.post("/admin/payments", {"customer_id": shop.zoe.customer_id,
                                                         "invoice_id": invoice["invoice_id"],
                                                         "amount_minor": amount_minor})
            assert answer.status == 201, answer.json
            return state(shop, sub).status.value

        # When the merchant records a bank transfer of part of it, then of the rest
        # Then only the payment that settles the invoice brings the subscription back
        assert (record(4_000), record(6_000)) == ("dunning", "live")


def test_a_retry_the_job_charges_itself_is_recorded_by_the_job_once(aws):
    with client() as c:
        # Given a renewal in dunning, and Zoë replacing the declined card with one that works
        shop, sub, _invoice = a_renewal_in_dunning(c)
        declined = state(shop, sub).payment_method_id
        replaced = shop.portal.put(f"/portal/payment-methods/{declined}", {"payment_method": "pm_card_visa"})
        assert replaced.status == 200, replaced.json

        # When the retry date comes and the job charges the new card
        shop.clock.advance(days=1)
        report = run_jobs(c)

        # Then the job, which held the subscription, brought it back once and failed nothing
        assert report["failed"] == [] and state(shop, sub).status.value == "live"
        assert timeline_of(shop, sub).count("subscription.dunning_paid") == 1



def test_a_retry_whose_outcome_fails_to_be_written_emails_the_customer_once_when_it_is_run_again(aws, monkeypatch):
    from chalicelib.services.subscriptions import scheduled
    with client() as c:
        # Given a renewal in dunning whose retry tomorrow will be declined again
        shop, sub, _invoice = a_renewal_in_dunning(c)
        run_the_outbox_job()
        told_before = len(emails_to(shop.zoe.email))

        # When the retry's outcome fails to be written once, and the job runs again after its lease
        save, failed = scheduled._save, []

        def save_failing_once(adapters, job, after, action, *args, **kwargs):
            if action == "subscription.dunning_retry_failed" and not failed:
                failed.append(action)
                raise RuntimeError("the transaction was cancelled")
            return save(adapters, job, after, action, *args, **kwargs)
        monkeypatch.setattr(scheduled, "_save", save_failing_once)
        shop.clock.advance(days=1)
        assert run_jobs(c)["failed"], "the first run's write should have failed"
        shop.clock.advance(minutes=10)
        assert run_jobs(c)["failed"] == []
        run_the_outbox_job()

        # Then the customer was told of the failed retry once, with the outcome that was written
        assert failed and timeline_of(shop, sub).count("subscription.dunning_retry_failed") == 1
        assert len(emails_to(shop.zoe.email)) == told_before + 1

def a_renewal_in_dunning(c):
    """Zoë's auto-charged renewal was declined: the subscription is in dunning for its invoice."""
    shop = a_shop(c)
    sub = auto_charged(shop, card="pm_card_chargeDeclined", term_start=NOW - 30 * DAY, term_end=NOW)
    run_jobs(c)
    [invoice] = invoices_of(shop, sub)
    return shop, sub, invoice


def pay_in_portal(shop, invoice: dict, key: str):
    """Zoë signs in again (the clock may have outlived her session) and pays the invoice by card."""
    signed_in = login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password)
    assert signed_in.status == 200, signed_in.json
    paid = shop.api.as_(signed_in.json["token"]).post("/portal/payments", {"invoice_ids": [invoice["invoice_id"]], "payment_method": "pm_card_visa"},
                            headers={"Idempotency-Key": key})
    assert paid.status in (200, 201), paid.json
    return paid


def timeline_of(shop, sub: dict) -> list[str]:
    from chalicelib.bootstrap import adapters
    page = adapters().uow.activity.page(shop.acme.org.org_id, shop.zoe.customer_id, limit=100, cursor=None)
    return [r.action for r in page.items if r.subject_id == sub["subscription_id"]]


def test_a_renewal_takes_the_customers_available_credits_off_the_new_term(aws):
    with client() as c:
        # Given a live subscription without auto-charge, and 30.00 of credits available
        shop = a_shop(c)
        sub = shop.subscription("live", term_start=NOW - 30 * DAY, term_end=NOW)
        note = shop.admin.post("/admin/credit-notes", {"customer_id": shop.zoe.customer_id, "reason": "Goodwill",
                                                       "lines": [{"description": "Goodwill",
                                                                  "unit_price_minor": 3_000}]})
        assert note.status == 201, note.json

        # When the job renews it
        run_jobs(c)

        # Then the new term's invoice of 100.00 has 70.00 left to pay, open
        assert [(i["status"], i["total_minor"], i["balance_minor"]) for i in invoices_of(shop, sub)] == [
            ("open", 10_000, 7_000)]


def test_paying_the_invoice_in_dunning_with_a_card_saved_for_future_revives_it_and_charges_that_card_next(aws):
    with client() as c:
        # Given a renewal that failed into dunning
        shop, sub, invoice = a_renewal_in_dunning(c)

        # When the customer pays it with a new card kept for the future
        paid = shop.portal.post("/portal/payments", {"invoice_ids": [invoice["invoice_id"]],
                                                     "payment_method": "pm_card_visa", "save_for_future": True},
                                headers={"Idempotency-Key": "pay-and-keep"})

        # Then the payment succeeded, the subscription is live again and charged to the new card
        assert paid.status == 201 and paid.json["status"] == "succeeded", paid.json
        after = state(shop, sub)
        assert (after.status.value, after.unpaid_invoice_id, after.next_retry_at) == ("live", None, None)
        assert after.payment_method_id != sub["payment_method_id"] and after.auto_charge


def test_dunning_never_outlasts_the_term_it_collects_and_a_payment_after_it_starts_one_new_term(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given a weekly plan retried 1, 3, 5 and 10 days on, and Zoë's renewal of Nov 25 - Dec 2 declined
        shop = a_shop(c)
        weekly_plan(shop)
        dunning_policy(shop, retry_after_days=[1, 3, 5, 10], when_exhausted="unpaid")
        sub = auto_charged(shop, plan="weekly", card="pm_card_chargeDeclined", term_start=NOW - 7 * DAY,
                           term_end=NOW)
        run_jobs(c)
        assert state(shop, sub).status.value == "dunning"

        # When the retries of days 1, 3 and 5 fail, Zoë saves a card that works on Dec 1, and the job
        # runs every day up to Dec 5 (the day of the fourth retry)
        statuses = []
        for day in range(1, 11):
            shop.clock.advance(days=1)
            if day == 6:
                replace_card(shop, state(shop, sub).payment_method_id)
            run_jobs(c)
            statuses.append(state(shop, sub).status.value)

        # Then the dunning ended unpaid on Dec 2, when the term ended; the day-10 retry never charged
        assert statuses == ["dunning"] * 6 + ["unpaid"] * 4
        assert gateway.charges == 0
        [renewal] = invoices_of(shop, sub)

        # And when Zoë pays that invoice on Dec 5, one new term starts that day: one invoice, not a catch-up
        pay_in_portal(shop, renewal, "pay-late")
        run_jobs(c)
        after = state(shop, sub)
        assert (after.status.value, after.term_start, after.term_end) == ("live", TODAY + 10 * DAY, TODAY + 17 * DAY)
        assert [i["total_minor"] for i in invoices_of(shop, sub)] == [700, 700]


def weekly_plan(shop) -> None:
    answer = shop.admin.post("/admin/plans", {"code": "weekly", "name": "Weekly", "price_minor": 700,
                                              "currency": "USD", "interval": "week"})
    assert answer.status == 201, answer.json


def replace_card(shop, declined: str) -> None:
    """Zoë signs in again (the clock may have outlived her session) and replaces the declined card."""
    signed_in = login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password)
    assert signed_in.status == 200, signed_in.json
    replaced = shop.api.as_(signed_in.json["token"]).put(f"/portal/payment-methods/{declined}",
                                                         {"payment_method": "pm_card_visa"})
    assert replaced.status == 200, replaced.json


def test_when_the_dunning_ends_with_the_term_the_customer_is_emailed_once_what_became_of_the_subscription(aws):
    with client() as c:
        # Given Zoë's weekly renewal of Nov 25 - Dec 2 declined, retried 1, 3, 5 and 10 days on (the
        # day-10 retry does not fit), and a subscription of hers renewing with a card that works
        shop = a_shop(c)
        weekly_plan(shop)
        dunning_policy(shop, retry_after_days=[1, 3, 5, 10], when_exhausted="unpaid")
        sub = auto_charged(shop, plan="weekly", card="pm_card_chargeDeclined", term_start=NOW - 7 * DAY,
                           term_end=NOW)
        auto_charged(shop, term_start=NOW - 30 * DAY, term_end=NOW + 7 * DAY)
        run_jobs(c)

        # When the job runs every day until the term has ended, twice on the day it ends
        for day in range(1, 8):
            shop.clock.advance(days=1)
            run_jobs(c)
            if day == 7:
                run_jobs(c)

        # Then the subscription is unpaid, and Zoë has one email about it: the invoice, its amount,
        # that no charge was made, what paying it does, and a link to pay it
        assert state(shop, sub).status.value == "unpaid"
        [renewal] = invoices_of(shop, sub)
        [email] = queued_emails(shop, "dunning_ended")
        assert email.to == (shop.zoe.email,) and email.link["target_id"] == renewal["invoice_id"]
        subject, _, text = render_email(email.template, {**email.context, "link": "https://portal.example/#/act/t"})
        assert subject.startswith(f"Invoice {email.context['invoice_number']} from ")
        assert "for $7.00 was still unpaid when its term ended on December 2, 2026. No further charge was " \
               "attempted." in text
        assert "Your subscription is now unpaid. Paying the invoice from the customer portal restarts it." in text


def test_a_subscription_cancelled_when_its_term_ends_in_dunning_is_told_it_is_cancelled(aws):
    with client() as c:
        # Given a weekly renewal retried 10 days on, which does not fit, under a schedule that cancels
        shop = a_shop(c)
        weekly_plan(shop)
        dunning_policy(shop, retry_after_days=[10], when_exhausted="cancel")
        sub = auto_charged(shop, plan="weekly", card="pm_card_chargeDeclined", term_start=NOW - 7 * DAY,
                           term_end=NOW)
        run_jobs(c)

        # When the term ends
        shop.clock.advance(days=7)
        run_jobs(c)

        # Then it is cancelled, and the email says so
        assert state(shop, sub).status.value == "cancelled"
        [email] = queued_emails(shop, "dunning_ended")
        assert email.context["next_step"] == "Your subscription is now cancelled."


def test_a_retry_set_for_after_the_term_before_the_rule_ends_the_dunning_when_it_comes_due_charging_nothing(
        aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given Zoë's weekly renewal of Nov 25 - Dec 2 in dunning, its retries of days 1, 3 and 5
        # failed, and its day-10 retry set for Dec 5 and indexed then, as the scheduling did before
        # retries were kept within the term
        shop, sub = a_weekly_renewal_past_its_fitting_retries(c)
        retry_set_for(shop, sub, NOW + 10 * DAY, indexed=True)

        # When the job runs every day up to Dec 5
        statuses = []
        for _ in range(5):
            shop.clock.advance(days=1)
            run_jobs(c)
            statuses.append(state(shop, sub).status.value)

        # Then the dunning ended on Dec 5, when the index gave it, without a charge; Zoë was told once
        assert statuses == ["dunning"] * 4 + ["unpaid"]
        assert len(gateway.calls) == 4 and gateway.charges == 0     # the renewal and its 3 retries
        assert len(queued_emails(shop, "dunning_ended")) == 1


def test_a_retry_after_the_term_written_back_since_is_found_at_the_terms_end(aws, monkeypatch):
    gateway = counting_gateway(monkeypatch)
    with client() as c:
        # Given the same subscription with its day-10 retry set for Dec 5, written back since the rule
        # (the due index then holds the term's end, Dec 2, which comes first)
        shop, sub = a_weekly_renewal_past_its_fitting_retries(c)
        retry_set_for(shop, sub, NOW + 10 * DAY, indexed=False)

        # When the job runs on Dec 2
        shop.clock.advance(days=2)
        report = run_jobs(c)

        # Then the index query found it, and the dunning ended with the term, nothing charged
        assert [(w["work"], w["status"]) for w in report["done"]] == [("dunning_end", "unpaid")]
        assert state(shop, sub).next_retry_at is None
        assert len(gateway.calls) == 4 and gateway.charges == 0


def a_weekly_renewal_past_its_fitting_retries(c):
    """Zoë's weekly renewal of Nov 25 - Dec 2, declined, its retries of Nov 26, 28 and 30 failed too
    (under retries 1, 3, 5 and 10 days on): on Nov 30, in dunning, no retry left before the term's end."""
    shop = a_shop(c)
    weekly_plan(shop)
    dunning_policy(shop, retry_after_days=[1, 3, 5, 10], when_exhausted="unpaid")
    sub = auto_charged(shop, plan="weekly", card="pm_card_chargeDeclined", term_start=NOW - 7 * DAY, term_end=NOW)
    for days in (0, 1, 2, 2):
        shop.clock.advance(days=days)
        run_jobs(c)
    assert (state(shop, sub).status.value, state(shop, sub).dunning_attempts) == ("dunning", 3)
    return shop, sub


def retry_set_for(shop, sub: dict, at: datetime, *, indexed: bool) -> None:
    """Zoë's subscription with its next retry set for `at`, written back as the repository writes it
    now; `indexed`: its due index moved to `at` too, as the scheduling before the rule wrote it."""
    from chalicelib.bootstrap import adapters
    from chalicelib.domain.organization import clock_name
    from chalicelib.tables.base import owner_key
    from chalicelib.tables.subscriptions import SubscriptionItem
    org = adapters().uow.organizations.get(shop.acme.org.org_id)
    adapters().uow.subscriptions.save(org.org_id, replace(state(shop, sub), next_retry_at=at), clock=clock_name(org))
    if indexed:
        item = SubscriptionItem.get(owner_key(org.org_id, shop.zoe.customer_id), sub["subscription_id"])
        item.update(actions=[SubscriptionItem.due_at.set(at)])


def queued_emails(shop, template: str) -> list:
    from chalicelib.bootstrap import adapters
    queued = adapters().uow.emails.due(shop.clock.now + 365 * DAY, limit=100)
    return [e for e in queued if e.template == template and e.customer_id == shop.zoe.customer_id]
