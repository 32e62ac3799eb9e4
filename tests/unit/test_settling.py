"""How payments and credits meet invoices, one invoice at a time and a whole payment (pure rules, no AWS)."""
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.account_summary import SummaryChange
from chalicelib.domain.documents import CreditNote, CreditNoteStatus, DocumentLine, Invoice, InvoiceStatus, PaymentApplied
from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
from chalicelib.domain import settling
from chalicelib.services.payments.idempotency import request_hash

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
PAYMENT = "pay_1"


def an_invoice(total=10000, *, paid=0, status=InvoiceStatus.OPEN, invoice_id="inv_1", due_on=NOW.date(), currency="USD"):
    return Invoice(invoice_id=invoice_id, customer_id="cus_1", number=f"INV-{invoice_id}", currency=currency,
                   status=status, issued_at=NOW - timedelta(days=15), due_on=due_on,
                   lines=(DocumentLine("Work", total),), subtotal_minor=total, tax_minor=0, total_minor=total,
                   amount_paid_minor=paid)


def a_note(balance, *, note_id="cn_1", days_old=1, currency="USD", status=CreditNoteStatus.OPEN):
    return CreditNote(credit_note_id=note_id, customer_id="cus_1", number=f"CN-{note_id}", currency=currency,
                      status=status, issued_at=NOW - timedelta(days=days_old), lines=(), total_minor=balance,
                      balance_minor=balance)


def test_paying_the_balance_marks_the_invoice_paid_at_that_time():
    paid, applied = settling.pay(an_invoice(10000), 10000, NOW, payment_id=PAYMENT)

    assert (paid.status, paid.balance_minor, paid.paid_at, applied) == (InvoiceStatus.PAID, 0, NOW, 10000)


def test_paying_part_leaves_it_partially_paid():
    paid, applied = settling.pay(an_invoice(10000), 2500, NOW, payment_id=PAYMENT)

    assert (paid.status, paid.balance_minor, paid.paid_at, applied) == (InvoiceStatus.PARTIALLY_PAID, 7500, None, 2500)


def test_the_invoice_keeps_each_payment_s_part_with_when_and_how_it_was_paid():
    first, _ = settling.pay(an_invoice(10000), 2500, NOW, payment_id="pay_1", method_summary="Visa •••• 4242")
    second, _ = settling.pay(first, 9000, NOW + timedelta(days=1), payment_id="pay_2", method_summary="Bank Transfer")

    assert second.payments_applied == (PaymentApplied("pay_1", 2500, NOW, "Visa •••• 4242"),
                                       PaymentApplied("pay_2", 7500, NOW + timedelta(days=1), "Bank Transfer"))
    assert second.knows_its_payments and second.status == InvoiceStatus.PAID


def test_an_invoice_paid_before_invoices_kept_their_payments_does_not_know_them():
    assert not an_invoice(10000, paid=2500, status=InvoiceStatus.PARTIALLY_PAID).knows_its_payments
    assert an_invoice(10000).knows_its_payments


def test_an_invoice_paid_before_it_kept_its_payments_is_given_them_in_the_order_they_were_paid():
    # Given an invoice paid 25.00 then 75.00 before invoices kept their payments, a payment of
    # another invoice, and a failed one
    invoice = an_invoice(10000, paid=10000, status=InvoiceStatus.PAID)
    payments = [a_payment("pay_3", [("inv_1", 7500)], NOW + timedelta(days=1)),
                a_payment("pay_2", [("inv_other", 500)], NOW), a_payment("pay_1", [("inv_1", 2500)], NOW),
                a_payment("pay_0", [("inv_1", 10000)], NOW, status=PaymentStatus.FAILED)]

    # When it is given what it would keep today
    kept = settling.with_kept_facts(invoice, payments, {})

    # Then it keeps the two that paid it, oldest first, and knows them
    assert [(p.payment_id, p.amount_minor) for p in kept.payments_applied] == [("pay_1", 2500), ("pay_3", 7500)]
    assert kept.knows_its_payments and settling.with_kept_facts(kept, payments, {}) is None


