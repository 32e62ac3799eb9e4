"""The local stack in one process: embedded AWS (moto), tables, demo data, the API, the jobs' timer,
the due-work queue's workers and a mailbox. Nothing runs as a child process, so Ctrl-C leaves nothing behind.

Environment (all optional):
  PORT                      the API and browser portal (default 8000)
  PORTICO_AWS_ENDPOINT      use this AWS endpoint (another moto, DynamoDB Local) instead of embedding moto
  PORTICO_MOTO_PORT         the embedded moto's port (default 5005; any free port if taken)
  PORTICO_MAILBOX_PORT      the mailbox (default 8025)
  PORTICO_TABLE_PREFIX      table names' prefix (default "portico-local-")
  PORTICO_SCHEDULE_SECONDS  how often the scheduled functions run (default 30)
  PORTICO_QUEUE_WORKERS     how many workers take due work from the queue (default 4)
"""
from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .seed import SeedResult

log = logging.getLogger("devstack")

HOST = "127.0.0.1"
PROJECT_DIR = Path(__file__).resolve().parents[1]
STAGE = "dev"
# How often each server's loop looks whether it is asked to stop (socketserver's default is 0.5 s, and
# the stack stops its servers one after the other): Ctrl-C then ends it in a fraction of a second.
STOP_POLL_SECONDS = 0.1


