"""Reading items of several tables at once: keys DynamoDB leaves unprocessed are asked again, and
keys it keeps leaving unread are a 503, never an item answered missing."""
import pytest

from chalicelib.bootstrap import adapters
from chalicelib.domain.errors import NotFound, Unavailable
from chalicelib.tables import batch_reads


class LeavesEverythingUnprocessed:
    """A DynamoDB under sustained load: every BatchGetItem comes back with all its keys unread."""

    def __init__(self):
        self.calls = 0

    def batch_get_item(self, RequestItems):
        self.calls += 1
        return {"Responses": {}, "UnprocessedKeys": RequestItems}


@pytest.fixture
def overloaded(monkeypatch):
    client = LeavesEverythingUnprocessed()
    monkeypatch.setattr(batch_reads, "shared_client", lambda: client)
    monkeypatch.setattr(batch_reads.time, "sleep", lambda seconds: None)
    return client


def test_keys_still_unprocessed_after_the_retries_answer_unavailable_after_a_bounded_number_of_calls(overloaded):
    # Given a DynamoDB that reads none of the keys it is asked for
    from chalicelib.tables.organizations import OrganizationItem

    # When items are read by key
    # Then the read gives up with Unavailable (a 503) after its attempts, instead of looping on
    with pytest.raises(Unavailable):
        batch_reads.batch_get({OrganizationItem: [("org_1",)]})
    assert overloaded.calls == batch_reads.ATTEMPTS


def test_a_payment_whose_keys_stay_unprocessed_is_unavailable_not_missing(overloaded):
    # Given a DynamoDB that reads none of the keys it is asked for
    # When a payment is read with its organization and customer
    # Then the answer is Unavailable (503, retry), never NotFound (404 for a payment that exists)
    with pytest.raises(Unavailable) as raised:
        adapters().uow.payments.state("org_1", "cus_1", org=True, customer=True, payment_id="payment_1")
    assert not isinstance(raised.value, NotFound)


def test_a_table_named_eventually_consistent_is_read_so_within_a_consistent_batch(monkeypatch):
    # Given a consistent read of an organization with a kept PDF, the PDF named eventually consistent
    from chalicelib.tables.organizations import OrganizationItem
    from chalicelib.tables.rendered_documents import RenderedDocumentItem
    asked = []

    class Recording:
        def batch_get_item(self, RequestItems):
            asked.append(RequestItems)
            return {"Responses": {}}

    monkeypatch.setattr(batch_reads, "shared_client", lambda: Recording())
    # When both are read together
    batch_reads.get_together((OrganizationItem, ("org_1",)), (RenderedDocumentItem, ("org_1#cus_1", "invoice#inv_1")),
                             eventually_consistent=(RenderedDocumentItem,))
    # Then the organization is read consistently and the PDF eventually consistently, in one call
    [request] = asked
    assert request[OrganizationItem.Meta.table_name]["ConsistentRead"] is True
    assert request[RenderedDocumentItem.Meta.table_name]["ConsistentRead"] is False


def test_an_item_only_kept_for_the_request_is_kept_under_its_key_and_not_answered(monkeypatch):
    # Given a session check's read that keeps an invoice for the request and answers the organization
    from chalicelib.tables import read_ahead
    from chalicelib.tables.invoices import InvoiceItem
    from chalicelib.tables.organizations import OrganizationItem
    invoice = {"owner": {"S": "org_1#cus_1"}, "invoice_id": {"S": "inv_1"}}

    class Answering:
        def batch_get_item(self, RequestItems):
            return {"Responses": {OrganizationItem.Meta.table_name: [{"org_id": {"S": "org_1"}}],
                                  InvoiceItem.Meta.table_name: [invoice]}}

    monkeypatch.setattr(batch_reads, "shared_client", lambda: Answering())
    with read_ahead.request():
        # When it reads both
        found = batch_reads.batch_get({OrganizationItem: [("org_1",)], InvoiceItem: [("org_1#cus_1", "inv_1")]},
                                      keep_ahead={InvoiceItem}, answered=(OrganizationItem,))

        # Then the organization is answered, and the invoice waits, as DynamoDB sent it, for the request's read
        assert [item.org_id for item in found[OrganizationItem]] == ["org_1"] and found[InvoiceItem] == []
        assert read_ahead.take(InvoiceItem.Meta.table_name, ("org_1#cus_1", "inv_1"), consistent=True) == invoice
        assert read_ahead.take(OrganizationItem.Meta.table_name, ("org_1",), consistent=False) is read_ahead.NOT_HELD
