"""Take the README's screenshots: the dashboard, a form showing errors, its answers checked
before recording, the action tracker filtered, and the audit page.

The demo journey is loaded into a throwaway ledger, the web app is served on 127.0.0.1 and
Debian's headless Chromium (``/usr/bin/chromium``, or ``E2E_CHROMIUM``) is driven through
Playwright; no browser is downloaded.

    python docs/screenshots.py [--output docs]
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from config.frameworks import load_frameworks
from entrypoints.bootstrap import LEDGER_BLUEPRINTS, build_services
from entrypoints.demo import DEMO_JOURNEY
from ledger.application.importing import import_commands
from web.accounts import DatabaseAccountStore
from web.app import create_app
from web.config import WebConfig

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "screenshots passphrase, long enough"
WIDTH = 1100
SHOTS = {
    "screenshot-dashboard.png": "the dashboard of the demo journey",
    "screenshot-form-errors.png": "a progress update refused: the error summary",
    "screenshot-check-answers.png": "a progress update's answers, checked before recording",
    "screenshot-tracker.png": "the action tracker, overdue actions sorted by rating",
    "screenshot-audit.png": "the audit page as of 1 January 2016",
}


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard")


def take(page: Page, base: str, output: Path) -> None:
    page.goto(f"{base}/dashboard")
    page.screenshot(path=output / "screenshot-dashboard.png", full_page=True)

    page.goto(f"{base}/authorities/lancashire/record/progress?action=improvement-plan-2018")
    dates = page.get_by_role("group", name="Date of the update", exact=True)
    for label, typed in (("Day", "30"), ("Month", "2"), ("Year", "2018")):
        dates.get_by_label(label).fill(typed)
    page.get_by_label("Progress", exact=True).fill("Draft plan discussed with the board.")
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()
    page.screenshot(path=output / "screenshot-form-errors.png", full_page=True)

    dates.get_by_label("Day").fill("29")
    dates.get_by_label("Month").fill("10")
    page.get_by_label("Amber", exact=True).check()
    page.get_by_label("Source document").fill("PIIB paper, 29 October 2018")
    page.get_by_role("button", name="Continue").click()
    page.locator("#answers").wait_for()
    page.screenshot(path=output / "screenshot-check-answers.png", full_page=True)

    page.goto(f"{base}/authorities/lancashire/actions?attention=overdue&sort=rag")
    page.screenshot(path=output / "screenshot-tracker.png", full_page=True)

    page.goto(f"{base}/audit?as_of=2016-01-01")
    page.screenshot(path=output / "screenshot-audit.png", full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(f"sqlite:///{tmp}/ledger.db", load_frameworks())
        with DEMO_JOURNEY.open(encoding="utf-8") as lines:
            import_commands(services.ledger, lines, actor="demo-loader")
        services.runner.catch_up()
        accounts = DatabaseAccountStore(f"sqlite:///{tmp}/accounts.db")
        accounts.add("ada", "admin", PASSWORD)
        config = WebConfig(
            secret_key="screenshots-secret-key-long-enough", session_cookie_secure=False
        )
        app = create_app(
            config, accounts=accounts, blueprints=[f(services.journey) for f in LEDGER_BLUEPRINTS]
        )
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--headless", "--no-sandbox"]
                )
                page = browser.new_page(viewport={"width": WIDTH, "height": 900})
                sign_in(page, base)
                take(page, base, args.output)
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=5)
            services.close()
    for name, what in SHOTS.items():
        print(f"{args.output / name}: {what}")


if __name__ == "__main__":
    main()
