"""The destructive-sounding actions keep the books: after cancelling now, removing a card,
declining an estimate, rejecting a timesheet, voiding an invoice and a credit note, a refund and
signing out, every item the merchant's books hold is still there, its status changed."""
from chalicelib.bootstrap import adapters
from tests.support.api import client
from tests.support.books import census
from tests.support.documents import a_credit_note, a_timesheet, an_estimate, an_invoice
from tests.support.payments import deliver, stripe_event, with_webhook_secret
from tests.support.subscriptions import a_shop


def test_what_the_portal_and_the_merchant_undo_changes_status_and_deletes_nothing_of_the_books(aws, monkeypatch):
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given Zoë with a subscription, a card, a paid invoice, an invoice and a credit note to void,
        # an estimate and a timesheet awaiting her, and a review she wrote
        shop = a_shop(c)
        org_id, customer_id = shop.acme.org.org_id, shop.zoe.customer_id
        sub = shop.subscription("live")
        card = shop.saved_card()
        paid = an_invoice(shop.admin, customer_id)
        payment = shop.portal.post("/portal/payments", {"invoice_ids": [paid["invoice_id"]], "payment_method": card},
                                   headers={"Idempotency-Key": "pay-1"}).json
        to_void, note = an_invoice(shop.admin, customer_id), a_credit_note(shop.admin, customer_id, 500)
        estimate, timesheet = an_estimate(shop.admin, customer_id), a_timesheet(shop.admin, customer_id)
        assert shop.portal.post("/portal/reviews", {"rating": 2, "comment": "Pricey"}).status == 201
        before = census()
        assert all(before[table] for table in ("subscriptions", "invoices", "payments", "credit_notes", "estimates",
                                               "timesheets", "reviews", "activity", "account_summaries"))

        # When everything that sounds like deleting is done
        done = [
            shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel", {"when": "now"}),
            shop.portal.delete(f"/portal/payment-methods/{card}"),
            shop.portal.post(f"/portal/estimates/{estimate['estimate_id']}/decline", {"comment": "Too dear"}),
            shop.portal.post(f"/portal/timesheets/{timesheet['timesheet_id']}/reject", {"comment": "Wrong week"}),
            shop.admin.post(f"/admin/invoices/{to_void['invoice_id']}/void", {"customer_id": customer_id}),
            shop.admin.post(f"/admin/credit-notes/{note['credit_note_id']}/void", {"customer_id": customer_id}),
            deliver(shop.api, a_refund_of(org_id, customer_id, payment, 4000)),
            shop.portal.post("/portal/auth/logout"),
        ]
        assert [answer.status for answer in done] == [200, 204, 200, 200, 200, 200, 200, 204], \
            [answer.json for answer in done]

        # Then every item of the books is still there
        after = census()
        for table, items in before.items():
            assert set(items) <= set(after[table]), f"{table} lost {set(items) - set(after[table])}"
        # And what was undone says so
        assert status_of(after, "subscriptions", sub["subscription_id"]) == "cancelled"
        assert status_of(after, "estimates", estimate["estimate_id"]) == "declined"
        assert status_of(after, "timesheets", timesheet["timesheet_id"]) == "rejected"
        assert status_of(after, "invoices", to_void["invoice_id"]) == "void"
        assert status_of(after, "credit_notes", note["credit_note_id"]) == "void"
        assert status_of(after, "invoices", paid["invoice_id"]) == "paid"
        refunded = adapters().uow.payments.get(org_id, customer_id, payment["payment_id"])
        assert (refunded.status.value, refunded.refunded_minor, refunded.method_summary) == (
            "succeeded", 4000, payment["method_summary"])
        assert len(after["activity"]) > len(before["activity"])   # each action left its record


def a_refund_of(org_id: str, customer_id: str, payment: dict, amount_minor: int) -> str:
    gateway_id = adapters().uow.payments.get(org_id, customer_id, payment["payment_id"]).gateway_payment_id
    return stripe_event("charge.refunded", {"id": "ch_1", "object": "charge", "payment_intent": gateway_id,
                                            "amount": payment["amount_minor"], "amount_refunded": amount_minor,
                                            "refunded": False, "currency": "usd"})


def status_of(found: dict, table: str, item_id: str) -> str:
    return next(status for (_, key), status in found[table].items() if key == item_id)
