"""DynamoDB's requests written by tables/request_bodies.py's serializer are the bytes botocore's own
serializer writes: for any item, key or condition of every operation the tables send, binary values
and all (those go the library's way)."""
from __future__ import annotations

import datetime

import botocore.session
import pytest
from botocore.serialize import JSONSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.tables import request_bodies
from chalicelib.tables.request_bodies import DynamoDBSerializer, agrees_with_the_library

MODEL = botocore.session.get_session().get_service_model("dynamodb")
OURS = DynamoDBSerializer()


def serialized_both_ways(operation: str, parameters: dict) -> tuple[dict, dict]:
    model = MODEL.operation_model(operation)
    return OURS.serialize_to_request(parameters, model), JSONSerializer().serialize_to_request(parameters, model)


names = st.text(min_size=1, max_size=8)
numbers = st.integers(-10**12, 10**12).map(str)
leaves = st.one_of(
    st.builds(lambda s: {"S": s}, st.text(max_size=12)),
    st.builds(lambda n: {"N": n}, numbers),
    st.builds(lambda b: {"BOOL": b}, st.booleans()),
    st.just({"NULL": True}),
    st.builds(lambda ss: {"SS": ss}, st.lists(st.text(max_size=5), min_size=1, max_size=3, unique=True)),
    st.builds(lambda ns: {"NS": ns}, st.lists(numbers, min_size=1, max_size=3, unique=True)),
    st.builds(lambda b: {"B": b}, st.binary(max_size=8)),
    st.builds(lambda bs: {"BS": bs}, st.lists(st.binary(min_size=1, max_size=4), min_size=1, max_size=2)),
)
values = st.recursive(leaves, lambda inner: st.one_of(
    st.builds(lambda m: {"M": m}, st.dictionaries(names, inner, max_size=3)),
    st.builds(lambda items: {"L": items}, st.lists(inner, max_size=3))), max_leaves=8)
items = st.dictionaries(names, values, min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(item=items, key=items, condition_values=st.dictionaries(names.map(lambda n: ":" + n), values, max_size=2))
def test_any_write_read_or_transaction_is_serialized_as_botocore_serializes_it(item, key, condition_values):
    # Given requests of every kind the tables send, holding any attribute values
    condition = {"ConditionExpression": "attribute_not_exists(#k)", "ExpressionAttributeNames": {"#k": "owner"}}
    if condition_values:
        condition["ExpressionAttributeValues"] = condition_values
    requests = {
        "PutItem": {"TableName": "t", "Item": item, "ReturnConsumedCapacity": "TOTAL", **condition},
        "GetItem": {"TableName": "t", "Key": key, "ConsistentRead": True},
        "UpdateItem": {"TableName": "t", "Key": key, "UpdateExpression": "SET #k = :v",
                       "ExpressionAttributeNames": {"#k": "x"}, "ExpressionAttributeValues": {":v": {"S": "v"}}},
        "DeleteItem": {"TableName": "t", "Key": key, **condition},
        "Query": {"TableName": "t", "KeyConditionExpression": "#k = :v", "ExpressionAttributeNames": {"#k": "o"},
                  "ExpressionAttributeValues": {":v": {"S": "o"}}, "ExclusiveStartKey": key, "Limit": 25},
        "BatchGetItem": {"RequestItems": {"t": {"Keys": [key, item], "ConsistentRead": False}}},
        "TransactWriteItems": {"TransactItems": [{"Put": {"TableName": "t", "Item": item, **condition}},
                                                 {"Delete": {"TableName": "t", "Key": key}},
                                                 {"ConditionCheck": {"TableName": "t", "Key": key, **condition}}],
                               "ClientRequestToken": "token"},
    }
    for operation, parameters in requests.items():
        # When both serializers write it, Then the requests, their bodies' bytes included, are equal
        ours, theirs = serialized_both_ways(operation, parameters)
        assert ours == theirs, operation


def test_an_item_without_binary_values_is_sent_as_its_parameters_are_without_walking_its_shape(monkeypatch):
    # Given an item of text, numbers and nested maps
    parameters = {"TableName": "t", "Item": {"owner": {"S": "org#cus"}, "lines": {"L": [{"M": {"n": {"N": "1"}}}]}}}
    theirs = JSONSerializer().serialize_to_request(parameters, MODEL.operation_model("PutItem"))
    # When ours writes it, with botocore's shape walk out of its reach
    monkeypatch.setattr(DynamoDBSerializer, "_serialize", lambda *args: pytest.fail("walked the shape"))
    ours = DynamoDBSerializer().serialize_to_request(parameters, MODEL.operation_model("PutItem"))
    # Then its body is the parameters as JSON, as botocore's
    assert ours == theirs
    assert ours["body"] == b'{"TableName": "t", "Item": {"owner": {"S": "org#cus"}, "lines": {"L": [{"M": {"n": {"N": "1"}}}]}}}'


def test_text_given_for_a_binary_value_is_encoded_as_botocore_encodes_it():
    # Given a binary value given as text (botocore encodes text too)
    parameters = {"TableName": "t", "Item": {"pdf": {"B": "%PDF"}}}
    # When both write it, Then both send it in base64
    ours, theirs = serialized_both_ways("PutItem", parameters)
    assert ours == theirs and b"JVBERg==" in ours["body"]


def test_an_operation_with_a_timestamp_goes_the_librarys_way():
    # Given an operation whose input holds a timestamp (never sent by the tables)
    parameters = {"TableArn": "arn:aws:dynamodb:us-east-1:1:table/t", "S3Bucket": "b",
                  "ExportTime": datetime.datetime(2026, 12, 7, tzinfo=datetime.timezone.utc)}
    # When both write it, Then they agree
    ours, theirs = serialized_both_ways("ExportTableToPointInTime", parameters)
    assert ours == theirs


def test_a_client_takes_our_serializer_only_where_it_writes_as_the_library_in_use_does(monkeypatch):
    # Given the botocore of this environment, ours agrees with it on the tables' sample requests
    assert agrees_with_the_library(MODEL)

    # When a botocore wrote its requests otherwise (as if its JSON serializer had changed)
    monkeypatch.setattr(request_bodies.JSONSerializer, "serialize_to_request",
                        lambda self, parameters, model: {"body": b"another way"})

    # Then ours is not taken
    assert not agrees_with_the_library(MODEL)
