"""The yardstick app replaying a route's reads (bench/yardstick.py `replaying_app`): the floor beside
each route in `make bench` is those reads with the same parameters, and nothing more."""
import json

import boto3
from moto import mock_aws

from bench.gateway_events import proxy_event
from bench.yardstick import replaying_app

TABLE = "bench-yardstick"


def a_table_with_one_item(dynamodb):
    dynamodb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "session"}, "seen": {"N": "1"}})


def test_the_yardstick_makes_a_routes_reads_and_leaves_its_writes_out(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("PORTICO_AWS_ENDPOINT", raising=False)
    with mock_aws():
        # Given a route that read an item and wrote another
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        a_table_with_one_item(dynamodb)
        route_calls = [{"operation": "GetItem", "params": {"TableName": TABLE, "Key": {"pk": {"S": "session"}}}},
                       {"operation": "PutItem", "params": {"TableName": TABLE, "Item": {"pk": {"S": "kept"}}}}]

        # When the yardstick replays it
        answer = replaying_app([route_calls])(proxy_event("GET", "/same/0", resource="/same/{index}",
                                                          path_parameters={"index": "0"}), None)

        # Then it answered the read, and wrote nothing
        assert answer["statusCode"] == 200, answer["body"]
        assert json.loads(answer["body"]) == {"answers": [["Item", "ResponseMetadata"]]}
        assert "Item" not in dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "kept"}})
