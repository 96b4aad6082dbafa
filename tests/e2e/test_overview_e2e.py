"""The overview in a real browser, on the 2024 edition: axe-clean, filters working, rows linking."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from config.frameworks import load_frameworks
from config.reorganisations import load_reorganisations
from entrypoints.bootstrap import LEDGER_BLUEPRINTS, build_services
from ledger.application.imports.ofsted import import_ofsted
from tests.e2e.conftest import PASSWORD, LiveServer
from tests.e2e.test_web_e2e import assert_accessible
from tests.factories import load_demo, record
from web.accounts import DatabaseAccountStore
from web.app import create_app
from web.config import WebConfig

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def national_server(
    tmp_path_factory: pytest.TempPathFactory, govuk_assets: Path, edition_2024: Path
) -> Iterator[LiveServer]:
    """The web app on a ledger holding the demo journey and every authority of the 2024 edition."""
    assert govuk_assets.is_dir()
    folder = tmp_path_factory.mktemp("national")
    accounts = DatabaseAccountStore(f"sqlite:///{folder / 'accounts.db'}")
    accounts.add("vic", "viewer", PASSWORD)
    services = build_services(f"sqlite:///{folder / 'ledger.db'}", load_frameworks())
    load_demo(services.ledger)
    import_ofsted(services.ledger, edition_2024, load_reorganisations(), "importer")
    record(
        services.ledger,
        *(
            {
                "type": "IndicatorComparisonRecorded",
                "authority": "lancashire",
                "id": "return-home-interviews",
                "series": series,
                "period_end": period_end,
                "value": value,
                "source": "test comparison figures",
            }
            for series, period_end, value in (
                ("england", "2016-10-12", "55"),
                ("england", "2017-02-28", "60"),
                ("region", "2017-02-28", "52"),
            )
        ),
    )
    services.read_model.catch_up()
    config = WebConfig(
        secret_key="end-to-end-secret-key-long-enough",
        session_cookie_secure=False,
        sign_in_rate_limit="1000 per minute",
    )
    app = create_app(
        config,
        accounts=accounts,
        blueprints=[factory(services.journey) for factory in LEDGER_BLUEPRINTS],
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="national-e2e", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", services=services)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        services.close()


@pytest.fixture
def viewer(browser: Browser, national_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(national_server.at("/sign-in"))
    page.get_by_label("User name").fill("vic")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    try:
        yield page
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/overview",
        "/overview?region=north-west&grade=inadequate",
        "/overview?as_of=2020-03-31",
        "/authorities/lancashire/indicators",  # with comparison series
    ],
)
def test_the_overview_is_accessible(viewer: Page, national_server: LiveServer, path: str) -> None:
    viewer.goto(national_server.at(path))
    assert viewer.get_by_role("heading", level=1).count() == 1
    assert_accessible(Axe(), viewer, f"overview: {path}")


def test_filtering_by_region_then_following_a_row_to_its_dashboard(
    viewer: Page, national_server: LiveServer
) -> None:
    viewer.goto(national_server.at("/overview"))
    viewer.get_by_label("Region").select_option(label="North West")
    viewer.get_by_role("button", name="Show authorities").click()
    expect(viewer.get_by_role("heading", level=1)).to_have_text("Inspection outcomes: North West")
    table = viewer.get_by_role("region", name="Authorities")
    expect(table.get_by_role("row")).to_have_count(1 + 24)
    table.get_by_role("link", name="Blackpool").click()
    expect(viewer.get_by_role("heading", level=1)).to_contain_text("Blackpool")
