"""A domain value written as its table's item and read back from DynamoDB's form (tables/items.py,
then tables/mapping.py or the table's own mapping) is the same value: nested dataclasses, tuples of
them, enums, dates, instants and free-form maps included."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from chalicelib.domain.customers import Address, Contact, CustomFieldDefinition, TaxId
from chalicelib.domain.documents import CreditApplication, DocumentLine, Invoice, InvoiceStatus, TaxLine
from chalicelib.domain.engagement import ActivityRecord, Actor
from chalicelib.domain.line_words import LineWords
from chalicelib.domain.subscription import AppliedCoupon, CouponUse, Subscription, SubscriptionAddon
from chalicelib.tables import activity, customers, organizations
from chalicelib.tables.invoices import InvoiceItem
from chalicelib.tables.items import read_item
from chalicelib.tables.mapping import from_item, to_item
from chalicelib.tables.subscriptions import SubscriptionItem, subscription_of
from tests.support.domain_builders import NOW, a_customer, a_subscription, an_invoice, an_organization

ADDRESS = Address("1 Main St", "Suite 2", "Springfield", "IL", "62701", "US")


def read_back(item):
    """The item as a read gives it: its DynamoDB form decoded by the table's reader."""
    return read_item(type(item), item.serialize())


def test_an_organization_with_an_address_and_custom_fields_reads_back_the_same():
    org = an_organization(address=ADDRESS, phone="+1 555 0100", custom_fields=(
        CustomFieldDefinition("po", "PO number", "text", show_in_portal=True),
        CustomFieldDefinition("tier", "Tier", "dropdown", options=("gold", "silver"), required=True)), version=3)
    assert organizations.organization_of(read_back(organizations._item(org))) == org


def test_a_customer_with_contacts_addresses_tax_ids_and_custom_fields_reads_back_the_same():
    customer = a_customer(
        billing_address=ADDRESS, shipping_address=replace(ADDRESS, line2=""),
        contacts=(Contact("con_1", "Zoë", "Keller", "zoe@globex.example", is_primary=True, locale="de-DE"),
                  Contact("con_2", "Hank", "Scorpio", "hank@globex.example", portal_role="viewer",
                          email_unconfirmed=True)),
        tax_ids=(TaxId("txi_1", "eu_vat", "DE123456789"),),
        custom_fields={"po": "PO-7", "seats": 12, "ratio": 0.5}, gateway_customer_id="cus_stripe_1", version=2)
    item = read_back(customers._item("org_acme", customer))
    assert from_item(type(customer), item) == customer


def test_an_invoice_with_lines_their_words_taxes_and_credits_reads_back_the_same():
    invoice = an_invoice(
        status=InvoiceStatus.PARTIALLY_PAID, amount_paid_minor=2_000, subscription_id="sub_1",
        period_start=date(2026, 11, 10), period_end=date(2026, 12, 10), notes="Thank you", version=4,
        lines=(DocumentLine("Pro plan", 10_000, 1, 10_000, "pro", "charge", date(2026, 11, 10), date(2026, 12, 10)),
               DocumentLine("Discount", -1_000, kind="discount"),
               DocumentLine("Unused time on Pro 100.00 x 15/31 days", -4_839, kind="credit", code="pro",
                            words=LineWords("unused_time", "USD", "Pro", 1, 10_000, date(2026, 11, 25),
                                            date(2026, 12, 10), days=15, days_in_term=31))),
        taxes=(TaxLine("VAT", 1_900, 1_710),),
        credits_applied=(CreditApplication("cn_1", 500, NOW + timedelta(hours=1)),))
    item = read_back(to_item(InvoiceItem, invoice, owner=f"org_acme#{invoice.customer_id}", org_id="org_acme",
                             status_key=f"{invoice.status.value}#{invoice.invoice_id}", balance_minor=invoice.balance_minor))
    assert from_item(Invoice, item) == invoice


def test_a_subscription_with_addons_and_a_coupon_reads_back_the_same():
    sub = a_subscription(
        addons=(SubscriptionAddon("seats", "Extra seats", 1_500, quantity=3),
                SubscriptionAddon("setup", "Setup", 5_000, recurring=False, billed_on=date(2026, 11, 10))),
        coupon=AppliedCoupon("WELCOME", "Welcome", "repeating", percent_off_bp=1_000, cycles=3),
        coupon_uses=(CouponUse("welcome", 2, date(2026, 11, 10), "year", 1, date(2027, 2, 1)), CouponUse("spring")),
        auto_charge=True, payment_method_id="pm_1", reference="PO-9", version=5)
    item = read_back(to_item(SubscriptionItem, sub, owner=f"org_acme#{sub.customer_id}", org_id="org_acme",
                             status_key=f"{sub.status.value}#{sub.subscription_id}"))
    assert subscription_of(item) == sub
    assert isinstance(subscription_of(item), Subscription)


def test_an_activity_record_with_what_changed_reads_back_the_same():
    record = ActivityRecord("act_1", "cus_globex", Actor("customer", "con_1", "Zoë Keller"),
                            "subscription.quantity_changed", "subscription", "sub_1", NOW, "Seats 2 → 3",
                            before={"quantity": 2, "nested": {"a": [1, "x"]}}, after={"quantity": 3, "rate": 1.5})
    item = read_back(to_item(activity.ActivityItem, record, owner="org_acme#cus_globex", org_id="org_acme"))
    assert from_item(ActivityRecord, item) == record
