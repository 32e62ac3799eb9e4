"""The account summary lists the customer's open credit notes, in the transactions that issue, use
and void them, so that an action applying available credits reads them by key, with its catalog
entries, instead of querying for them: the read budget of tests/functional/test_call_budgets.py."""
from datetime import timedelta

from chalicelib.bootstrap import adapters, services
from chalicelib.domain.documents import CreditNoteStatus
from chalicelib.services.documents.commands import NewDocumentLine
from chalicelib.services.payments import collection
from chalicelib.tables.metrics import counting_calls
from tests.support.account_books import a_customer_with_a_card, listed_credit_notes, open_credit_notes
from tests.support.api import NOW, client
from tests.support.documents import a_credit_note
from tests.support.subscriptions import TERM, a_shop

EDIT_ONLY = {"edit_subscription": {"enabled": True}}


def credit(org_id: str, customer_id: str, amount_minor: int, minutes: int) -> str:
    return services().documents.create_credit_note(org_id, customer_id, now=NOW + timedelta(minutes=minutes), lines=[
        NewDocumentLine("Goodwill", amount_minor)]).credit_note_id


def owed(org_id: str, customer_id: str, amount_minor: int) -> str:
    return services().documents.create_invoice(org_id, customer_id, now=NOW, lines=[
        NewDocumentLine("Work", amount_minor)]).invoice_id


def test_the_list_follows_credit_notes_through_issue_partial_use_full_use_and_void(aws):
    # Given a customer with a card
    org_id, customer, card_id = a_customer_with_a_card(NOW)
    customer_id = customer.customer_id

    # When three credit notes are issued, then one voided
    first, second, third = (credit(org_id, customer_id, amount, n) for n, amount in enumerate((1_000, 500, 300)))
    assert listed_credit_notes(org_id, customer_id) == {first, second, third}
    services().documents.void_credit_note(org_id, customer_id, third, NOW)
    assert listed_credit_notes(org_id, customer_id) == {first, second}

    # And an invoice of 12.00 is paid with credits: the oldest used up, the next partly
    collection.pay_invoices(adapters(), org_id, customer_id, invoice_ids=[owed(org_id, customer_id, 1_200)],
                            payment_method=card_id, use_credits=True, idempotency_key="pay-1", now=NOW)
    assert listed_credit_notes(org_id, customer_id) == {second}
    assert adapters().uow.credit_notes.get(org_id, customer_id, second).balance_minor == 300

    # And another uses up the rest
    collection.pay_invoices(adapters(), org_id, customer_id, invoice_ids=[owed(org_id, customer_id, 400)],
                            payment_method=card_id, use_credits=True, idempotency_key="pay-2", now=NOW)

    # Then no credit note is listed, as none has a balance left
    assert listed_credit_notes(org_id, customer_id) == frozenset() == open_credit_notes(org_id, customer_id)


def test_a_change_that_issues_a_credit_note_and_uses_up_an_older_one_keeps_the_list_exact(aws):
    with client() as c:
        # Given Business (200.00) mid-term and an older credit of 10.00
        shop = a_shop(c, preferences=EDIT_ONLY)
        org_id, customer_id = shop.acme.org.org_id, shop.zoe.customer_id
        older = a_credit_note(shop.admin, customer_id, 1_000)["credit_note_id"]
        sub = shop.subscription("live", plan="biz", **TERM)

        # When Zoë downgrades to Pro now: 96.77 credited, a 48.39 invoice paid from the older 10.00 first
        answer = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes", {"plan": "pro"})

        # Then the older note is used up and the new one, 96.77 - 38.39 left, is the one listed
        assert answer.status == 200, answer.json
        note = answer.json["credit_note"]
        assert adapters().uow.credit_notes.get(org_id, customer_id, older).status == CreditNoteStatus.CLOSED
        assert (note["balance_minor"], note["status"]) == (9_677 - 3_839, "open")
        assert listed_credit_notes(org_id, customer_id) == {note["credit_note_id"]} == open_credit_notes(
            org_id, customer_id)