def test_an_invoice_whose_payments_do_not_add_up_is_not_given_them():
    invoice = an_invoice(10000, paid=10000, status=InvoiceStatus.PAID)

    assert settling.with_kept_facts(invoice, [a_payment("pay_1", [("inv_1", 2500)], NOW)], {}) is None


def test_a_credit_applied_before_invoices_kept_its_number_is_given_it():
    credited, _ = settling.credit(an_invoice(10000), "cn_1", 3000, NOW)

    kept = settling.with_kept_facts(credited, [], {"cn_1": "CN-000007"})

    assert [c.number for c in kept.credits_applied] == ["CN-000007"]


def a_payment(payment_id, parts, at, *, status=PaymentStatus.SUCCEEDED):
    return Payment(payment_id=payment_id, customer_id="cus_1", status=status,
                   amount_minor=sum(amount for _, amount in parts), currency="USD",
                   allocations=tuple(Allocation(invoice_id, amount) for invoice_id, amount in parts), created_at=at,
                   gateway="simulated", method_summary="Visa •••• 4242",
                   succeeded_at=at if status == PaymentStatus.SUCCEEDED else None)


def test_paying_more_than_the_balance_applies_only_the_balance():
    _, applied = settling.pay(an_invoice(10000, paid=9000, status=InvoiceStatus.PARTIALLY_PAID), 5000, NOW, payment_id=PAYMENT)

    assert applied == 1000


def test_nothing_is_applied_to_a_paid_or_void_invoice():
    for status in (InvoiceStatus.PAID, InvoiceStatus.VOID):
        invoice = an_invoice(10000, status=status)
        assert settling.pay(invoice, 100, NOW, payment_id=PAYMENT) == (invoice, 0)
        assert settling.credit(invoice, "cn_1", 100, NOW) == (invoice, 0)


def test_a_credit_is_recorded_on_the_invoice_and_spent_from_the_note():
    credited, applied = settling.credit(an_invoice(10000), "cn_1", 3000, NOW)
    note = settling.use_credit(a_note(5000), applied)

    assert credited.credits_applied_minor == 3000 and credited.status == InvoiceStatus.PARTIALLY_PAID
    assert (note.balance_minor, note.status) == (2000, CreditNoteStatus.OPEN)
    assert settling.use_credit(note, 2000).status == CreditNoteStatus.CLOSED


def test_the_outstanding_figures_move_by_what_changed():
    before = an_invoice(10000)

    assert settling.outstanding_change(before, settling.pay(before, 2500, NOW, payment_id=PAYMENT)[0]) == SummaryChange(0, -2500)
    assert settling.outstanding_change(before, settling.pay(before, 10000, NOW, payment_id=PAYMENT)[0]) == SummaryChange(-1, -10000)
    assert settling.outstanding_change(before, before) == SummaryChange()


def test_credits_are_planned_oldest_first_in_the_invoice_currency_never_beyond_a_balance():
    invoices = [an_invoice(3000, invoice_id="inv_1"), an_invoice(5000, invoice_id="inv_2")]
    notes = [a_note(4000, note_id="cn_new", days_old=1), a_note(2000, note_id="cn_old", days_old=9),
             a_note(9000, note_id="cn_eur", currency="EUR"), a_note(0, note_id="cn_used", status=CreditNoteStatus.CLOSED)]

    plan = settling.plan_credits(invoices, notes)

    assert plan == [("inv_1", "cn_old", 2000), ("inv_1", "cn_new", 1000), ("inv_2", "cn_new", 3000)]


def test_allocations_charge_what_credits_leave_or_the_part_asked_for():
    invoices = [an_invoice(3000, invoice_id="inv_1"), an_invoice(5000, invoice_id="inv_2")]

    assert settling.allocations(invoices, credits_by_invoice={"inv_1": 3000, "inv_2": 1000}) == (
        Allocation.of(invoices[1], 4000),)
    assert settling.allocations(invoices[:1], amount_minor=1200) == (Allocation.of(invoices[0], 1200),)


