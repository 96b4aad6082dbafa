"""The ledger's pages and forms in a real browser: recording through the forms, the dashboard
changing, the audit view, refused forms, and axe-core on every page and state they add."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from entrypoints.bootstrap import Services
from tests.factories import record
from web.recording.catalogue import CATALOGUE

pytestmark = pytest.mark.e2e

PageAs = Callable[[str], Page]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
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


def assert_accessible(axe: Axe, page: Page, what: str) -> None:
    """Fail with axe's report if it finds any WCAG 2.0/2.1/2.2 A or AA violation."""
    results = axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{what} ({page.url}):\n{results.generate_report()}"


def fill_date(scope: Page | Locator, legend: str, day: date) -> None:
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def fingerprint(server: Server) -> str:
    return str(server.services.ledger.fingerprint())


# -- journeys ------------------------------------------------------------------------------


def test_record_an_inspection_and_a_progress_update_and_see_the_dashboard_change(
    page_as: PageAs, live_server: Server
) -> None:
    page = page_as("rae")
    page.goto(live_server.at("/dashboard"))
    overall = page.get_by_role("row", name=re.compile(r"^Overall effectiveness"))
    expect(overall).to_contain_text("Requires improvement to be good")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Record").click()
    page.get_by_role("link", name="An inspection", exact=True).click()
    page.get_by_label("Inspection of local authority children's services (ILACS), 2026").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Reference").fill("ilacs-2026-e2e")
    page.get_by_label("Standard inspection").check()
    fill_date(page, "Publication date", date.today() - timedelta(days=1))
    grades = {
        "The impact of leaders on social work practice with children and families": "Good",
        "The experiences and progress of children who need help and protection": "Good",
        "The experiences and progress of children in care": "Requires improvement to be good",
        "The experiences and progress of care leavers": "Outstanding",
    }
    for area, grade in grades.items():
        page.get_by_role("group", name=area, exact=True).get_by_label(grade, exact=True).check()
    page.get_by_label("Source document").fill("Ofsted ILACS report, e2e")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before recording")
    page.get_by_role("button", name="Record inspection").click()

    expect(page).to_have_url(live_server.at("/authorities/lancashire"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Inspection ilacs-2026-e2e recorded"
    )
    expect(page.locator("#no-overall-grade")).to_contain_text(
        "There is no overall grade under this framework"
    )
    expect(page.get_by_role("row", name=re.compile(r"^Overall effectiveness"))).to_have_count(0)
    care_leavers = page.get_by_role(
        "row", name=re.compile(r"^The experiences and progress of care")
    )
    expect(care_leavers).to_contain_text("Outstanding")

    # Progress on the overdue action, from the dashboard's list of red and overdue actions.
    page.get_by_role("region", name="Actions rated red or overdue").get_by_role("link").click()
    page.get_by_role("button", name="Update this action").click()
    fill_date(page, "Date of the update", date(2018, 10, 1))
    page.get_by_label("Red", exact=True).check()
    page.get_by_label("Progress", exact=True).fill("Cabinet date slipped to December.")
    page.get_by_label("Source document").fill("PIIB paper, 1 October 2018")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record progress update").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Progress update recorded for action {ACTION}"
    )
    section = page.locator("main")  # the action's own page
    rating = section.locator(".govuk-summary-list__row", has_text="Latest rating")
    expect(rating.locator(".govuk-tag")).to_have_text("Red")
    expect(section).to_contain_text("Cabinet date slipped to December.")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    red = page.get_by_role("region", name="Actions rated red or overdue")
    expect(red.locator(".govuk-tag")).to_have_text("Red")
    latest = live_server.services.views.actions("lancashire")["actions"][0]["latest_update"]
    assert latest["recorded_by"] == "rae"


def test_a_form_with_bad_values_shows_the_error_summary_and_records_nothing(
    page_as: PageAs, live_server: Server
) -> None:
    before = fingerprint(live_server)
    page = page_as("rae")
    page.goto(live_server.at(f"{RECORD}/progress?action={ACTION}"))
    page.get_by_label("Progress", exact=True).fill("Typed, but no rating chosen.")
    boxes = page.get_by_role("group", name="Date of the update", exact=True)
    for label, typed in (("Day", "30"), ("Month", "2"), ("Year", "2018")):
        boxes.get_by_label(label).fill(typed)  # 30 February: not a real date
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Record a progress update"))
    expect(summary.get_by_role("link")).to_have_text(
        [
            "The date of the update must be a real date",
            "Select a red, amber or green rating",
            "Enter the source document",
        ]
    )
    summary.get_by_role("link", name="Select a red, amber or green rating").click()
    expect(page.get_by_label("Red", exact=True)).to_be_focused()
    expect(page.get_by_label("Progress", exact=True)).to_have_value("Typed, but no rating chosen.")
    assert fingerprint(live_server) == before


