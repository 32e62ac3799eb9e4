"""My tax IDs: listed, added, replaced and removed; documents issued afterwards print them."""
from __future__ import annotations

from ... import bootstrap
from ...bootstrap import services
from ..credentials import portal_session
from ..http import Routes
from ..schemas import TaxIdBody

api = Routes("portal", portal_session)


def _answer(tax_id) -> dict:
    from ..responses.accounts import TaxId
    return TaxId.mirroring(tax_id).model_dump()


@api.route("/portal/tax-ids", response="TaxIdList")
def list_tax_ids():
    """My tax IDs, and whether the merchant requires one (`required`)."""
    from ..responses.accounts import TaxIdList
    caller = api.customer()
    return TaxIdList.of(services().accounts.tax_ids(caller.org, caller.customer)).model_dump()


@api.route("/portal/tax-ids", "POST", body=TaxIdBody, status=201, response="TaxId")
def add_tax_id(body: TaxIdBody):
    """Add a tax ID (at most 5; 422 too_many_tax_ids). A number that is not valid for its kind is a
    400 naming the kind; adding one already on the account answers it and adds nothing."""
    caller = api.customer()
    return _answer(services().accounts.add_tax_id(caller.org_id, caller.customer_id, caller.contact_id,
                                                  body.type, body.value, bootstrap.now()))


@api.route("/portal/tax-ids/{tax_id}", "PUT", body=TaxIdBody, response="TaxId")
def replace_tax_id(tax_id: str, body: TaxIdBody):
    """Replace a tax ID by another (documents issued before keep the old one)."""
    caller = api.customer()
    return _answer(services().accounts.replace_tax_id(caller.org_id, caller.customer_id, caller.contact_id,
                                                      tax_id, body.type, body.value, bootstrap.now()))


@api.route("/portal/tax-ids/{tax_id}", "DELETE", status=204)
def remove_tax_id(tax_id: str):
    """Remove a tax ID; the last one stays while the merchant requires one (422 tax_id_required)."""
    caller = api.customer()
    services().accounts.remove_tax_id(caller.org_id, caller.customer_id, caller.contact_id, tax_id, bootstrap.now())
