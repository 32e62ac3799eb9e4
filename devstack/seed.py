"""Demo data for the local stack: Northwind Software, its catalog, customers and their billing.

Seeding is idempotent: the demo organization has a fixed id, and when it already exists
nothing is written except a fresh admin API key (keys are stored only as hashes, so the
first one cannot be shown again). Everything goes through the services, as the back office
would do it, so the demo data obeys the same rules as real data; a step the rules refuse stops
`make run` with its error rather than leaving a demo that silently lacks it.
"""
from __future__ import annotations

import logging
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from chalicelib import bootstrap
from chalicelib.domain.calendar import add_periods
from chalicelib.domain.catalog import Addon, Coupon, Plan
from chalicelib.domain.customers import Address, CustomFieldDefinition, Customer
from chalicelib.domain.documents import TimeEntry
from chalicelib.domain.errors import AlreadyExists, NotFound
from chalicelib.domain.organization import clock_name
from chalicelib.domain.preferences import (CancelPreferences, EditPreferences, PauseResumePreferences, RetentionOffer,
                                           Preferences, TrialPreferences)
from chalicelib.services.access.actors import API_KEY
from chalicelib.services.access.commands import OrganizationChanges
from chalicelib.services.accounts.commands import NewContact, NewCustomer
from chalicelib.services.documents.commands import NewDocumentLine
from chalicelib.services.subscriptions.commands import NewSubscription

log = logging.getLogger("devstack.seed")

DEMO_ORG_ID = "org_demo"
DEMO_PORTAL_NAME = "northwind"      # the portal's address: <portal>/?portal=northwind
DEMO_PASSWORD = "harbour lantern pebble orchard"
DEMO_LOGO = Path(__file__).with_name("northwind-logo.png")   # shown on sign-in, in the header, emails and PDFs
CURRENCY = "USD"


@dataclass(frozen=True)
class PortalSignIn:
    org_id: str
    email: str
    password: str


@dataclass(frozen=True)
class ConsoleSignIn:
    """The demo merchant users of the console (admin and support), with one password."""
    org_id: str
    admin_email: str
    support_email: str
    password: str


DEMO_CONSOLE = ConsoleSignIn(DEMO_ORG_ID, "owner@northwind.example", "helpdesk@northwind.example", DEMO_PASSWORD)


@dataclass(frozen=True)
class SeedResult:
    org_id: str
    api_key: str
    created: bool                              # False: the demo organization was already there
    portal_sign_in: PortalSignIn
    customer_ids: tuple[str, ...] = ()
    console_sign_in: ConsoleSignIn = DEMO_CONSOLE


def seed_demo(now: datetime) -> SeedResult:
    """Seed the demo organization unless it exists; either way, answer a usable admin key."""
    access = bootstrap.services().access
    try:
        demo = access.organization(DEMO_ORG_ID)
    except NotFound:
        return _seed_everything(now)
    log.info("demo organization %s already seeded; issuing a fresh admin key", DEMO_ORG_ID)
    if not demo.portal_name:   # seeded before portals had names
        access.update_organization(DEMO_ORG_ID, OrganizationChanges(portal_name=DEMO_PORTAL_NAME))
    if not demo.logo:          # seeded before organizations had logos
        access.set_logo(DEMO_ORG_ID, DEMO_LOGO.read_bytes())
    api_key = access.issue_api_key(DEMO_ORG_ID, name="devstack restart", now=now)
    seed_console_users(DEMO_ORG_ID, now)   # seeded before the console had users
    return SeedResult(DEMO_ORG_ID, api_key, created=False, portal_sign_in=_demo_sign_in())


def _seed_everything(now: datetime) -> SeedResult:
    api_key = seed_organization(now)
    seed_catalog(DEMO_ORG_ID, now)
    bootstrap.services().access.update_organization(DEMO_ORG_ID, OrganizationChanges(preferences=DEMO_PREFERENCES))
    demo_customers = seed_customers(DEMO_ORG_ID, now)
    seed_billing(DEMO_ORG_ID, demo_customers, now)
    sign_in = seed_portal_user(DEMO_ORG_ID, demo_customers[0], now)
    seed_console_users(DEMO_ORG_ID, now)
    return SeedResult(DEMO_ORG_ID, api_key, created=True, portal_sign_in=sign_in,
                      customer_ids=tuple(c.customer_id for c in demo_customers))


# --- the merchant -------------------------------------------------------------------------

EVERY_FEATURE = Preferences(
    subscriptions=True,
    trial=TrialPreferences(convert_to_live=True, extend=True, extensions_allowed=2, cancel=True),
    edit_subscription=EditPreferences(enabled=True, change_plan=True, change_addons=True, change_coupon=True),
    auto_charge=True,
    pause_resume=PauseResumePreferences(enabled=True, customer_can_resume=True),
    cancel=CancelPreferences(enabled=True),
    reactivate=True,
    forward_documents=True,
    update_customer_details=True,
    reviews=True,
)