def test_a_change_made_meanwhile_is_shown_as_a_conflict(
    page_as: PageAs, live_server: Server
) -> None:
    page = page_as("rae")
    page.goto(live_server.at(f"{RECORD}/due-date?action={ACTION}"))
    record(
        live_server.services.ledger,
        {
            "type": "ActionProgressUpdated",
            "authority": "lancashire",
            "id": ACTION,
            "date": "2018-10-20",
            "rag": "amber",
            "narrative": "Recorded by someone else meanwhile.",
            "source": "test",
        },
        actor="ada",
    )
    before = fingerprint(live_server)
    fill_date(page, "Date of the revision", date(2018, 10, 21))
    fill_date(page, "New due date", date(2019, 1, 31))
    page.get_by_label("Reason").fill("Cabinet meeting moved")
    page.get_by_label("Approved by").fill("PIIB")
    page.get_by_label("Source document").fill("PIIB minutes")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Someone else recorded a change")
    expect(page.locator("#record-summary")).to_contain_text("Recorded by someone else meanwhile.")
    expect(page.get_by_label("Reason")).to_have_value("Cabinet meeting moved")
    assert fingerprint(live_server) == before


def test_the_audit_page_shows_the_journey_as_it_stood_on_every_page(
    page_as: PageAs, live_server: Server
) -> None:
    page = page_as("vic")
    page.goto(live_server.at("/audit"))
    expect(page.locator("#fingerprint")).to_have_text(fingerprint(live_server))
    expect(page.get_by_text(re.compile(r"Intact, \d+ events"))).to_be_visible()
    fill_date(page, "In force on", date(2016, 1, 1))
    page.get_by_role("button", name="Show the journey as it stood").click()

    expect(page).to_have_url(live_server.at("/dashboard?as_of=2016-01-01"))
    banner = page.get_by_role("region", name="Audit view")
    expect(banner).to_contain_text("You are seeing the journey in force on 1 January 2016.")
    overall = page.get_by_role("row", name=re.compile(r"^Overall effectiveness"))
    expect(overall).to_contain_text("Inadequate")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Timeline").click()
    expect(page).to_have_url(re.compile(r"/timeline\?as_of=2016-01-01$"))
    expect(page.get_by_role("region", name="Audit view")).to_be_visible()
    expect(page.locator("#timeline-count")).to_contain_text("of 5 entries")

    page.get_by_role("link", name="leave the audit view").click()
    expect(page).to_have_url(live_server.at("/timeline"))
    expect(page.get_by_role("region", name="Audit view")).to_have_count(0)


def test_the_audit_view_as_known_at_a_time_before_anything_was_recorded(
    page_as: PageAs, live_server: Server
) -> None:
    page = page_as("vic")
    page.goto(live_server.at("/audit"))
    fill_date(page, "As the ledger recorded it by", date(2016, 1, 1))
    page.get_by_label("Time recorded by (optional)").fill("12:00")
    page.get_by_role("button", name="Show the journey as it stood").click()
    expect(page).to_have_url(live_server.at("/dashboard?known_at=2016-01-01T12:00"))
    expect(page.get_by_role("region", name="Audit view")).to_contain_text(
        "as the ledger had recorded it by 1 January 2016 at midday (London time)"
    )
    expect(page.get_by_text("The ledger had not recorded any authority")).to_be_visible()


def test_a_correction_reveals_the_field_to_correct(page_as: PageAs, live_server: Server) -> None:
    page = page_as("rae")
    page.goto(live_server.at(f"{RECORD}/correction?record=decision&ref=ccpi-2015-12-10"))
    new_title = page.get_by_label("Corrected title")
    expect(new_title).to_be_hidden()
    page.get_by_label("Title", exact=True).check()
    expect(new_title).to_be_visible()


# -- accessibility (axe-core) --------------------------------------------------------------

