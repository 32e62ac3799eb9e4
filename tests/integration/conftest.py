"""The Lambda package as `make package` builds it (requirements from PyPI), once per test session:
the deployment rehearsal runs it, tests/integration/test_package.py weighs and inspects it."""
import pytest

from tests.support.package import build


@pytest.fixture(scope="session")
def lambda_package(tmp_path_factory):
    return build("dev", tmp_path_factory.mktemp("package"), requirements=True)
