"""The action tracker finds what needs doing: filters by rating, owner, status, timing and
staleness, sort orders, and one search across the recommendations and the actions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from entrypoints.bootstrap import Services
from tests.factories import record

ClientAs = Callable[[str], FlaskClient]
TRACKER = "/authorities/lancashire/actions"
DEMO_ACTION = "improvement-plan-2018"  # due 30 November 2018: overdue, never updated


def line(event: str, **fields: Any) -> dict[str, Any]:
    return {"type": event, "authority": "lancashire", "source": "test paper", **fields}


@pytest.fixture
def plan(sqlite_services: Services) -> Services:
    """Two more actions: one red, updated recently; one amber, due soon, owned by the DCS."""
    record(
        sqlite_services.ledger,
        line(
            "ActionPlanned",
            id="early-help-hub",
            date="2026-01-05",
            title="Open the early help hub",
            owner="Head of Early Help",
            due_date="2027-03-31",
            answers=["sif-2018-early-help"],
        ),
        line(
            "ActionProgressUpdated",
            id="early-help-hub",
            date="2026-11-16",
            rag="red",
            narrative="Recruitment of hub staff has stalled",
        ),
        line(
            "ActionPlanned",
            id="care-leaver-offer",
            date="2026-02-02",
            title="Publish the care leaver offer",
            owner="Director of Children's Services",
            due_date="2026-12-01",
            answers=["sif-2018-care-leavers"],
        ),
        line(
            "ActionProgressUpdated",
            id="care-leaver-offer",
            date="2026-06-01",
            rag="amber",
            narrative="Consultation with young people done",
        ),
    )
    return sqlite_services


def shown(client: FlaskClient, query: str) -> list[str]:
    html = client.get(f"{TRACKER}?{query}").get_data(as_text=True)
    results = html.split('id="tracker-results"', 1)[1]
    return re.findall(r'/actions/([a-z0-9-]+)[?"]', results)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [DEMO_ACTION, "care-leaver-offer", "early-help-hub"]),
        ("rag=red", ["early-help-hub"]),
        ("rag=none", [DEMO_ACTION]),
        ("owner=Director+of+Children%27s+Services", ["care-leaver-offer"]),
        ("attention=overdue", [DEMO_ACTION]),
        ("attention=due_soon", ["care-leaver-offer"]),
        ("stale=12", [DEMO_ACTION, "care-leaver-offer"]),  # today is 23 November 2026
        ("status=complete", []),
        ("q=stalled", ["early-help-hub"]),
        # Words of a recommendation: the demo's plan answers it too.
        ("q=emotional+health", [DEMO_ACTION, "care-leaver-offer"]),
        ("sort=rag", ["early-help-hub", "care-leaver-offer", DEMO_ACTION]),
        ("sort=stale", [DEMO_ACTION, "care-leaver-offer", "early-help-hub"]),
    ],
)
def test_filters_and_orders(
    plan: Services, client_as: ClientAs, query: str, expected: list[str]
) -> None:
    assert shown(client_as("vic"), query) == expected


def test_the_filters_chosen_stay_chosen(plan: Services, client_as: ClientAs) -> None:
    html = client_as("vic").get(f"{TRACKER}?rag=red&sort=rag&q=hub").get_data(as_text=True)
    assert re.search(r'name="rag"[^>]*value="red"[^>]*checked', html)
    assert re.search(r'<option value="rag" selected>', html)
    assert 'value="hub"' in html
    assert "Actions matching (1 of 3)" in html


def test_a_search_finds_recommendations_too(plan: Services, client_as: ClientAs) -> None:
    html = client_as("vic").get(f"{TRACKER}?q=neglect").get_data(as_text=True)
    found = html.split('id="matching-recommendations"', 1)[1].split('id="tracker-results"')[0]
    assert "(1)" in found.split("</h2>")[0]
    assert 'href="/authorities/lancashire/recommendations/sif-2018-neglect"' in found


def test_a_bad_number_of_weeks_is_an_error_and_the_rest_still_filters(
    plan: Services, client_as: ClientAs
) -> None:
    html = client_as("vic").get(f"{TRACKER}?stale=soon&rag=red").get_data(as_text=True)
    assert "There is a problem" in html
    assert "Enter the number of weeks as a whole number from 1 to 520" in html
    assert "<title>Error: Action tracker" in html
    assert shown(client_as("vic"), "stale=soon&rag=red") == ["early-help-hub"]


def test_each_action_says_when_it_was_last_updated(plan: Services, client_as: ClientAs) -> None:
    html = client_as("vic").get(TRACKER).get_data(as_text=True)
    assert "Updated 16 November 2026" in html
    assert "No update yet" in html


def test_the_tracker_filters_as_of_an_audit_day(plan: Services, client_as: ClientAs) -> None:
    # On 1 March 2026 neither new action had had an update yet.
    assert shown(client_as("vic"), "as_of=2026-03-01&rag=none") == [
        DEMO_ACTION,
        "care-leaver-offer",
        "early-help-hub",
    ]
    assert shown(client_as("vic"), "as_of=2026-03-01&rag=amber") == []
