"""Each customer's ledger balances (tables/ledger.py): every entry is added to its currency's
balance in the transaction that writes it, so a statement reads its range and the balances, never
the entries before it; a customer whose entries predate the balances is counted by the operator's
backfill (`record-ledger-balances`), which counts again when an entry is written meanwhile."""
from chalicelib import cli
from chalicelib.bootstrap import adapters, services
from chalicelib.domain.money import Money
from chalicelib.domain.statement import LedgerEntry, balances_of
from chalicelib.services.documents.commands import NewDocumentLine
from chalicelib.tables import ledger
from chalicelib.tables.base import owner_key
from exercise.request_units import measuring_units
from tests.support.api import Api, client
from tests.support.call_shapes import calls_made
from tests.support.ledger_history import NOVEMBER, a_mixed_history, on
from tests.support.payments import a_payer, with_webhook_secret
from tests.support.portal import Clock

SESSION_CHECK = 3     # the session, the customer, the organization


def test_the_balances_are_what_every_entry_adds_up_to_after_a_mixed_history(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given invoices, payments, credit notes, voids and refunds reported by Stripe, some written
        # together in one transaction
        payer, *_ = a_mixed_history(Api(c), clock)

        # Then the balances count every entry, and are trusted
        balances, marked = adapters().uow.ledger.balances(payer.org_id, payer.customer_id)
        assert balances == balances_of(adapters().uow.ledger.entries_before(payer.org_id, payer.customer_id))
        assert marked and balances["USD"].entries >= 10


def test_a_statement_reads_its_range_and_the_balances_not_what_came_before(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a mixed history in October and November
        payer, *_ = a_mixed_history(Api(c), clock)
        every_entry = len(adapters().uow.ledger.entries_before(payer.org_id, payer.customer_id))
        november = len([e for e in adapters().uow.ledger.entries_before(payer.org_id, payer.customer_id)
                        if e.at >= on(11, 1)])

        # When the customer reads November's statement
        answer, items_read, _ = statement(payer)

        # Then November's opening balance is October's 85.00, and besides the session check's items
        # only November's entries and the balance (with its marker) were read
        assert answer["statements"][0]["opening_balance"]["amount_minor"] == 8_500
        assert items_read == SESSION_CHECK + november + 2 and november < every_entry


def test_the_backfill_counts_a_customer_whose_entries_predate_the_balances(aws, monkeypatch, capsys):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a customer whose entries were written before the balances were kept
        payer, *_ = a_mixed_history(Api(c), clock)
        kept = statement(payer)
        before_the_balances(payer)

        # When the customer reads November's statement, then it is the same, with what came before
        # November read too (a second Query)
        answer, _, calls = statement(payer)
        assert answer == kept[0] and kept[2] == ["BatchGetItem", "Query"]
        assert calls == ["BatchGetItem", "Query", "Query"]

        # When the operator runs the backfill, twice
        capsys.readouterr()
        assert cli.main(["record-ledger-balances", "--org", payer.org_id]) == 0
        assert cli.main(["record-ledger-balances", "--org", payer.org_id]) == 0

        # Then the first run counted its entries and the second found nothing to count, and the
        # statement is the same again, read from its range and the balances
        runs = [line for line in capsys.readouterr().out.splitlines() if line.startswith("ledger balances")]
        assert runs[0].startswith("ledger balances counted for 1 customer(s)")
        assert runs[1] == "ledger balances counted for 0 customer(s), 0 entries"
        assert statement(payer) == kept


def test_an_entry_written_while_the_backfill_counts_has_the_customer_counted_again(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a customer whose entries predate the balances, and an invoice issued for them while
        # the backfill reads their entries (after it read their balances)
        payer, *_ = a_mixed_history(Api(c), clock)
        before_the_balances(payer)
        repository, read_entries = adapters().uow.ledger, adapters().uow.ledger.entries_before
        issued = []

        def entries_read_while_an_invoice_is_issued(org_id, customer_id, until=None):
            found = read_entries(org_id, customer_id, until)
            if not issued:
                issued.append(services().documents.create_invoice(
                    org_id, customer_id, lines=[NewDocumentLine("Late work", 700)], due_days=15, now=on(11, 26)))
            return found
        monkeypatch.setattr(repository, "entries_before", entries_read_while_an_invoice_is_issued)

        # When the operator's backfill counts them
        counted = services().documents.record_ledger_balances(payer.org_id)

        # Then the invoice is counted too: the balances are what every entry adds up to
        monkeypatch.undo()
        balances, marked = adapters().uow.ledger.balances(payer.org_id, payer.customer_id)
        assert marked and counted.customers == 1 and issued
        assert balances == balances_of(adapters().uow.ledger.entries_before(payer.org_id, payer.customer_id))


def test_a_customer_whose_entries_keep_changing_is_left_and_the_others_are_counted(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given two customers whose entries predate the balances, one of them issued an invoice each
        # time the backfill reads its entries
        busy, *_ = a_mixed_history(Api(c), clock)
        quiet = a_payer(Api(c), email="ann@initech.example", merchant=busy.merchant)
        for payer in (busy, quiet):
            before_the_balances(payer)
        read_entries = adapters().uow.ledger.entries_before

        def entries_of_a_busy_customer(org_id, customer_id, until=None):
            found = read_entries(org_id, customer_id, until)
            if customer_id == busy.customer_id:
                services().documents.create_invoice(org_id, customer_id, lines=[NewDocumentLine("More", 700)],
                                                    due_days=15, now=on(11, 26))
            return found
        monkeypatch.setattr(adapters().uow.ledger, "entries_before", entries_of_a_busy_customer)

        # When the operator's backfill runs
        counted = services().documents.record_ledger_balances(busy.org_id)

        # Then the busy one is left, unmarked, for the next run, and the quiet one is counted
        monkeypatch.undo()
        assert (counted.customers, counted.left) == (1, 1)
        assert adapters().uow.ledger.balances(busy.org_id, busy.customer_id)[1] is False
        assert adapters().uow.ledger.balances(quiet.org_id, quiet.customer_id)[1] is True


def test_after_a_rollback_again_counts_a_customer_counted_before(aws, monkeypatch):
    clock = Clock()
    with_webhook_secret(monkeypatch)
    with client() as c:
        # Given a counted customer, and an entry an older release wrote without its balance
        payer, *_ = a_mixed_history(Api(c), clock)
        missed = LedgerEntry(on(11, 27), "invoice", "INV-OLD-RELEASE", "", Money(700, "USD"))
        ledger._item(payer.org_id, payer.customer_id, missed).save()
        repository = adapters().uow.ledger
        every_entry = balances_of(repository.entries_before(payer.org_id, payer.customer_id))
        assert repository.balances(payer.org_id, payer.customer_id)[0] != every_entry

        # When the operator runs the backfill, then with --again
        assert cli.main(["record-ledger-balances", "--org", payer.org_id]) == 0
        left_alone = repository.balances(payer.org_id, payer.customer_id)[0]
        assert cli.main(["record-ledger-balances", "--org", payer.org_id, "--again"]) == 0

        # Then the first run left the counted customer alone, and the second counted it afresh
        assert left_alone != every_entry
        assert repository.balances(payer.org_id, payer.customer_id) == (every_entry, True)


def statement(payer) -> tuple[dict, int, list[str]]:
    """November's statement, how many items its reads read and its DynamoDB reads (the session
    check's included; not the session's own touch, once in a while)."""
    with measuring_units() as units, calls_made() as calls:
        answer = payer.portal.get(f"/portal/statements?{NOVEMBER}")
    assert answer.status == 200, answer.json
    return answer.json, units.items_read, [operation for operation, _ in calls if operation != "UpdateItem"]


def before_the_balances(payer) -> None:
    """The customer as its entries stood before balances were kept: none, and no marker."""
    owner = owner_key(payer.org_id, payer.customer_id)
    for item in ledger.LedgerEntryItem.query(owner, ledger.LedgerEntryItem.entry_key >= ledger.BALANCES):
        item.delete()
