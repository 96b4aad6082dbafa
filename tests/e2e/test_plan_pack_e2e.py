"""Bringing a plan in and a pack out, in a real browser: the upload, its check-your-answers
page and the recording; a broken tracker's error summary; the board pack page and the pack
itself; each page state checked with axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.test_web_e2e import assert_accessible

# "As known at" today: all the demo recorded (an instant in the future is refused).
TODAY = datetime.now(ZoneInfo("Europe/London")).date().isoformat()

pytestmark = pytest.mark.e2e

PageAs = Callable[[str], Page]
TRACKER = (
    "Ref,Ofsted recommendation,What we will do,Responsible officer,Target date,RAG,"
    "Progress update,Date of update\r\n"
    "E2E-1,sif-2018-early-help,Open locality early help hubs,Head of Early Help,30/06/2019,"
    "Amber,Two hubs open,1 October 2018\r\n"
    'E2E-2,"sif-2018-neglect, sif-2018-smart-plans",Neglect toolkit,Head of Service,'
    "43646,G,Toolkit agreed,01/10/2018\r\n"
)
BROKEN = "Ref,Recommendation,Action,Owner,Deadline\r\nE2E-9,no-such-rec,Hubs,Lead,31/02/2019\r\n"


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def test_upload_check_your_answers_then_record(
    page_as: PageAs, live_server, axe: Axe, tmp_path: Path
) -> None:
    tracker = tmp_path / "Improvement plan tracker.csv"
    tracker.write_text(TRACKER, encoding="utf-8")
    page = page_as("rae")
    page.goto(live_server.at("/authorities/lancashire/record"))
    page.get_by_role("link", name="Bring in an improvement plan tracker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bring in an improvement plan")
    assert_accessible(axe, page, "plan upload")
    before = live_server.services.ledger.fingerprint()
    page.get_by_label("Improvement plan tracker").set_input_files(str(tracker))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what the tracker will record")
    expect(page.get_by_role("caption")).to_have_text("4 events to record")
    expect(page.get_by_text("sheet 'Improvement plan tracker', row 3").first).to_be_visible()
    assert_accessible(axe, page, "plan check your answers")
    assert live_server.services.ledger.fingerprint() == before
    page.get_by_role("button", name="Record 4 events").click()
    expect(page.get_by_text("Improvement plan tracker.csv: 4 events recorded")).to_be_visible()
    assert live_server.services.ledger.fingerprint().count == before.count + 4


def test_a_broken_tracker_shows_each_cell_in_the_error_summary(
    page_as: PageAs, live_server, axe: Axe, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text(BROKEN, encoding="utf-8")
    page = page_as("rae")
    page.goto(live_server.at("/authorities/lancashire/record/plan"))
    page.get_by_label("Improvement plan tracker").set_input_files(str(broken))
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("sheet 'broken', row 2, column E (Deadline)")
    expect(summary).to_contain_text("no-such-rec")
    assert_accessible(axe, page, "plan upload refused")


def test_the_board_pack_page_and_the_pack(page_as: PageAs, live_server, axe: Axe) -> None:
    page = page_as("vic")
    page.goto(live_server.at("/authorities/lancashire/actions"))
    page.get_by_role("link", name="Board pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board pack")
    assert_accessible(axe, page, "board pack form")
    page.get_by_role("button", name="Make the pack").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the meeting")
    assert_accessible(axe, page, "board pack form with errors")
    page.locator("#meeting-day").fill("13")
    page.locator("#meeting-month").fill("12")
    page.locator("#meeting-year").fill("2018")
    page.get_by_label("As the ledger knew it at (optional)").fill(TODAY)
    page.get_by_label("Web page (HTML)").check()
    page.get_by_role("button", name="Make the pack").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("meeting of 13 December 2018")
    expect(page.get_by_role("heading", name="E. Overdue and red actions")).to_be_visible()
    assert_accessible(axe, page, "the board pack (HTML)")
