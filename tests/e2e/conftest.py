"""The browser portal, end to end: the local stack (embedded moto, tables, the demo seed, the
API) on free ports of 127.0.0.1, and Debian's Chromium driven by
Playwright. Started once for the e2e package and stopped when it is done, with the process
environment put back as it was, so the rest of the suite never sees it."""
from __future__ import annotations

import os
import shutil
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parent / "screenshots"

# How long an expectation waits for the page (not a speed limit): a loaded CI machine can take more
# than Playwright's default 5 s to sign in and draw the first screen.
expect.set_options(timeout=15_000)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Portal:
    url: str
    org_id: str
    email: str
    password: str
    api_key: str
    customer_ids: tuple[str, ...]


@pytest.fixture(scope="package")
def portal():
    """The running stack with the demo organization; answers where it is and who may sign in."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from devstack.server import Devstack, Options
    saved_environment = dict(os.environ)
    options = Options(api_port=free_port(), mailbox_port=free_port(), moto_port=free_port(),
                      table_prefix="e2e-", schedule_seconds=3600)
    stack = Devstack(options)
    try:
        running = stack.start()
        sign_in = running.seed.portal_sign_in
        yield Portal(running.api_url, sign_in.org_id, sign_in.email, sign_in.password, running.seed.api_key,
                     running.seed.customer_ids)
    finally:
        stack.stop()
        os.environ.clear()
        os.environ.update(saved_environment)
        from chalicelib import bootstrap
        bootstrap.reset()
        bootstrap.set_clock(None)


@pytest.fixture(scope="package")
def browser(portal):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def browser_tab(browser, base_url: str, *, locale: str = "en-US", timezone_id: str = "UTC"):
    """A fresh browser profile (no session) at desktop size, in US English unless told, whose page
    errors and console errors fail the test."""
    context = browser.new_context(base_url=base_url, locale=locale, timezone_id=timezone_id,
                                  viewport={"width": 1280, "height": 860}, accept_downloads=True)
    context.set_default_timeout(10_000)
    problems: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    # API refusals show up as "Failed to load resource" in the console: the screens handle them
    tab.on("console", lambda message: problems.append(f"console: {message.text}")
           if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    yield tab
    context.close()
    assert problems == [], problems


@pytest.fixture
def page(browser, portal):
    """A tab on the portal served at the root of its origin (http://127.0.0.1:<port>/)."""
    with browser_tab(browser, portal.url) as tab:
        yield tab


@pytest.fixture
def stage(portal):
    """The portal behind a stand-in for API Gateway: only http://127.0.0.1:<port>/api/... exists."""
    from tests.e2e.stage_proxy import StageProxy
    with StageProxy(portal.url) as proxy:
        yield proxy


@pytest.fixture
def staged_page(browser, stage):
    """A tab whose relative addresses resolve under the stage (page.goto("./#/home"))."""
    with browser_tab(browser, stage.url) as tab:
        yield tab


def screenshot(page, name: str) -> None:
    """Saved for review (tests/e2e/screenshots/, not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