CHOOSERS_LIKE_PROGRESS = {
    "due_date",
    "completed",
    "cancelled",
    "recommendation_closed",
    "reading",
}
PAGES = [
    "/dashboard",
    "/timeline",
    "/authorities/lancashire/recommendations?status=all",
    "/authorities/lancashire/recommendations/sif-2018-neglect",
    "/authorities/lancashire/actions",
    "/authorities/lancashire/indicators",
    "/audit",
    "/dashboard?as_of=2016-01-01",
    "/authorities/lancashire/indicators?as_of=2017-01-01",
    "/dashboard?known_at=2016-01-01",
    "/record",
    "/record/authority",
    # Each form as it first opens; the forms that update a record open on a chooser, which
    # is one template: two of them stand for the rest.
    *[
        f"{RECORD}/{link.endpoint.replace('_', '-')}"
        for group in CATALOGUE
        for link in group.forms
        if link.endpoint not in CHOOSERS_LIKE_PROGRESS
    ],
    f"{RECORD}/inspection?framework=sif-2013",
    f"{RECORD}/inspection?framework=ilacs-2026",
    f"{RECORD}/progress?action={ACTION}",
    f"{RECORD}/due-date?action={ACTION}",
    f"{RECORD}/completed?action={ACTION}",
    f"{RECORD}/cancelled?action={ACTION}",
    f"{RECORD}/recommendation-closed?recommendation=sif-2018-neglect",
    f"{RECORD}/reading?indicator=children-looked-after",
    f"{RECORD}/correction?record=decision",
    f"{RECORD}/correction?record=decision&ref=cabinet-2015-investment",
    f"{RECORD}/correction?record=inspection&ref=sif-2015",
    f"{RECORD}/correction?record=monitoring_visit&ref=mv-6",
    f"{RECORD}/correction?record=indicator&ref=children-looked-after",
]


@pytest.mark.parametrize("path", PAGES)
def test_ledger_pages_are_accessible(
    page_as: PageAs, live_server: Server, axe: Axe, path: str
) -> None:
    page = page_as("ada")
    response = page.goto(live_server.at(path))
    assert response is not None and response.status == 200
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(axe, page, f"signed in as admin: {path}")


SUBMITTED_EMPTY = [
    (f"{RECORD}/inspection?framework=sif-2013", "Continue"),
    (f"{RECORD}/recommendation", "Continue"),
    (f"{RECORD}/monitoring-visit", "Continue"),
    (f"{RECORD}/decision", "Continue"),
    (f"{RECORD}/intervention", "Continue"),
    (f"{RECORD}/action", "Continue"),
    (f"{RECORD}/indicator", "Continue"),
    (f"{RECORD}/reading?indicator=children-looked-after", "Continue"),
    (f"{RECORD}/progress?action={ACTION}", "Continue"),
    (f"{RECORD}/correction?record=decision&ref=cabinet-2015-investment", "Continue"),
    ("/record/authority", "Continue"),
    (f"{RECORD}/progress", "Continue"),
    ("/audit", "Show the journey as it stood"),
]


@pytest.mark.parametrize(("path", "button"), SUBMITTED_EMPTY)
def test_forms_showing_errors_are_accessible(
    page_as: PageAs, live_server: Server, axe: Axe, path: str, button: str
) -> None:
    before = fingerprint(live_server)
    page = page_as("ada")
    page.goto(live_server.at(path))
    page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(axe, page, f"{path} with errors")
    assert fingerprint(live_server) == before


def test_the_timeline_filters_with_errors_are_accessible(
    page_as: PageAs, live_server: Server, axe: Axe
) -> None:
    page = page_as("ada")
    page.goto(live_server.at("/timeline?from=31&from=2&from=2016&to=1&to=&to=2016"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
    assert_accessible(axe, page, "timeline filters with errors")


def test_a_correction_with_its_inputs_revealed_is_accessible(
    page_as: PageAs, live_server: Server, axe: Axe
) -> None:
    page = page_as("ada")
    page.goto(live_server.at(f"{RECORD}/correction?record=inspection&ref=sif-2015"))
    page.get_by_label("Grades", exact=True).check()
    page.get_by_label("Publication date", exact=True).check()
    expect(page.get_by_role("group", name="Corrected publication date")).to_be_visible()
    assert_accessible(axe, page, "correction with inputs revealed")


def test_ledger_pages_reflow_on_a_narrow_screen(page_as: PageAs, live_server: Server) -> None:
    page = page_as("vic")
    page.set_viewport_size({"width": 320, "height": 640})  # 1280px wide at 400% zoom
    for path in ("/dashboard", "/authorities/lancashire/indicators", "/timeline"):
        page.goto(live_server.at(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways at 320px ({width}px)"
