"""A discovery sends each organization's due work interleaved with the others', earliest first
within one, at most a share of one organization per cycle: a merchant with one cancellation due
is the second message sent while another has 10,000 renewals due ahead of it in the index."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from chalicelib.domain.subscription import PlanSnapshot, Subscription
from chalicelib.domain.subscription_status import Status
from chalicelib.services.subscriptions import scheduled_queue
from chalicelib.services.subscriptions.scheduled_queue import discover_due
from chalicelib.tables.subscriptions import DueSubscription

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
PRO = PlanSnapshot("pro", "Pro", 10_000)


def a_subscription(subscription_id: str, status: Status = Status.LIVE) -> Subscription:
    return Subscription(subscription_id, "cus_1", status, currency="USD", created_at=NOW - timedelta(days=60),
                        plan=PRO, term_start=date(2026, 10, 25), term_end=TODAY, billing_anchor=date(2026, 10, 25))


class DueIndex:
    """The `due` index of one clock, as the subscriptions repository reads it: shard by shard."""

    def __init__(self, shards: list[list[DueSubscription]]):
        self._shards = shards

    def shards(self) -> range:
        return range(len(self._shards))

    def due(self, clock, shard, now, *, page):
        yield from self._shards[shard]


def adapters_over(*shards: list[DueSubscription]) -> SimpleNamespace:
    return SimpleNamespace(uow=SimpleNamespace(subscriptions=DueIndex(list(shards))))


def test_one_due_cancellation_goes_out_second_while_another_merchant_has_ten_thousand_renewals_due():
    # Given a shard holding 10,000 renewals of a busy merchant, then a quiet merchant's cancellation
    busy = [DueSubscription("org_busy", a_subscription(f"sub_{n:05}")) for n in range(10_000)]
    quiet = DueSubscription("org_quiet", replace(a_subscription("sub_ending"), status=Status.NON_RENEWING))

    # When a discovery reads it
    found = discover_due(adapters_over(busy + [quiet], []), "live", NOW, per_org=36_000)

    # Then everything due is sent, the quiet merchant's cancellation second
    assert len(found.items) == 10_001 and found.held_back == 0
    assert [(i.org_id, i.work) for i in found.items[:3]] == [
        ("org_busy", "renew"), ("org_quiet", "cancel_at_term_end"), ("org_busy", "renew")]
    assert found.items[0].subscription_id == "sub_00000" and found.items[0].due_at.startswith("2026-11-25")


def test_an_organizations_items_beyond_its_share_wait_for_the_next_discovery():
    # Given 250 renewals of one merchant spread over two shards, and 3 of another
    busy = [DueSubscription("org_busy", a_subscription(f"sub_{n:03}")) for n in range(250)]
    other = [DueSubscription("org_other", a_subscription(f"sub_other_{n}")) for n in range(3)]

    # When a discovery with a share of 100 reads them
    found = discover_due(adapters_over(busy[:200], busy[200:] + other), "live", NOW, per_org=100)

    # Then it sends 100 of the first and all 3 of the other, counting the 150 it held back
    assert [i.org_id for i in found.items].count("org_busy") == 100 and found.organizations == 2
    assert [i.org_id for i in found.items[:6]] == ["org_busy", "org_other"] * 3
    assert found.held_back == 150


def test_an_item_the_index_lists_but_whose_work_is_no_longer_due_is_not_sent():
    # Given an index entry whose subscription renewed meanwhile (its term ends a month on)
    renewed = replace(a_subscription("sub_done"), term_start=TODAY, term_end=date(2026, 12, 25))

    # When a discovery reads it
    found = discover_due(adapters_over([DueSubscription("org_1", renewed)]), "live", NOW, per_org=10)

    # Then nothing is sent
    assert found.items == [] and found.held_back == 0


def test_a_discovery_out_of_time_has_read_a_page_of_every_shard_and_says_it_stopped_early():
    # Given two shards each holding more than a page of due renewals, one merchant's in each
    page = scheduled_queue.DISCOVERY_PAGE
    first = [DueSubscription("org_first", a_subscription(f"sub_a{n:04}")) for n in range(page + 100)]
    second = [DueSubscription("org_second", a_subscription(f"sub_b{n:04}")) for n in range(page + 100)]
    rounds = []

    def out_of_time() -> bool:   # the budget lasts one round of pages
        rounds.append(1)
        return len(rounds) > 1

    # When a discovery reads them with that budget
    found = discover_due(adapters_over(first, second), "live", NOW, per_org=10_000, out_of_time=out_of_time)

    # Then it stopped after the first page of each shard, so neither merchant waits for the other's backlog
    assert found.stopped_early
    assert [i.org_id for i in found.items].count("org_first") == page
    assert [i.org_id for i in found.items].count("org_second") == page
    assert found.items[0].subscription_id == "sub_a0000" and found.items[1].subscription_id == "sub_b0000"


def test_a_discovery_with_time_left_reads_every_shard_to_its_end():
    # Given two shards, one with more than a page of due renewals
    page = scheduled_queue.DISCOVERY_PAGE
    first = [DueSubscription("org_first", a_subscription(f"sub_a{n:04}")) for n in range(page + 1)]
    second = [DueSubscription("org_second", a_subscription("sub_b"))]

    # When a discovery reads them
    found = discover_due(adapters_over(first, second), "live", NOW, per_org=10_000, out_of_time=lambda: False)

    # Then it sent all of them and did not stop early
    assert len(found.items) == page + 2 and not found.stopped_early
