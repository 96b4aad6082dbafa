"""Take the README's screenshots: the dashboard, a form showing errors, its answers checked
before recording, the action tracker filtered, the audit page, an action's page with the
reminders and escalation sent about it, and that reminder email as a mail client shows it.

The demo journey is loaded into a throwaway ledger, the web app is served on 127.0.0.1 and
Debian's headless Chromium (``/usr/bin/chromium``, or ``E2E_CHROMIUM``) is driven through
Playwright; no browser is downloaded.

The overview is shot on another ledger that also holds every authority of Ofsted's 2024
outcomes spreadsheet (found in ``shared/data/`` beside the checkout, or given with --edition).

    python docs/screenshots.py [--output docs] [--edition FILE]
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from config.frameworks import load_frameworks
from config.reorganisations import load_reorganisations
from entrypoints.bootstrap import LEDGER_BLUEPRINTS, Services, build_services
from entrypoints.demo import DEMO_JOURNEY
from ledger.application.importing import import_commands
from ledger.application.imports.ofsted import import_ofsted
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
    "screenshot-overview.png": "the overview of the North West's authorities, 2024 edition",
    "screenshot-action.png": "an action's page: its history, reminders and escalation sent",
    "screenshot-reminder-email.png": "a reminder email's HTML, as sent, in Chromium",
}
PEOPLE = [
    {
        "id": "sam-director",
        "name": "Sam Okafor",
        "title": "Director of Children's Services",
        "roles": ["improvement-board-chair"],
    },
    {
        "id": "jo-head-of-service",
        "name": "Jo Bloggs",
        "title": "Head of Service, Safeguarding",
        "manager": "sam-director",
    },
]
ACTION = "improvement-plan-2018"


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard*")


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


def find_edition() -> Path | None:
    """Ofsted's 2024 outcomes spreadsheet in `shared/data/` beside the checkout, if it is there."""
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "data" / "ofsted-la-inspection-outcomes-2024.ods"
        if candidate.exists():
            return candidate
    return None


def take_overview(page: Page, base: str, output: Path) -> None:
    page.goto(f"{base}/overview?region=north-west&as_of=2024-06-30")
    page.screenshot(path=output / "screenshot-overview.png", full_page=True)


def reminders_sent(services: Services) -> str:
    """People and an assignment recorded in the demo ledger, then the reminders of three days
    in late 2018 sent through a real local SMTP server (aiosmtpd): the HTML of the first."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    from config.loading import load_configuration
    from entrypoints.bootstrap import build_reminder_sender
    from ledger.application.parsing import command_id_of, parse_command
    from ledger.application.service import PendingCommand
    from notifier.settings import EmailChannel
    from notifier.transports.addressed import PersonalEmail

    lines: list[dict[str, object]] = [
        {
            "type": "PersonAdded",
            "authority": "lancashire",
            "email": f"{p['id']}@example.org",
            "date": "2018-08-01",
            "source": "staff list (illustrative)",
            **p,
        }
        for p in PEOPLE
    ]
    lines += [
        {
            "type": "ActionAssigned",
            "authority": "lancashire",
            "id": ACTION,
            "person": "jo-head-of-service",
            "date": "2018-08-20",
            "source": "improvement plan",
        },
        {
            "type": "ActionProgressUpdated",
            "authority": "lancashire",
            "id": ACTION,
            "date": "2018-10-01",
            "rag": "amber",
            "narrative": "Draft plan discussed with the board.",
            "source": "PIIB paper, 1 October 2018",
        },
    ]
    services.ledger.execute(
        [PendingCommand(parse_command(line), command_id_of(line)) for line in lines], "screenshots"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        channel = EmailChannel(
            "email",
            "127.0.0.1",
            port,
            "ledger@example.org",
            ("board@example.org",),
            security="none",
        )
        settings = load_configuration().reminders
        sender = build_reminder_sender(
            services, settings, PersonalEmail(channel, None), actor="scheduler"
        )
        first = date(2018, 11, 27)
        html = sender.render(sender.plan("lancashire", first)[0], first).html
        for day in (first, date(2018, 12, 14), date(2018, 12, 28)):
            sender.run(day, ["lancashire"])
    finally:
        controller.stop()
    return html


def take_reminders(page: Page, base: str, output: Path, html: str) -> None:
    page.goto(f"{base}/authorities/lancashire/actions/{ACTION}?as_of=2018-12-31")
    page.screenshot(path=output / "screenshot-action.png", full_page=True)
    # As a mail client shows it: on a blank page, not under the web app's content policy.
    mail = page.context.browser.new_page(viewport={"width": 800, "height": 600})
    mail.set_content(html)
    mail.screenshot(path=output / "screenshot-reminder-email.png", full_page=True)
    mail.close()


@contextmanager
def serving(services: Services, folder: Path) -> Iterator[str]:
    """The web app on `services` at a local address, with ada (an admin) to sign in."""
    accounts = DatabaseAccountStore(f"sqlite:///{folder}/accounts.db")
    accounts.add("ada", "admin", PASSWORD)
    config = WebConfig(secret_key="screenshots-secret-key-long-enough", session_cookie_secure=False)
    app = create_app(
        config, accounts=accounts, blueprints=[f(services.journey) for f in LEDGER_BLUEPRINTS]
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument(
        "--edition", type=Path, default=find_edition(), help="Ofsted's 2024 outcomes (ODS)."
    )
    args = parser.parse_args()
    if args.edition is None:
        parser.error("Ofsted's 2024 edition is not in shared/data/ beside the checkout: --edition")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--headless", "--no-sandbox"]
        )
        demo = Path(tmp, "demo")
        demo.mkdir()
        services = build_services(f"sqlite:///{demo}/ledger.db", load_frameworks())
        with DEMO_JOURNEY.open(encoding="utf-8") as lines:
            import_commands(services.ledger, lines, actor="demo-loader")
        services.read_model.catch_up()
        with serving(services, demo) as base:
            page = browser.new_page(viewport={"width": WIDTH, "height": 900})
            sign_in(page, base)
            take(page, base, args.output)
            email = reminders_sent(services)
            take_reminders(page, base, args.output, email)
            page.close()
        # Every authority in England, from Ofsted's spreadsheet, beside the demo journey.
        national = Path(tmp, "national")
        national.mkdir()
        services = build_services(f"sqlite:///{national}/ledger.db", load_frameworks())
        with DEMO_JOURNEY.open(encoding="utf-8") as lines:
            import_commands(services.ledger, lines, actor="demo-loader")
        import_ofsted(services.ledger, args.edition, load_reorganisations(), "screenshots")
        services.read_model.catch_up()
        with serving(services, national) as base:
            page = browser.new_page(viewport={"width": WIDTH, "height": 900})
            sign_in(page, base)
            take_overview(page, base, args.output)
        browser.close()
    for name, what in SHOTS.items():
        print(f"{args.output / name}: {what}")


if __name__ == "__main__":
    main()
