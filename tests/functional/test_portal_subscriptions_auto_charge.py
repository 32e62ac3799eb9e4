"""Auto-charge of the invoices portal actions raise: what is asked of the payments service (with a
stand-in), and what the customer is charged through the simulated gateway."""
from datetime import timezone

from chalicelib.domain.payments import Payment, PaymentStatus
from tests.support.api import NOW, client
from tests.support.portal import internals_in
from tests.support.subscriptions import TERM, a_shop

UTC = timezone.utc


class PaymentsStandIn:
    """Records the off-session collections asked for; answers with `status` (or raises `error`)."""

    def __init__(self, status=PaymentStatus.SUCCEEDED, error: Exception | None = None):
        self.calls, self.status, self.error = [], status, error

    def collect_off_session(self, adapters, org_id, customer_id, invoice_id, *, payment_method_id, idempotency_key,
                            now, source="auto_charge"):
        self.calls.append(dict(org_id=org_id, customer_id=customer_id, invoice_id=invoice_id,
                               payment_method_id=payment_method_id, idempotency_key=idempotency_key, now=now,
                               source=source))
        if self.error:
            raise self.error
        # with what the payment service keeps for itself, which no answer may show
        return Payment(payment_id="pay_1", customer_id=customer_id, status=self.status, amount_minor=1, currency="USD",
                       allocations=(), created_at=now, gateway="simulated", source=source,
                       gateway_payment_id="pi_1", client_secret="pi_1_secret_1", idempotency_key=idempotency_key,
                       version=1)


def stand_in(monkeypatch, **kwargs) -> PaymentsStandIn:
    """The payments service's off-session collection, as the subscription actions call it."""
    from chalicelib.services.payments import collection
    payments = PaymentsStandIn(**kwargs)
    monkeypatch.setattr(collection, "collect_off_session", payments.collect_off_session)
    return payments


ALL = {"trial": {"convert_to_live": True}, "edit_subscription": {"enabled": True}, "reactivate": True,
       "pause_resume": {"enabled": True, "customer_can_resume": True}}


def test_activation_asks_for_the_invoice_to_be_collected_as_the_subscriptions_first_charge_attempt(aws, monkeypatch):
    with client() as c:
        shop = a_shop(c, preferences=ALL)
        payments = stand_in(monkeypatch)
        trial = shop.subscription("trial", auto_charge=True, payment_method_id="pm_card_visa")

        answer = shop.portal.post(f"/portal/subscriptions/{trial['subscription_id']}/activate", {})

        assert answer.status == 200, answer.json
        assert payments.calls == [dict(
            org_id=shop.acme.org.org_id, customer_id=shop.zoe.customer_id,
            invoice_id=answer.json["invoice"]["invoice_id"], payment_method_id="pm_card_visa",
            idempotency_key=f"charge:{trial['subscription_id']}:1", now=NOW, source="auto_charge")]
        assert answer.json["payment"]["status"] == "succeeded"


def test_each_billing_action_collects_what_it_raised_with_its_own_key(aws, monkeypatch):
    with client() as c:
        shop = a_shop(c, preferences=ALL)
        payments = stand_in(monkeypatch)
        card = {"auto_charge": True, "payment_method_id": "pm_card_visa"}
        live = shop.subscription("live", **card, **TERM)["subscription_id"]
        paused = shop.subscription("paused", **card, **TERM)["subscription_id"]
        cancelled = shop.subscription("cancelled", **card, **TERM)["subscription_id"]

        changed = shop.portal.post(f"/portal/subscriptions/{live}/changes", {"plan": "biz"})
        resumed = shop.portal.post(f"/portal/subscriptions/{paused}/resume", {})
        reactivated = shop.portal.post(f"/portal/subscriptions/{cancelled}/reactivate", {})

        assert [call["idempotency_key"] for call in payments.calls] == [
            f"charge:{live}:1", f"charge:{paused}:1", f"charge:{cancelled}:1"]
        assert [call["invoice_id"] for call in payments.calls] == [
            a.json["invoice"]["invoice_id"] for a in (changed, resumed, reactivated)]


