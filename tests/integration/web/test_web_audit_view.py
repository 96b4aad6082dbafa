"""Audit mode: every page answers "as of" a day and "as known at" an instant, says so in a
banner, keeps the audit point on every link, and the audit page checks the history."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from entrypoints.bootstrap import Services
from tests.factories import record
from tests.integration.ledger.tampering import Attacker

ClientAs = Callable[[str], FlaskClient]
LONDON = ZoneInfo("Europe/London")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def correct_decision_title(services: Services) -> str:
    """Record a correction of the latest decision's title; returns the instant just before it
    (London time, as the audit page would carry it)."""
    time.sleep(0.01)
    before = datetime.now(LONDON).replace(tzinfo=None).isoformat()
    time.sleep(0.01)
    record(
        services.ledger,
        {
            "type": "Corrected",
            "authority": "lancashire",
            "id": "ccpi-2015-12-10",
            "record": "decision",
            "fields": {"title": "Report on the 2015 inspection (corrected title)"},
            "reason": "Shortened to the minutes' wording",
            "source": "minutes",
        },
    )
    return before


def test_as_of_a_day_shows_the_judgements_then_with_a_banner(client_as: ClientAs) -> None:
    html = client_as("vic").get("/dashboard?as_of=2016-01-01").get_data(as_text=True)
    page = text_of(html)
    assert 'id="audit-banner"' in html
    assert "You are seeing the journey in force on 1 January 2016." in page
    assert "Overall effectiveness Inadequate No earlier judgement" in page
    assert "Review of the Local Safeguarding Children Board Good" in page  # graded in 2015
    assert "Open recommendations (0)" in page


def test_as_known_at_an_instant_shows_what_the_ledger_said_before_a_correction(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = correct_decision_title(sqlite_services)
    client = client_as("vic")
    live = text_of(client.get("/dashboard").get_data(as_text=True))
    assert "Report on the 2015 inspection (corrected title)" in live
    then = text_of(client.get(f"/dashboard?known_at={before}").get_data(as_text=True))
    assert "Report on the 2015 Ofsted Inspection of Services for Children in Need" in then
    assert "(corrected title)" not in then
    assert "as the ledger had recorded it by" in then
    assert "(London time)" in then


def test_the_timeline_as_known_at_an_instant_hides_a_later_correction(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = correct_decision_title(sqlite_services)
    client = client_as("vic")
    assert "Correction to the decision" in client.get("/timeline").get_data(as_text=True)
    then = client.get(f"/timeline?known_at={before}").get_data(as_text=True)
    assert "Correction to the decision" not in then
    assert "Corrected later" not in then


def test_known_at_a_day_before_anything_was_recorded_finds_no_authority(
    client_as: ClientAs,
) -> None:
    page = text_of(client_as("vic").get("/dashboard?known_at=2016-01-01").get_data(as_text=True))
    assert "The ledger had not recorded any authority" in page
    assert "by the end of 1 January 2016" in page


def test_links_keep_the_audit_point_and_the_banner_offers_a_way_out(client_as: ClientAs) -> None:
    # The demo is recorded when the test runs, and an instant in the future is refused: today's
    # date (what the ledger knows by now) is the instant that holds the whole demo.
    today = datetime.now(UTC).date().isoformat()
    html = (
        client_as("vic")
        .get(f"/authorities/lancashire?as_of=2018-09-01&known_at={today}")
        .get_data(as_text=True)
    )
    carried = f"as_of=2018-09-01&amp;known_at={today}"
    for path in (
        "/dashboard",
        "/timeline",
        "/audit",
        "/authorities/lancashire/timeline",
        "/authorities/lancashire/indicators",
        "/authorities/lancashire/recommendations/sif-2018-neglect",
    ):
        assert f'href="{path}?{carried}"' in html, path
    leave = re.search(r'href="([^"]*)">leave the audit view', html)
    assert leave is not None and leave.group(1) == "/authorities/lancashire"


def test_the_timeline_filters_keep_the_audit_point(client_as: ClientAs) -> None:
    html = client_as("vic").get("/timeline?as_of=2016-01-01").get_data(as_text=True)
    assert '<input type="hidden" name="as_of" value="2016-01-01">' in html
    page = text_of(html)
    assert "of 5 entries" in page  # up to 1 January 2016 only
    assert "Inspection report published (sif-2013, re inspection)" not in page


def test_a_bad_audit_point_is_a_bad_request(client_as: ClientAs) -> None:
    client = client_as("vic")
    assert client.get("/dashboard?as_of=2016-13-01").status_code == 400
    assert client.get("/dashboard?known_at=yesterday").status_code == 400


def test_the_audit_form_starts_the_audit_view_on_the_dashboard(client_as: ClientAs) -> None:
    response = client_as("vic").get(
        "/audit?in_force=1&in_force=7&in_force=2018"
        "&recorded_day=1&recorded_day=1&recorded_day=2016&recorded_time=12:00&show=1"
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard?as_of=2018-07-01&known_at=2016-01-01T12:00"


def test_the_audit_form_takes_a_time_in_words_or_no_time(client_as: ClientAs) -> None:
    client = client_as("vic")
    afternoon = client.get(
        "/audit?recorded_day=1&recorded_day=1&recorded_day=2016&recorded_time=5:30pm&show=1"
    )
    assert afternoon.headers["Location"] == "/dashboard?known_at=2016-01-01T17:30"
    end_of_day = client.get("/audit?in_force=1&in_force=7&in_force=2018&show=1")
    assert end_of_day.headers["Location"] == "/dashboard?as_of=2018-07-01"


def test_the_audit_form_with_errors_shows_the_error_summary(client_as: ClientAs) -> None:
    client = client_as("vic")
    empty = client.get("/audit?show=1").get_data(as_text=True)
    assert "<title>Error: Audit" in empty
    assert 'href="#in_force-day"' in empty
    assert "Enter a date in force, a date recorded by, or both" in empty
    bad = client.get(
        "/audit?in_force=30&in_force=2&in_force=2018&recorded_time=25:00&show=1"
    ).get_data(as_text=True)
    assert "The date in force must be a real date" in bad
    assert "Enter the time as hours and minutes" in bad
    assert 'value="30"' in bad


def test_the_audit_page_shows_the_fingerprint_and_that_the_history_is_intact(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    page = text_of(client_as("vic").get("/audit").get_data(as_text=True))
    assert "Intact, 22 events" in page
    assert str(sqlite_services.ledger.fingerprint()) in page


def test_the_audit_page_names_an_altered_event(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    attacker = Attacker(sqlite_services)
    attacker.drop_guards()
    target = attacker.positions()[2]
    attacker.set_state(target, attacker.state_at(target).replace(b"5000000", b"9000000"))
    page = text_of(client_as("vic").get("/audit").get_data(as_text=True))
    assert "Not intact." in page
    assert "The history is intact up to event 2." in page


def test_the_audit_page_shows_the_current_audit_point_in_its_form(client_as: ClientAs) -> None:
    html = (
        client_as("vic")
        .get("/audit?as_of=2018-07-01&known_at=2016-01-01T12:00")
        .get_data(as_text=True)
    )
    assert re.search(r'<input[^>]*id="in_force-month"[^>]*value="07"', html)
    assert 'value="12:00"' in html
    assert "You are seeing the journey in force on 1 July 2018" in text_of(html)
