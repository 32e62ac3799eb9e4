"""chalicelib/cli.py against a deployed stack: its tables (the stack's TablePrefix output) and its
settings (the DefaultTimeZone output), with the AWS credentials of your environment.

Usage: python -m infra.stack_cli STACK COMMAND [ARGS...]
       make cli STACK=portico-prod ARGS='create-org --name "Acme" --email billing@acme.example'
       make cli STACK=portico-prod ARGS='rebuild-ledger --org org_...'
"""
from __future__ import annotations

import os
import sys

from botocore.exceptions import BotoCoreError, ClientError

from .aws_session import NotReady, session

SETTINGS = {"TablePrefix": "PORTICO_TABLE_PREFIX", "DefaultTimeZone": "PORTICO_DEFAULT_TIME_ZONE"}


def stack_environment(stack: str, cloudformation) -> dict[str, str]:
    """The variables chalicelib.config reads, from the stack's outputs."""
    [found] = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
    missing = [name for name in SETTINGS if name not in outputs]
    if missing:
        raise NotReady(f"stack {stack} has no {', '.join(missing)} output: deploy it with this version first")
    return {variable: outputs[name] for name, variable in SETTINGS.items()}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    stack, command = argv[0], argv[1:]
    try:
        aws, _account = session()
        environment = stack_environment(stack, aws.client("cloudformation"))
    except (NotReady, BotoCoreError, ClientError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    os.environ.update(environment)
    os.environ.pop("PORTICO_AWS_ENDPOINT", None)   # the stack's own tables, never a local endpoint
    from chalicelib import bootstrap, cli
    bootstrap.reset()
    return cli.main(command)


if __name__ == "__main__":
    raise SystemExit(main())
