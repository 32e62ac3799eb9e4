"""Paying with Stripe in the browser: Stripe.js (a stand-in served at its address) is started with the
key /portal/me gives, no SetupIntent is made to learn it, and after 3-D Secure the page says
"Confirming" until the server, asking Stripe (a fake Stripe behind StripeGateway), knows the outcome."""
import pytest
from playwright.sync_api import expect

from tests.e2e.steps import an_invoice, fresh_customer, sign_in
from tests.support.stripe_fake import PUBLISHABLE_KEY, FakeStripe

pytestmark = pytest.mark.e2e

# Stripe.js as the pay page uses it; confirmCardPayment answers what Stripe.js answers while the
# bank is still deciding.
STRIPE_JS_STAND_IN = """
window.Stripe = function (key) {
  window.stripeStartedWith = key;
  return {
    elements: () => ({ create: () => ({ mount: (node) => { node.textContent = "Card number (stand-in)"; } }) }),
    createPaymentMethod: async () => ({ paymentMethod: { id: "pm_1BrowserCard" } }),
    confirmCardPayment: async () => ({ paymentIntent: { status: "processing" } }),
  };
};
"""


@pytest.fixture
def stripe(monkeypatch):
    """The running stack in Stripe mode, its Stripe a fake one whose payments ask for 3-D Secure."""
    from chalicelib import bootstrap, config
    fake = FakeStripe(authenticate=True)
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_portico")
    config.reload()
    monkeypatch.setattr(bootstrap.adapters(), "gateway", fake.gateway())
    yield fake
    monkeypatch.undo()
    config.reload()


def test_after_3d_secure_the_page_confirms_with_the_server_until_stripe_knows(page, portal, stripe):
    # Given a customer with an open invoice, in a portal taking cards with Stripe
    customer = fresh_customer(portal.org_id, "Stripe")
    an_invoice(customer, 4900, "Annual audit")
    page.route("https://js.stripe.com/**", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=STRIPE_JS_STAND_IN))
    asked = []
    page.on("request", lambda request: asked.append(f"{request.method} {request.url.split('?')[0]}"))
    sign_in(page, customer.org_id, customer.email, customer.password)

    # When she pays with a new card and her bank is still deciding after 3-D Secure
    page.get_by_role("link", name="Pay Now").first.click()
    page.get_by_label("A new card").check()
    page.get_by_role("button", name="Pay $49.00").click()

    # Then the page says it is confirming, and nothing about a failure
    expect(page.get_by_role("status").filter(has_text="Confirming your payment")).to_be_visible()
    [intent_id] = stripe.intents
    assert page.get_by_text("nothing was charged").count() == 0

    # When her bank approves it
    stripe.finish(intent_id, "succeeded")

    # Then the server, asking Stripe, settles it and the page shows the payment received
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible(timeout=20_000)
    assert page.evaluate("window.stripeStartedWith") == PUBLISHABLE_KEY
    assert not [a for a in asked if a.endswith("/portal/payment-methods/setup")]
    assert any(a.endswith("/confirm") and a.startswith("POST") for a in asked)
