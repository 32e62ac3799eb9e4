"""DynamoDB's answers read by tables/answers.py's parser come out as botocore's own parser gives them:
the same dicts, binary values decoded, whatever nesting."""
from __future__ import annotations

import base64
import json

import botocore.session
from botocore.parsers import JSONParser

from chalicelib.tables.answers import DynamoDBParsers


def _parsed_both_ways(operation: str, answer: dict) -> tuple[dict, dict]:
    model = botocore.session.get_session().get_service_model("dynamodb").operation_model(operation)
    response = {"status_code": 200, "headers": {}, "body": json.dumps(answer).encode()}
    ours = DynamoDBParsers().create_parser("json").parse(dict(response), model.output_shape)
    theirs = JSONParser().parse(dict(response), model.output_shape)
    return ours, theirs


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


AN_ITEM = {
    "owner": {"S": "org_1#cus_1"}, "total": {"N": "1200"}, "pdf": {"B": _b64(b"%PDF-1.7 \x00\xff")},
    "tags": {"SS": ["a", "b"]}, "amounts": {"NS": ["1", "2.5"]}, "blobs": {"BS": [_b64(b"x"), _b64(b"\x01")]},
    "paid": {"BOOL": False}, "note": {"NULL": True},
    "lines": {"L": [{"M": {"description": {"S": "Hours"}, "raw": {"B": _b64(b"\x02")}}}, {"N": "3"}, {"L": []}]},
    "address": {"M": {"city": {"S": "Łódź"}, "parts": {"M": {}}}},
}


def test_an_item_of_every_attribute_type_reads_as_botocore_reads_it():
    # Given a GetItem answer holding every kind of attribute value, nested
    # When both parsers read it
    ours, theirs = _parsed_both_ways("GetItem", {"Item": AN_ITEM, "ConsumedCapacity": {"TableName": "t",
                                                                                        "CapacityUnits": 1.0}})
    # Then the answers are equal, binary values decoded to bytes
    assert ours == theirs
    assert ours["Item"]["pdf"]["B"] == b"%PDF-1.7 \x00\xff"
    assert ours["Item"]["lines"]["L"][0]["M"]["raw"]["B"] == b"\x02"


def test_a_query_page_and_a_batch_read_read_as_botocore_reads_them():
    # Given a Query page with a cursor, and a BatchGetItem answer with unprocessed keys
    page = {"Items": [AN_ITEM, {"owner": {"S": "org_1#cus_2"}}], "Count": 2, "ScannedCount": 2,
            "LastEvaluatedKey": {"owner": {"S": "org_1#cus_2"}, "document": {"S": "inv_9"}}}
    batch = {"Responses": {"invoices": [AN_ITEM]},
             "UnprocessedKeys": {"invoices": {"Keys": [{"owner": {"S": "o"}, "document": {"B": _b64(b"k")}}],
                                              "ConsistentRead": True}}}
    # When both parsers read them, Then they agree
    assert _parsed_both_ways("Query", page)[0] == _parsed_both_ways("Query", page)[1]
    assert _parsed_both_ways("BatchGetItem", batch)[0] == _parsed_both_ways("BatchGetItem", batch)[1]


def test_an_attribute_value_of_an_unexpected_shape_goes_botocores_way():
    # Given an attribute value naming two types at once (never sent by DynamoDB)
    odd = {"Item": {"x": {"S": "a", "N": "1"}, "y": {"S": None}}}
    # When both parsers read it, Then they agree
    ours, theirs = _parsed_both_ways("GetItem", odd)
    assert ours == theirs


def test_an_answer_without_binary_values_takes_its_maps_and_lists_whole_and_reads_as_botocore_reads_it():
    # Given an item of nested maps and lists, none binary (the text never names "B")
    item = {key: value for key, value in AN_ITEM.items() if key not in ("pdf", "blobs", "lines")}
    item["lines"] = {"L": [{"M": {"description": {"S": "Hours"}, "hours": {"N": "3"}}}, {"L": [{"NULL": True}]}]}
    # When both parsers read it as a GetItem and a BatchGetItem answer, Then they agree
    for operation, answer in (("GetItem", {"Item": item}), ("BatchGetItem", {"Responses": {"t": [item, item]}})):
        ours, theirs = _parsed_both_ways(operation, answer)
        assert ours == theirs


def test_an_answer_that_merely_names_a_key_b_is_walked_and_reads_as_botocore_reads_it():
    # Given an item whose map has a key "B" (a string, not a binary value) and an odd null value
    item = {"labels": {"M": {"B": {"S": "plan B"}}}, "odd": {"S": None}}
    # When both parsers read it, Then they agree
    ours, theirs = _parsed_both_ways("GetItem", {"Item": item})
    assert ours == theirs
