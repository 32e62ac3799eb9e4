"""The documents' requests and answers, pure: the lines a merchant writes come in as NewDocumentLine
commands (services/documents/commands.py), and the portal's invoice and estimate answers are built by
their response models from the typed results (services/documents/views.py), in the order of fields
their answers always had."""
from datetime import date, datetime, timezone

from chalicelib.domain.documents import (CreditApplication, DocumentLine, Estimate, EstimateStatus, Invoice,
                                         InvoiceStatus, PaymentApplied, TaxLine)
from chalicelib.handlers.admin.billing import LineBody
from chalicelib.handlers.http import plain
from chalicelib.handlers.responses.documents import Estimate as EstimateAnswer, InvoiceDetail
from chalicelib.services.documents.commands import NewDocumentLine
from chalicelib.services.documents.views import InFull, listed, with_decider

UTC = timezone.utc
ISSUED = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)


def an_invoice() -> Invoice:
    return Invoice(invoice_id="inv_1", customer_id="cus_1", number="INV-000042", currency="USD",
                   status=InvoiceStatus.PARTIALLY_PAID, issued_at=ISSUED, due_on=date(2026, 11, 20),
                   lines=(DocumentLine("Pro plan", 200_000, 2, 100_000),), subtotal_minor=200_000, tax_minor=40_000,
                   total_minor=240_000, taxes=(TaxLine("VAT", 2000, 40_000),),
                   credits_applied=(CreditApplication("cn_1", 6_000, ISSUED),
                                    CreditApplication("cn_gone", 1_000, ISSUED)),
                   amount_paid_minor=40_000)


def test_a_line_the_merchant_writes_is_a_command_whose_amount_is_its_quantity_times_its_unit_price():
    command = LineBody(description="Seats", unit_price_minor=1_250, quantity=3).command()

    assert command == NewDocumentLine("Seats", 1_250, 3)
    assert command.line() == DocumentLine(description="Seats", amount_minor=3_750, quantity=3, unit_price_minor=1_250)
    assert LineBody(description="Setup", unit_price_minor=900).command() == NewDocumentLine("Setup", 900)


def test_an_invoice_in_full_is_answered_with_its_credit_numbers_and_the_part_each_payment_paid():
    full = InFull(listed(an_invoice(), today=date(2026, 11, 21)), {"cn_1": "CN-000007"},
                  (PaymentApplied("pay_1", 40_000, ISSUED, "Visa •••• 4242"),))

    answer = plain(InvoiceDetail.of(full).model_dump())   # as the route writes it

    assert list(answer)[:6] == ["invoice_id", "number", "status", "currency", "currency_exponent", "issued_at"]
    # 2,400.00 less 400.00 paid and 70.00 of credits, past its due day
    assert (answer["overdue"], answer["balance_minor"]) == (True, 193_000)
    assert [(c["number"], list(c)) for c in answer["credits_applied"]] == [
        ("CN-000007", ["credit_note_id", "amount_minor", "number", "applied_at"]),
        (None, ["credit_note_id", "amount_minor", "number", "applied_at"])]
    assert answer["payments"] == [{"payment_id": "pay_1", "amount_minor": 40_000, "paid_at": ISSUED.isoformat(),
                                   "method_summary": "Visa •••• 4242"}]
    assert answer["lines"] == [{"description": "Pro plan", "quantity": 2, "unit_price_minor": 100_000,
                                "amount_minor": 200_000, "kind": "charge", "period_start": None, "period_end": None}]


def test_an_estimate_names_who_decided_it_and_never_their_contact_id():
    estimate = Estimate(estimate_id="est_1", customer_id="cus_1", number="EST-000001", currency="JPY",
                        status=EstimateStatus.ACCEPTED, issued_at=ISSUED, expires_at=ISSUED, lines=(),
                        total_minor=0, decided_at=ISSUED, decided_by="con_1", comment="Go ahead")

    answer = plain(EstimateAnswer.of(with_decider(estimate, {"con_1": "Zoë"})).model_dump())

    assert list(answer) == ["estimate_id", "number", "currency", "currency_exponent", "status", "issued_at",
                            "expires_at", "lines", "total_minor", "notes", "decided_at", "decided_by_name", "comment"]
    assert (answer["decided_by_name"], answer["currency_exponent"]) == ("Zoë", 0)
    assert with_decider(estimate, {}).decided_by_name is None
