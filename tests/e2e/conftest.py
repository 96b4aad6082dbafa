"""End-to-end fixtures: the real app on a real port, driven by headless Chromium.

The server is the app as `entrypoints.wsgi` wires it (the ledger's pages, forms and API), on a fresh
SQLite ledger holding the demo journey.

Chromium comes from the system (``E2E_CHROMIUM``, default ``/usr/bin/chromium``); the tests
never download a browser. GOV.UK assets come from ``web/static/govuk/``, built here with
``python -m web.assets`` when missing. Without Chromium the tests are skipped, unless the
``CI`` environment variable is set, when they fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from config.frameworks import load_frameworks
from entrypoints.bootstrap import LEDGER_BLUEPRINTS, Services, build_services
from tests.factories import load_demo
from web.accounts import DatabaseAccountStore
from web.app import create_app
from web.assets import OUTPUT_DIR, REPO_ROOT
from web.config import WebConfig

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"
USERS = {"ada": "admin", "rae": "recorder", "vic": "viewer"}


@dataclass(frozen=True)
class LiveServer:
    """The running app: its base URL, the password every seeded user has, and the ledger's
    services it runs on (to check what was recorded)."""

    url: str
    services: Services
    password: str = PASSWORD

    def at(self, path: str) -> str:
        """The absolute URL of ``path``."""
        return self.url + path


@pytest.fixture(scope="session")
def govuk_assets() -> Path:
    """web/static/govuk/, built first if it is missing."""
    if not (OUTPUT_DIR / "application.css").is_file():
        result = subprocess.run(
            [sys.executable, "-m", "web.assets"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(
                "GOV.UK assets are missing and `python -m web.assets` could not build them "
                f"(run `npm ci` first):\n{result.stderr}",
                pytrace=False,
            )
    return OUTPUT_DIR


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, govuk_assets: Path
) -> Iterator[LiveServer]:
    """The web app on 127.0.0.1 with ada (admin), rae (recorder) and vic (viewer), and the
    demo journey in its ledger."""
    assert govuk_assets.is_dir()
    folder = tmp_path_factory.mktemp("e2e")
    accounts = DatabaseAccountStore(f"sqlite:///{folder / 'accounts.db'}")
    for name, role in USERS.items():
        accounts.add(name, role, PASSWORD)
    config = WebConfig(
        secret_key="end-to-end-secret-key-long-enough",
        session_cookie_secure=False,  # plain HTTP on 127.0.0.1
        sign_in_rate_limit="1000 per minute",
    )
    services = build_services(f"sqlite:///{folder / 'ledger.db'}", load_frameworks())
    load_demo(services.ledger)
    services.read_model.catch_up()
    app = create_app(
        config,
        accounts=accounts,
        blueprints=[factory(services.journey) for factory in LEDGER_BLUEPRINTS],
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", services=services)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        services.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless system Chromium, shared by every test."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (set E2E_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies carried between tests)."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


SignIn = Callable[..., None]
PageAs = Callable[[str], Page]


def _submit_sign_in(page: Page, server: LiveServer, name: str, password: str | None) -> None:
    page.goto(server.at("/sign-in"))
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill(password or server.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def sign_in(live_server: LiveServer) -> SignIn:
    """Sign in through the form: ``sign_in(page, "ada")`` or ``sign_in(page, "ada", "pw")``."""

    def submit(page: Page, name: str, password: str | None = None) -> None:
        _submit_sign_in(page, live_server, name, password)

    return submit


@pytest.fixture(scope="session")
def _signed_in_states() -> dict[str, Any]:
    return {}


@pytest.fixture
def page_as(
    browser: Browser, live_server: LiveServer, _signed_in_states: dict[str, Any]
) -> Iterator[PageAs]:
    """Open a page already signed in as a seeded user: ``page_as("vic")``.

    Each user signs in through the form once per session; later pages reuse the cookie.
    """
    contexts: list[BrowserContext] = []

    def open_page(name: str) -> Page:
        if name not in _signed_in_states:
            context = browser.new_context()
            _submit_sign_in(context.new_page(), live_server, name, None)
            _signed_in_states[name] = context.storage_state()
            context.close()
        context = browser.new_context(storage_state=_signed_in_states[name])
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
