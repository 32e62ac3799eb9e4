"""A payment's plan is a typed value kept in the JSON form plans have always been kept in."""
from chalicelib.domain.payment_plans import MethodToSave, PaymentPlan

STORED_BEFORE = {  # a plan as the payment key held it while plans were dicts
    "payment_id": "pay_1", "invoice_ids": ["inv_1", "inv_2"], "credits": [["inv_1", "cn_1", 500]],
    "save_method": {"payment_method_id": "pm_9", "new": True, "gateway": "stripe", "gateway_method_id": "pm_1Abc",
                    "brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030},
    "gateway_customer_id": "cus_g1", "gateway_method_id": "pm_1Abc", "off_session": False,
    "gateway_key": "charge:pay_1", "description": "Invoices INV-1, INV-2"}


def test_a_plan_stored_as_a_dict_reads_as_the_typed_plan():
    plan = PaymentPlan.from_stored(STORED_BEFORE)

    assert plan.invoice_ids == ("inv_1", "inv_2") and plan.credits == (("inv_1", "cn_1", 500),)
    assert plan.save_method == MethodToSave("pm_9", new=True, gateway="stripe", gateway_method_id="pm_1Abc",
                                            brand="visa", last4="4242", exp_month=12, exp_year=2030)


def test_a_plan_is_stored_with_the_same_keys_in_the_same_order():
    assert PaymentPlan.from_stored(STORED_BEFORE).stored() == STORED_BEFORE
    assert list(PaymentPlan.from_stored(STORED_BEFORE).stored()) == list(STORED_BEFORE)


def test_a_saved_method_to_keep_is_stored_by_its_id_alone():
    stored = {**STORED_BEFORE, "save_method": {"payment_method_id": "pm_3"}, "credits": []}

    assert PaymentPlan.from_stored(stored).save_method == MethodToSave("pm_3")
    assert PaymentPlan.from_stored(stored).stored() == stored


def test_a_payment_made_without_a_plan_claims_nothing_and_saves_nothing():
    plan = PaymentPlan.none("pay_2")

    assert (plan.invoice_ids, plan.credits, plan.save_method) == ((), (), None)
