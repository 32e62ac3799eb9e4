"""Adds the passkeys function to the template `chalice package` made: the API function's twin (same
handler, settings and environment: the same app answers) with a package of its own
(`passkeys.zip`, infra/slim.py), its own role (made by infra/generate.py), log group and alarm, and
API Gateway's methods of every passkey route integrating it instead of the API function. Every
request stays one invocation of one function.

Why: the passkey ceremonies check signatures with `cryptography`, 5 MB zipped of compiled library
that every other route would carry and load nothing of; without it the API function's package
stays within 12 MB (docs/deploy.md).

Usage: python -m infra.passkeys_function build/<stage>/sam.json   (rewrites it)
"""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

from .functions import API_HANDLER, PASSKEYS_HANDLER, Function, is_passkey_route
from .roles import log_group_id

API = Function(API_HANDLER, "api", 0)
PASSKEYS = Function(PASSKEYS_HANDLER, "api", 0)
PACKAGE = "./passkeys.zip"


def add_passkeys_function(template: dict) -> int:
    """Adds the function and its invoke permission, and points the passkey routes at it; answers
    how many methods it now serves."""
    resources = template["Resources"]
    function = copy.deepcopy(resources[API.logical_id])
    function["Properties"].update(
        CodeUri=PACKAGE, Role={"Fn::GetAtt": [PASSKEYS.role_id, "Arn"]},
        LoggingConfig={**function["Properties"]["LoggingConfig"], "LogGroup": {"Ref": log_group_id(PASSKEYS)}})
    resources[PASSKEYS.logical_id] = function
    permission = copy.deepcopy(resources[f"{API.logical_id}InvokePermission"])
    permission["Properties"]["FunctionName"] = {"Ref": PASSKEYS.logical_id}
    resources[f"{PASSKEYS.logical_id}InvokePermission"] = permission
    served = 0
    for path, methods in resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"].items():
        if not is_passkey_route(path):
            continue
        for operation in methods.values():
            if isinstance(operation, dict) and "x-amazon-apigateway-integration" in operation:
                uri = operation["x-amazon-apigateway-integration"]["uri"]
                uri["Fn::Sub"] = uri["Fn::Sub"].replace(f"${{{API.logical_id}.Arn}}", f"${{{PASSKEYS.logical_id}.Arn}}")
                served += 1
    if not served:
        raise SystemExit("no passkey route in the API: nothing for the passkeys function to serve")
    return served


def main(path: Path) -> None:
    template = json.loads(path.read_text())
    served = add_passkeys_function(template)
    path.write_text(json.dumps(template, indent=2))
    print(f"{path}: {PASSKEYS.logical_id} serves {served} passkey methods from {PACKAGE}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
