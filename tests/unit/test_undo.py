"""Undoing an immediate cancellation or downgrade, as the domain decides it (no AWS): what is kept to
undo, when it is refused and why, and that undoing puts the subscription and the customer's money
exactly where they were before the action; a property test over random subscriptions, credits,
actions and what happens after them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import event, given, settings, strategies as st

from chalicelib.domain import billing, settling, undo
from chalicelib.domain import subscription_actions as actions
from chalicelib.domain.account_summary import SummaryChange, credit_note_moved
from chalicelib.domain.credits import allocate_credits
from chalicelib.domain.documents import CreditNote, CreditNoteStatus, Invoice, InvoiceStatus
from chalicelib.domain.subscription import PlanSnapshot, Subscription, SubscriptionAddon
from chalicelib.domain.subscription_actions import Selection
from chalicelib.domain.subscription_status import Status
from tests.support.domain_builders import NOW, a_credit_note, a_subscription, an_invoice

PRO = PlanSnapshot("pro", "Pro", 10_000)
BUSINESS = PlanSnapshot("biz", "Business", 20_000)
YEARLY = PlanSnapshot("yearly", "Pro yearly", 50_000, "year")


# --- builders: the action as the portal takes it, its documents issued as invoicing.bill issues them ---

def written(sub: Subscription) -> Subscription:
    """`sub` as a write leaves it: the version moved on by one."""
    return replace(sub, version=(sub.version or 0) + 1)


def issued(bill: billing.Bill, credits: list[CreditNote]) -> tuple[Invoice | None, CreditNote | None, list]:
    """The invoice and credit note of `bill`, with the open `credits` and then the new note applied to
    the invoice, oldest first; and the earlier notes as lowered."""
    sub = bill.subscription
    note = None
    if bill.credit_lines:
        lines = billing.rounded_lines(billing.document_lines(list(bill.credit_lines)), sub.currency)
        total = sum(line.amount_minor for line in lines)
        note = CreditNote("cn_action", sub.customer_id, "CN-000009", sub.currency, CreditNoteStatus.OPEN, NOW, lines,
                          total, total, reason=bill.credit_reason)
    invoice = None
    lowered = {n.credit_note_id: n for n in credits}
    if bill.charge_lines:
        invoice = billing.build_invoice(invoice_id="inv_action", number="INV-000009", customer_id=sub.customer_id,
                                        currency=sub.currency, lines=billing.document_lines(list(bill.charge_lines)),
                                        issued_at=NOW, issued_on=NOW.date(), payment_terms_days=0,
                                        subscription_id=sub.subscription_id, period=bill.period)
        pool = [*credits, *([note] if note else [])]
        from chalicelib.services.documents.invoicing import available
        for note_id, amount in allocate_credits(invoice.balance, available(pool)):
            invoice, applied = settling.credit(invoice, note_id, amount.amount_minor, NOW)
            if note is not None and note_id == note.credit_note_id:
                note = settling.use_credit(note, applied)
            else:
                lowered[note_id] = settling.use_credit(lowered[note_id], applied)
    return invoice, note, list(lowered.values())


def downgraded(sub: Subscription, chosen: Selection, credits: list[CreditNote], minutes: int = 30):
    """Zoë changes `sub` to `chosen` now: the subscription as written, its documents, the credits after."""
    bill = actions.changed_now(sub, chosen, NOW)
    invoice, note, after_credits = issued(bill, credits)
    after = undo.opened("change_now", sub, bill.subscription, NOW, minutes, version=(sub.version or 0) + 1,
                        invoice=invoice, credit_note=note)
    return written(replace(after, version=sub.version)), invoice, note, after_credits


def cancelled(sub: Subscription, minutes: int = 30) -> Subscription:
    after = actions.cancelled_now(sub, "Too expensive", NOW).subscription
    return written(replace(undo.opened("cancel_now", sub, after, NOW, minutes, version=(sub.version or 0) + 1),
                           version=sub.version))


def live_business(**changes) -> Subscription:
    return a_subscription(plan=BUSINESS, version=3, **changes)


# --- what is kept to undo ----------------------------------------------------------------------

def test_an_immediate_cancellation_keeps_the_subscription_as_it_was_until_the_window_ends():
    sub = live_business()

    after = cancelled(sub)

    assert after.status == Status.CANCELLED
    assert after.undo.prior == sub and after.undo.version == after.version == 4
    assert after.undo.until == NOW + timedelta(minutes=30)
    assert undo.open_until(after, NOW + timedelta(minutes=29)) == NOW + timedelta(minutes=30)
    assert undo.open_until(after, NOW + timedelta(minutes=30)) is None


def test_nothing_is_kept_when_the_merchant_turned_undo_off_or_for_an_upgrade_or_another_billing_period():
    sub = live_business()

    assert cancelled(sub, minutes=0).undo is None
    assert downgraded(a_subscription(version=1), Selection(BUSINESS), [])[0].undo is None
    assert downgraded(sub, Selection(YEARLY), [])[0].undo is None


def test_fewer_seats_is_a_downgrade_and_more_is_not():
    seats = lambda n: (SubscriptionAddon("seats", "Seat", 1_000, n),)   # noqa: E731
    sub = live_business(addons=seats(3))

    assert undo.is_downgrade(sub, replace(sub, addons=seats(2)))
    assert not undo.is_downgrade(sub, replace(sub, addons=seats(4)))


# --- when it is refused --------------------------------------------------------------------------

def test_each_refusal_names_what_stops_it():
    sub = live_business()
    after, invoice, note, _ = downgraded(sub, Selection(PRO), [])
    later = NOW + timedelta(minutes=5)

    assert undo.refusal(after, later, invoice, note) is None
    assert undo.refusal(replace(after, undo=None), later, invoice, note) == "nothing_to_undo"
    assert undo.refusal(after, NOW + timedelta(minutes=30), invoice, note) == "undo_window_closed"
    assert undo.refusal(written(after), later, invoice, note) == "subscription_changed"
    assert undo.refusal(after, later, invoice, settling.use_credit(note, 100)) == "credit_used"
    assert undo.refusal(after, later, invoice, replace(note, refunded_minor=100,
                                                       balance_minor=note.balance_minor - 100)) == "refund_made"
    assert undo.refusal(after, later, invoice, replace(note, status=CreditNoteStatus.VOID)) == "documents_changed"
    assert undo.refusal(after, later, replace(invoice, amount_paid_minor=1), note) == "payment_made"


def test_a_cancellation_in_dunning_is_not_undone_once_the_invoice_it_retried_was_paid():
    failed = an_invoice(10_000, invoice_id="inv_failed")
    sub = live_business(status=Status.DUNNING, unpaid_invoice_id="inv_failed")
    after = cancelled(sub)

    assert undo.refusal(after, NOW, None, None, unpaid=failed) is None
    assert undo.refusal(after, NOW, None, None, unpaid=failed, invoice_claimed=True) == "payment_in_progress"
    paid = replace(failed, amount_paid_minor=10_000, status=InvoiceStatus.PAID, paid_at=NOW + timedelta(minutes=1))
    assert undo.refusal(after, NOW + timedelta(minutes=2), None, None, unpaid=paid) == "payment_made"


def test_undone_once_the_same_answer_again_and_after_a_later_change_already_undone():
    sub = live_business()
    after = cancelled(sub)
    back = written(undo.undone(after, NOW, version=after.version + 1).subscription)

    assert back.undo.undone_at == NOW
    assert undo.refusal(back, NOW, None, None) is None
    assert undo.refusal(written(back), NOW, None, None) == "already_undone"
    assert undo.open_until(back, NOW) is None


# --- what undoing means: as if it had not happened --------------------------------------------------

def test_an_undone_cancellation_is_the_subscription_as_it_was():
    sub = live_business()
    after = cancelled(sub)

    undoing = undo.undone(after, NOW, version=after.version + 1)

    assert replace(undoing.subscription, undo=None, version=None) == replace(sub, version=None)
    assert undoing.subscription.version == after.version      # written on the version read
    assert (undoing.documents, undoing.summary) == ((), SummaryChange())


def test_an_undone_downgrade_gives_every_credit_back_and_voids_its_documents():
    # Given Business with 20.00 of credit Zoë had; the downgrade's invoice takes it first
    goodwill = a_credit_note(2_000, number="CN-000001", at=NOW - timedelta(days=3))
    sub = live_business()
    after, invoice, note, credits_after = downgraded(sub, Selection(PRO), [goodwill])

    undoing = undo.undone(after, NOW, version=after.version + 1, invoice=invoice, credit_note=note,
                          earlier_notes={n.credit_note_id: n for n in credits_after})

    written_docs = {doc.number: (doc.status.value, doc.balance_minor) for _, doc in undoing.documents}
    assert written_docs == {"INV-000009": ("void", 0), "CN-000009": ("void", 0), "CN-000001": ("open", 2_000)}
    assert undoing.summary.credits_minor == -(note.balance_minor + credits_after[0].balance_minor) + 2_000


# --- the property: undo within the window restores everything, or refuses ----------------------------

EVENTS = ("time_passes", "subscription_changed", "credit_used", "credit_refunded", "credit_voided")


@st.composite
def situations(draw):
    day = draw(st.integers(min_value=0, max_value=29))
    term_start = date(2026, 11, 25) - timedelta(days=day)
    price = draw(st.integers(min_value=2, max_value=100_000))
    seats = draw(st.integers(min_value=0, max_value=5))
    sub = a_subscription(plan=PlanSnapshot("biz", "Business", price), version=draw(st.integers(1, 9)),
                         term=(term_start, term_start + timedelta(days=30)),
                         addons=(SubscriptionAddon("seats", "Seat", 700, seats),) if seats else ())
    credits = [a_credit_note(amount, number=f"CN-00000{i}", at=NOW - timedelta(days=i + 1))
               for i, amount in enumerate(draw(st.lists(st.integers(1, 50_000), max_size=2)))]
    cheaper = PlanSnapshot("pro", "Pro", draw(st.integers(min_value=1, max_value=price)))
    fewer = max(0, seats - draw(st.integers(0, seats)))
    chosen = Selection(cheaper, (SubscriptionAddon("seats", "Seat", 700, fewer),) if fewer else ())
    action = draw(st.sampled_from(("cancel_now", "change_now")))
    events = draw(st.sets(st.sampled_from(EVENTS), max_size=2))
    minutes = draw(st.integers(min_value=1, max_value=1440))
    return sub, credits, chosen, action, events, minutes


def money(invoice: Invoice | None, notes: list[CreditNote]) -> tuple[int, int]:
    """What the customer owes on these documents and the credit they have: open balances, available credits."""
    owed = invoice.balance_minor if invoice is not None and invoice.is_outstanding() else 0
    return owed, sum(n.balance_minor for n in notes if n.status == CreditNoteStatus.OPEN)


@settings(max_examples=300, deadline=None)
@given(situations())
def test_undo_within_the_window_restores_the_subscription_and_the_money_or_refuses(situation):
    sub, credits, chosen, action, events, minutes = situation
    before_money = money(None, credits)

    # When the action is taken
    if action == "change_now":
        after, invoice, note, credits_after = downgraded(sub, chosen, credits, minutes)
    else:
        after, invoice, note, credits_after = cancelled(sub, minutes), None, None, credits
    if after.undo is None:   # a change to the same price is not a downgrade: nothing to undo
        assert undo.refusal(after, NOW, invoice, note) == "nothing_to_undo"
        return

    # And what happens after it
    at = NOW + timedelta(minutes=minutes if "time_passes" in events else minutes - 1)
    if "subscription_changed" in events:
        after = written(after)
    mattered = {"time_passes", "subscription_changed"} & events
    if note is not None and note.balance_minor > 0 and note.refunded_minor == 0:
        if "credit_used" in events:
            note, mattered = settling.use_credit(note, 1), mattered | {"credit_used"}
        elif "credit_refunded" in events:
            note = replace(note, refunded_minor=1, balance_minor=note.balance_minor - 1)
            mattered |= {"credit_refunded"}
        elif "credit_voided" in events:
            note, mattered = replace(note, status=CreditNoteStatus.VOID, balance_minor=0), mattered | {"credit_voided"}

    # Then undoing is refused when something since depends on the action ...
    reason = undo.refusal(after, at, invoice, note)
    event(f"{action}: {reason or 'undone'}")
    if mattered:
        assert reason is not None
        return
    assert reason is None
    # ... and otherwise the subscription is as before and the customer's money too, to the cent
    undoing = undo.undone(after, at, version=after.version + 1, invoice=invoice, credit_note=note,
                          earlier_notes={n.credit_note_id: n for n in credits_after})
    assert replace(undoing.subscription, undo=None, version=None) == replace(sub, version=None)
    written_docs = {_id(doc): doc for _, doc in undoing.documents}
    notes_now = [written_docs.get(n.credit_note_id, n) for n in credits_after]
    assert money(written_docs.get("inv_action"), notes_now) == before_money
    if note is not None:
        assert written_docs["cn_action"].status == CreditNoteStatus.VOID
    # And the account summary moves back by exactly what the action moved it
    action_change = _action_summary(invoice, note, credits, credits_after)
    undone_change = undoing.summary
    assert (action_change.credits_minor + undone_change.credits_minor,
            action_change.outstanding_minor + undone_change.outstanding_minor,
            action_change.outstanding_count + undone_change.outstanding_count) == (0, 0, 0)


def _id(doc) -> str:
    return doc.invoice_id if isinstance(doc, Invoice) else doc.credit_note_id


def _action_summary(invoice, note, credits, credits_after) -> SummaryChange:
    """What invoicing.bill adds to the account summary for the action's documents."""
    applied = invoice.credits_applied_minor if invoice else 0
    change = SummaryChange(credits_minor=(note.total_minor if note else 0) - applied)
    if invoice is not None and invoice.is_outstanding():
        change += SummaryChange(outstanding_count=1, outstanding_minor=invoice.balance_minor)
    if note is not None:
        change += credit_note_moved(None, note)
    return change

