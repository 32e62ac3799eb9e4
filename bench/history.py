"""What a customer owes costs the same to list, to pay and to look at however much history they
have: the DynamoDB calls and items read of the outstanding and overdue lists, of paying all that is
owed and of the paid invoice's detail (with its payment), for a customer with 10 and with 1,000 paid
invoices and their payments behind them. Run alone with `python -m bench.history`, or as part of
`make bench`.

The paid invoices and their payments are written straight to the tables (batch writes), as an
import would leave them."""
from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timedelta, timezone

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("PORTICO_TABLE_PREFIX", "bench-")
os.environ.setdefault("AWS_XRAY_SDK_ENABLED", "false")

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
SIZES = (10, 1_000)
STEPS = ("GET /portal/invoices?status=outstanding", "GET /portal/invoices?status=overdue",
         "POST /portal/payments (all outstanding)", "GET /portal/invoices/{invoice_id} (one of those paid)")


def world(history: int) -> tuple[str, str, str]:
    """An organization, a customer owing two invoices (one overdue, whose id is the third value), with
    `history` paid ones and their payments."""
    from chalicelib import bootstrap
    from chalicelib.domain.customers import Customer
    from chalicelib.domain.documents import InvoiceStatus
    from chalicelib.domain.ids import new_id
    from chalicelib.domain.payments import Allocation, Payment, PaymentStatus
    from chalicelib.services.documents.commands import NewDocumentLine
    from chalicelib.tables.invoices import InvoiceItem
    from chalicelib.tables.payments import PaymentItem, _item as payment_item

    services, uow = bootstrap.services(), bootstrap.adapters().uow
    org, _key = services.access.create_organization(name="Bench Co", email="billing@bench.example",
                                                    currency="USD", now=NOW - timedelta(days=history + 30))
    customer = uow.customers.add(org.org_id, Customer(new_id("customer", NOW), "Globex", "zoe@globex.example", "USD",
                                                      created_at=NOW - timedelta(days=history + 30)))
    lines = [NewDocumentLine("Consulting", 10_000)]
    overdue = services.documents.create_invoice(org.org_id, customer.customer_id, lines=lines, due_days=0,
                                                now=NOW - timedelta(days=3))
    template = services.documents.create_invoice(org.org_id, customer.customer_id, lines=lines, due_days=15, now=NOW)
    with InvoiceItem.batch_write() as invoices, PaymentItem.batch_write() as payments:
        for n in range(history):
            at = NOW - timedelta(days=history - n + 5)
            paid = replace(template, invoice_id=new_id("invoice", at), number=f"OLD-{n:05}", status=InvoiceStatus.PAID,
                           issued_at=at, due_on=at.date(), paid_at=at, amount_paid_minor=template.total_minor,
                           version=None)
            invoices.save(uow.invoices._item(org.org_id, paid))
            payments.save(payment_item(org.org_id, Payment(
                new_id("payment", at), customer.customer_id, PaymentStatus.SUCCEEDED, paid.total_minor, "USD",
                (Allocation.of(paid, paid.total_minor),), at, "simulated", succeeded_at=at, number=f"PAY-OLD-{n:05}")))
    return org.org_id, customer.customer_id, overdue.invoice_id


def one_customer(history: int) -> list[tuple[dict, int, float]]:
    """(DynamoDB calls by operation, items read, RRU) of each step, over a fresh world."""
    from moto import mock_aws

    from exercise.request_units import measuring_units

    with mock_aws():
        from chalicelib import bootstrap, tables
        from chalicelib.handlers.portal.payments import payment_answer
        from chalicelib.services.payments.commands import PayInvoices
        from chalicelib.tables.metrics import counting_calls
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        org_id, customer_id, overdue_id = world(history)
        services = bootstrap.services()
        org = bootstrap.adapters().uow.organizations.get(org_id)   # as the session check reads it
        steps = [lambda: services.documents.invoices(org, customer_id, view="outstanding", limit=20, cursor=None,
                                                     now=NOW),
                 lambda: services.documents.invoices(org, customer_id, view="overdue", limit=20, cursor=None,
                                                     now=NOW),
                 lambda: services.payments.pay(org_id, customer_id,
                                               PayInvoices("pm_card_visa", all_outstanding=True),
                                               idempotency_key="bench-pay-all-0001", now=NOW, wire=payment_answer),
                 lambda: services.documents.invoice(org, customer_id, overdue_id, NOW)]
        measured = []
        for step in steps:
            with counting_calls() as count, measuring_units() as units:
                step()
            measured.append((dict(count.operations), units.items_read, units.read))
        return measured


def section(sizes=SIZES) -> list[str]:
    lines = ["", "## What is owed, with 10 and 1,000 paid invoices behind", "",
             "DynamoDB calls, items read and RRU of each step for a customer owing two invoices (one overdue), "
             "each old invoice paid by a payment of its own; the session check is not included.", "",
             "| step | " + " | ".join(f"{n:,} paid: calls, items read, RRU" for n in sizes) + " | equal |",
             "|---|" + "---|" * (len(sizes) + 1)]
    runs = [one_customer(n) for n in sizes]
    for step, measured in zip(STEPS, zip(*runs)):
        cells = [f"{', '.join(f'{op} {n}' for op, n in sorted(ops.items()))}; {items}; {rru:g}"
                 for ops, items, rru in measured]
        equal = "yes" if len({(tuple(sorted(ops.items())), items) for ops, items, _ in measured}) == 1 else "**no**"
        lines.append(f"| {step} | " + " | ".join(cells) + f" | {equal} |")
    return lines


if __name__ == "__main__":
    print("\n".join(section()))
