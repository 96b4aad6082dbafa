"""An officer's week in a real browser: the first sign-in with the password `ledger serve`
printed, checking answers before recording, adding findings one at a time, finding actions,
reading corrections, an admin resetting and disabling accounts, and printing; axe-core on every
page state these add or change."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Protocol

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from entrypoints.bootstrap import Services
from tests.e2e.test_ledger_e2e import assert_accessible, fill_date
from tests.factories import record

pytestmark = pytest.mark.e2e

PageAs = Callable[[str], Page]
RECORD = "/authorities/lancashire/record"
ACTION = "improvement-plan-2018"


class Server(Protocol):
    url: str
    password: str
    services: Services

    def at(self, path: str) -> str: ...


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def fingerprint(server: Server) -> str:
    return str(server.services.ledger.fingerprint())


# -- the first run -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def first_run(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`ledger serve` on a new, empty ledger, as someone setting it up would start it: the
    address it says to open and the one-time password it printed."""
    port = free_port()
    env = {
        **os.environ,
        "LEDGER_DATABASE_URL": f"sqlite:///{tmp_path}/ledger.db",
        "LEDGER_SECRET_KEY": "first-run-secret-key-long-enough",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "entrypoints", "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        said: list[str] = []
        while not any(line.startswith("Open ") for line in said):
            line = process.stdout.readline()
            assert line, f"ledger serve stopped: {''.join(said)}"
            said.append(line)
        text = "".join(said)
        password = re.search(r"one-time password:\s+(\S+)", text)
        address = re.search(r"Open (http://\S+) in a browser", text)
        assert password and address, text
        assert "user name:          admin" in text
        deadline = time.monotonic() + 30
        while True:  # gunicorn's worker takes a moment to boot
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the web app did not start listening"
                time.sleep(0.2)
        yield address.group(1), password.group(1)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_first_sign_in_uses_the_printed_password_then_ones_own(
    browser: Browser, first_run: tuple[str, str], axe: Axe
) -> None:
    address, one_time = first_run
    page = browser.new_context().new_page()
    page.goto(address)
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password", exact=True).fill(one_time)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your own password")
    assert_accessible(axe, page, "choose your own password")
    page.goto(address + "admin/users")  # nothing else is open until then
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your own password")

    page.get_by_label("Current password").fill(one_time)
    page.get_by_label("New password", exact=True).fill("our improvement board passphrase")
    page.get_by_label("Confirm new password").fill("our improvement board passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")  # where they were going
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your password has been changed"
    )
    expect(page.locator("#signed-in-user")).to_have_text(re.compile(r"Signed in as\s+admin"))
    assert_accessible(axe, page, "users, after the first sign-in")

    again = browser.new_context().new_page()
    again.goto(address + "sign-in")
    again.get_by_label("User name").fill("admin")
    again.get_by_label("Password", exact=True).fill(one_time)
    again.get_by_role("button", name="Sign in").click()
    expect(again.locator(".govuk-error-summary")).to_contain_text("Enter a correct user name")


# -- checking answers ----------------------------------------------------------------------


def test_a_progress_update_is_checked_changed_and_recorded(
    page_as: PageAs, live_server: Server, axe: Axe
) -> None:
    page = page_as("rae")
    page.goto(live_server.at(f"{RECORD}/progress?action={ACTION}"))
    today = date.today()
    group = page.get_by_role("group", name="Date of the update", exact=True)
    expect(group.get_by_label("Year")).to_have_value(str(today.year))  # today, until changed
    expect(page.locator(".govuk-character-count")).to_be_visible()
    assert_accessible(axe, page, "a progress update with today's date and a character count")
    fill_date(page, "Date of the update", date(2018, 11, 5))
    page.get_by_label("Amber", exact=True).check()
    page.get_by_label("Progress", exact=True).fill("The plan went to Cabinet in draft.")
    page.get_by_label("Source document").fill("PIIB paper, 5 November 2018")
    before = fingerprint(live_server)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before recording")
    answers = page.locator("#answers")
    expect(answers).to_contain_text("5 November 2018")
    expect(answers).to_contain_text("Amber")
    assert_accessible(axe, page, "check your answers")
    assert fingerprint(live_server) == before

    page.get_by_role("button", name="Change rating").click()
    expect(page.get_by_label("Amber", exact=True)).to_be_checked()
    assert page.url.endswith("#rag")
    page.get_by_label("Green", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#answers")).to_contain_text("Green")
    page.get_by_role("button", name="Record progress update").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Progress update recorded for action {ACTION}"
    )
    latest = live_server.services.views.actions("lancashire")["actions"][0]["latest_update"]
    assert (latest["rag"], latest["recorded_by"]) == ("green", "rae")


