"""Bytecode in the Lambda package for the modules a request imports, as the runtime loads it.

Lambda's /var/task is read-only: a module without usable bytecode there is compiled again, in
memory, on every cold start (import + first `GET /portal/me` took 1.6x a minimal app without it).

- Which modules: those a process from the slimmed package imports (infra/request_imports.py):
  `import app`, every chalicelib module, and what routes load only when needed (the PDF library in
  every font, the X-Ray SDK, Stripe's client, the password lists). Other modules (most of Stripe's
  500, fontTools' unused parts) stay source only: bytecode for everything would add 9 MB.
- The interpreter: the one building must be the runtime's (`python3.11` in the template): bytecode
  carries its version's magic number, and Python ignores bytecode of another version.
- Unchecked-hash pycs (PEP 552): Python loads them without looking at the source. The package never
  changes once built, so nothing can go stale. Timestamp pycs (the default) hold the source's mtime,
  which the zip keeps only in 2-second steps of local time: on Lambda they may look stale, and stale
  bytecode is recompiled on every cold start; checked-hash pycs would read and hash every source at
  every import.
- Compiled with `-X no_debug_ranges`: without the column positions of PEP 657 (the ^^^ under a
  traceback's line) the bytecode is a quarter smaller; tracebacks keep files and lines.
- Our code (app.py, chalicelib/) ships source and bytecode. The pinned libraries ship, for the modules
  requests import, bytecode in place of the source (a sourceless `module.pyc`, which Python imports
  as it would the .py): source beside it would cost 1.1 MB of the 12 MB. Tracebacks in a library
  still name its file and line, without the line's text.

`python -X no_debug_ranges -m infra.bytecode PACKAGE MODULES.json` compiles (infra.slim runs it).
"""
from __future__ import annotations

import importlib
import json
import py_compile
import subprocess
import sys
from pathlib import Path

from .package_contents import RUNTIME_PROVIDED

UNCHECKED = py_compile.PycInvalidationMode.UNCHECKED_HASH
OURS = ("app.py", "chalicelib/")   # source kept beside the bytecode
PROBE = Path(__file__).with_name("request_imports.py")


class WrongPython(RuntimeError):
    pass


def this_runtime() -> str:
    return f"python{sys.version_info.major}.{sys.version_info.minor}"


def check_runtime(template: Path) -> str:
    """The runtime every function of the template names, which must be this interpreter's."""
    resources = json.loads(template.read_text())["Resources"].values()
    runtimes = {r["Properties"]["Runtime"] for r in resources if r["Type"] == "AWS::Serverless::Function"}
    if runtimes != {this_runtime()}:
        raise WrongPython(f"the functions run {sorted(runtimes)}; bytecode from {this_runtime()} would be ignored")
    return this_runtime()


def runtime_sdk(into: Path) -> Path:
    """A folder with only what the Lambda runtime provides besides the standard library."""
    into.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_PROVIDED:
        source = Path(importlib.import_module(name).__file__)
        source = source.parent if source.name == "__init__.py" else source
        (into / source.name).symlink_to(source)
    return into


def request_modules(package: Path, sdk: Path) -> list[str]:
    """The package's files that requests import (paths inside the package)."""
    done = subprocess.run([sys.executable, "-I", "-S", "-B", "-W", "ignore", str(PROBE), str(package), str(sdk)],
                          capture_output=True, text=True, cwd=package)
    if done.returncode != 0:
        raise RuntimeError(f"the slimmed package cannot serve requests:\n{done.stderr}")
    return json.loads(done.stdout)


def compile_in_subprocess(package: Path, modules: list[str], listing: Path) -> None:
    listing.write_text(json.dumps(modules))
    subprocess.run([sys.executable, "-X", "no_debug_ranges", "-m", "infra.bytecode", str(package), str(listing)],
                   check=True, cwd=Path(__file__).resolve().parents[1])


def compile_modules(package: Path, modules: list[str]) -> int:
    """Unchecked-hash bytecode for each of `modules` (.py paths inside `package`)."""
    compiled = 0
    for relative in modules:
        if not relative.endswith(".py"):
            continue   # an extension module
        source = package / relative
        if relative.startswith(OURS):
            py_compile.compile(str(source), dfile=relative, doraise=True, invalidation_mode=UNCHECKED)
        else:
            py_compile.compile(str(source), cfile=str(source) + "c", dfile=relative, doraise=True,
                               invalidation_mode=UNCHECKED)
            source.unlink()
        compiled += 1
    return compiled


if __name__ == "__main__":
    if "no_debug_ranges" not in sys._xoptions:
        sys.exit("compile with python -X no_debug_ranges -m infra.bytecode")
    count = compile_modules(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text()))
    print(f"bytecode: {count} modules")
