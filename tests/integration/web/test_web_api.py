"""The read-only JSON API: the command line's --json views over HTTP, with as_of and known_at,
sign-in required, and every error a JSON 4xx body."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from entrypoints.bootstrap import Services
from tests.factories import load_demo, record

ClientAs = Callable[[str], FlaskClient]
API = "/api/authorities/lancashire"


def get_json(client: FlaskClient, path: str, status: int = 200) -> Any:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def same(view: Any) -> Any:
    """A view as it reads after a trip through JSON."""
    return json.loads(json.dumps(view))


def test_every_view_is_the_same_dict_as_the_command_lines(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client, views = client_as("vic"), sqlite_services.views
    assert get_json(client, f"{API}/judgements") == same(views.judgements("lancashire"))
    assert get_json(client, f"{API}/recommendations?status=all") == same(
        views.recommendations("lancashire", "all")
    )
    assert get_json(client, f"{API}/recommendations/sif-2018-neglect") == same(
        views.recommendation("lancashire", "sif-2018-neglect")
    )
    assert get_json(client, f"{API}/actions") == same(views.actions("lancashire"))
    assert get_json(client, f"{API}/timeline") == same(views.timeline("lancashire"))
    assert get_json(client, f"{API}/indicators") == same(views.indicators("lancashire"))
    assert get_json(client, API) == same(views.authority("lancashire"))


def test_the_stable_keys_of_the_readme_are_there(client_as: ClientAs) -> None:
    client = client_as("vic")
    judgements = get_json(client, f"{API}/judgements")
    assert {
        "authority",
        "as_of",
        "known_at",
        "has_overall_grade",
        "inspection",
        "overall",
        "areas",
    } <= set(judgements)
    assert {"area", "label", "grade", "grade_label", "previous_grade", "direction"} <= set(
        judgements["areas"][0]
    )
    actions = get_json(client, f"{API}/actions")
    assert {"due_soon_days", "overdue", "due_soon", "slipped", "red", "actions"} <= set(actions)
    assert {
        "ref",
        "rag",
        "updates",
        "due_date",
        "original_due_date",
        "revisions",
        "days_overdue",
    } <= set(actions["actions"][0])
    timeline = get_json(client, f"{API}/timeline")
    assert {"from", "to", "kinds", "entries"} <= set(timeline)
    assert {"date", "kind", "event", "ref", "recorded_at", "recorded_by", "source"} <= set(
        timeline["entries"][0]
    )
    indicators = get_json(client, f"{API}/indicators")
    assert {"ref", "unit", "readings", "latest", "previous", "movement"} <= set(
        indicators["indicators"][0]
    )


def test_authorities_fingerprint_and_verify(client_as: ClientAs, sqlite_services: Services) -> None:
    client = client_as("vic")
    listed = get_json(client, "/api/authorities")
    assert listed["known_at"] is None
    assert [a["slug"] for a in listed["authorities"]] == ["lancashire"]
    head = sqlite_services.ledger.fingerprint()
    assert get_json(client, "/api/fingerprint") == {"fingerprint": str(head), "count": 22}
    assert get_json(client, "/api/verify") == {
        "intact": True,
        "events": 22,
        "fingerprint": str(head),
        "problem": None,
    }


def test_as_of_and_known_at_answer_the_past(client_as: ClientAs, sqlite_services: Services) -> None:
    client = client_as("vic")
    then = get_json(client, f"{API}/judgements?as_of=2016-01-01")
    assert then["as_of"] == "2016-01-01"
    assert then["overall"]["grade"] == "inadequate"
    assert then == same(sqlite_services.views.judgements("lancashire", date(2016, 1, 1)))
    none_known = get_json(client, "/api/authorities?known_at=2016-01-01")
    assert none_known["authorities"] == []
    assert none_known["known_at"] == "2016-01-01T23:59:59.999999+00:00"  # GMT in January
    assert get_json(client, f"{API}/judgements?known_at=2016-01-01T12:00", 404) == {
        "error": "no authority 'lancashire' is recorded as known at 2016-01-01T12:00:00+00:00"
    }


def test_timeline_and_action_filters(client_as: ClientAs, sqlite_services: Services) -> None:
    client = client_as("vic")
    visits = get_json(client, f"{API}/timeline?kind=monitoring_visit&kind=decision&from=2016-01-01")
    assert visits["kinds"] == ["decision", "monitoring_visit"]
    assert [e["ref"] for e in visits["entries"]] == ["mv-6"]
    record(
        sqlite_services.ledger,
        {
            "type": "ActionCompleted",
            "authority": "lancashire",
            "id": "improvement-plan-2018",
            "date": "2018-11-20",
            "evidence": "Approved",
            "source": "Cabinet minutes",
        },
    )
    assert get_json(client, f"{API}/actions?overdue=true")["actions"] == []
    assert len(get_json(client, f"{API}/actions")["actions"]) == 1


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        (f"{API}/judgements?as_of=2016-02-30", 400, "as_of must be a date in the form YYYY-MM-DD"),
        (f"{API}/timeline?known_at=soon", 400, "known_at must be a date or a date and time"),
        (f"{API}/recommendations?status=pending", 400, "status must be one of open, closed, all"),
        (f"{API}/timeline?kind=gossip", 400, "kind must be among inspection"),
        (f"{API}/timeline?from=2019-01-01&to=2018-01-01", 400, "to must be on or after from"),
        (f"{API}/timeline?from=01/01/2019", 400, "from must be a date"),
        ("/api/authorities/nowhere/judgements", 404, "no authority 'nowhere' is recorded"),
        (f"{API}/recommendations/no-such", 404, "no recommendation 'no-such' is recorded"),
        ("/api/no/such/thing", 404, "no such API endpoint: /api/no/such/thing"),
        ("/api/", 404, "no such API endpoint"),
    ],
)
def test_errors_are_json_with_a_4xx_status(
    client_as: ClientAs, path: str, status: int, error: str
) -> None:
    body = get_json(client_as("vic"), path, status)
    assert set(body) == {"error"}
    assert error in body["error"]


def test_signed_out_callers_get_401_in_json_not_the_sign_in_page(ledger_app: Flask) -> None:
    client = ledger_app.test_client()
    for path in ("/api/authorities", f"{API}/judgements", "/api/verify", "/api/nothing"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.get_json() == {"error": "sign in first: the API uses the web app's session"}


def test_the_api_answers_on_every_database(
    make_ledger_app: Callable[[Services], Flask], services: Services
) -> None:
    load_demo(services.ledger)
    client = make_ledger_app(services).test_client()
    client.post("/sign-in", data={"name": "vic", "password": "correct horse battery staple"})
    body = get_json(client, f"{API}/judgements?as_of=2016-01-01")
    assert body["overall"]["grade"] == "inadequate"
    assert get_json(client, "/api/verify")["intact"] is True
