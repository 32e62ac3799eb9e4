"""How long a settlement of a charge already taken keeps sending its transaction again after lost
number races (services/numbering.py `settlement_races`): a bounded number of races, and a bounded
time well within the API function's timeout, whichever ends first."""
from chalicelib.services import numbering
from chalicelib.services.numbering import SETTLEMENT_NUMBER_ATTEMPTS, SETTLEMENT_NUMBER_SECONDS, settlement_races


def test_a_settlement_tries_again_until_its_races_are_spent(monkeypatch):
    # Given no wait between attempts, and a clock that does not move
    monkeypatch.setattr(numbering, "JITTER_SECONDS", 0)
    monkeypatch.setattr(numbering.time, "monotonic", lambda: 100.0)
    races = settlement_races()

    # When it loses race after race
    answers = [races.lost_one() for _ in range(SETTLEMENT_NUMBER_ATTEMPTS)]

    # Then it tries again after every one but the last
    assert answers == [True] * (SETTLEMENT_NUMBER_ATTEMPTS - 1) + [False]


def test_a_settlement_stops_trying_again_when_its_time_is_spent(monkeypatch):
    # Given a settlement begun SETTLEMENT_NUMBER_SECONDS ago
    monkeypatch.setattr(numbering, "JITTER_SECONDS", 0)
    now = [100.0]
    monkeypatch.setattr(numbering.time, "monotonic", lambda: now[0])
    races = settlement_races()
    assert races.lost_one()
    now[0] += SETTLEMENT_NUMBER_SECONDS

    # Then the next race lost is its last, however few it has lost
    assert not races.lost_one()


def test_its_time_ends_well_within_the_api_functions_timeout():
    import json
    from pathlib import Path
    config = json.loads((Path(__file__).resolve().parents[2] / ".chalice" / "config.json").read_text())
    assert SETTLEMENT_NUMBER_SECONDS * 1.5 < config["stages"]["prod"]["lambda_timeout"]
