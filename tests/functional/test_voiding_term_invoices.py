"""A merchant voids an invoice only when no day it bills is still to come: unused days of a term
are credited on a change, pause, cancellation or reactivation, and a voided term would have them
credited for money never charged (docs/billing.md, Voiding an invoice)."""
from datetime import timedelta

from tests.support.api import NOW, client
from tests.support.portal import login
from tests.support.scheduled_work import credit_notes_of, invoices_of, run_jobs, state
from tests.support.subscriptions import EVERYTHING_ON, a_shop

DAY = timedelta(days=1)


def a_renewal_invoiced(c):
    """Zoë's Pro renewed on Nov 25 for Nov 25 - Dec 25, its 100.00 invoice open (no auto-charge)."""
    shop = a_shop(c)
    sub = shop.subscription("live", term_start=NOW - 30 * DAY, term_end=NOW)
    run_jobs(c)
    [term_invoice] = invoices_of(shop, sub)
    assert term_invoice["status"] == "open"
    return shop, sub, term_invoice


def signed_in(shop):
    return shop.api.as_(login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password).json["token"])


def voiding(shop, invoice: dict):
    return shop.admin.post(f"/admin/invoices/{invoice['invoice_id']}/void", {"customer_id": shop.zoe.customer_id})


def test_the_invoice_of_the_term_in_use_cannot_be_voided_and_a_change_credits_only_what_was_billed(aws):
    with client() as c:
        # Given Zoë's renewal invoiced and open, ten days into the term
        shop, sub, term_invoice = a_renewal_invoiced(c)
        shop.clock.advance(days=10)

        # When the merchant voids it
        answer = voiding(shop, term_invoice)

        # Then it is refused, pointing to a credit note, and the invoice stays due
        assert answer.status == 422 and answer.json["error"]["code"] == "invoice_bills_days_to_come", answer.json
        assert "credit note" in answer.json["error"]["message"]
        assert [i["status"] for i in invoices_of(shop, sub)] == ["open"]

        # And when Zoë changes to Business now, the Pro days left are credited against the billed term
        token = login(shop.api, shop.acme.org.org_id, shop.zoe.email, shop.zoe.password).json["token"]
        changed = shop.api.as_(token).post(f"/portal/subscriptions/{sub['subscription_id']}/changes", {"plan": "biz"})
        assert changed.status in (200, 201), changed.json
        credited = sum(note.total_minor for note in credit_notes_of(shop, sub))
        assert 0 < credited <= term_invoice["total_minor"]
        assert state(shop, sub).plan.code == "biz"


def test_an_invoice_whose_days_have_all_passed_can_be_voided(aws):
    with client() as c:
        # Given Zoë's Nov 25 - Dec 25 invoice left open, and the next term renewed on Dec 25
        shop, sub, old_invoice = a_renewal_invoiced(c)
        shop.clock.advance(days=30)
        run_jobs(c)
        assert len(invoices_of(shop, sub)) == 2

        # When the merchant writes off the old term's invoice
        answer = voiding(shop, old_invoice)

        # Then it is void: none of its days can be credited any more
        assert answer.status == 200 and answer.json["status"] == "void", answer.json
        assert [i["status"] for i in invoices_of(shop, sub)] == ["void", "open"]


def test_an_invoice_whose_days_were_kept_over_a_pause_cannot_be_voided_while_they_are_still_to_come(aws):
    with client() as c:
        # Given Zoë's Nov 25 - Dec 25 invoice open, and a merchant who keeps paid days over a pause
        shop, sub, term_invoice = a_renewal_invoiced(c)
        shop.preferences({**EVERYTHING_ON, "pause_resume": {"enabled": True, "customer_can_resume": True,
                                                             "unused_time": "keep"}})
        # And Zoë pausing on Dec 1, keeping the 24 paid days left
        shop.clock.advance(days=6)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        paused = signed_in(shop).put(f"{path}/pause-schedule", {})
        assert paused.json["subscription"]["pause"]["paid_days_kept"] == 24, paused.json

        # When the merchant voids the invoice on Dec 26, after the last day it names
        shop.clock.advance(days=25)
        answer = voiding(shop, term_invoice)

        # Then it is refused: the kept days are still to come, and cancelling credits them against what was billed
        assert answer.status == 422 and answer.json["error"]["code"] == "invoice_bills_days_to_come", answer.json
        cancelled = signed_in(shop).post(f"{path}/cancel", {"when": "now"})
        assert cancelled.status == 200, cancelled.json
        assert [i["status"] for i in invoices_of(shop, sub)] == ["open"]
        assert 0 < sum(note.total_minor for note in credit_notes_of(shop, sub)) <= term_invoice["total_minor"]


