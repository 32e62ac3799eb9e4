"""moto's server on a free port, as the local AWS of the bench and of the processes it starts, with
the demo world seeded (exercise/scenarios.py) and the sender's address verified: the in-process app
and fresh processes share it."""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator


@dataclass(frozen=True)
class LocalAws:
    environment: dict      # for a process of its own: this one's, the endpoint, the portal token
    world: object          # exercise.scenarios.World


@contextmanager
def signed_in_local_aws() -> Iterator[LocalAws]:
    """While open, this process's adapters point at the local AWS (PORTICO_AWS_ENDPOINT)."""
    from .scenarios import build_world
    from chalicelib import bootstrap, config, tables
    from devstack.server import start_embedded_aws, verify_email_sender
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # moto's server: no line per call
    moto = start_embedded_aws(0)
    try:
        os.environ["PORTICO_AWS_ENDPOINT"] = "http://%s:%d" % moto.get_host_and_port()
        bootstrap.reset()
        bootstrap.tables_ready()
        tables.create_all()
        verify_email_sender(bootstrap.adapters(), config.settings().email_sender)
        world = build_world(datetime.now(timezone.utc))
        yield LocalAws({**os.environ, "BENCH_PORTAL_TOKEN": world.portal_token}, world)
    finally:
        os.environ.pop("PORTICO_AWS_ENDPOINT", None)
        bootstrap.reset()
        moto.close()
