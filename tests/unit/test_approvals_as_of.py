"""An estimate as it stands at a moment (services/documents/approvals.py): pure, no AWS."""
from datetime import datetime, timedelta, timezone

from chalicelib.domain.documents import DocumentLine, Estimate, EstimateStatus
from chalicelib.services.documents.approvals import as_of

ISSUED = datetime(2026, 11, 1, tzinfo=timezone.utc)
EXPIRES = ISSUED + timedelta(days=30)


def an_estimate(status: EstimateStatus = EstimateStatus.SENT) -> Estimate:
    return Estimate(estimate_id="est_1", customer_id="cus_1", number="EST-000001", currency="USD", status=status,
                    issued_at=ISSUED, expires_at=EXPIRES, lines=(DocumentLine("Work", 100),), total_minor=100)


def test_a_sent_estimate_expires_the_moment_its_validity_ends():
    assert as_of(an_estimate(), EXPIRES - timedelta(microseconds=1)).status == EstimateStatus.SENT
    assert as_of(an_estimate(), EXPIRES).status == EstimateStatus.EXPIRED


def test_a_decided_estimate_stays_as_decided_after_its_validity():
    for status in (EstimateStatus.ACCEPTED, EstimateStatus.DECLINED):
        assert as_of(an_estimate(status), EXPIRES + timedelta(days=400)).status == status
