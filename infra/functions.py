"""The Lambda functions of app.py, with the names they have in the template, and what
.chalice/config.json sets for each in a stage (timeout, table prefix).

`chalice package` makes all but one: the passkeys function, the same app answering the passkey
routes from a package of its own (infra/passkeys_function.py, infra/slim.py), so that the API
function's package and cold start go without the 5 MB of cryptography the ceremonies need."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API_HANDLER = "api_handler"
PASSKEYS_HANDLER = "passkeys_handler"
# API Gateway sends the routes under this path to the passkeys function, every other to the API's.
PASSKEY_ROUTES = "/portal/auth/passkeys"


@dataclass(frozen=True)
class Function:
    name: str          # chalice's name: api_handler, a schedule's or a queue worker's name
    kind: str          # "api" | "job" (scheduled) | "worker" (a queue's)
    timeout: int       # seconds

    @property
    def logical_id(self) -> str:
        return "APIHandler" if self.name == API_HANDLER else cfn_name(self.name)

    @property
    def made_by_chalice(self) -> bool:
        return self.name != PASSKEYS_HANDLER

    @property
    def role_id(self) -> str:
        return cfn_name(self.name) + "Role"


def cfn_name(name: str) -> str:
    """Chalice's resource names: send_queued_email -> SendQueuedEmail."""
    from chalice.utils import to_cfn_resource_name
    return to_cfn_resource_name(name)


def functions(stage: str) -> list[Function]:
    """Every function of the app, the API handler first, then the passkeys function (which answers
    as the API function does, with its timeout)."""
    from chalice.app import SQSEventConfig

    from app import app
    config = stage_config(stage)
    api = Function(API_HANDLER, "api", _timeout(config, API_HANDLER))
    kinds = [(source.name, "worker" if isinstance(source, SQSEventConfig) else "job") for source in app.event_sources]
    return [api, Function(PASSKEYS_HANDLER, "api", api.timeout)] + [
        Function(name, kind, _timeout(config, name)) for name, kind in kinds]


def is_passkey_route(path: str) -> bool:
    return path == PASSKEY_ROUTES or path.startswith(PASSKEY_ROUTES + "/")


def by_name(stage: str) -> dict[str, Function]:
    return {f.name: f for f in functions(stage)}


def stage_config(stage: str) -> dict:
    return json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"][stage]


def table_prefix(stage: str) -> str:
    return stage_config(stage)["environment_variables"]["PORTICO_TABLE_PREFIX"]


def _timeout(config: dict, name: str) -> int:
    own = config.get("lambda_functions", {}).get(name, {})
    return int(own.get("lambda_timeout", config.get("lambda_timeout", 60)))
