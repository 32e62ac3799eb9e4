"""What a customer does in the browser, and the back-office arrangements the tests need
(done through the services, in-process, as the merchant's tools would)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from playwright.sync_api import Page, expect

PASSWORD = "velvet lantern orchard at dusk"


@dataclass(frozen=True)
class Customer:
    org_id: str
    customer_id: str
    email: str
    password: str


def sign_in(page: Page, org_id: str, email: str, password: str) -> None:
    page.goto("./#/sign-in")     # relative: the portal may be served under a path (API Gateway's /api/)
    page.get_by_label("Organization").fill(org_id)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Welcome"))).to_be_visible()


class Traffic:
    """The page's requests not yet answered: a test that changes what the server will answer
    (say, moves its clock) waits for the screen's own requests to be answered first."""

    def __init__(self, page: Page):
        self.page = page
        self.unanswered: set = set()
        page.on("request", lambda request: self.unanswered.add(request))
        page.on("requestfinished", lambda request: self.unanswered.discard(request))
        page.on("requestfailed", lambda request: self.unanswered.discard(request))

    def wait_until_quiet(self, timeout_ms: int = 10_000) -> None:
        for _ in range(timeout_ms // 50):
            if not self.unanswered:
                return
            self.page.wait_for_timeout(50)    # lets Playwright deliver the page's events
        raise AssertionError(f"still unanswered: {[r.url for r in self.unanswered]}")


def sidebar(page: Page):
    return page.get_by_role("navigation", name="Portal")


def go_to(page: Page, section: str) -> None:
    sidebar(page).get_by_role("link", name=section, exact=True).click()


def portal_user_for(org_id: str, customer_id: str, password: str = PASSWORD) -> Customer:
    """Give the customer's primary contact a portal password."""
    from chalicelib.bootstrap import adapters, services
    contact = adapters().uow.customers.get(org_id, customer_id).primary_contact
    services().access.create_portal_user(org_id, customer_id=customer_id, contact_id=contact.contact_id,
                                         password=password, now=datetime.now(timezone.utc))
    return Customer(org_id, customer_id, contact.email, password)


def organization_with(name: str, email: str, **preferences) -> str:
    """A new organization whose portal preferences are the defaults changed by `preferences`."""
    from dataclasses import replace
    from chalicelib.bootstrap import services
    from chalicelib.domain.preferences import Preferences
    from chalicelib.services.access.commands import OrganizationChanges
    org, _ = services().access.create_organization(name=name, email=email, currency="USD",
                                                   now=datetime.now(timezone.utc))
    changes = OrganizationChanges(preferences=replace(Preferences(), **preferences))
    services().access.update_organization(org.org_id, changes)
    return org.org_id


def new_customer(org_id: str, display_name: str, email: str, first_name: str, last_name: str) -> str:
    from chalicelib.bootstrap import services
    from chalicelib.services.accounts.commands import NewContact, NewCustomer
    customer = services().accounts.create_customer(
        org_id, NewCustomer(display_name=display_name, email=email,
                            contacts=(NewContact(first_name=first_name, last_name=last_name, email=email),)),
        datetime.now(timezone.utc))
    return customer.customer_id


def route_exists(path: str, method: str = "GET") -> bool:
    from app import app
    return method in app.routes.get(path, {})


_count = iter(range(1, 10_000))


def fresh_customer(org_id: str, name: str, *, colleagues: int = 0) -> Customer:
    """A new customer of `org_id` whose primary contact can sign in (and `colleagues` more contacts)."""
    n = next(_count)
    slug = re.sub(r"\W+", "", name.lower())
    email = f"owner{n}@{slug}.example"
    from chalicelib.bootstrap import services
    from chalicelib.services.accounts.commands import NewContact, NewCustomer
    people = (NewContact(first_name="Olive", last_name=name, email=email),) + tuple(
        NewContact(first_name=f"Colleague{i}", last_name=name, email=f"colleague{i}.{n}@{slug}.example")
        for i in range(1, colleagues + 1))
    customer = services().accounts.create_customer(org_id, NewCustomer(display_name=f"{name} {n}", email=email,
                                                                       contacts=people), _now())
    return portal_user_for(org_id, customer.customer_id)


def a_subscription(customer: Customer, plan_code: str = "pro", status: str = "live", days_ago: int = 10, **fields) -> str:
    from chalicelib.bootstrap import services
    from chalicelib.services.subscriptions.commands import NewSubscription
    sub = services().subscriptions.create(customer.org_id, NewSubscription(customer.customer_id, plan_code, status,
                                                                           **fields), _now() - timedelta(days=days_ago))
    return sub.subscription_id


def an_invoice(customer: Customer, amount_minor: int, description: str = "Consulting", days_ago: int = 3,
               due_days: int = 30) -> str:
    from chalicelib.bootstrap import services
    from chalicelib.services.documents.commands import NewDocumentLine
    invoice = services().documents.create_invoice(customer.org_id, customer.customer_id,
                                                  now=_now() - timedelta(days=days_ago),
                                                  lines=[NewDocumentLine(description, amount_minor)], due_days=due_days)
    return invoice.invoice_id


def _now() -> datetime:
    return datetime.now(timezone.utc)


def link_emailed_to(address: str, page_name: str) -> str:
    """The newest portal link to `page_name` (e.g. reset-password) emailed to `address`."""
    from chalicelib.bootstrap import services
    from devstack.mailbox import embedded_ses_emails
    # the outbox job's work, until nothing is left due: some emails (password resets) only go out
    # through it, behind the invoice emails other steps queued
    while services().accounts.send_queued_email(_now()):
        pass
    for message in reversed(embedded_ses_emails()):
        found = re.search(rf"https?://\S+/(?:\?portal=[\w-]+)?#/{page_name}\?[^\s\"<>]+", message.text)
        if address in message.to and found:
            return found.group(0)
    raise AssertionError(f"no {page_name} link was emailed to {address}")


def invite_colleagues(customer: Customer) -> list[str]:
    """Invite the customer's other contacts to the portal; answers their emails."""
    from chalicelib.bootstrap import adapters, services
    invited = []
    for contact in adapters().uow.customers.get(customer.org_id, customer.customer_id).contacts:
        if contact.email != customer.email:
            services().access.invite(customer.org_id, customer.customer_id, contact.contact_id, _now())
            invited.append(contact.email)
    return invited


BASICS = """() => {
  const problems = [];
  const named = (el) => (el.labels && el.labels.length) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!named(el)) problems.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name}`);
  }
  for (const el of document.querySelectorAll("button, a[href]")) {
    if (!(el.innerText || "").trim() && !el.getAttribute("aria-label")) problems.push(`nameless ${el.tagName.toLowerCase()}`);
  }
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one main landmark");
  if (!document.querySelector("h1")) problems.push("no h1");
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`duplicate id ${id}`);
  return problems;
}"""


def accessibility_problems(page: Page) -> list[str]:
    """The basics an axe run would flag first: labels, names, one main, a heading, unique ids."""
    return page.evaluate(BASICS)


def an_estimate(customer: Customer, amount_minor: int, description: str = "Data migration") -> str:
    from chalicelib.bootstrap import services
    from chalicelib.services.documents.commands import NewDocumentLine
    estimate = services().documents.create_estimate(customer.org_id, customer.customer_id,
                                                    now=_now() - timedelta(days=1),
                                                    lines=[NewDocumentLine(description, amount_minor)])
    return estimate.estimate_id
