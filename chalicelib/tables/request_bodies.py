"""Writing DynamoDB's requests. botocore serializes a request by walking the operation's input shape
member by member, and an item's attribute values are the bulk of every write: each one a structure
walked key by key (a payment's two transactions, eighteen items, spent a tenth of the request's CPU
there). PynamoDB already hands botocore every value in DynamoDB's own form (`{"S": "..."}`), so for
an operation whose input botocore copies value by value (no member renamed on the wire, no timestamp,
no float) the body is the parameters as JSON. Where botocore would change a value, the request goes
the library's way: bytes (base64 on the wire) and datetimes are not JSON as given, a float that is not
finite is refused, and a body naming a binary member at all (`"B"`, `"BS"`: text given for one would
be sent unencoded) is left to the library. The bytes sent are the same either way
(tests/unit/test_request_bodies.py), and a client takes this serializer only once it has written a
sample of the tables' requests as the library in use writes them (`agrees_with_the_library`): the
Lambda runtime may bring a botocore other than the one tested."""
from __future__ import annotations

import json

from botocore.serialize import JSONSerializer

_CHANGED_ON_THE_WIRE = frozenset({"timestamp", "float", "double"})


class DynamoDBSerializer(JSONSerializer):
    """botocore's JSON serializer, but an operation whose input it would copy value by value is sent
    as its parameters are."""

    def __init__(self):
        super().__init__()
        self._as_given: dict[str, tuple[str, ...] | None] = {}   # operation -> its binary members' names

    def serialize_to_request(self, parameters, operation_model):
        binary_names = self._binary_names_if_sent_as_given(operation_model)
        if binary_names is None:
            return super().serialize_to_request(parameters, operation_model)
        try:
            body = json.dumps(parameters, allow_nan=False)
        except (TypeError, ValueError):
            return super().serialize_to_request(parameters, operation_model)
        if any(name in body for name in binary_names):
            return super().serialize_to_request(parameters, operation_model)
        serialized = self._create_default_request()
        serialized["method"] = operation_model.http.get("method", self.DEFAULT_METHOD)
        serialized["headers"] = {
            "X-Amz-Target": f"{operation_model.metadata['targetPrefix']}.{operation_model.name}",
            "Content-Type": f"application/x-amz-json-{operation_model.metadata['jsonVersion']}",
        }
        serialized["body"] = body.encode(self.DEFAULT_ENCODING)
        return serialized

    def _binary_names_if_sent_as_given(self, operation_model) -> tuple[str, ...] | None:
        name = operation_model.name
        if name not in self._as_given:
            shape, binary = operation_model.input_shape, set()
            as_given = (shape is not None and operation_model.endpoint is None
                        and not operation_model.metadata.get("awsQueryCompatible")
                        and _copied_value_by_value(shape, set(), binary))
            self._as_given[name] = tuple(f'"{member}"' for member in sorted(binary)) if as_given else None
        return self._as_given[name]


_SAMPLES = {
    "TransactWriteItems": {"TransactItems": [
        {"Put": {"TableName": "t", "Item": {"owner": {"S": "org#cus"}, "total": {"N": "12"}, "paid": {"BOOL": True},
                                            "lines": {"L": [{"M": {"at": {"S": "Łódź"}, "none": {"NULL": True}}}]},
                                            "tags": {"SS": ["a"]}},
                 "ConditionExpression": "attribute_not_exists(#o)", "ExpressionAttributeNames": {"#o": "owner"}}},
        {"Update": {"TableName": "t", "Key": {"owner": {"S": "o"}}, "UpdateExpression": "SET #v = :v",
                    "ExpressionAttributeNames": {"#v": "version"}, "ExpressionAttributeValues": {":v": {"N": "2"}}}}],
        "ClientRequestToken": "token"},
    "BatchGetItem": {"RequestItems": {"t": {"Keys": [{"owner": {"S": "o"}}], "ConsistentRead": True}},
                     "ReturnConsumedCapacity": "TOTAL"},
    "Query": {"TableName": "t", "KeyConditionExpression": "#o = :o", "ExpressionAttributeNames": {"#o": "owner"},
              "ExpressionAttributeValues": {":o": {"S": "o"}}, "ExclusiveStartKey": {"owner": {"S": "o"}}, "Limit": 25},
}


def agrees_with_the_library(service_model) -> bool:
    """Whether ours writes a sample of the tables' requests as botocore's own serializer does."""
    ours, theirs = DynamoDBSerializer(), JSONSerializer()
    return all(ours.serialize_to_request(parameters, service_model.operation_model(operation))
               == theirs.serialize_to_request(parameters, service_model.operation_model(operation))
               for operation, parameters in _SAMPLES.items())


def _copied_value_by_value(shape, seen: set, binary: set) -> bool:
    """Whether botocore's JSON serializer writes every value under `shape` as given, under its own
    name; the names of members holding binary values (or lists of them) are added to `binary`."""
    if shape.name in seen:
        return True
    seen.add(shape.name)
    if shape.type_name in _CHANGED_ON_THE_WIRE:
        return False
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            if "name" in member.serialization or not _copied_value_by_value(member, seen, binary):
                return False
            if member.type_name == "blob" or (member.type_name == "list" and member.member.type_name == "blob"):
                binary.add(name)
        return True
    if shape.type_name == "list":
        return _copied_value_by_value(shape.member, seen, binary)
    if shape.type_name == "map":
        return _copied_value_by_value(shape.key, seen, binary) and _copied_value_by_value(shape.value, seen, binary)
    return True
