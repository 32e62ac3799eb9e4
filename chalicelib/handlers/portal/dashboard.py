"""The portal's home screen."""
from __future__ import annotations

from ...bootstrap import services
from ..credentials import portal_session
from ..http import Routes


api = Routes("portal", portal_session)


@api.route("/portal/dashboard", response="Dashboard", reads_ahead=("account_summary",))
def dashboard():
    """Outstanding invoices, available credits, last payment, my details, pending approvals and
    the organization's contact details."""
    from ..responses.accounts import Dashboard   # on the first answer, not at `import app`
    caller = api.customer()
    home = services().accounts.dashboard(caller.org, caller.customer, caller.contact_id)
    return Dashboard.of(home).model_dump()   # python values: dates written as in every other answer
