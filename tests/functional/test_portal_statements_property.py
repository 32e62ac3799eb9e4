"""Statements read from DynamoDB reconcile, whatever the ledger: a property test over random
sequences of invoices, payments, credit notes and voids made through the billing services."""
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from chalicelib.bootstrap import adapters, services
from chalicelib.domain.errors import BusinessRuleViolation
from chalicelib.services.accounts.commands import NewCustomer
from chalicelib.services.documents.commands import NewDocumentLine
from tests.support.api import new_organization
from tests.support.aws import fresh_aws

START = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)
BEGINNING, END_OF_TIME = date(2026, 1, 1), date(2030, 1, 1)   # a statement spans at most ten years

operations = st.lists(st.one_of(
    st.tuples(st.just("invoice"), st.integers(min_value=0, max_value=2_000_000)),
    st.tuples(st.just("pay"), st.integers(min_value=1, max_value=100)),        # percent of a balance
    st.tuples(st.just("credit"), st.integers(min_value=1, max_value=500_000)),
    st.tuples(st.just("void"), st.integers(min_value=0, max_value=10)),
), min_size=1, max_size=10)


def run(org_id: str, customer_id: str, ops, gaps) -> None:
    made = []
    for (kind, value), gap in zip(ops, gaps):
        now = START + timedelta(hours=gap)
        if kind == "invoice":
            made.append(services().documents.create_invoice(org_id, customer_id, now=now, due_days=10, lines=[
                NewDocumentLine("Work", value)]).invoice_id)
        elif kind == "credit":
            services().documents.create_credit_note(org_id, customer_id, now=now, lines=[
                NewDocumentLine("Credit", value)])
        elif made:
            invoice = adapters().uow.invoices.get(org_id, customer_id, made[value % len(made)])
            try:
                if kind == "void":
                    services().documents.void_invoice(org_id, customer_id, invoice.invoice_id, now)
                elif invoice.is_outstanding():
                    amount = max(1, invoice.balance_minor * value // 100)
                    services().documents.record_payment(org_id, customer_id, invoice_id=invoice.invoice_id,
                                                        amount_minor=amount, now=now)
            except BusinessRuleViolation:
                pass   # voiding a paid invoice: refused, as it should be


def owed_by_the_items(org_id: str, customer_id: str) -> int:
    all_invoices = adapters().uow.invoices.page(org_id, customer_id, limit=100, cursor=None).items
    all_notes = adapters().uow.credit_notes.page(org_id, customer_id, limit=100, cursor=None).items
    return sum(i.balance_minor for i in all_invoices) - sum(n.balance_minor for n in all_notes)


# Each example builds a fresh DynamoDB: few examples, and no shrinking (a failure shows its ledger as drawn).
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(operations, st.data())
def test_statements_from_stored_documents_reconcile_and_match_what_is_owed(ops, data):
    gaps = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=24 * 60), min_size=len(ops),
                                     max_size=len(ops))))
    first = data.draw(st.integers(min_value=0, max_value=60))
    length = data.draw(st.integers(min_value=0, max_value=60))
    with fresh_aws():
        # Given a random ledger
        org, _ = new_organization()
        customer = services().accounts.create_customer(org.org_id, NewCustomer("Globex", "ap@globex.example"), START)
        run(org.org_id, customer.customer_id, ops, gaps)
        now = START + timedelta(days=90)
        start = START.date() + timedelta(days=first)
        end = start + timedelta(days=length)

        # When statements are made for a range, up to its end, and for all time
        def statement(since, until):
            [usd] = services().documents.statement(org, customer.customer_id, start=since, end=until,
                                                   now=now).statements
            return usd
        period, up_to_end, all_time = statement(start, end), statement(BEGINNING, end), \
            statement(BEGINNING, END_OF_TIME)

        # Then each adds up, the range ends where the history up to it ends, and all of it is what is owed
        assert period.closing_balance == period.opening_balance + period.invoiced - period.paid - \
            period.credited + period.refunded
        assert period.closing_balance == up_to_end.closing_balance
        assert all_time.closing_balance.amount_minor == owed_by_the_items(org.org_id, customer.customer_id)
