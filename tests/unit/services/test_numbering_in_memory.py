"""Document numbers given by one attempt of a use case (services/numbering.py), on the in-memory unit of
work: numbered from the value read, taken in the transaction that records the documents (one update
per sequence, a transaction touching each item once), and a lost number told or re-prepared."""
import pytest

from chalicelib.domain.errors import ConcurrentUpdate
from chalicelib.services.numbering import CREDIT_NOTE_NUMBERS, INVOICE_NUMBERS, Numbers, NumberTaken, retried
from tests.support.fast_services import a_merchant_with_a_customer

ORG = "org_acme"


def test_two_documents_of_one_sequence_take_both_numbers_in_one_update():
    # Given an organization whose credit notes have reached CN-000003
    adapters = a_merchant_with_a_customer()
    _take(adapters, CREDIT_NOTE_NUMBERS, 3)

    # When one attempt numbers two credit notes and an invoice, and its transaction commits
    numbers = Numbers(adapters, ORG)
    given = [numbers.next(CREDIT_NOTE_NUMBERS), numbers.next(CREDIT_NOTE_NUMBERS), numbers.next(INVOICE_NUMBERS)]
    with adapters.uow.transaction("document") as tx:
        numbers.take_in(tx)
        written = tx.item_count()

    # Then they are CN 4 and 5 and INV 1, taken with one write per sequence
    assert given == [4, 5, 1]
    assert written == 2
    assert adapters.uow.sequences.last_number(ORG, CREDIT_NOTE_NUMBERS) == 5
    assert adapters.uow.sequences.last_number(ORG, INVOICE_NUMBERS) == 1


def test_a_transaction_that_fails_takes_no_number():
    # Given an attempt that numbered an invoice
    adapters = a_merchant_with_a_customer()
    numbers = Numbers(adapters, ORG)
    numbers.next(INVOICE_NUMBERS)

    # When its transaction fails for another reason
    with pytest.raises(RuntimeError):
        with adapters.uow.transaction("document") as tx:
            numbers.take_in(tx)
            raise RuntimeError("the invoice could not be written")

    # Then the sequence has given nothing
    assert adapters.uow.sequences.last_number(ORG, INVOICE_NUMBERS) == 0


def test_a_number_taken_meanwhile_is_told_with_the_sequence_as_it_now_stands():
    # Given two attempts that both read the invoice sequence at 0, and the first is recorded
    adapters = a_merchant_with_a_customer()
    first, second = Numbers(adapters, ORG), Numbers(adapters, ORG)
    assert first.next(INVOICE_NUMBERS) == second.next(INVOICE_NUMBERS) == 1
    with adapters.uow.transaction("document") as tx:
        first.take_in(tx)

    # When the second is recorded
    with pytest.raises(NumberTaken) as taken:
        with adapters.uow.transaction("document") as tx:
            second.take_in(tx)

    # Then it is told the sequence stands at 1, and numbered from there its next attempt takes 2
    assert (taken.value.sequence, taken.value.last) == (INVOICE_NUMBERS, 1)
    assert Numbers(adapters, ORG, second.after(taken.value)).next(INVOICE_NUMBERS) == 2


def test_a_use_case_that_lost_its_number_is_run_again_and_one_that_keeps_losing_answers_409():
    # Given a use case that loses its number twice, and one that always does
    attempts = []

    @retried
    def twice_unlucky():
        attempts.append(1)
        if len(attempts) < 3:
            raise NumberTaken(INVOICE_NUMBERS, len(attempts))
        return "recorded"

    @retried
    def always_unlucky():
        raise NumberTaken(INVOICE_NUMBERS, 1)

    # Then the first is recorded on its third run, and the second is a conflict
    assert twice_unlucky() == "recorded" and len(attempts) == 3
    with pytest.raises(ConcurrentUpdate):
        always_unlucky()


def _take(adapters, sequence: str, count: int) -> None:
    numbers = Numbers(adapters, ORG)
    for _ in range(count):
        numbers.next(sequence)
    with adapters.uow.transaction("document") as tx:
        numbers.take_in(tx)
