"""The Lambda functions `chalice package` makes of app.py, with the names it gives them in the
template, and what .chalice/config.json sets for each in a stage (timeout, table prefix)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API_HANDLER = "api_handler"


@dataclass(frozen=True)
class Function:
    name: str          # chalice's name: api_handler, a schedule's or a queue worker's name
    kind: str          # "api" | "job" (scheduled) | "worker" (a queue's)
    timeout: int       # seconds

    @property
    def logical_id(self) -> str:
        return "APIHandler" if self.name == API_HANDLER else cfn_name(self.name)

    @property
    def role_id(self) -> str:
        return cfn_name(self.name) + "Role"


def cfn_name(name: str) -> str:
    """Chalice's resource names: send_queued_email -> SendQueuedEmail."""
    from chalice.utils import to_cfn_resource_name
    return to_cfn_resource_name(name)


def functions(stage: str) -> list[Function]:
    """Every function of the app, the API handler first."""
    from chalice.app import SQSEventConfig

    from app import app
    config = stage_config(stage)
    kinds = [(API_HANDLER, "api")] + [(source.name, "worker" if isinstance(source, SQSEventConfig) else "job") for source in app.event_sources]
    return [Function(name, kind, _timeout(config, name)) for name, kind in kinds]


def by_name(stage: str) -> dict[str, Function]:
    return {f.name: f for f in functions(stage)}


def stage_config(stage: str) -> dict:
    return json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"][stage]


def table_prefix(stage: str) -> str:
    return stage_config(stage)["environment_variables"]["PORTICO_TABLE_PREFIX"]


def _timeout(config: dict, name: str) -> int:
    own = config.get("lambda_functions", {}).get(name, {})
    return int(own.get("lambda_timeout", config.get("lambda_timeout", 60)))
