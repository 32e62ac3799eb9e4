"""The scheduled job as EventBridge invokes it, and what the tests of scheduled work read back: a
subscription's state, invoices and credit notes straight from the store (the portal session expires
while a test moves the clock by weeks)."""
from datetime import timedelta

from chalicelib.bootstrap import adapters
from tests.support.api import NOW
from tests.support.subscriptions import a_shop

DAY = timedelta(days=1)


def run_jobs(c) -> dict:
    event = c.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                       resources=[])
    return c.lambda_.invoke("run_due_work", event).payload


def state(shop, sub: dict):
    return adapters().uow.subscriptions.get(shop.acme.org.org_id, shop.zoe.customer_id, sub["subscription_id"])


def invoices_of(shop, sub: dict) -> list[dict]:
    """The subscription's invoices, oldest first (read from the store: the portal session expires
    while the tests move the clock by weeks)."""
    found = adapters().uow.invoices.page(shop.acme.org.org_id, shop.zoe.customer_id, limit=100, cursor=None).items
    return [{"invoice_id": i.invoice_id, "status": i.status.value, "total_minor": i.total_minor,
             "balance_minor": i.balance_minor}
            for i in sorted(found, key=lambda i: i.number) if i.subscription_id == sub["subscription_id"]]


def credit_notes_of(shop, sub: dict) -> list:
    found = adapters().uow.credit_notes.page(shop.acme.org.org_id, shop.zoe.customer_id, limit=100, cursor=None).items
    return [note for note in found if note.subscription_id == sub["subscription_id"]]


def dunning_policy(shop, *, retry_after_days: list[int], when_exhausted: str) -> None:
    answer = shop.admin.patch("/admin/organization", {"dunning": {"retry_after_days": retry_after_days,
                                                                  "when_exhausted": when_exhausted}})
    assert answer.status == 200, answer.json


def auto_charged(shop, status: str = "live", card: str = "pm_card_visa", **fields) -> dict:
    return shop.subscription(status, auto_charge=True, payment_method_id=shop.saved_card(card), **fields)


def a_renewal_declined(c, card: str = "pm_card_chargeDeclinedInsufficientFunds"):
    """Zoë's auto-charged renewal (of Nov 25) was declined: in dunning, retried 1, 3 and 5 days on."""
    shop = a_shop(c)
    sub = shop.subscription("live", auto_charge=True, payment_method_id=shop.saved_card(card),
                            term_start=NOW - 30 * DAY, term_end=NOW)
    run_jobs(c)
    return shop, sub