def test_an_invoice_whose_days_a_change_credited_cannot_be_voided_once_they_have_passed(aws):
    with client() as c:
        # Given Zoë's Nov 25 - Dec 25 Pro invoice open, and her change to Business on Dec 5 crediting its days left
        shop, sub, term_invoice = a_renewal_invoiced(c)
        shop.clock.advance(days=10)
        changed = signed_in(shop).post(f"/portal/subscriptions/{sub['subscription_id']}/changes", {"plan": "biz"})
        assert changed.status in (200, 201), changed.json
        [note] = credit_notes_of(shop, sub)

        # When the merchant voids the Pro invoice on Dec 26, after the last day it names
        shop.clock.advance(days=21)
        answer = voiding(shop, term_invoice)

        # Then it is refused, naming the credit note: the credit stands for days it billed
        assert answer.status == 422 and answer.json["error"]["code"] == "invoice_days_credited", answer.json
        assert note.number in answer.json["error"]["message"]
        assert "open" in [i["status"] for i in invoices_of(shop, sub)]


def test_a_void_meeting_a_change_of_its_subscription_between_its_read_and_its_write_is_refused_and_writes_nothing(
        aws, monkeypatch):
    with client() as c:
        # Given Zoë's Nov 25 - Dec 25 invoice open, her subscription paused on Dec 1 keeping the 24 paid days
        # left, and cancelled on Dec 26: the credit note of the kept days is what refuses a void
        shop, sub, term_invoice = a_renewal_invoiced(c)
        shop.preferences({**EVERYTHING_ON, "pause_resume": {"enabled": True, "customer_can_resume": True,
                                                             "unused_time": "keep"}})
        shop.clock.advance(days=6)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        assert signed_in(shop).put(f"{path}/pause-schedule", {}).status == 200
        shop.clock.advance(days=25)
        assert signed_in(shop).post(f"{path}/cancel", {"when": "now"}).status == 200
        cancelled = state(shop, sub)

        # When the merchant voids the invoice, and Zoë undoes the cancellation between the void's read of
        # her subscription and its write (the subscription paused again, keeping the days, the note void)
        undo_between_the_voids_read_and_its_write(monkeypatch, shop, sub)
        answer = voiding(shop, term_invoice)

        # Then the void is refused as a lost race, and wrote nothing: the kept days stay billed
        assert answer.status == 409 and answer.json["error"]["code"] == "concurrent_update", answer.json
        assert [i["status"] for i in invoices_of(shop, sub)] == ["open"]
        after = state(shop, sub)
        assert (cancelled.status.value, after.status.value) == ("cancelled", "paused")
        assert "invoice.voided" not in actions_on(shop, term_invoice["invoice_id"])


def undo_between_the_voids_read_and_its_write(monkeypatch, shop, sub: dict) -> None:
    """The void reads the subscription's credit notes after the subscription itself: the undo commits
    just before that read, once."""
    from chalicelib.bootstrap import now, services
    from chalicelib.services.subscriptions.actions import Caller
    from chalicelib.tables.credit_notes import CreditNotes
    reading = CreditNotes.of_subscription

    def meanwhile(self, *args):
        monkeypatch.setattr(CreditNotes, "of_subscription", reading)
        caller = Caller(shop.acme.org.org_id, shop.zoe.customer_id, shop.zoe.contact["contact_id"])
        services().subscriptions.undo(caller, sub["subscription_id"], now=now())
        return reading(self, *args)
    monkeypatch.setattr(CreditNotes, "of_subscription", meanwhile)


def actions_on(shop, subject_id: str) -> list[str]:
    from chalicelib.bootstrap import adapters
    page = adapters().uow.activity.page(shop.acme.org.org_id, shop.zoe.customer_id, limit=100, cursor=None)
    return [record.action for record in page.items if record.subject_id == subject_id]