def test_findings_are_added_one_at_a_time(page_as: PageAs, live_server: Server, axe: Axe) -> None:
    page = page_as("rae")
    page.goto(live_server.at(f"{RECORD}/monitoring-visit"))
    expect(page.get_by_role("group", name="Finding 1")).to_be_visible()
    expect(page.get_by_role("group", name="Finding 2")).to_have_count(0)
    first = page.get_by_role("group", name="Finding 1")
    first.get_by_label("Kind").select_option("concern")
    first.get_by_label("What the letter says").fill("Plans for children are not smart.")
    page.get_by_role("button", name="Add another finding").click()

    second = page.get_by_role("group", name="Finding 2")
    expect(second).to_be_visible()
    assert page.url.endswith("#finding-2")
    expect(first.get_by_label("What the letter says")).to_have_value(
        "Plans for children are not smart."
    )
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert_accessible(axe, page, "a visit form with two findings")
    page.get_by_role("button", name="Remove finding 2").click()
    expect(page.get_by_role("group", name="Finding 2")).to_have_count(0)


def test_a_correction_reads_as_its_values_before_and_after(
    page_as: PageAs, live_server: Server, axe: Axe
) -> None:
    page = page_as("rae")
    page.goto(live_server.at(f"{RECORD}/correction?record=intervention&ref=piib"))
    page.get_by_label("Title", exact=True).check()
    page.get_by_label("Corrected title").fill("Post Inspection Improvement Board (PIIB)")
    page.get_by_label("Why the record was wrong").fill("The board's name in full")
    page.get_by_label("Source document").fill("PIIB terms of reference")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#answers")).to_contain_text(
        "Now: Post Inspection Improvement Board (PIIB)"
    )
    page.get_by_role("button", name="Record correction").click()

    expect(page).to_have_url(re.compile(r"/timeline\?kind=correction$"))
    entry = page.get_by_role("listitem").filter(has_text="Correction to the intervention piib")
    expect(entry).to_contain_text("Why: The board's name in full")
    expect(entry.locator(".app-changes")).to_contain_text("Title")
    expect(entry.locator(".app-changes")).to_contain_text("Now: Post Inspection Improvement Board")
    expect(entry).not_to_contain_text("corrected_fields")
    assert_accessible(axe, page, "the timeline with a correction in words")


def test_a_recommendation_page_lists_corrections_to_its_actions(
    page_as: PageAs, live_server: Server, axe: Axe
) -> None:
    record(
        live_server.services.ledger,
        {
            "type": "Corrected",
            "authority": "lancashire",
            "id": ACTION,
            "record": "action",
            "fields": {"title": "Improvement plan for the 11 recommendations of 2018"},
            "reason": "Shortened to the plan's own title",
            "source": "Cabinet report, November 2018",
        },
        actor="ada",
    )
    page = page_as("vic")
    page.goto(live_server.at("/authorities/lancashire/recommendations/sif-2018-neglect"))
    corrections = page.locator("#corrections")
    expect(corrections).to_contain_text("Corrections (")
    changes = page.locator(".app-changes").last
    expect(changes).to_contain_text("Was: Improvement plan addressing the 11 recommendations")
    expect(changes).to_contain_text("Now: Improvement plan for the 11 recommendations of 2018")
    assert_accessible(axe, page, "a recommendation with corrections to its action")


