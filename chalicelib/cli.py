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

from . import bootstrap
from .config import settings
from .domain.calendar import is_time_zone
from .domain.errors import DomainError, InvalidInput


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
    rebuild = commands.add_parser("rebuild-ledger", help="write the ledger of customers whose books predate it")
    rebuild.add_argument("--org", required=True)
    record = commands.add_parser("record-portal-access",
                                 help="record on each customer where its contacts stand with the portal")
    record.add_argument("--org", required=True)
    mirror = commands.add_parser("record-payment-methods",
                                 help="mirror each customer's saved payment methods on its account summary")
    mirror.add_argument("--org", required=True)
    kept = commands.add_parser("record-invoice-payments",
                               help="have each invoice keep its payments and its credit notes' numbers")
    kept.add_argument("--org", required=True)
    balances = commands.add_parser("record-ledger-balances",
                                   help="count each customer's ledger entries in its balances")
    balances.add_argument("--org", required=True)
    balances.add_argument("--again", action="store_true",
                          help="count the customers counted before too (after a rollback across that release)")
    args = parser.parse_args(argv)

    bootstrap.tables_ready()
    services = bootstrap.services()
    if args.command == "create-org" and args.time_zone is None:
        args.time_zone = settings().default_time_zone
    if args.command == "rebuild-ledger":
        services.access.organization(args.org)
        rebuilt = services.documents.rebuild_ledger(args.org)
        print(f"ledger written for {len(rebuilt.customers)} customer(s), {rebuilt.entries} entries")
        return 0
    if args.command == "record-portal-access":
        services.access.organization(args.org)
        print(f"recorded on {services.access.record_portal_access(args.org)} customer(s)")
        return 0
    if args.command == "record-payment-methods":
        services.access.organization(args.org)
        print(f"payment methods mirrored for {services.payments.record_payment_methods(args.org)} customer(s)")
        return 0
    if args.command == "record-ledger-balances":
        services.access.organization(args.org)
        counted = services.documents.record_ledger_balances(args.org, again=args.again)
        print(f"ledger balances counted for {counted.customers} customer(s), {counted.entries} entries"
              + (f"; {counted.left} left, their entries changing while counted: run again" if counted.left else ""))
        return 0
    if args.command == "record-invoice-payments":
        services.access.organization(args.org)
        recorded = services.documents.record_invoice_payments(args.org, bootstrap.now())
        print(f"{recorded.invoices} invoice(s) now keep their payments; {recorded.left} left as they were "
              "(changed meanwhile, or their payments do not add up to what they were paid: run again, then look)")
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
