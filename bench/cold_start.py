"""Cold start as Lambda has it: each run a fresh process from the unzipped package (`make package`)
beside the runtime's SDK only, writing no bytecode (/var/task is read-only), so it has exactly the
bytecode the package ships; in a traced function, not sampled (as 95% of requests are).

Portico's `import app` + first `GET /portal/me` (session check included, bench/first_request.py) is
compared with the yardstick's import + first request making the same DynamoDB calls
(bench/yardstick.py), run by run, over interleaved rounds: a loaded machine slows both alike."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .spread import Spread

HERE = Path(__file__).resolve().parent
ROUNDS = 5
NOT_SAMPLED = {"AWS_LAMBDA_FUNCTION_NAME": "portico-bench", "AWS_XRAY_SDK_ENABLED": "true",
               "_X_AMZN_TRACE_ID": "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=0"}


@dataclass(frozen=True)
class ColdStart:
    first_request: Spread       # Portico / yardstick, import + first request
    init: Spread                # Portico / yardstick, the import alone (Lambda's init phase)
    portico_seconds: float      # median wall time of Portico's import + first request
    calls: list                 # the DynamoDB calls both made

    def lines(self, package: Path) -> list[str]:
        return [f"From `{package.name}` unzipped, in a fresh process per run, {len(self.first_request.values)} "
                "rounds; ratio to the yardstick (bench/yardstick.py: a minimal Chalice app making the same "
                f"{len(self.calls)} DynamoDB calls: {', '.join(c['operation'] for c in self.calls)}), median "
                "(lowest-highest):", "",
                "| | Portico / yardstick | goal |", "|---|---|---|",
                "| `import app` + first `GET /portal/me` (session check included) | "
                f"{self.first_request.ratio()} | <= 1.1x |",
                f"| `import app` alone (Lambda's init phase) | {self.init.ratio()} | |", "",
                "(The yardstick makes its boto3 client at import, as a minimal function does; Portico makes its "
                "DynamoDB client at the first request.)"]


def cold_start(package_zip: Path, environment: dict, rounds: int = ROUNDS) -> ColdStart:
    from infra.bytecode import runtime_sdk
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as work:
        task, sdk = _unzipped(package_zip, Path(work) / "task"), runtime_sdk(Path(work) / "sdk")
        calls_file = Path(work) / "calls.json"
        lambda_like = {**environment, **NOT_SAMPLED}
        _run([HERE / "first_request.py", task, sdk], {**lambda_like, "BENCH_CALLS_TO": str(calls_file)})
        portico = [HERE / "first_request.py", task, sdk]
        yardstick = [HERE / "yardstick.py", task, sdk, calls_file]
        importing = {**lambda_like, "BENCH_IMPORT_ONLY": "1"}
        first, init, seconds = [], [], []
        for _ in range(rounds):
            ours, theirs = _run(portico, lambda_like), _run(yardstick, lambda_like)
            first.append(ours / theirs)
            seconds.append(ours)
            init.append(_run(portico, importing) / _run(yardstick, importing))
        return ColdStart(Spread.of(first), Spread.of(init), Spread.of(seconds).median,
                         json.loads(calls_file.read_text()))


def _unzipped(package_zip: Path, into: Path) -> Path:
    with zipfile.ZipFile(package_zip) as package:
        package.extractall(into)
    return into


def _run(arguments: list, environment: dict) -> float:
    """Wall seconds of a fresh `python -I -S -B` process (only what it is given is importable)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-I", "-S", "-B", *map(str, arguments)], check=True, env=environment,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started