# the demo's own: EVERY_FEATURE with the cancel flow's questions and its retention offer (a coupon
# of the demo catalogue, so set once the catalogue is seeded), and sign-in with a password or an
# emailed link, so that a first visitor sees both ways
DEMO_PREFERENCES = replace(EVERY_FEATURE, sign_in_with="both", cancel=CancelPreferences(
    enabled=True, reasons=("Too expensive", "Missing a feature", "Switching provider", "Budget cuts"),
    comments=True, retention_offer=RetentionOffer("STAY25", cycles=3)))

CUSTOM_FIELDS = (
    CustomFieldDefinition(key="po_number", label="Purchase order number", show_in_portal=True),
    CustomFieldDefinition(key="invoice_language", label="Invoice language", type="dropdown",
                          options=("English", "French", "German"), show_in_portal=True),
    CustomFieldDefinition(key="segment", label="Segment", type="dropdown",
                          options=("startup", "mid-market", "enterprise")),   # merchant-only
)


def seed_organization(now: datetime) -> str:
    """Northwind Software with every portal feature on; answers its first admin key."""
    access = bootstrap.services().access
    _, api_key = access.create_organization(
        org_id=DEMO_ORG_ID, name="Northwind Software", email="billing@northwind.example",
        currency=CURRENCY, now=now, phone="+1 206 555 0142", website="https://northwind.example",
        address=Address(line1="400 Harbor Way", line2="Suite 210", city="Seattle", state="WA",
                        postal_code="98101", country="US"))
    access.update_organization(DEMO_ORG_ID, OrganizationChanges(preferences=EVERY_FEATURE, custom_fields=CUSTOM_FIELDS,
                                                                portal_name=DEMO_PORTAL_NAME))
    access.set_logo(DEMO_ORG_ID, DEMO_LOGO.read_bytes())
    return api_key


def seed_catalog(org_id: str, now: datetime) -> None:
    catalog = bootstrap.services().subscriptions
    for plan in (
        Plan("starter", "Starter", 900, CURRENCY, "month", trial_days=14,
             description="For small teams getting started."),
        Plan("pro", "Pro", 2900, CURRENCY, "month", description="Everything a growing team needs."),
        Plan("business", "Business", 29000, CURRENCY, "year", description="Billed yearly, priority support."),
    ):
        catalog.add_plan(org_id, plan, now)
    catalog.add_addon(org_id, Addon("extra_seats", "Extra seats", 500, CURRENCY, recurring=True,
                                    description="One more user, every billing period."), now)
    catalog.add_addon(org_id, Addon("onboarding", "Onboarding session", 9900, CURRENCY, recurring=False,
                                    description="A two-hour guided setup, charged once."), now)
    # offered to every customer in the portal
    catalog.add_coupon(org_id, Coupon("WELCOME20", "Welcome: 20% off", duration="forever",
                                      percent_off_bp=2000, portal=True), now)
    # the merchant's to give (the demo's trial has it): neither listed nor applicable in the portal
    catalog.add_coupon(org_id, Coupon("TENOFF", "10.00 off the first invoice", duration="once",
                                      amount_off_minor=1000, currency=CURRENCY), now)
    # the cancel flow's retention offer (DEMO_PREFERENCES): 25% off for three terms, not in the portal's list
    catalog.add_coupon(org_id, Coupon("STAY25", "Stay with us: 25% off", duration="repeating", cycles=3,
                                      percent_off_bp=2500), now)


# --- customers ----------------------------------------------------------------------------

def _address(line1: str, city: str, state: str, postal_code: str, country: str = "US") -> Address:
    return Address(line1=line1, city=city, state=state, postal_code=postal_code, country=country)


def _person(first: str, last: str, email: str, phone: str = "") -> NewContact:
    return NewContact(first, email, last, phone)


