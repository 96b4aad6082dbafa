"""The web's plan upload (upload, check your answers from a dry run, then record), the list
downloads at the page's audit point, and the board pack page, on a real SQLite ledger."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from python_calamine import CalamineWorkbook

from entrypoints.bootstrap import Services
from tests import trackers
from tests.factories import AUTHORITY, record
from tests.integration.web.conftest import PASSWORD, SeededAccounts
from web.api.routes import create_blueprint as create_api_blueprint
from web.app import create_app
from web.config import WebConfig
from web.journey.routes import create_blueprint as create_journey_blueprint

# "As known at" today: all the demo recorded (an instant in the future is refused).
TODAY = datetime.now(ZoneInfo("Europe/London")).date().isoformat()


@pytest.fixture
def app(sqlite_services: Services, tmp_path: Path) -> Flask:
    record(sqlite_services.ledger, *trackers.ledger_lines())
    journey = dataclasses.replace(sqlite_services.journey, uploads=tmp_path / "uploads")
    config = WebConfig(
        secret_key="plan-upload-secret-key-long-enough",
        session_cookie_secure=False,
        csrf_enabled=False,
        testing=True,
    )
    return create_app(
        config,
        accounts=SeededAccounts(),
        blueprints=[create_journey_blueprint(journey), create_api_blueprint(journey)],
    )


def _signed_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/sign-in", data={"name": name, "password": PASSWORD}).status_code == 303
    return client


def _upload(client: FlaskClient, data: bytes, name: str = "tracker.xlsx"):
    return client.post(
        f"/authorities/{AUTHORITY}/record/plan",
        data={"tracker": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_upload_shows_what_would_be_recorded_then_records_it_on_confirmation(
    app: Flask, sqlite_services: Services
) -> None:
    client = _signed_in(app, "rae")
    landing = client.get(f"/authorities/{AUTHORITY}/record").get_data(as_text=True)
    assert f"/authorities/{AUTHORITY}/record/plan" in landing
    before = sqlite_services.ledger.fingerprint()
    uploaded = _upload(client, trackers.council_tracker(1))
    assert uploaded.status_code == 303
    check = client.get(uploaded.headers["Location"])
    page = check.get_data(as_text=True)
    assert "Check what the tracker will record" in page
    assert "10 events to record" in page
    assert "sheet &#39;Help and protection&#39;, row 6" in page
    assert sqlite_services.ledger.fingerprint() == before  # nothing yet
    checked = re.search(r'name="checked" type="hidden" value="([0-9a-f]+)"', page)
    assert checked is not None
    recorded = client.post(uploaded.headers["Location"], data={"checked": checked.group(1)})
    assert recorded.status_code == 303
    assert sqlite_services.ledger.fingerprint().count == before.count + 10
    assert "events recorded" in client.get(recorded.headers["Location"]).get_data(as_text=True)
    # The same tracker again: nothing to record.
    again = client.get(_upload(client, trackers.council_tracker(1)).headers["Location"])
    assert "Nothing new" in again.get_data(as_text=True)


def test_confirming_a_check_the_ledger_has_moved_past_shows_it_again(
    app: Flask, sqlite_services: Services
) -> None:
    client = _signed_in(app, "rae")
    location = _upload(client, trackers.council_tracker(1)).headers["Location"]
    stale = client.post(location, data={"checked": "0" * 64})
    assert stale.status_code == 200
    assert "The ledger changed since you checked" in stale.get_data(as_text=True)
    assert sqlite_services.ledger.fingerprint().count == 22 + 6  # demo + ledger_lines only


def test_a_broken_tracker_is_refused_with_each_cell_in_the_error_summary(
    app: Flask, sqlite_services: Services
) -> None:
    client = _signed_in(app, "rae")
    before = sqlite_services.ledger.fingerprint()
    response = _upload(client, trackers.broken_tracker())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "6 problems to fix" in page and "govuk-error-summary" in page
    assert "sheet &#39;Plan&#39;, row 2, column E (Deadline)" in page
    assert sqlite_services.ledger.fingerprint() == before


def test_viewers_cannot_upload(app: Flask) -> None:
    assert _signed_in(app, "vic").get(f"/authorities/{AUTHORITY}/record/plan").status_code == 403


@pytest.mark.parametrize(
    "page", ["dashboard", "recommendations", "actions", "timeline", "indicators"]
)
def test_every_list_page_links_its_downloads_at_its_audit_point(app: Flask, page: str) -> None:
    client = _signed_in(app, "vic")
    path = "/authorities/lancashire" + ("" if page == "dashboard" else f"/{page}")
    html = client.get(path + "?as_of=2018-01-01").get_data(as_text=True)
    links = re.findall(r'href="([^"]*/download/[^"]+)"', html)
    assert len(links) == 2 and all("as_of=2018-01-01" in link for link in links)
    csv_link = next(link for link in links if ".csv" in link).replace("&amp;", "&")
    response = client.get(csv_link)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]
    if page == "dashboard":
        assert any(row[4] == "sif-2015" for row in rows[1:])
        assert not any("sif-2018" in row for row in rows)
    xlsx = client.get(next(link for link in links if ".xlsx" in link).replace("&amp;", "&"))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.data)).get_sheet_by_index(0)
    assert sheet.to_python()[0] == rows[0]


def test_the_pack_page_makes_each_format_and_names_its_errors(app: Flask) -> None:
    client = _signed_in(app, "vic")
    form = client.get("/authorities/lancashire/pack").get_data(as_text=True)
    assert "Make the pack" in form
    bad = client.get(
        "/authorities/lancashire/pack?make=1&meeting=31&meeting=2&meeting=2018&format=pdf"
    ).get_data(as_text=True)
    assert "There is a problem" in bad
    query = (
        "?make=1&meeting=8&meeting=11&meeting=2018&previous=1&previous=10&previous=2018"
        f"&as_known_at={TODAY}&format="
    )
    html = client.get("/authorities/lancashire/pack" + query + "html")
    assert html.status_code == 200 and b"A. Judgements in force" in html.data
    # Shown in the browser, the pack may use its own stylesheet and run nothing.
    policy = html.headers["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy
    pdf = client.get("/authorities/lancashire/pack" + query + "pdf")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert 'filename="lancashire-board-pack-2018-11-08.pdf"' in pdf.headers["Content-Disposition"]
    xlsx = client.get("/authorities/lancashire/pack" + query + "xlsx")
    assert "Cover" in CalamineWorkbook.from_filelike(io.BytesIO(xlsx.data)).sheet_names
    unknown = client.get(
        "/authorities/lancashire/pack"
        + query.replace(f"as_known_at={TODAY}", "as_known_at=")
        + "html"
    )
    assert b"Nothing was known by then" in unknown.data
