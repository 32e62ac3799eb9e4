"""Building the Lambda package as `make package` does (infra.generate, `chalice package`, infra.slim),
in a copy of the project, so that tests never write into the working tree's build/.

With its requirements (which `chalice package` downloads with pip, honouring pip's own settings and
cache) for the rehearsal and the package's own tests; without them (an empty requirements file:
seconds, offline, and not slimmed, since its code could not run) when only the template matters."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NOT_PACKAGED = shutil.ignore_patterns(".venv", ".git", "build", "tests", "*.pyc", "__pycache__", ".devstack",
                                      ".hypothesis", ".pytest_cache", "bench", "devstack", "docs")


@dataclass(frozen=True)
class Package:
    stage: str
    template: Path       # sam.json
    zip: Path            # deployment.zip (only the app when built without requirements)
    passkeys_zip: Path   # passkeys.zip, the passkeys function's (only built with requirements)


def build(stage: str, into: Path, *, requirements: bool) -> Package:
    work = into / "project"
    shutil.copytree(ROOT, work, ignore=NOT_PACKAGED)
    if not requirements:
        (work / "requirements.txt").write_text("")
    pip = {name: value for name, value in os.environ.items() if name.startswith("PIP_") or name == "HOME"}
    run = dict(cwd=work, capture_output=True, text=True,
               env={**pip, "PATH": f"{BIN}:/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1"})
    _step([sys.executable, "-m", "infra.generate", stage], run)
    _step([str(BIN / "chalice"), "package", "--stage", stage, "--merge-template",
           f"infra/build/resources-{stage}.json", "out"], run)
    _step([sys.executable, "-m", "infra.passkeys_function", "out/sam.json"], run)
    if requirements:
        _step([sys.executable, "-m", "infra.slim", "out/deployment.zip"], run)
    out = work / "out"
    return Package(stage, out / "sam.json", out / "deployment.zip", out / "passkeys.zip")


def unzipped(package: Package, into: Path, *, passkeys: bool = False) -> Path:
    """The package (or the passkeys function's) as Lambda lays it out in /var/task."""
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(package.passkeys_zip if passkeys else package.zip) as archive:
        archive.extractall(into)
    return into


def _step(command: list[str], run: dict) -> None:
    done = subprocess.run(command, **run)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
