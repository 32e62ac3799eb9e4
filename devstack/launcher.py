"""A live local stack (`python -m devstack` in a subprocess, on free ports) for whatever needs a real
HTTP server: the devstack's own tests, fuzzing, the browser tests, the bench's load run."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class RunningDevstack:
    process: subprocess.Popen
    ports: dict
    output: list[str] = field(default_factory=list)
    serving: threading.Event = field(default_factory=threading.Event)

    def read_output(self) -> None:
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            if line.strip().startswith("Scheduled jobs"):   # the banner's last line
                self.serving.set()

    def printed(self, label: str) -> str:
        line = next(line for line in self.output if line.strip().startswith(label))
        return line.split(label, 1)[1].split()[0]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['PORT']}"

    def interrupt(self, timeout: float = 20) -> int:   # generous: a loaded CI machine
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=2)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start_devstack(table_prefix: str, **environment) -> RunningDevstack:
    """`python -m devstack` on free ports; returns once it printed its banner."""
    ports = {"PORT": free_port(), "PORTICO_MAILBOX_PORT": free_port(), "PORTICO_MOTO_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "PYTHONUNBUFFERED": "1",
           "PORTICO_TABLE_PREFIX": table_prefix, **environment}
    if "PORTICO_AWS_ENDPOINT" not in environment:
        env.pop("PORTICO_AWS_ENDPOINT", None)
    process = subprocess.Popen([sys.executable, "-m", "devstack"], cwd=PROJECT_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stack = RunningDevstack(process, ports)
    stack._reader = threading.Thread(target=stack.read_output, daemon=True)
    stack._reader.start()
    deadline = time.monotonic() + 60   # a generous bound for a loaded machine; it takes ~6 s
    while not stack.serving.wait(0.2):
        if process.poll() is not None or time.monotonic() > deadline:
            stack.kill()
            raise AssertionError("devstack did not start:\n" + "\n".join(stack.output))
    return stack


