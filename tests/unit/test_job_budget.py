"""A run of due work stops in time: its budget is what the template derives from its Lambda's
timeout (PORTICO_JOB_BUDGET_SECONDS), keeping aside the time its last item may take; the template
test (tests/integration/test_package.py) compares the two in the packaged template."""
from chalicelib import config


def test_the_budget_leaves_the_last_items_time_before_the_timeout():
    assert config.job_budget_for(240) == 240 - config.JOB_LAST_ITEM_SECONDS
    assert 0 < config.JOB_LAST_ITEM_SECONDS < 240


def test_the_job_reads_the_budget_the_template_sets(monkeypatch):
    monkeypatch.setenv("PORTICO_JOB_BUDGET_SECONDS", "180")
    try:
        assert config.reload().job_time_budget_seconds == 180
    finally:
        monkeypatch.undo()
        config.reload()