DEMO_CUSTOMERS = (
    # The first customer's primary contact is the demo portal user: it gets every situation.
    dict(display_name="Acme Analytics", company_name="Acme Analytics Inc.", email="ap@acme-analytics.example",
         phone="+1 415 555 0101", billing_address=_address("1 Market St", "San Francisco", "CA", "94105"),
         shipping_address=_address("500 Howard St", "San Francisco", "CA", "94105"),
         contacts=(_person("Ada", "Lovelace", "ada@acme-analytics.example", "+1 415 555 0102"),
                   _person("Charles", "Babbage", "charles@acme-analytics.example")),
         custom_fields={"po_number": "PO-2026-0042", "invoice_language": "English", "segment": "mid-market"}),
    dict(display_name="Globex Corporation", company_name="Globex Corporation", email="ap@globex.example",
         billing_address=_address("77 Cypress Creek Rd", "Cypress Creek", "OR", "97301"),
         contacts=(_person("Hank", "Scorpio", "hank@globex.example"),
                   _person("Lisa", "Simpson", "lisa@globex.example")),
         custom_fields={"segment": "enterprise"}),
    dict(display_name="Initech", company_name="Initech LLC", email="accounts@initech.example",
         billing_address=_address("4120 Freidrich Ln", "Austin", "TX", "78744"),
         contacts=(_person("Peter", "Gibbons", "peter@initech.example"),),
         custom_fields={"po_number": "TPS-1999", "segment": "startup"}),
    dict(display_name="Bluth Property Group", company_name="Bluth Company", email="finance@bluth.example",
         billing_address=_address("1 Sudden Valley Rd", "Newport Beach", "CA", "92660"),
         contacts=(_person("Michael", "Bluth", "michael@bluth.example"),)),
    dict(display_name="Harbour Books", company_name="Harbour Books Ltd", email="hello@harbourbooks.example",
         billing_address=Address(line1="12 Quay Street", city="Bristol", postal_code="BS1 4DJ", country="GB"),
         contacts=(_person("Ruth", "Okafor", "ruth@harbourbooks.example"),),
         custom_fields={"invoice_language": "English"}),
)


def seed_customers(org_id: str, now: datetime) -> list[Customer]:
    accounts = bootstrap.services().accounts
    return [accounts.create_customer(org_id, NewCustomer(**details), now) for details in DEMO_CUSTOMERS]


# --- billing ----------------------------------------------------------------------------------

def _held_back_by(org_id: str, sub, invoice_id: str) -> None:
    """The subscription waits for `invoice_id`, as a declined renewal leaves it (the dunning one
    declined for want of funds): paying it brings the subscription back."""
    uow = bootstrap.adapters().uow
    held = replace(uow.subscriptions.get(org_id, sub.customer_id, sub.subscription_id), unpaid_invoice_id=invoice_id,
                   last_failure_code="insufficient_funds" if sub.status.value == "dunning" else None)
    uow.subscriptions.save(org_id, held, clock=clock_name(uow.organizations.get(org_id)))


DECLINED_RENEWAL_DAYS_AGO = 3     # the dunning subscription's renewal, declined


def seed_billing(org_id: str, demo_customers: list[Customer], now: datetime) -> None:
    """Subscriptions in every status, invoices (paid, open, overdue; the dunning and the unpaid
    subscriptions' own unpaid invoices), a credit note, and pending estimates and timesheets."""
    subscriptions, documents = bootstrap.services().subscriptions, bootstrap.services().documents
    demo, *others = demo_customers
    days = lambda n: timedelta(days=n)  # noqa: E731
    # the card the dunning subscription's renewal was declined on (for want of funds, since restored)
    card = bootstrap.services().payments.add_method(org_id, demo.customer_id, "pm_card_visa", make_default=True,
                                                    now=now - days(40)).payment_method_id
    made = {status: subscriptions.create(org_id, NewSubscription(demo.customer_id, plan_code, status, **extra),
                                         created)
            for status, plan_code, created, extra in _subscriptions_in_every_status(now, days, card)}
    for index, customer in enumerate(others):
        subscriptions.create(org_id, NewSubscription(customer.customer_id, ("pro", "business")[index % 2],
                                                     auto_charge=index % 2 == 0), now - days(20 + index))

    paid = documents.create_invoice(org_id, demo.customer_id, lines=[_line("Pro plan, March", 2900),
                                                                     _line("Extra seats", 500, 3)],
                                    now=now - days(60), due_days=15)
    documents.record_payment(org_id, demo.customer_id, invoice_id=paid.invoice_id, amount_minor=4400,
                             now=now - days(55))
    documents.create_invoice(org_id, demo.customer_id, lines=[_line("Pro plan", 2900),
                                                              _line("Onboarding session", 9900)],
                             now=now - days(3), due_days=30)
    documents.create_invoice(org_id, demo.customer_id, lines=[_line("Consulting, half day", 45000)],
                             now=now - days(45), due_days=15)
    # what keeps the dunning and the unpaid subscriptions where they are: their own unpaid invoices
    for status, plan, price, issued in (("dunning", "Pro plan", 2900, DECLINED_RENEWAL_DAYS_AGO),
                                        ("unpaid", "Starter plan", 900, 40)):
        unpaid = documents.create_invoice(org_id, demo.customer_id, lines=[_line(plan, price)],
                                          now=now - days(issued), due_days=0,
                                          subscription_id=made[status].subscription_id)
        _held_back_by(org_id, made[status], unpaid.invoice_id)
    for customer in others[:2]:
        documents.create_invoice(org_id, customer.customer_id, lines=[_line("Business plan", 29000)],
                                 now=now - days(40), due_days=15)
    documents.create_credit_note(org_id, demo.customer_id, lines=[_line("Service credit for the 12 March outage",
                                                                        1500)],
                                 reason="Service outage", now=now - days(10))
    documents.create_estimate(org_id, demo.customer_id, lines=[_line("Data migration", 120000),
                                                               _line("Training day", 80000)], now=now - days(2))
    documents.create_estimate(org_id, others[0].customer_id, lines=[_line("Custom connector", 250000)],
                              now=now - days(1))
    week_start = (now - days(now.weekday() + 7)).date()
    documents.create_timesheet(
        org_id, demo.customer_id, project="Dashboard rollout", period_start=week_start.isoformat(),
        period_end=(week_start + days(4)).isoformat(),
        entries=tuple(_entry(week_start + days(d), task, minutes) for d, task, minutes in
                      ((0, "Requirements workshop", 240), (1, "Connector setup", 420), (3, "User training", 180))),
        now=now - days(1))


