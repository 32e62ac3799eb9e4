"""The activity timeline writes every amount with its currency ("USD 100.00"), which the browser
finds and writes as it writes money anywhere else in the portal: never a bare number."""
import re

from chalicelib.domain.engagement import Actor
from chalicelib.domain.money import Money
from chalicelib.domain.pricing import Line
from chalicelib.services.documents import invoicing
from chalicelib.services.numbering import CREDIT_NOTE_NUMBERS, INVOICE_NUMBERS, Numbers
from tests.support.domain_builders import NOW, a_credit_note, an_organization

LABELLED = re.compile(r"\b[A-Z]{3} -?\d+(\.\d+)?\b")
BARE = re.compile(r"\d+\.\d+")


def a_change_billed(charge_minor: int, credit_minor: int, *, open_credit_minor: int = 0) -> invoicing.Billing:
    """A subscription change as invoicing.bill writes it: a charge, unused time credited, and credits open before."""
    numbers = Numbers(None, "org_acme", known={INVOICE_NUMBERS: 5, CREDIT_NOTE_NUMBERS: 1})
    credits = [a_credit_note(open_credit_minor)] if open_credit_minor else []
    return invoicing.bill(None, an_organization(), customer_id="cus_globex", currency="USD", now=NOW,
                          actor=Actor("customer", "con_zoe"), subscription_id="sub_1",
                          charge_lines=[Line("Business plan", Money(charge_minor, "USD"))],
                          credit_lines=[Line("Unused time on Pro", Money(credit_minor, "USD"), kind="credit")],
                          credit_reason="Plan change", credits=credits, numbers=numbers)


def test_an_invoice_with_credits_applied_names_the_currency_of_its_total_and_of_the_credits():
    # Given a change that bills 100.00 and credits 30.00 of unused time, with 20.00 of credits already open
    billed = a_change_billed(10_000, 3_000, open_credit_minor=2_000)

    # When its activity records are written
    summaries = {record.action: record.summary for record in billed.records}

    # Then every amount in them carries its currency
    assert summaries["invoice.issued"] == "INV-000006: USD 100.00, USD 50.00 of available credits applied"
    assert summaries["credit_note.issued"] == "CN-000002: USD 30.00"
    for summary in summaries.values():
        assert not BARE.search(LABELLED.sub("", summary)), summary
