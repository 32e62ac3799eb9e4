"""Every change of the saved payment methods is written with their mirror on the account summary
(services/payments/mirror.change_in): a service that put or deleted a method itself would leave the
mirror, which the dashboard and the list of cards show, behind. The one exception is the card a
payment saves, which the summary appends in the settlement's own update."""
import re
from pathlib import Path

CHALICELIB = Path(__file__).resolve().parents[2] / "chalicelib"
WRITES = re.compile(r"\bpayment_methods\.(put_in|delete_in)\(")
ALLOWED = {"services/payments/mirror.py", "services/payments/settlement.py"}


def test_no_service_or_handler_writes_a_payment_method_without_its_mirror():
    found = [f"{path.relative_to(CHALICELIB)}:{number}: {line.strip()}"
             for folder in ("services", "handlers")
             for path in sorted((CHALICELIB / folder).rglob("*.py"))
             if str(path.relative_to(CHALICELIB)) not in ALLOWED
             for number, line in enumerate(path.read_text().splitlines(), 1) if WRITES.search(line)]
    assert found == []
