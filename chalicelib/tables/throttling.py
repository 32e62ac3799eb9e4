"""DynamoDB throttling. botocore retries a throttled call itself ("standard" mode: jittered
exponential backoff, at most MAX_ATTEMPTS attempts in all, and a per-client retry budget so a
sustained overload fails fast instead of piling up retries); a call still throttled after that
becomes `Unavailable`, which the API answers 503 with Retry-After, never a 500.

Retrying is safe for every call: a throttled request was refused before it changed anything, and a
TransactWriteItems is resent with the same ClientRequestToken (botocore fills it once per call)."""
from __future__ import annotations

from ..domain.errors import Unavailable

MAX_ATTEMPTS = 4
# "standard", not "adaptive": adaptive also rate-limits on the client, which helps one long-lived
# process but only adds latency to short Lambda invocations that each see a few calls.
RETRIES = {"mode": "standard", "total_max_attempts": MAX_ATTEMPTS}
RETRY_AFTER_SECONDS = 2

THROTTLING_CODES = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException",
                              "RequestLimitExceeded"})
# Why a TransactWriteItems was cancelled, item by item: these wrote nothing and may be resent.
THROTTLED_ITEM_CODES = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded"})


def watch(client) -> None:
    """Turn what is still throttled after botocore's last retry into `Unavailable`."""
    client.meta.events.register("after-call.dynamodb", _unavailable_when_still_throttled)


def _unavailable_when_still_throttled(http_response, parsed, **_) -> None:
    if http_response.status_code >= 300 and parsed.get("Error", {}).get("Code") in THROTTLING_CODES:
        raise Unavailable(RETRY_AFTER_SECONDS)
