"""The event API Gateway sends the API function: a REST proxy request's.
Standard library only: the cold-start scripts (first_request.py, yardstick.py) import it before
anything else is on sys.path."""
from __future__ import annotations

from urllib.parse import parse_qs

ACCOUNT, STAGE = "000000000000", "api"


def proxy_event(method: str, path: str, *, token: str | None = None, resource: str | None = None, path_parameters: dict | None = None, body: str | None = None,
                headers: dict | None = None) -> dict:
    """A request as API Gateway passes it on (no authorizer in front). `path` is the
    concrete path (a query string after "?" becomes the query parameters), `resource` the route's
    template (the path when it has no parameters)."""
    path, _, query = path.partition("?")
    values = parse_qs(query, keep_blank_values=True)
    headers = {"accept": "application/json", **{k.lower(): v for k, v in (headers or {}).items()},
               **({"authorization": f"Bearer {token}"} if token else {})}
    resource = resource or path
    return {"resource": resource, "path": path, "httpMethod": method,
            "headers": headers, "multiValueHeaders": {name: [value] for name, value in headers.items()},
            "queryStringParameters": {name: found[-1] for name, found in values.items()} or None,
            "multiValueQueryStringParameters": values or None,
            "pathParameters": path_parameters or None, "stageVariables": None, "body": body,
            "isBase64Encoded": False,
            "requestContext": {"resourcePath": resource, "httpMethod": method, "path": f"/{STAGE}{path}",
                               "stage": STAGE, "requestId": "bench-request", "accountId": ACCOUNT,
                               "identity": {"sourceIp": "127.0.0.1"}}}
