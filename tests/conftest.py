"""Test harness: moto in-process as AWS, tables created per test, time pinned.

moto is imported, and credentials/region set, before any PynamoDB model builds a client.
"""
import os

os.environ.update({
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_XRAY_SDK_ENABLED": "false", "PORTICO_TABLE_PREFIX": "test-",
    # the OWASP floor, as in production: tests prove the parameters, not a weakened copy
    "PORTICO_ARGON2_MEMORY_KIB": "19456", "PORTICO_ARGON2_ITERATIONS": "2",
    # answers that must not tell whether an account exists wait for no floor here: tests compare
    # what those requests do (tests/support/call_shapes.py); tests of the floor set it themselves
    "PORTICO_UNTELLING_ANSWER_MS": "0",
})
os.environ.pop("PORTICO_AWS_ENDPOINT", None)
os.environ.pop("STRIPE_SECRET_KEY", None)

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from tests.support.aws import fresh_aws  # noqa: E402 - moto, after the credentials above

# Property tests: deterministic examples (the same in CI as here) and no per-example deadline,
# which a loaded 2-core CI machine would trip for reasons that have nothing to do with the code.
settings.register_profile("portico", deadline=None, derandomize=True, database=None)
settings.load_profile("portico")


@pytest.fixture
def aws():
    """A fresh, empty AWS (moto) with every Portico table created."""
    with fresh_aws():
        yield


# Tests sharing a fixture wider than their module (the e2e package's stack and Chromium, the session's
# Lambda package), each group run by one pytest-xdist worker, which sets the fixture up once.
ONE_WORKER = {"tests/e2e/": "the browser tests", "tests/integration/test_package.py": "the Lambda package",
              "tests/integration/test_rehearsal.py": "the Lambda package"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs with `--dist loadscope`: a module's tests on one worker, so its fixtures are
    set up once (a live stack, the template's packages), and each ONE_WORKER group on one worker."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesAndGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = next((g for prefix, g in ONE_WORKER.items() if nodeid.startswith(prefix)), None)
            return group or super()._split_scope(nodeid)

    return ModulesAndGroups(config, log)