def test_nothing_is_collected_without_auto_charge_or_when_credits_paid_it(aws, monkeypatch):
    with client() as c:
        shop = a_shop(c, preferences=ALL)
        payments = stand_in(monkeypatch)
        no_auto = shop.subscription("trial", payment_method_id="pm_card_visa")
        downgraded = shop.subscription("live", plan="biz", auto_charge=True, payment_method_id="pm_card_visa", **TERM)

        shop.portal.post(f"/portal/subscriptions/{no_auto['subscription_id']}/activate", {})
        paid_by_credit = shop.portal.post(f"/portal/subscriptions/{downgraded['subscription_id']}/changes",
                                          {"plan": "pro"})

        assert paid_by_credit.json["invoice"]["status"] == "paid"
        assert payments.calls == []


def test_a_charge_that_cannot_be_made_leaves_the_action_done_and_the_invoice_open(aws, monkeypatch):
    with client() as c:
        shop = a_shop(c, preferences=ALL)
        stand_in(monkeypatch, error=RuntimeError("gateway unreachable"))
        trial = shop.subscription("trial", auto_charge=True, payment_method_id="pm_card_visa")

        answer = shop.portal.post(f"/portal/subscriptions/{trial['subscription_id']}/activate", {})

        assert answer.status == 200
        assert (answer.json["subscription"]["status"], answer.json["invoice"]["status"], answer.json["payment"]) == (
            "live", "open", None)


def test_an_auto_charge_awaiting_3d_secure_shows_its_client_secret_only_as_the_next_action(aws, monkeypatch):
    with client() as c:
        # Given a charge of the activation's invoice that the bank wants authenticated
        shop = a_shop(c, preferences=ALL)
        stand_in(monkeypatch, status=PaymentStatus.REQUIRES_ACTION)
        trial = shop.subscription("trial", auto_charge=True, payment_method_id="pm_card_visa")

        answer = shop.portal.post(f"/portal/subscriptions/{trial['subscription_id']}/activate", {})

        # Then the browser gets what it needs to finish it, and nothing else of the payment service's
        assert answer.status == 200, answer.json
        payment = answer.json["payment"]
        assert (payment["status"], payment["next_action"]["client_secret"]) == ("requires_action", "pi_1_secret_1")
        assert internals_in(answer.json) == set()


def test_a_succeeded_auto_charge_shows_no_payment_internals(aws, monkeypatch):
    with client() as c:
        shop = a_shop(c, preferences=ALL)
        stand_in(monkeypatch)
        trial = shop.subscription("trial", auto_charge=True, payment_method_id="pm_card_visa")

        answer = shop.portal.post(f"/portal/subscriptions/{trial['subscription_id']}/activate", {})

        assert answer.json["payment"]["status"] == "succeeded" and "next_action" not in answer.json["payment"]
        assert internals_in(answer.json) == set()


# --- with the payments service itself -----------------------------------------------------------

def test_activating_with_a_good_card_pays_the_first_invoice(aws):
    with client() as c:
        shop = a_shop(c, preferences=ALL)
        trial = shop.subscription("trial", auto_charge=True, payment_method_id=shop.saved_card())

        answer = shop.portal.post(f"/portal/subscriptions/{trial['subscription_id']}/activate", {})

        assert answer.json["payment"]["status"] == "succeeded"
        assert (answer.json["invoice"]["status"], answer.json["invoice"]["amount_paid_minor"]) == ("paid", 10_000)


def test_activating_with_a_declined_card_leaves_the_subscription_live_and_the_invoice_open(aws):
    with client() as c:
        shop = a_shop(c, preferences=ALL)
        trial = shop.subscription("trial", auto_charge=True,
                                  payment_method_id=shop.saved_card("pm_card_chargeDeclined"))

        answer = shop.portal.post(f"/portal/subscriptions/{trial['subscription_id']}/activate", {})

        assert answer.json["payment"]["status"] == "failed"
        assert (answer.json["subscription"]["status"], answer.json["invoice"]["status"]) == ("live", "open")


def test_an_upgrade_charges_the_previewed_amount_due(aws):
    with client() as c:
        shop = a_shop(c, preferences=ALL)
        sub = shop.subscription("live", auto_charge=True, payment_method_id=shop.saved_card(), **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"
        quote = shop.portal.post(f"{path}/changes/preview", {"plan": "biz"}).json

        answer = shop.portal.post(f"{path}/changes", {"plan": "biz", "quote_id": quote["quote_id"]})

        assert (answer.json["payment"]["status"], answer.json["payment"]["amount_minor"]) == (
            "succeeded", quote["amount_due_minor"])
        assert answer.json["invoice"]["status"] == "paid"
