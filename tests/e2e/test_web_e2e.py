"""The web shell in a real browser: sign-in journeys and accessibility (axe-core)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.e2e

SignIn = Callable[..., None]
PageAs = Callable[[str], Page]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOT = Path("/tmp/web-sign-in-with-errors.png")


class Server(Protocol):
    """The live_server fixture's shape."""

    url: str
    password: str

    def at(self, path: str) -> str: ...


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Page, what: str) -> None:
    """Fail with a readable report if axe finds any WCAG 2.0/2.1/2.2 A or AA violation."""
    results = axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{what} ({page.url}):\n{results.generate_report()}"


# -- journeys ---------------------------------------------------------------------------


def test_sign_in_reaches_the_page_asked_for(page: Page, live_server: Server) -> None:
    page.goto(live_server.at("/admin/users"))
    expect(page).to_have_url(live_server.at("/sign-in?next=/admin/users"))
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password", exact=True).fill(live_server.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.at("/admin/users"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")


def test_sign_in_then_navigate(page: Page, live_server: Server, sign_in: SignIn) -> None:
    sign_in(page, "ada")
    expect(page).to_have_url(live_server.at("/dashboard"))  # the home page is the dashboard
    expect(page.get_by_role("heading", level=1)).to_have_text("Lancashire County Council")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")


def test_wrong_password_shows_the_error_summary(
    page: Page, live_server: Server, sign_in: SignIn
) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, "ada", "not the password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text("Enter a correct user name and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's JS ran, despite the strict CSP
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.locator("#name-error")).to_contain_text("Enter a correct user name and password")

    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000


def test_javascript_runs_with_no_console_errors(
    page: Page, live_server: Server, sign_in: SignIn
) -> None:
    problems: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, "vic")
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    page.goto(live_server.at("/cookies"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookies")
    assert problems == []


def test_sign_out_button(page_as: PageAs, live_server: Server) -> None:
    page = page_as("rae")
    page.goto(live_server.at("/"))
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.at("/sign-in"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You have signed out"
    )
    page.goto(live_server.at("/"))
    expect(page).to_have_url(live_server.at("/sign-in"))


# -- accessibility ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/sign-in", "/accessibility", "/cookies", "/privacy"])
def test_signed_out_pages_are_accessible(
    page: Page, live_server: Server, axe: Axe, path: str
) -> None:
    page.goto(live_server.at(path))
    assert_accessible(axe, page, f"signed out: {path}")


def test_sign_in_with_errors_is_accessible(page: Page, live_server: Server, axe: Axe) -> None:
    page.goto(live_server.at("/sign-in"))
    page.get_by_role("button", name="Sign in").click()  # both fields empty
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-message")).to_have_count(2)
    assert_accessible(axe, page, "sign-in with errors")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accessibility",
        "/cookies",
        "/privacy",
        "/admin/users",
        "/admin/users/add",
        "/admin/users/vic/role",
        "/no-such-page",
    ],
)
def test_signed_in_pages_are_accessible(
    page_as: PageAs, live_server: Server, axe: Axe, path: str
) -> None:
    page = page_as("ada")
    page.goto(live_server.at(path))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(axe, page, f"signed in as admin: {path}")


def test_admin_forms_with_errors_are_accessible(
    page_as: PageAs, live_server: Server, axe: Axe
) -> None:
    page = page_as("ada")
    page.goto(live_server.at("/admin/users/add"))
    page.get_by_role("button", name="Add user").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-message")).to_have_count(4)
    assert_accessible(axe, page, "add user with errors")

    page.goto(live_server.at("/admin/users/ada/role"))
    page.get_by_role("button", name="Change role").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("You cannot change your own role")
    assert_accessible(axe, page, "change own role error")


def test_forbidden_page_is_accessible(page_as: PageAs, live_server: Server, axe: Axe) -> None:
    page = page_as("vic")
    response = page.goto(live_server.at("/admin/users"))
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to see this page"
    )
    assert_accessible(axe, page, "403 for a viewer")


def test_narrow_screen_reflows_and_is_accessible(
    page_as: PageAs, live_server: Server, axe: Axe
) -> None:
    page = page_as("ada")
    page.set_viewport_size({"width": 320, "height": 640})  # 1280px wide at 400% zoom
    page.goto(live_server.at("/admin/users"))
    # With several links the service navigation folds behind a "Menu" button on small screens.
    page.get_by_role("navigation", name="Menu").get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"the page scrolls sideways at 320px ({scroll_width}px)"
    assert_accessible(axe, page, "narrow screen")