def test_an_allocation_keeps_the_facts_its_receipt_prints_of_the_invoice():
    invoice = an_invoice(5000, invoice_id="inv_2")

    [allocation] = settling.allocations([invoice])

    assert (allocation.invoice_number, allocation.invoice_issued_at, allocation.invoice_total_minor) == (
        invoice.number, invoice.issued_at, 5000)


def test_a_request_hashes_the_same_however_its_json_was_spelled():
    assert request_hash({"a": 1, "b": [1, 2]}) == request_hash({"b": [1, 2], "a": 1})
    assert request_hash({"a": 1}) != request_hash({"a": 2})


# --- a whole payment settled -----------------------------------------------------------------

def test_a_payment_pays_its_invoices_and_the_planned_credit_and_the_summary_moves_by_as_much():
    # Given two open invoices, a 30.00 credit note, and a payment of 120.00 planned with 30.00 of credit
    first, second = an_invoice(10000, invoice_id="inv_1"), an_invoice(5000, invoice_id="inv_2")
    note = a_note(3000)

    # When it succeeds
    settled = settling.settle([Allocation("inv_1", 10000), Allocation("inv_2", 2000)], [("inv_2", "cn_1", 3000)],
                              {"inv_1": first, "inv_2": second}, {"cn_1": note}, NOW, payment_id=PAYMENT)

    # Then both invoices are paid, the note is used up, nothing is left over
    assert [settled.invoices[i].status for i in ("inv_1", "inv_2")] == [InvoiceStatus.PAID, InvoiceStatus.PAID]
    assert settled.notes["cn_1"].balance_minor == 0 and settled.excess_minor == 0
    assert settled.allocations == (Allocation("inv_1", 10000), Allocation("inv_2", 2000))
    # and the summary loses both invoices' outstanding amounts and the credit spent
    assert settled.change.outstanding_minor == -15000 and settled.change.credits_minor == -3000


def test_a_late_success_for_an_invoice_paid_meanwhile_becomes_credit_not_a_second_payment():
    # Given an invoice paid some other way while this payment was in flight
    paid = an_invoice(10000, paid=10000, status=InvoiceStatus.PAID)

    # When the payment succeeds after all
    settled = settling.settle([Allocation("inv_1", 10000)], [], {"inv_1": paid}, {}, NOW, payment_id=PAYMENT)

    # Then nothing is paid twice: the whole amount is the customer's credit
    assert settled.allocations == () and settled.excess_minor == 10000
    assert settled.invoices["inv_1"] is paid and settled.change.credits_minor == 10000


@given(totals=st.lists(st.integers(1, 10**6), min_size=1, max_size=4),
       paid_shares=st.lists(st.integers(0, 2 * 10**6), min_size=4, max_size=4),
       credit=st.integers(0, 10**6))
def test_whatever_is_paid_is_either_applied_to_an_invoice_or_kept_as_credit(totals, paid_shares, credit):
    invoices = {f"inv_{i}": an_invoice(total, invoice_id=f"inv_{i}") for i, total in enumerate(totals)}
    allocations = [Allocation(f"inv_{i}", paid_shares[i]) for i in range(len(totals)) if paid_shares[i]]
    plan = [("inv_0", "cn_1", credit)] if credit else []

    settled = settling.settle(allocations, plan, invoices, {"cn_1": a_note(credit)}, NOW, payment_id=PAYMENT)

    paid = sum(a.amount_minor for a in allocations)
    assert sum(a.amount_minor for a in settled.allocations) + settled.excess_minor == paid
    assert all(invoice.balance_minor >= 0 for invoice in settled.invoices.values())
    assert all(invoice.knows_its_payments for invoice in settled.invoices.values())
    owed_before = sum(invoice.balance_minor for invoice in invoices.values())
    owed_after = sum(invoice.balance_minor for invoice in settled.invoices.values())
    assert settled.change.outstanding_minor == owed_after - owed_before
