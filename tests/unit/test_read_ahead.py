"""What the session check reads ahead answers a request's own first read of each item, and nothing
else: not a second read, not a stronger read, not another request, not a job."""
from chalicelib.handlers.http import ReadAhead
from chalicelib.tables import read_ahead
from chalicelib.tables.read_ahead import NOT_HELD, keep, take, wanted

INVOICE = ("org_1#cus_1", "inv_1")
ITEM = {"owner": {"S": "org_1#cus_1"}, "invoice_id": {"S": "inv_1"}}


def test_an_item_read_ahead_answers_the_requests_first_read_of_it_only():
    with read_ahead.request():
        # Given an invoice read ahead consistently
        keep("invoices", INVOICE, ITEM, consistent=True)

        # When the request reads it twice
        first, second = take("invoices", INVOICE, consistent=True), take("invoices", INVOICE, consistent=True)

        # Then the first read is answered from it, the second goes to DynamoDB
        assert first == ITEM and second is NOT_HELD


def test_an_item_read_ahead_as_missing_answers_missing():
    with read_ahead.request():
        keep("invoices", INVOICE, None, consistent=True)
        assert take("invoices", INVOICE, consistent=False) is None


def test_an_eventually_consistent_read_ahead_does_not_answer_a_consistent_read():
    with read_ahead.request():
        keep("invoices", INVOICE, ITEM, consistent=False)
        assert take("invoices", INVOICE, consistent=True) is NOT_HELD


def test_a_consistent_read_ahead_answers_an_eventually_consistent_read():
    with read_ahead.request():
        keep("invoices", INVOICE, ITEM, consistent=True)
        assert take("invoices", INVOICE, consistent=False) == ITEM


def test_what_one_request_read_ahead_is_gone_for_the_next():
    with read_ahead.request():
        keep("invoices", INVOICE, ITEM, consistent=True)
    with read_ahead.request():
        assert take("invoices", INVOICE, consistent=False) is NOT_HELD


def test_outside_a_request_nothing_is_kept_or_answered():
    # Given no request open (a scheduled job)
    keep("invoices", INVOICE, ITEM, consistent=True)

    # Then every read goes to DynamoDB
    assert take("invoices", INVOICE, consistent=False) is NOT_HELD


def test_the_items_read_ahead_are_keyed_under_the_tokens_customer():
    # When a request of customer cus_1 names an invoice and declares its kept PDF
    asked = wanted("org_1", "cus_1", ReadAhead({"invoice_id": "inv_9", "other_id": "x"}, ("kept_invoice_pdf",)))

    # Then both are read under cus_1's own partition, whoever's id the path names
    assert [(model.Meta.logical_name, key) for model, key, _ in asked] == [
        ("invoices", ("org_1#cus_1", "inv_9")), ("rendered_documents", ("org_1#cus_1", "invoice#inv_9"))]


def test_a_declared_item_whose_path_id_is_malformed_is_not_read_ahead():
    # Given a path id the route will answer 404 for (left out of the path's well-formed ids)
    assert wanted("org_1", "cus_1", ReadAhead({}, ("kept_invoice_pdf",))) == []


def test_a_query_value_never_stands_in_for_a_path_id():
    # Given a malformed path id, left out, and a query naming the same parameter
    asked = ReadAhead({}, ("kept_invoice_pdf",), {"invoice_id": "x" * 2000})

    # Then nothing is read: a path's item is keyed by the path's well-formed id alone
    assert wanted("org_1", "cus_1", asked) == []


def test_every_name_a_route_declares_is_one_the_session_check_can_read():
    from chalicelib.handlers.lazy_routes import all_routes
    declared = {name for spec in all_routes() for name in spec.reads_ahead}
    assert declared and declared <= read_ahead.declared_names()


def test_a_kept_statement_is_read_ahead_only_for_a_range_of_well_formed_days():
    asked = [wanted("org_1", "cus_1", ReadAhead({}, ("kept_statement_pdf",), query))
             for query in ({}, {"from": "2026-01-01", "to": "2026-01-31"}, {"from": "x" * 2000})]
    assert [[key for _, key, _ in one] for one in asked] == [
        [("org_1#cus_1", "statement##")], [("org_1#cus_1", "statement#2026-01-01#2026-01-31")], []]