# -- finding the work ----------------------------------------------------------------------


def test_the_tracker_finds_actions_with_its_filters(
    page_as: PageAs, live_server: Server, axe: Axe
) -> None:
    page = page_as("vic")
    page.goto(live_server.at("/authorities/lancashire/actions"))
    filters = page.locator("#tracker-filters")
    filters.get_by_label("Overdue").check()
    filters.get_by_label("Sort by").select_option("rag")
    filters.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"attention=overdue"))
    expect(page.locator("#tracker-results")).to_contain_text("Actions matching (1 of 1)")
    assert_accessible(axe, page, "the tracker filtered")

    page.locator("#tracker-filters").get_by_label("Search recommendations and actions").fill(
        "neglect"
    )
    page.locator("#tracker-filters").get_by_role("button", name="Apply").click()
    expect(page.locator("#matching-recommendations")).to_contain_text("(1)")
    assert_accessible(axe, page, "the tracker searched")

    page.goto(live_server.at("/authorities/lancashire/actions?stale=often"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the number of weeks")
    assert_accessible(axe, page, "the tracker with a bad number of weeks")


# -- accounts ------------------------------------------------------------------------------


def test_an_admin_resets_a_password_and_disables_an_account(
    page_as: PageAs, browser: Browser, live_server: Server, axe: Axe
) -> None:
    admin = page_as("ada")
    admin.goto(live_server.at("/admin/users/add"))
    admin.get_by_label("User name").fill("nell")
    admin.get_by_label("Viewer").check()
    admin.get_by_label("Password", exact=True).fill("nell's first long passphrase")
    admin.get_by_label("Confirm password").fill("nell's first long passphrase")
    admin.get_by_role("button", name="Add user").click()
    assert_accessible(axe, admin, "users with actions per account")

    admin.get_by_role("link", name="Reset password for nell").click()
    assert_accessible(axe, admin, "confirm a password reset")
    admin.get_by_role("button", name="Reset password").click()
    one_time = admin.locator("#one-time-password").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", one_time)
    assert_accessible(axe, admin, "the one-time password, shown once")

    nell = browser.new_context().new_page()
    nell.goto(live_server.at("/sign-in"))
    nell.get_by_label("User name").fill("nell")
    nell.get_by_label("Password", exact=True).fill(one_time)
    nell.get_by_role("button", name="Sign in").click()
    expect(nell.get_by_role("heading", level=1)).to_have_text("Choose your own password")

    admin.goto(live_server.at("/admin/users"))
    admin.get_by_role("link", name="Disable the account nell").click()
    assert_accessible(axe, admin, "confirm disabling an account")
    admin.get_by_role("button", name="Disable account").click()
    expect(admin.locator(".govuk-notification-banner--success")).to_contain_text(
        "The account nell is disabled"
    )
    nell.reload()
    expect(nell.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Sign in"))


# -- print ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard",
        "/timeline",
        "/authorities/lancashire/actions",
        "/authorities/lancashire/recommendations/sif-2018-neglect",
        "/authorities/lancashire/indicators",
    ],
)
def test_pages_print_without_navigation_or_clipped_tables(
    page_as: PageAs, live_server: Server, path: str
) -> None:
    page = page_as("vic")
    page.set_viewport_size({"width": 700, "height": 1000})  # about an A4 page's width
    page.goto(live_server.at(path))
    page.emulate_media(media="print")
    for hidden in (".govuk-service-navigation", ".govuk-footer", ".govuk-phase-banner"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    clipped = page.evaluate(
        "[...document.querySelectorAll('.app-table-scroll')]"
        ".filter(box => box.scrollWidth > box.clientWidth + 1).length"
    )
    assert clipped == 0, f"{path}: a table is cut off when printed"
    assert len(page.pdf(format="A4")) > 10_000
