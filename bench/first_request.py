"""A cold start of the most common route, as AWS runs it: `import app`, then the portal-session
authorizer, then GET /portal/me with the identity the authorizer answered, each called with the
event API Gateway sends. `bench.__main__.cold_start` runs this in fresh processes against a local
AWS it has seeded (PORTICO_AWS_ENDPOINT, BENCH_PORTAL_TOKEN), so lazy imports cannot hide what the
first real request costs: tables, the DynamoDB client, the services it calls.

(On AWS the authorizer is a Lambda of its own: one process for both is the cheaper case.)"""
from __future__ import annotations

import os
import sys

PATH = "/portal/me"


def main() -> None:
    from app import app
    from chalicelib.handlers.authorizers import portal_session

    token = os.environ["BENCH_PORTAL_TOKEN"]
    policy = portal_session({"type": "TOKEN", "authorizationToken": f"Bearer {token}",
                             "methodArn": f"arn:aws:execute-api:us-east-1:000000000000:bench/api/GET{PATH}"}, None)
    identity = {**policy["context"], "principalId": policy["principalId"]}
    answer = app(gateway_event(PATH, identity), None)
    if answer["statusCode"] != 200:
        sys.exit(f"GET {PATH} answered {answer['statusCode']}: {answer['body']}")


def gateway_event(path: str, identity: dict) -> dict:
    """API Gateway's proxy event for a GET without parameters that the authorizer admitted."""
    return {"resource": path, "path": path, "httpMethod": "GET",
            "headers": {"accept": "application/json"}, "multiValueHeaders": {"accept": ["application/json"]},
            "queryStringParameters": None, "multiValueQueryStringParameters": None,
            "pathParameters": None, "stageVariables": None, "body": None, "isBase64Encoded": False,
            "requestContext": {"resourcePath": path, "httpMethod": "GET", "path": f"/api{path}",
                               "stage": "api", "requestId": "bench-cold-start",
                               "identity": {"sourceIp": "127.0.0.1"}, "authorizer": identity}}


if __name__ == "__main__":
    main()