class StartupFailed(Exception):
    """The stack cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class Options:
    api_port: int = 8000
    mailbox_port: int = 8025
    moto_port: int = 5005
    aws_endpoint: str | None = None      # None: embed moto
    table_prefix: str = "portico-local-"
    schedule_seconds: float = 30.0
    queue_workers: int = 4

    @classmethod
    def from_environment(cls, environ: MutableMapping[str, str]) -> "Options":
        def value(name: str, default):
            raw = environ.get(name, "").strip()
            try:
                return type(default)(raw) if raw else default
            except ValueError:
                raise StartupFailed(f"{name}={raw!r} is not a valid {type(default).__name__}") from None
        return cls(api_port=value("PORT", cls.api_port), mailbox_port=value("PORTICO_MAILBOX_PORT", cls.mailbox_port),
                   moto_port=value("PORTICO_MOTO_PORT", cls.moto_port),
                   aws_endpoint=environ.get("PORTICO_AWS_ENDPOINT") or None,
                   table_prefix=environ.get("PORTICO_TABLE_PREFIX") or cls.table_prefix,
                   schedule_seconds=value("PORTICO_SCHEDULE_SECONDS", cls.schedule_seconds),
                   queue_workers=value("PORTICO_QUEUE_WORKERS", cls.queue_workers))


# --- the embedded AWS -----------------------------------------------------------------------

DYNAMODB_TARGET = "DynamoDB_20120810."   # the X-Amz-Target of every DynamoDB API call


def one_dynamodb_request_at_a_time(app):
    """moto's WSGI app, answering DynamoDB requests one at a time and every other service's at once.

    DynamoDB applies each request atomically and in isolation: a conditional write checks and
    writes as one step, a TransactWriteItems is all or nothing. moto's server does neither when
    its threads overlap: it checks a condition and then writes, and it undoes a cancelled
    transaction by restoring copies of the tables taken when the transaction began, erasing what
    other requests wrote meanwhile. One lock around each DynamoDB request gives the local stack
    DynamoDB's guarantees (docs/security.md, "The local DynamoDB is atomic")."""
    lock = threading.Lock()

    def serve(environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith(DYNAMODB_TARGET):
            return app(environ, start_response)
        with lock:   # the whole answer is made within the lock, and the app's iterable closed (PEP 3333)
            answer = app(environ, start_response)
            try:
                return list(answer)
            finally:
                if hasattr(answer, "close"):
                    answer.close()
    return serve


def _embedded_moto_class():
    from moto.server import DomainDispatcherApplication, MotoRequestHandler, ThreadedMotoServer, create_backend_app
    from werkzeug.serving import make_server

    class EmbeddedMoto(ThreadedMotoServer):
        """moto's threaded server, with DynamoDB requests one at a time, reporting a failed bind
        instead of waiting for it for ever, and releasing its port when stopped."""
        bind_error: OSError | None = None

        def _server_entry(self) -> None:   # ThreadedMotoServer's, with the app wrapped
            app = one_dynamodb_request_at_a_time(DomainDispatcherApplication(create_backend_app))
            try:
                self._server = make_server(self._ip_address, self._port, app, True,
                                           request_handler=MotoRequestHandler)
            except OSError as error:
                self.bind_error = error
                self._server_ready_event.set()
                return
            self._server_ready_event.set()
            self._server.serve_forever(poll_interval=STOP_POLL_SECONDS)

        def close(self) -> None:
            self.stop()
            self._server.server_close()

    return EmbeddedMoto


def start_embedded_aws(preferred_port: int):
    """moto on 127.0.0.1, on `preferred_port` if it is free, else on any free port."""
    EmbeddedMoto = _embedded_moto_class()
    port = preferred_port if port_is_free(preferred_port) else 0
    moto = EmbeddedMoto(ip_address=HOST, port=port, verbose=False)
    moto.start()
    if moto.bind_error is not None:
        raise StartupFailed(f"cannot start the embedded AWS on {HOST}:{port}: {moto.bind_error}")
    return moto


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the servers bind
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def point_environment_at(environ: MutableMapping[str, str], options: Options, endpoint: str, *,
                         embedded: bool, stage_variables: dict[str, str]) -> None:
    """What the app reads from its environment, for the local stack.

    The caller's own settings win over the devstack's defaults, which win over the stage's
    environment_variables from .chalice/config.json (whose table prefix is the deployed one)."""
    if embedded:   # fake credentials only: real ones must never reach the embedded AWS
        environ.pop("AWS_PROFILE", None)
        environ.update(AWS_ACCESS_KEY_ID="devstack", AWS_SECRET_ACCESS_KEY="devstack",
                       AWS_SESSION_TOKEN="devstack")
    else:
        environ.setdefault("AWS_ACCESS_KEY_ID", "devstack")
        environ.setdefault("AWS_SECRET_ACCESS_KEY", "devstack")
    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    environ.update(AWS_REGION=region, AWS_DEFAULT_REGION=region, AWS_XRAY_SDK_ENABLED="false",
                   PORTICO_AWS_ENDPOINT=endpoint, PORTICO_TABLE_PREFIX=options.table_prefix)
    environ.setdefault("PORTICO_PORTAL_URL", f"http://{HOST}:{options.api_port}")
    for name, value in stage_variables.items():
        environ.setdefault(name, str(value))


# --- the API --------------------------------------------------------------------------------

def chalice_config():
    """The `dev` stage of .chalice/config.json, as `chalice local` would use it."""
    from chalice.config import Config
    config_file = PROJECT_DIR / ".chalice" / "config.json"
    if config_file.exists():
        return Config(chalice_stage=STAGE, config_from_disk=json.loads(config_file.read_text()),
                      default_params={"project_dir": str(PROJECT_DIR)})
    return Config.create(chalice_stage=STAGE, project_dir=str(PROJECT_DIR), app_name="portico")


def enveloped_request_handler():
    """Chalice's local request handler, answering what API Gateway answers itself (a path the API
    lacks, a failure before the function answers) as the deployed stage's gateway responses do: in
    the envelope, with the security headers (chalicelib/handlers/gateway_answers.py). No session
    or key is the function's own 401, as on AWS."""
    from chalice.local import ChaliceRequestHandler, ForbiddenError

    from chalicelib.handlers.gateway_answers import GATEWAY_ANSWERS, SECURITY_HEADERS

    def response_type(error) -> str:
        return "MISSING_AUTHENTICATION_TOKEN" if isinstance(error, ForbiddenError) else "DEFAULT_5XX"

    class EnvelopedRequestHandler(ChaliceRequestHandler):
        def _send_error_response(self, error) -> None:
            answer = GATEWAY_ANSWERS[response_type(error)]
            headers = {"Content-Type": "application/json", **SECURITY_HEADERS,
                       "x-amzn-RequestId": error.headers.get("x-amzn-RequestId", "")}
            self._send_http_response(answer.status, headers, answer.body)

    return EnvelopedRequestHandler


def _listening():
    from chalice.local import ThreadedHTTPServer

    class Listening(ThreadedHTTPServer):
        """chalice local's server, with room for a burst of connections: socketserver's backlog of 5
        reset one connection in a thousand under the load test's twenty threads."""
        request_queue_size = 128
    return Listening


class ApiServer:
    """Chalice's local server, in a thread, without auto-reload."""

    def __init__(self, config, port: int):
        from chalice.deploy.validate import validate_routes
        from chalice.local import CustomLocalChalice, LocalChalice, LocalDevServer
        if str(PROJECT_DIR) not in sys.path:
            sys.path.insert(0, str(PROJECT_DIR))
        from app import app
        validate_routes(app.routes)
        self.app = app
        try:
            if not isinstance(app, LocalChalice):   # chalice local's thread-local requests, once per process
                CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
                app.__class__ = CustomLocalChalice
            self.server = LocalDevServer(app, config, HOST, port,   # binds the port now
                                         handler_cls=enveloped_request_handler(), server_cls=_listening())
        except OSError as error:
            raise StartupFailed(f"cannot serve the API on {HOST}:{port} ({error}); "
                                f"set PORT to another port") from None
        self._thread = threading.Thread(target=self.server.server.serve_forever, name="api", daemon=True,
                                        kwargs={"poll_interval": STOP_POLL_SECONDS})

    @property
    def url(self) -> str:
        host, port = self.server.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ApiServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():   # shutdown() waits for a serve_forever that never started
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server.server_close()


# --- the whole stack ------------------------------------------------------------------------

@dataclass
class Running:
    endpoint: str
    embedded: bool
    api_url: str
    mailbox_url: str
    seed: SeedResult
    jobs: tuple[str, ...]


class Devstack:
    """Everything `make run` serves, started in order and stopped in reverse."""

    def __init__(self, options: Options, environ: MutableMapping[str, str] = os.environ):
        self.options, self.environ = options, environ
        self._stoppers: list = []     # what to stop, in start order

    def start(self) -> Running:
        from chalicelib import bootstrap, config, tables

        from . import seed
        from .mailbox import Mailbox, embedded_ses_emails, remote_moto_emails
        from .schedules import QueueWorkers, ScheduleTimer, create_queue, queue_handlers, scheduled_handlers

        embedded = self.options.aws_endpoint is None
        if embedded:
            moto = start_embedded_aws(self.options.moto_port)
            self._stoppers.append(("embedded AWS", moto.close))
            endpoint = "http://%s:%d" % moto.get_host_and_port()
        else:
            endpoint = self.options.aws_endpoint
        chalice_stage = chalice_config()
        point_environment_at(self.environ, self.options, endpoint, embedded=embedded,
                             stage_variables=chalice_stage.environment_variables)
        bootstrap.reset()
        api = ApiServer(chalice_stage, self.options.api_port)        # bind the ports before the slow part
        self._stoppers.append(("API", api.stop))
        try:
            mailbox = Mailbox(embedded_ses_emails if embedded else remote_moto_emails(endpoint),
                              host=HOST, port=self.options.mailbox_port, stop_poll_seconds=STOP_POLL_SECONDS)
        except OSError as error:
            raise StartupFailed(f"cannot serve the mailbox on {HOST}:{self.options.mailbox_port} ({error}); "
                                f"set PORTICO_MAILBOX_PORT to another port") from None
        self._stoppers.append(("mailbox", mailbox.stop))

        bootstrap.tables_ready()
        try:
            created = tables.create_all(wait=True)
        except Exception as error:  # noqa: BLE001 - any failure here means the endpoint is unusable
            raise StartupFailed(f"cannot create the tables at {endpoint}: {error}") from error
        log.info("tables: %d created, %d already there", len(created), len(tables.MODELS) - len(created))
        verify_email_sender(bootstrap.adapters(), config.settings().email_sender)
        result = seed.seed_demo(bootstrap.now())

        # the due-work queue on the same (moto) endpoint, which the discovery sends to and a small
        # pool of workers takes from, as the SQS event source does on AWS
        sqs = bootstrap.adapters().client("sqs")
        queue_url = self.environ.get("PORTICO_DUE_WORK_QUEUE_URL") or create_queue(
            sqs, f"{self.options.table_prefix}due-work")
        self.environ["PORTICO_DUE_WORK_QUEUE_URL"] = queue_url
        config.reload()

        api.start()
        mailbox.start()
        [worker] = queue_handlers(api.app).values()
        workers = QueueWorkers(worker, sqs, queue_url, region=config.settings().region,
                               size=self.options.queue_workers).start()
        self._stoppers.append(("queue workers", workers.stop))
        jobs = scheduled_handlers(api.app)
        timer = ScheduleTimer(jobs, region=config.settings().region,
                              interval_seconds=self.options.schedule_seconds).start()
        self._stoppers.append(("scheduled jobs", timer.stop))
        return Running(endpoint=endpoint, embedded=embedded, api_url=api.url, mailbox_url=mailbox.url,
                       seed=result, jobs=tuple(jobs))

    def stop(self) -> None:
        """Stop whatever started, newest first; safe to call after a failed start."""
        while self._stoppers:
            name, stop = self._stoppers.pop()
            try:
                stop()
            except Exception:  # noqa: BLE001 - keep stopping the rest
                log.exception("stopping the %s failed", name)


def verify_email_sender(adapters, sender: str) -> None:
    """SES (moto too) refuses to send from an unverified address."""
    try:
        adapters.client("ses").verify_email_identity(EmailAddress=sender)
    except Exception as error:  # noqa: BLE001 - an endpoint without SES still serves everything else
        log.warning("could not verify the email sender %s (emails will fail): %s", sender, error)


def banner(running: Running, options: Options) -> str:
    seed = running.seed
    key = seed.api_key
    aws = "embedded moto" if running.embedded else "external"
    lines = [
        "",
        "Portico is running. Ctrl-C stops it.",
        f"  Portal          {running.api_url}/",
        f"  Admin API key   {key}",
        f"  Try             curl -H \"Authorization: Bearer {key}\" {running.api_url}/admin/customers",
    ]
    s = seed.portal_sign_in
    from .seed import DEMO_PORTAL_NAME
    lines.append(f"  Demo portal     {running.api_url}/?portal={DEMO_PORTAL_NAME} (its own address: no organization to type)")
    lines.append(f"  Demo sign-in    {s.email}, password: {s.password} (organization {s.org_id})")
    c = seed.console_sign_in
    lines.append(f"  Console         {running.api_url}/#/console (organization {DEMO_PORTAL_NAME} or {c.org_id})")
    lines.append(f"  Console admin   {c.admin_email}, password: {c.password}; support: {c.support_email}, same password")
    lines += [
        f"  Mailbox         {running.mailbox_url}",
        f"  AWS endpoint    {running.endpoint} ({aws}; tables {options.table_prefix}*)",
        f"  Demo data       {'seeded now' if seed.created else 'already there, kept as it was'}"
        f" (organization {seed.org_id})",
    ]
    jobs = ", ".join(running.jobs) if running.jobs else "none registered yet"
    lines += [f"  Scheduled jobs  every {options.schedule_seconds:g} s: {jobs}", ""]
    return "\n".join(lines)


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("devstack").setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # moto's request log sets its own level
    stopping = threading.Event()

    def interrupt_startup(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt_startup)
    signal.signal(signal.SIGTERM, interrupt_startup)
    stack = None
    try:
        options = Options.from_environment(os.environ)
        stack = Devstack(options)
        running = stack.start()
        print(banner(running, options), flush=True)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.set())
        while not stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    except StartupFailed as failure:
        print(f"devstack: {failure}", file=sys.stderr, flush=True)
        return 1
    finally:
        if stack is not None:
            print("Stopping...", flush=True)
            stack.stop()
    print("Stopped.", flush=True)
    return 0
