"""Back-office commands. `python -m chalicelib.cli create-org --name ... --email ... --currency USD`
creates an organization and prints its first admin API key (shown once; only its hash is stored);
`rebuild-ledger --org ...` writes the statement ledger of customers whose books predate it;
`record-portal-access --org ...` records on each customer where its contacts stand with the portal;
`record-payment-methods --org ...` mirrors each customer's saved payment methods on its account
summary; `record-invoice-payments --org ...` has each invoice keep its payments and credit notes'
numbers; `record-ledger-balances --org ...` counts each customer's ledger entries in its balances
(docs/deploy.md)."""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from . import bootstrap
from .config import settings
from .domain.calendar import is_time_zone
from .domain.errors import DomainError, InvalidInput


def _rebuild_ledger(services, args) -> str:
    rebuilt = services.documents.rebuild_ledger(args.org)
    return f"ledger written for {len(rebuilt.customers)} customer(s), {rebuilt.entries} entries"


def _record_portal_access(services, args) -> str:
    return f"recorded on {services.access.record_portal_access(args.org)} customer(s)"


def _record_payment_methods(services, args) -> str:
    return f"payment methods mirrored for {services.payments.record_payment_methods(args.org)} customer(s)"


def _record_ledger_balances(services, args) -> str:
    counted = services.documents.record_ledger_balances(args.org, again=args.again)
    return (f"ledger balances counted for {counted.customers} customer(s), {counted.entries} entries"
            + (f"; {counted.left} left, their entries changing while counted: run again" if counted.left else ""))


def _record_invoice_payments(services, args) -> str:
    recorded = services.documents.record_invoice_payments(args.org, bootstrap.now())
    return (f"{recorded.invoices} invoice(s) now keep their payments; {recorded.left} left as they were "
            "(changed meanwhile, or their payments do not add up to what they were paid: run again, then look)")


# The operator's backfills (docs/deploy.md), each over one organization's customers: what it does,
# and how it is run and reported.
BACKFILLS: dict[str, tuple[str, Callable[..., str]]] = {
    "rebuild-ledger": ("write the ledger of customers whose books predate it", _rebuild_ledger),
    "record-portal-access": ("record on each customer where its contacts stand with the portal",
                             _record_portal_access),
    "record-payment-methods": ("mirror each customer's saved payment methods on its account summary",
                               _record_payment_methods),
    "record-invoice-payments": ("have each invoice keep its payments and its credit notes' numbers",
                                _record_invoice_payments),
    "record-ledger-balances": ("count each customer's ledger entries in its balances", _record_ledger_balances),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-org", help="create an organization and its first admin key")
    create.add_argument("--name", required=True)
    create.add_argument("--email", required=True, help="the primary contact's address")
    create.add_argument("--currency", default="USD")
    create.add_argument("--test-mode", action="store_true")
    create.add_argument("--time-zone", help="IANA name, e.g. Europe/Berlin (where billing days begin); "
                        "by default the stage's PORTICO_DEFAULT_TIME_ZONE, else UTC")
    key = commands.add_parser("issue-key", help="issue another admin key for an organization")
    key.add_argument("--org", required=True)
    key.add_argument("--name", default="cli")
    for name, (help_text, _) in BACKFILLS.items():
        backfill = commands.add_parser(name, help=help_text)
        backfill.add_argument("--org", required=True)
        if name == "record-ledger-balances":
            backfill.add_argument("--again", action="store_true",
                                  help="count the customers counted before too (after a rollback across that release)")
    args = parser.parse_args(argv)

    bootstrap.tables_ready()
    services = bootstrap.services()
    if args.command == "create-org" and args.time_zone is None:
        args.time_zone = settings().default_time_zone
    if args.command in BACKFILLS:
        services.access.organization(args.org)
        print(BACKFILLS[args.command][1](services, args))
        return 0
    try:
        if args.command == "create-org" and not is_time_zone(args.time_zone):
            raise InvalidInput({"time_zone": "Not a time zone."}, f"Not a time zone: {args.time_zone}")
        if args.command == "create-org":
            org, api_key = services.access.create_organization(
                name=args.name, email=args.email, currency=args.currency.upper(), now=bootstrap.now(),
                test_mode=args.test_mode, time_zone=args.time_zone)
            print(f"organization: {org.org_id}")
        else:
            services.access.organization(args.org)
            api_key = services.access.issue_api_key(args.org, name=args.name, now=bootstrap.now())
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        for field, problem in getattr(error, "fields", {}).items():
            print(f"  --{field.replace('_', '-')}: {problem}", file=sys.stderr)
        return 1
    print(f"admin API key (shown once): {api_key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
