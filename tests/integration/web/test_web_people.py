"""People and actions in the web app: a person added and an action assigned through check your
answers, the action's page with its whole history and its "Update this action" button, the
person's page, "My actions" for a user linked to a person, and the statutory deadlines on the
tracker and the dashboard."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from entrypoints.bootstrap import Services
from tests.integration.web.test_web_recording_forms import (
    SOURCE,
    carried,
    check_page,
    day,
    hidden,
    record_through,
    text_of,
)

ClientAs = Callable[[str], FlaskClient]
L = "/authorities/lancashire"
ACTION = "improvement-plan-2018"


def add_person(client: FlaskClient, ref: str, name: str, **extra: object) -> None:
    url = f"{L}/record/person"
    form = client.get(url).get_data(as_text=True)
    data = {
        "nonce": hidden(form, "nonce"),
        "ref": ref,
        "name": name,
        "email": f"{ref}@example.org",
        "digest": "no",
        **day("date", "2018-08-01"),
        **SOURCE,
        **extra,
    }
    html = check_page(client, url, data)
    assert name in text_of(html)
    response = client.post(url, data={**carried(html), "confirm": "1"})
    assert response.status_code == 303 and response.location.endswith(f"/people/{ref}")


def test_a_person_is_added_and_an_action_assigned_through_check_your_answers(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    recorder = client_as("rae")
    add_person(recorder, "sam", "Sam Boss", roles="improvement-board-chair")
    add_person(recorder, "jo", "Jo Bloggs", manager="sam", title="Head of Service", account="rae")

    people = text_of(recorder.get(f"{L}/people").get_data(as_text=True))
    assert "Jo Bloggs" in people and "Sam Boss" in people and "improvement board chair" in people

    url = f"{L}/record/assign?action={ACTION}"
    form = recorder.get(url).get_data(as_text=True)
    assert "Jo Bloggs, Head of Service" in form
    answers = {
        "nonce": hidden(form, "nonce"),
        "expected_version": hidden(form, "expected_version"),
        "person": "jo",
        **day("date", "2018-09-03"),
        **SOURCE,
    }
    check = check_page(recorder, url, answers)
    assert "Jo Bloggs" in text_of(check)
    assert sqlite_services.views.action("lancashire", ACTION)["person"] is None  # not yet
    done = record_through(recorder, url, answers)
    assert done.status_code == 303 and done.location.endswith(f"/actions/{ACTION}")

    page = recorder.get(f"{L}/actions/{ACTION}").get_data(as_text=True)
    words = text_of(page)
    assert "Assigned to Jo Bloggs" in words and "Update this action" in words
    assert f"/record/progress?action={ACTION}" in page
    assert "sif-2018-early-help" in words  # a recommendation it answers
    tracker = text_of(recorder.get(f"{L}/actions").get_data(as_text=True))
    assert "Jo Bloggs" in tracker

    mine = text_of(recorder.get("/my-actions").get_data(as_text=True))
    assert "Lancashire County Council: Jo Bloggs" in mine
    assert "Improvement plan addressing the 11 recommendations" in mine
    api = recorder.get("/api/my-actions").get_json()
    assert [a["ref"] for a in api["people"][0]["actions"]] == [ACTION]
    person = recorder.get("/api/authorities/lancashire/people/jo").get_json()
    assert person["manager_name"] == "Sam Boss" and person["actions"][0]["ref"] == ACTION


def test_a_viewer_sees_the_action_page_without_the_update_button(client_as: ClientAs) -> None:
    page = client_as("vic").get(f"{L}/actions/{ACTION}")
    assert page.status_code == 200
    assert "Update this action" not in page.get_data(as_text=True)
    assert client_as("vic").get(f"{L}/actions/no-such-action").status_code == 404
    assert client_as("vic").get(f"{L}/people/nobody").status_code == 404
    assert client_as("vic").get("/api/authorities/lancashire/actions/nope").status_code == 404


def test_my_actions_says_how_to_link_a_user_who_is_no_person(client_as: ClientAs) -> None:
    page = text_of(client_as("vic").get("/my-actions").get_data(as_text=True))
    assert "not linked to a person" in page


def test_a_person_who_left_is_recorded_and_shown(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    recorder = client_as("rae")
    add_person(recorder, "jo", "Jo Bloggs")
    url = f"{L}/record/person-left?person=jo"
    form = recorder.get(url).get_data(as_text=True)
    answers = {
        "nonce": hidden(form, "nonce"),
        "expected_version": hidden(form, "expected_version"),
        **day("date", "2018-10-01"),
        "reason": "Moved to another council",
        **SOURCE,
    }
    assert record_through(recorder, url, answers).status_code == 303
    page = text_of(recorder.get(f"{L}/people/jo").get_data(as_text=True))
    assert "Left on 1 October 2018: Moved to another council" in page


def test_the_statutory_deadline_shows_on_the_tracker_and_the_dashboard(
    client_as: ClientAs,
) -> None:
    # The demo's 2015 report judged Lancashire inadequate: its written statement of action
    # was due 70 working days after 27 November 2015.
    as_of = "?as_of=2016-01-15"
    for path in (f"{L}/actions{as_of}", f"{L}{as_of}"):
        words = text_of(client_as("vic").get(path).get_data(as_text=True))
        assert "Written statement of action to Ofsted" in words, path
        assert "9 March 2016" in words
    today = text_of(client_as("vic").get(f"{L}/actions").get_data(as_text=True))
    assert "No statutory deadline is running" in today
