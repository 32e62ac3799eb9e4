"""`chalice package` + infra/ gives a template that cfn-lint accepts, with every table the code uses.

Packaged offline: a copy of the project with an empty requirements file, since the template does
not depend on what is vendored (the real `make package` downloads the Lambda wheels)."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module", params=["dev", "prod"])
def packaged(request, tmp_path_factory):
    stage = request.param
    work = tmp_path_factory.mktemp(f"package-{stage}") / "portico"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".venv", ".git", "build", "tests", "*.pyc",
                                                              "__pycache__", ".devstack"))
    (work / "requirements.txt").write_text("")
    run = dict(cwd=work, capture_output=True, text=True, env={"PATH": f"{BIN}:/usr/bin:/bin",
                                                            "AWS_DEFAULT_REGION": "us-east-1"})
    subprocess.run([sys.executable, "-m", "infra.generate", stage], check=True, **run)
    packaging = subprocess.run([str(BIN / "chalice"), "package", "--stage", stage, "--merge-template",
                                f"infra/build/resources-{stage}.json", "out"], **run)
    assert packaging.returncode == 0, packaging.stderr
    return stage, work / "out" / "sam.json"


def test_the_template_passes_cfn_lint(packaged):
    _stage, template = packaged
    lint = subprocess.run([str(BIN / "cfn-lint"), str(template)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_every_table_and_index_the_code_uses_is_in_the_template(packaged):
    from chalicelib.tables import MODELS
    stage, template = packaged
    resources = json.loads(template.read_text())["Resources"]
    tables = {r["Properties"]["TableName"]: r["Properties"] for r in resources.values()
              if r["Type"] == "AWS::DynamoDB::Table"}
    prefix = f"portico-{stage}-"
    assert set(tables) == {prefix + m.Meta.logical_name for m in MODELS}
    for model in MODELS:
        declared = tables[prefix + model.Meta.logical_name]
        indexes = {i["IndexName"] for i in declared.get("GlobalSecondaryIndexes", []) +
                   declared.get("LocalSecondaryIndexes", [])}
        assert indexes == {i.Meta.index_name for i in model._indexes.values()}
        assert declared["DeletionProtectionEnabled"] is (stage == "prod")
    assert tables[prefix + "sessions"]["TimeToLiveSpecification"]["Enabled"]


def test_functions_are_traced_and_jobs_get_longer_timeouts(packaged):
    _stage, template = packaged
    resources = json.loads(template.read_text())["Resources"]
    functions = {name: r["Properties"] for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert all(f.get("Tracing") == "Active" for f in functions.values())
    assert functions["SendQueuedEmail"]["Timeout"] > functions["APIHandler"]["Timeout"]
