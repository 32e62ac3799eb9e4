"""The drain bench's moto (bench/moto_items.py): a transaction backs up the items it names instead
of copying whole tables, and a cancelled one still leaves every item as it was."""
import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from bench.moto_items import transactions_backing_up_items

TABLE = "bench-items"


def a_table(dynamodb):
    dynamodb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                     {"AttributeName": "sk", "KeyType": "RANGE"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                {"AttributeName": "sk", "AttributeType": "S"}])
    dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "org"}, "sk": {"S": "counter"}, "n": {"N": "1"}})


def item(dynamodb, sk: str):
    return dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "org"}, "sk": {"S": sk}}).get("Item")


def bump_and_add(condition_n: str) -> list[dict]:
    return [{"Update": {"TableName": TABLE, "Key": {"pk": {"S": "org"}, "sk": {"S": "counter"}},
                        "UpdateExpression": "SET n = n + :one", "ConditionExpression": "n = :seen",
                        "ExpressionAttributeValues": {":one": {"N": "1"}, ":seen": {"N": condition_n}}}},
            {"Put": {"TableName": TABLE, "Item": {"pk": {"S": "org"}, "sk": {"S": "invoice"}}}}]


def test_a_cancelled_transaction_leaves_every_item_as_it_was():
    with mock_aws(), transactions_backing_up_items():
        # Given a counter at 1
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        a_table(dynamodb)

        # When a transaction adds an invoice and bumps the counter on the condition it is 7
        with pytest.raises(ClientError) as cancelled:
            dynamodb.transact_write_items(TransactItems=bump_and_add("7"))

        # Then it was cancelled, and neither item changed
        assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
        assert item(dynamodb, "counter")["n"] == {"N": "1"} and item(dynamodb, "invoice") is None


def test_a_transaction_that_goes_through_writes_every_item_without_copying_the_table(monkeypatch):
    import copy
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.table import Table
    tables_copied, deepcopy = [], copy.deepcopy

    def recording(thing, *args):
        if isinstance(thing, Table):
            tables_copied.append(thing.name)
        return deepcopy(thing, *args)
    monkeypatch.setattr(copy, "deepcopy", recording)   # moto's and the backups' copies alike
    with mock_aws(), transactions_backing_up_items():
        # Given a counter at 1
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        a_table(dynamodb)
        table = dynamodb_backends["123456789012"]["us-east-1"].tables[TABLE]

        # When a transaction adds an invoice and bumps the counter on the condition it is 1
        dynamodb.transact_write_items(TransactItems=bump_and_add("1"))

        # Then both were written, in the table moto had, and no table was copied (moto copies each)
        assert item(dynamodb, "counter")["n"] == {"N": "2"} and item(dynamodb, "invoice") is not None
        assert dynamodb_backends["123456789012"]["us-east-1"].tables[TABLE] is table
        assert tables_copied == []


def test_item_answers_written_as_json_read_as_moto_serialized_them():
    from bench.moto_items import item_answers_as_json
    with mock_aws():
        # Given an item with a number, a string, a list and a map
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        a_table(dynamodb)
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "org"}, "sk": {"S": "sub"}, "n": {"N": "12"},
                                                 "tags": {"L": [{"S": "a"}]}, "plan": {"M": {"amount": {"N": "100"}}}})
        serialized = [item(dynamodb, "sub"), dynamodb.query(TableName=TABLE, KeyConditionExpression="pk = :pk",
                                                            ExpressionAttributeValues={":pk": {"S": "org"}})["Items"]]

        # When the same reads are answered with their JSON as it is
        with item_answers_as_json():
            as_json = [item(dynamodb, "sub"), dynamodb.query(TableName=TABLE, KeyConditionExpression="pk = :pk",
                                                             ExpressionAttributeValues={":pk": {"S": "org"}})["Items"]]

    # Then the client reads the same items
    assert as_json == serialized