def _subscriptions_in_every_status(now: datetime, days, card: str):
    """(status, plan, created at, status fields) for each subscription status of the demo customer
    (`card`: the saved card its dunning one is charged to)."""
    return [
        ("future", "pro", now - days(1), {"starts_at": (now + days(10)).date()}),
        ("trial", "starter", now - days(5), {"trial_end": (now + days(9)).date(), "coupon_code": "TENOFF"}),
        # in its term (a month from 12 days ago), so plan changes prorate; auto-charge waits for a saved card
        ("live", "pro", now - days(12), {"addons": (("extra_seats", 3),), "coupon_code": "WELCOME20"}),
        ("non_renewing", "business", now - days(300), {"term_start": (now - days(300)).date(),
                                                          "term_end": (now + days(65)).date()}),
        # its term is the one its declined renewal bills (`seed_billing`): paid, nothing more is due for it
        ("dunning", "pro", now - days(33), {"next_retry_at": now + days(2), "auto_charge": True,
                                            "payment_method_id": card,
                                            "term_start": (now - days(DECLINED_RENEWAL_DAYS_AGO)).date()}),
        ("unpaid", "starter", now - days(70), {}),
        ("paused", "pro", now - days(90), {"paused_at": (now - days(12)).date(),
                                                 "resume_at": (now + days(18)).date()}),
        # ended at the end of their last term (cancelled at term end; a non-renewing one run out), not
        # in the middle of one: what the portal shows as their last term is the one they ended with
        ("cancelled", "starter", now - days(120), _ended_with_a_term(now - days(15), "cancelled_at",
                                                                    cancel_reason="Moved to another tool")),
        ("expired", "starter", now - days(70), _ended_with_a_term(now - days(26), "expired_at")),
    ]


def _ended_with_a_term(about: datetime, field: str, **more) -> dict:
    """A subscription's last monthly term, from a month before `about`'s day, and the day it ended
    with it (`field`: when it did)."""
    year, month = divmod(about.year * 12 + about.month - 2, 12)
    start = date(year, month + 1, min(about.day, monthrange(year, month + 1)[1]))
    end = add_periods(start, "month", 1)
    return {"term_start": start, "term_end": end, field: datetime.combine(end, time(), tzinfo=timezone.utc), **more}


def _line(description: str, unit_price_minor: int, quantity: int = 1) -> NewDocumentLine:
    return NewDocumentLine(description, unit_price_minor, quantity)


def _entry(day: date, description: str, minutes: int) -> TimeEntry:
    return TimeEntry(day.isoformat(), minutes, description)


# --- the demo portal user -----------------------------------------------------------------------

def seed_portal_user(org_id: str, customer: Customer, now: datetime) -> PortalSignIn:
    """Give the customer's primary contact a portal password."""
    contact = customer.primary_contact
    bootstrap.services().access.create_portal_user(org_id, customer_id=customer.customer_id,
                                                   contact_id=contact.contact_id, password=DEMO_PASSWORD, now=now)
    return PortalSignIn(org_id, contact.email, DEMO_PASSWORD)


def seed_console_users(org_id: str, now: datetime) -> None:
    """The console's demo users: an admin and a support user (kept if they are there already)."""
    access = bootstrap.services().access
    for email, role, name in ((DEMO_CONSOLE.admin_email, "admin", "Olivia Owner"),
                              (DEMO_CONSOLE.support_email, "support", "Sam Support")):
        try:
            access.create_merchant_user(org_id, email=email, role=role, password=DEMO_PASSWORD, name=name, now=now,
                                        by=API_KEY)   # the operator seeding the stage, as the merchant's server
        except AlreadyExists:
            pass


def _demo_sign_in() -> PortalSignIn:
    return PortalSignIn(DEMO_ORG_ID, DEMO_CUSTOMERS[0]["contacts"][0].email, DEMO_PASSWORD)