def test_a_credit_note_given_its_credit_back_by_an_undo_is_listed_and_used_again(aws):
    with client() as c:
        # Given Business (200.00) mid-term and an older credit of 10.00, used up by a downgrade to Pro now
        shop = a_shop(c, preferences={**EDIT_ONLY, "cancel": {"enabled": True}})
        org_id, customer_id = shop.acme.org.org_id, shop.zoe.customer_id
        older = a_credit_note(shop.admin, customer_id, 1_000)["credit_note_id"]
        sub = shop.subscription("live", plan="biz", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        assert shop.portal.post(f"{path}/changes", {"plan": "pro"}).status == 200
        assert listed_credit_notes(org_id, customer_id) == open_credit_notes(org_id, customer_id) != {older}

        # When Zoë undoes the downgrade: the older note has its 10.00 back, the downgrade's note is voided
        undone = shop.portal.post(f"{path}/undo")
        assert undone.status == 200, undone.json

        # Then the older note is listed as open again
        assert open_credit_notes(org_id, customer_id) == {older}
        assert older in listed_credit_notes(org_id, customer_id)
        # And the downgrade's preview again applies credits, the older note read by key with the catalog
        # in three calls with the session (no Query: the listed notes add up to the credits)
        with counting_calls() as calls:
            quote = shop.portal.post(f"{path}/changes/preview", {"plan": "pro"}).json
        assert quote["credits_applied_minor"] == 4_839, quote
        assert dict(calls.operations) == {"BatchGetItem": 3}


def test_the_listed_credits_are_read_with_the_catalog_in_three_reads_with_the_session(aws):
    with client() as c:
        # Given Pro mid-term and an available credit of 20.00
        shop = a_shop(c, preferences=EDIT_ONLY)
        a_credit_note(shop.admin, shop.zoe.customer_id, 2_000)
        sub = shop.subscription("live", **TERM)

        # When Zoë previews an upgrade to Business now
        with counting_calls() as calls:
            quote = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes/preview",
                                     {"plan": "biz"}).json

        # Then the credit is applied with the change's own credit note, read in three calls with the session
        assert (quote["credits_applied_minor"], quote["amount_due_minor"]) == (4_839 + 2_000, 9_677 - 6_839)
        assert dict(calls.operations) == {"BatchGetItem": 3}   # the session's with her customer and organization


def test_a_summary_that_predates_the_list_still_finds_the_credits_by_query(aws):
    with client() as c:
        # Given an available credit of 20.00 on a summary written before it listed credit notes
        shop = a_shop(c, preferences=EDIT_ONLY)
        org_id, customer_id = shop.acme.org.org_id, shop.zoe.customer_id
        a_credit_note(shop.admin, customer_id, 2_000)
        forget_the_list(org_id, customer_id)
        sub = shop.subscription("live", **TERM)

        # When Zoë previews an upgrade
        quote = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes/preview",
                                 {"plan": "biz"}).json

        # Then the credit is still applied: the listed notes do not add up to the credits, so they are queried
        assert quote["credits_applied_minor"] == 4_839 + 2_000


def forget_the_list(org_id: str, customer_id: str) -> None:
    from chalicelib.tables.account_summaries import AccountSummaryItem
    from chalicelib.tables.base import owner_key
    item = AccountSummaryItem.get(owner_key(org_id, customer_id))
    item.update(actions=[AccountSummaryItem.open_credit_note_ids.remove()])
    assert adapters().uow.account_summaries.get(org_id, customer_id, "USD").open_credit_note_ids == frozenset()


def test_the_demo_seed_lists_exactly_each_customers_open_credit_notes(aws):
    # Given the demo organization, seeded through the services
    from devstack import seed
    result = seed.seed_demo(NOW)

    # Then every customer's summary lists the credit notes with a balance left, and only those
    for customer_id in result.customer_ids:
        assert listed_credit_notes(result.org_id, customer_id) == open_credit_notes(result.org_id, customer_id)
    assert any(open_credit_notes(result.org_id, customer_id) for customer_id in result.customer_ids)
