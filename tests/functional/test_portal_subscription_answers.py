"""What the portal's subscription answers show: every action answers the subscription with the
invoice, credit note and payment it raised or took (null when none), in the portal's own views,
never the payment's idempotency key, gateway ids or a stored version; a subscription's invoices
are listed as /portal/invoices lists them; a quote names its addons as requests choose them."""
from datetime import timedelta

from tests.support.api import NOW, client
from tests.support.portal import internals_in
from tests.support.subscriptions import TERM, a_shop, mark_expired_at_trial_end

OUTCOME = {"subscription", "invoice", "credit_note", "payment"}


def test_a_plan_change_answer_shows_no_payment_internals(aws):
    with client() as c:
        # Given Pro mid-term, charged automatically to Zoë's saved card
        shop = a_shop(c)
        sub = shop.subscription("live", auto_charge=True, payment_method_id=shop.saved_card(), **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        quote = shop.portal.post(f"{path}/changes/preview", {"plan": "biz"}).json

        # When she moves to Business now
        answer = shop.portal.post(f"{path}/changes", {"plan": "biz", "quote_id": quote["quote_id"]})

        # Then the answer has the credit note, the invoice and the payment that paid it, as the portal shows them
        assert answer.status == 200, answer.json
        invoice, note, payment = (answer.json[key] for key in ("invoice", "credit_note", "payment"))
        assert (invoice["status"], invoice["balance_minor"], invoice["overdue"]) == ("paid", 0, False)
        assert [p["payment_id"] for p in invoice["payments"]] == [payment["payment_id"]]
        assert (note["total_minor"], note["balance_minor"]) == (4_839, 0)
        assert (payment["status"], payment["amount_minor"], payment["source"]) == (
            "succeeded", quote["amount_due_minor"], "auto_charge")
        assert "next_action" not in payment
        # And nothing the payment service or storage keeps for itself
        assert internals_in(answer.json) == set()


def test_every_subscription_action_answers_invoice_credit_note_and_payment_and_no_internals(aws):
    with client() as c:
        # Given subscriptions of Zoë's in every status an action starts from
        shop = a_shop(c)
        card = shop.saved_card()
        live = shop.subscription("live", auto_charge=True, payment_method_id=card, **TERM)
        ending = shop.subscription("live", **TERM)
        trial = shop.subscription("trial", auto_charge=True, payment_method_id=card)
        paused = shop.subscription("paused", **TERM)
        cancelled = shop.subscription("cancelled", **TERM)
        expired = shop.subscription("expired")
        mark_expired_at_trial_end(shop.acme.org.org_id, shop.zoe.customer_id, expired["subscription_id"])

        def path(sub, rest):
            return f"/portal/subscriptions/{sub['subscription_id']}{rest}"

        # When she does each action once
        answers = {
            "change now": shop.portal.post(path(live, "/changes"), {"plan": "biz"}),
            "change at term end": shop.portal.post(path(live, "/changes"), {"plan": "pro", "when": "end_of_term"}),
            "auto-charge off": shop.portal.put(path(live, "/auto-charge"), {"enabled": False}),
            "pause later": shop.portal.put(path(live, "/pause-schedule"), {"pause_at": "2026-12-01"}),
            "no pause": shop.portal.delete(path(live, "/pause-schedule")),
            "cancel at term end": shop.portal.post(path(ending, "/cancel"), {"when": "end_of_term"}),
            "keep": shop.portal.delete(path(ending, "/scheduled-cancellation")),
            "cancel now": shop.portal.post(path(ending, "/cancel"), {"when": "now"}),
            "activate": shop.portal.post(path(trial, "/activate"), {}),
            "resume": shop.portal.post(path(paused, "/resume"), {}),
            "reactivate": shop.portal.post(path(cancelled, "/reactivate"), {}),
            "extend trial": shop.portal.post(path(expired, "/extend-trial")),
        }

        # Then every answer has the same keys, what was billed in them, and no internals
        assert {name: a.status for name, a in answers.items() if a.status != 200} == {}
        assert {name: sorted(a.json) for name, a in answers.items() if set(a.json) != OUTCOME} == {}
        billed = {name: tuple(key for key in ("invoice", "credit_note", "payment") if a.json[key] is not None)
                  for name, a in answers.items()}
        assert billed == {
            "change now": ("invoice", "credit_note", "payment"), "change at term end": (), "auto-charge off": (),
            "pause later": (), "no pause": (), "cancel at term end": (), "keep": (), "cancel now": (),
            "activate": ("invoice", "payment"), "resume": ("invoice",),
            "reactivate": ("invoice", "credit_note"),   # the cancelled term's paid days still to come are credited
            "extend trial": ()}
        assert {name: internals_in(a.json) for name, a in answers.items() if internals_in(a.json)} == {}


def test_a_subscriptions_invoices_are_listed_as_the_invoices_list_shows_them(aws):
    with client() as c:
        # Given a live subscription whose term invoice (due in 15 days) is past due by the merchant's
        # test clock, and another subscription's invoice
        shop = a_shop(c)
        assert shop.admin.patch("/admin/organization", {"test_mode": True}).status == 200
        sub = shop.subscription("live")
        other = shop.subscription("live", plan="biz")
        assert shop.admin.post("/admin/test-clock", {"advance_to": (NOW + timedelta(days=20)).isoformat()}).status == 200

        # When Zoë lists that subscription's invoices
        answer = shop.portal.get(f"/portal/subscriptions/{sub['subscription_id']}/invoices")

        # Then they are the lines /portal/invoices shows for it: balance and overdue by the merchant's clock
        assert answer.status == 200, answer.json
        everything = shop.portal.get("/portal/invoices").json["items"]
        assert answer.json["items"] == [i for i in everything if i["subscription_id"] == sub["subscription_id"]]
        [invoice] = answer.json["items"]
        assert (invoice["overdue"], invoice["balance_minor"]) == (True, 10_000)
        assert other["subscription_id"] in {i["subscription_id"] for i in everything}
        assert internals_in(answer.json) == set()


def test_a_quote_names_its_addons_as_requests_choose_them(aws):
    with client() as c:
        shop = a_shop(c)
        sub = shop.subscription("live", **TERM)
        chosen = {"addons": [{"code": "seats", "quantity": 2}]}

        quote = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes/preview", chosen)

        assert quote.status == 200, quote.json
        assert quote.json["addons"] == [{"code": "seats", "quantity": 2}]
