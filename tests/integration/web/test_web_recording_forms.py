"""The recording forms: each kind of event recorded through its form, in the signed-in user's
name; refused forms record nothing and keep what was typed; viewers cannot record; a change
someone else made meanwhile is a conflict, not an overwrite."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from entrypoints.bootstrap import Services
from ledger.application.parsing import IDENTIFYING_FIELDS
from ledger.domain.kinds import RECORD_CLASSES
from tests.factories import load_demo, record
from web.journey.values import FIELD_LABELS
from web.recording.catalogue import CATALOGUE
from web.recording.corrections import correctable_fields

ClientAs = Callable[[str], FlaskClient]
A = "/authorities/lancashire/record"
SOURCE = {"source": "PIIB paper, 1 October 2018"}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def fingerprint(services: Services) -> str:
    return str(services.ledger.fingerprint())


def hidden(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def day(prefix: str, iso: str) -> dict[str, list[str]]:
    """A GOV.UK date input's three boxes for ``iso``."""
    year, month, dd = iso.split("-")
    return {prefix: [dd, month, year]}


def check_page(client: FlaskClient, url: str, data: dict[str, Any]) -> str:
    """The answers posted: the check-your-answers page, asserted to be it."""
    html = client.post(url, data=data).get_data(as_text=True)
    assert "Check your answers before recording" in html, text_of(html)[:600]
    return html


def carried(html: str) -> dict[str, list[str]]:
    """The hidden inputs of a page's form, as a browser would post them back."""
    found: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html):
        found.setdefault(unescape(name), []).append(unescape(value))
    return found


def record_through(client: FlaskClient, url: str, data: dict[str, Any], **options: Any) -> Any:
    """Post a form's answers, then record them from the check-your-answers page."""
    html = check_page(client, url, data)
    return client.post(url, data={**carried(html), "confirm": "1"}, **options)


def summary_links(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary"', 1)
    assert len(summary) == 2, "no error summary"
    return re.findall(r'<a href="(#[^"]+)">', summary[1].split("</ul>", 1)[0])


def progress(services: Services, narrative: str, rag: str = "amber", actor: str = "ada") -> None:
    record(
        services.ledger,
        {
            "type": "ActionProgressUpdated",
            "authority": "lancashire",
            "id": "improvement-plan-2018",
            "date": "2018-10-01",
            "rag": rag,
            "narrative": narrative,
            "source": "test",
        },
        actor=actor,
    )


FORM_PATHS = [
    "/record",
    "/record/authority",
    *[f"{A}/{link.endpoint.replace('_', '-')}" for group in CATALOGUE for link in group.forms],
]


# -- who may record -----------------------------------------------------------------------


@pytest.mark.parametrize("path", FORM_PATHS)
def test_a_viewer_gets_403_on_every_form(client_as: ClientAs, path: str) -> None:
    viewer = client_as("vic")
    assert viewer.get(path).status_code == 403
    assert viewer.post(path, data={"source": "x"}).status_code in (403, 405)


@pytest.mark.parametrize("path", FORM_PATHS)
def test_a_recorder_can_open_every_form(client_as: ClientAs, path: str) -> None:
    assert client_as("rae").get(path).status_code == 200


@pytest.mark.parametrize("path", [p for p in FORM_PATHS if p.startswith(A)])
def test_a_form_for_an_unknown_authority_is_not_found(client_as: ClientAs, path: str) -> None:
    assert client_as("rae").get(path.replace("lancashire", "nowhere")).status_code == 404


def test_the_record_page_lists_a_form_for_every_kind_of_event(client_as: ClientAs) -> None:
    html = client_as("rae").get("/record").get_data(as_text=True)
    for group in CATALOGUE:
        for link in group.forms:
            assert link.text in html
    assert 'href="/record/authority"' in html


# -- inspections ---------------------------------------------------------------------------


def inspection_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ref": "ilacs-2026",
        "kind": "standard",
        **day("first_day", "2026-05-11"),
        **day("last_day", "2026-05-22"),
        **day("published", "2026-07-01"),
        "grade_leaders": "good",
        "grade_help_and_protection": "good",
        "grade_in_care": "requires_improvement",
        "grade_care_leavers": "outstanding",
        **SOURCE,
    }
    data.update(overrides)
    return data


def test_an_inspection_is_recorded_framework_first_then_one_grade_per_area(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    chooser = client.get(f"{A}/inspection").get_data(as_text=True)
    assert "Which inspection framework was it under?" in chooser
    form = client.get(f"{A}/inspection?framework=ilacs-2026").get_data(as_text=True)
    assert 'name="grade_care_leavers"' in form
    assert 'name="grade_overall_effectiveness"' not in form  # no overall grade under ilacs-2026

    response = record_through(
        client, f"{A}/inspection?framework=ilacs-2026", data=inspection_data()
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/authorities/lancashire"
    dashboard = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Inspection ilacs-2026 recorded" in dashboard
    assert "There is no overall grade under this framework" in dashboard
    assert "The experiences and progress of care leavers Outstanding" in dashboard
    entry = sqlite_services.views.latest("lancashire", "inspection")
    assert entry is not None and entry["recorded_by"] == "rae"
    assert entry["source"] == SOURCE["source"]


def test_an_inspection_with_bad_values_shows_every_problem_and_records_nothing(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = fingerprint(sqlite_services)
    data = inspection_data(ref="ilacs 2026", source="", published=["31", "2", "2026"])
    del data["grade_in_care"]
    html = (
        client_as("rae")
        .post(f"{A}/inspection?framework=ilacs-2026", data=data)
        .get_data(as_text=True)
    )
    assert "<title>Error: Record an inspection" in html
    assert summary_links(html) == ["#ref", "#published-day", "#grade_in_care", "#source"]
    assert "The publication date must be a real date" in html
    assert "Select the grade for the experiences and progress of children in care" in html
    assert "Enter the source document" in html
    assert 'value="ilacs 2026"' in html  # what was typed is kept
    assert re.search(r'id="published-day"[^>]*value="31"', html)
    assert fingerprint(sqlite_services) == before


def test_the_ledgers_own_refusal_is_shown_on_the_field_it_names(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = fingerprint(sqlite_services)
    future = inspection_data(**day("published", "2027-01-04"))
    html = (
        client_as("rae")
        .post(f"{A}/inspection?framework=ilacs-2026", data=future)
        .get_data(as_text=True)
    )
    assert summary_links(html) == ["#published-day"]
    assert "2027-01-04 is in the future; the ledger records what happened" in html
    assert fingerprint(sqlite_services) == before


def test_a_reference_already_used_is_refused(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = fingerprint(sqlite_services)
    data = inspection_data(ref="sif-2015")
    html = (
        client_as("rae")
        .post(f"{A}/inspection?framework=ilacs-2026", data=data)
        .get_data(as_text=True)
    )
    assert summary_links(html) == ["#ref"]
    assert "already recorded with different details" in html
    assert fingerprint(sqlite_services) == before


# -- recommendations, visits, decisions, interventions, actions, indicators ------------------


def test_a_recommendation_is_recorded_against_an_inspection(client_as: ClientAs) -> None:
    client = client_as("rae")
    form = client.get(f"{A}/recommendation").get_data(as_text=True)
    assert 'value="sif-2015"' in form and 'value="mv-6"' in form
    response = record_through(
        client,
        f"{A}/recommendation",
        data={
            "ref": "sif-2018-front-door",
            "origin": "sif-2018",
            "text": "Improve the timeliness of decisions at the front door.",
            "area": "help_and_protection",
            **SOURCE,
        },
    )
    assert (
        response.headers["Location"]
        == "/authorities/lancashire/recommendations/sif-2018-front-door"
    )
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Recommendation sif-2018-front-door recorded" in page
    assert "Improve the timeliness of decisions at the front door." in page


def test_a_monitoring_visit_keeps_its_filled_findings_and_ignores_blank_rows(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    data: dict[str, Any] = {
        "ref": "mv-7",
        "number": "7",
        **day("first_day", "2017-09-05"),
        **day("last_day", "2017-09-06"),
        **day("letter_date", "2017-10-02"),
        "progress_statement": "The local authority is making steady progress.",
        "areas_covered": "Care leavers\n\nPlacements\n",
        "inspectors": "Shirley Bailey HMI",
        "finding_1_kind": "strength",
        "finding_1_text": "Workers know children well.",
        "finding_3_kind": "concern",
        "finding_3_text": "Plans are variable.",
        **SOURCE,
    }
    client = client_as("rae")
    half_filled = client.post(f"{A}/monitoring-visit", data={**data, "finding_5_text": "Orphan"})
    assert summary_links(half_filled.get_data(as_text=True)) == ["#finding_5_kind"]

    assert record_through(client, f"{A}/monitoring-visit", data=data).status_code == 303
    visit = sqlite_services.views.latest("lancashire", "monitoring_visit")
    assert visit is not None and visit["ref"] == "mv-7"
    assert visit["facts"]["findings"] == [
        {"kind": "strength", "text": "Workers know children well."},
        {"kind": "concern", "text": "Plans are variable."},
    ]
    assert visit["facts"]["areas_covered"] == ["Care leavers", "Placements"]
    assert visit["facts"]["number"] == 7


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1,250,000.50", "1250000.50"), ("£5000000", "5000000.00"), ("0.10", "0.10")],
)
def test_a_decisions_investment_is_recorded_exactly(
    client_as: ClientAs, sqlite_services: Services, typed: str, stored: str
) -> None:
    response = record_through(
        client_as("rae"),
        f"{A}/decision",
        data={
            "ref": "cabinet-2019",
            "body": "Cabinet",
            **day("date", "2019-02-07"),
            "title": "Further investment",
            "resolutions": "Approve the investment\nReport back in six months",
            "investment": typed,
            **SOURCE,
        },
    )
    assert response.status_code == 303
    decision = sqlite_services.views.latest("lancashire", "decision")
    assert decision is not None and decision["facts"]["investment"] == stored
    assert decision["facts"]["resolutions"] == [
        "Approve the investment",
        "Report back in six months",
    ]


@pytest.mark.parametrize("typed", ["12.345", "£5m", "-100", "1,00,000"])
def test_an_investment_that_is_not_pounds_and_pence_is_refused(
    client_as: ClientAs, sqlite_services: Services, typed: str
) -> None:
    before = fingerprint(sqlite_services)
    html = (
        client_as("rae")
        .post(
            f"{A}/decision",
            data={
                "ref": "d",
                "body": "Cabinet",
                **day("date", "2019-02-07"),
                "title": "T",
                "investment": typed,
                **SOURCE,
            },
        )
        .get_data(as_text=True)
    )
    assert summary_links(html) == ["#investment"]
    assert "The investment must be an amount in pounds" in html
    assert f'value="{typed}"' in html
    assert fingerprint(sqlite_services) == before


def test_an_intervention_can_lift_an_earlier_one(client_as: ClientAs) -> None:
    client = client_as("rae")
    assert 'value="piib"' in client.get(f"{A}/intervention").get_data(as_text=True)
    response = record_through(
        client,
        f"{A}/intervention",
        data={
            "ref": "piib-stood-down",
            "kind": "intervention_lifted",
            **day("date", "2019-06-30"),
            "title": "PIIB stood down",
            "by": "Department for Education",
            "lifts": "piib",
            **SOURCE,
        },
    )
    assert response.headers["Location"] == "/authorities/lancashire/timeline?kind=intervention"
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Intervention lifted: PIIB stood down" in page


def test_an_action_answers_the_recommendations_ticked(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    data = {
        "ref": "act-neglect-1",
        "title": "Launch the neglect strategy",
        "owner": "Head of Service, Safeguarding",
        **day("date", "2018-09-01"),
        **day("due_date", "2019-03-31"),
        **SOURCE,
    }
    client = client_as("rae")
    none_ticked = client.post(f"{A}/action", data=data).get_data(as_text=True)
    assert summary_links(none_ticked) == ["#answers"]
    assert "Select at least one recommendation it answers" in none_ticked

    response = record_through(
        client, f"{A}/action", data={**data, "answers": ["sif-2018-neglect", "sif-2018-early-help"]}
    )
    assert response.headers["Location"] == (
        "/authorities/lancashire/recommendations/sif-2018-neglect#action-act-neglect-1"
    )
    actions = {a["ref"]: a for a in sqlite_services.views.actions("lancashire")["actions"]}
    assert actions["act-neglect-1"]["answers"] == ["sif-2018-neglect", "sif-2018-early-help"]


def test_an_indicator_and_its_readings(client_as: ClientAs, sqlite_services: Services) -> None:
    client = client_as("rae")
    defined = record_through(
        client,
        f"{A}/indicator",
        data={
            "ref": "caseload",
            "name": "Average social worker caseload",
            "unit": "count",
            "direction": "lower",
            "target": "18",
            **SOURCE,
        },
    )
    assert defined.headers["Location"] == "/authorities/lancashire/indicators#indicator-caseload"
    bad = client.post(
        f"{A}/reading?indicator=caseload",
        data={**day("period_end", "2019-03-31"), "value": "lots", **SOURCE},
    ).get_data(as_text=True)
    assert summary_links(bad) == ["#value"]
    assert "The value must be a number" in bad
    good = record_through(
        client,
        f"{A}/reading?indicator=caseload",
        data={**day("period_end", "2019-03-31"), "value": "21.5", **SOURCE},
    )
    assert good.status_code == 303
    (indicator,) = [
        i
        for i in sqlite_services.views.indicators("lancashire")["indicators"]
        if i["ref"] == "caseload"
    ]
    assert indicator["higher_is_better"] is False
    assert indicator["target"] == "18"
    assert indicator["latest"]["value"] == "21.5"


def test_an_authority_is_registered(client_as: ClientAs) -> None:
    client = client_as("ada")
    response = record_through(
        client,
        "/record/authority",
        data={"ref": "blackpool", "name": "Blackpool Council", "region": "North West", **SOURCE},
    )
    assert response.headers["Location"] == "/authorities/blackpool"
    assert 'href="/authorities/blackpool"' in client.get("/dashboard").get_data(as_text=True)


# -- updates to an action or a recommendation ------------------------------------------------


def test_a_progress_update_chooses_the_action_first(client_as: ClientAs) -> None:
    chooser = client_as("rae").get(f"{A}/progress").get_data(as_text=True)
    assert "Which action?" in chooser
    assert 'value="improvement-plan-2018"' in chooser
    nothing = client_as("rae").get(f"{A}/progress?choose=1").get_data(as_text=True)
    assert "<title>Error: Record a progress update" in nothing
    assert 'href="#action"' in nothing


def test_a_progress_update_is_recorded_in_the_users_name(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    url = f"{A}/progress?action=improvement-plan-2018"
    form = client.get(url).get_data(as_text=True)
    response = record_through(
        client,
        url,
        data={
            "nonce": hidden(form, "nonce"),
            "expected_version": hidden(form, "expected_version"),
            **day("date", "2018-10-01"),
            "rag": "red",
            "narrative": "Cabinet date slipped to December.",
            "evidence": "PIIB minutes, 1 October 2018",
            **SOURCE,
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/authorities/lancashire/actions/improvement-plan-2018"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Progress update recorded for action improvement-plan-2018" in page
    assert "govuk-notification-banner--success" in page
    action = sqlite_services.views.actions("lancashire")["actions"][0]
    assert action["rag"] == "red"
    assert action["latest_update"]["recorded_by"] == "rae"
    assert action["latest_update"]["evidence"] == ["PIIB minutes, 1 October 2018"]


def test_a_progress_update_without_a_rating_records_nothing_and_keeps_the_narrative(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = fingerprint(sqlite_services)
    html = (
        client_as("rae")
        .post(
            f"{A}/progress?action=improvement-plan-2018",
            data={**day("date", "2018-10-01"), "narrative": "Typed with care.", "source": ""},
        )
        .get_data(as_text=True)
    )
    assert summary_links(html) == ["#rag", "#source"]
    assert "Select a red, amber or green rating" in html
    assert "Typed with care." in html
    assert fingerprint(sqlite_services) == before


def test_submitting_the_same_form_twice_records_it_once(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    url = f"{A}/progress?action=improvement-plan-2018"
    form = client.get(url).get_data(as_text=True)
    data = {
        "nonce": hidden(form, "nonce"),
        "expected_version": hidden(form, "expected_version"),
        **day("date", "2018-10-01"),
        "rag": "amber",
        "narrative": "Once only.",
        **SOURCE,
    }
    assert record_through(client, url, data=data).status_code == 303
    after_first = fingerprint(sqlite_services)
    again = record_through(client, url, data=data, follow_redirects=True).get_data(as_text=True)
    assert "(it had already been recorded)" in again
    assert fingerprint(sqlite_services) == after_first
    assert len(sqlite_services.views.actions("lancashire")["actions"][0]["updates"]) == 1


def conflict_is_shown_and_nothing_is_recorded(app: Flask, services: Services) -> None:
    rae = app.test_client()
    rae.post("/sign-in", data={"name": "rae", "password": "correct horse battery staple"})
    url = f"{A}/progress?action=improvement-plan-2018"
    form = rae.get(url).get_data(as_text=True)
    seen = hidden(form, "expected_version")

    progress(services, "Meanwhile, ada reported this.", rag="green")
    after_other = fingerprint(services)

    data = {
        "nonce": hidden(form, "nonce"),
        "expected_version": seen,
        **day("date", "2018-10-02"),
        "rag": "red",
        "narrative": "My own update.",
        **SOURCE,
    }
    html = rae.post(url, data=data).get_data(as_text=True)
    assert "<title>Error: Record a progress update" in html
    assert summary_links(html) == ["#record-summary"]  # the record as it is now
    assert "Someone else recorded a change to this record after you opened this form" in html
    assert "My own update." in html  # kept
    assert "Meanwhile, ada reported this." in html  # the record as it is now
    assert fingerprint(services) == after_other
    assert int(hidden(html, "expected_version")) == int(seen) + 1

    data["expected_version"] = hidden(html, "expected_version")
    assert record_through(rae, url, data=data).status_code == 303  # submitting again is a choice
    assert services.views.actions("lancashire")["actions"][0]["rag"] == "red"


def test_a_concurrent_change_is_a_conflict(ledger_app: Flask, sqlite_services: Services) -> None:
    conflict_is_shown_and_nothing_is_recorded(ledger_app, sqlite_services)


@pytest.mark.postgres
def test_a_concurrent_change_is_a_conflict_on_every_database(
    make_ledger_app: Callable[[Services], Flask], services: Services
) -> None:
    load_demo(services.ledger)
    conflict_is_shown_and_nothing_is_recorded(make_ledger_app(services), services)


def test_a_due_date_revision_keeps_the_original_due_date(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    response = record_through(
        client,
        f"{A}/due-date?action=improvement-plan-2018",
        data={
            **day("date", "2018-10-15"),
            **day("new_due_date", "2019-01-31"),
            "reason": "Cabinet meeting moved",
            "approver": "PIIB",
            **SOURCE,
        },
    )
    assert response.status_code == 303
    action = sqlite_services.views.actions("lancashire")["actions"][0]
    assert (action["due_date"], action["original_due_date"]) == ("2019-01-31", "2018-11-30")
    assert action["revisions"][0]["approver"] == "PIIB"


def test_a_completed_action_takes_no_more_updates(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    done = record_through(
        client,
        f"{A}/completed?action=improvement-plan-2018",
        data={**day("date", "2018-11-20"), "evidence": "Plan approved by Cabinet", **SOURCE},
    )
    assert done.status_code == 303
    assert sqlite_services.views.actions("lancashire")["actions"][0]["status"] == "complete"
    chooser = client.get(f"{A}/progress?action=improvement-plan-2018").get_data(as_text=True)
    assert "There is nothing of that kind to choose yet" in chooser  # only open actions


def test_a_cancelled_action_records_its_reason(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    response = record_through(
        client_as("rae"),
        f"{A}/cancelled?action=improvement-plan-2018",
        data={**day("date", "2018-11-20"), "reason": "Superseded by the new plan", **SOURCE},
    )
    assert response.status_code == 303
    action = sqlite_services.views.actions("lancashire")["actions"][0]
    assert action["status"] == "cancelled"
    assert action["closed"]["note"] == "Superseded by the new plan"


def status_of(services: Services, ref: str) -> str:
    found = services.views.recommendation("lancashire", ref)
    assert found is not None
    return str(found["status"])


def test_a_recommendation_is_closed_and_reopened(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    closed = record_through(
        client,
        f"{A}/recommendation-closed?recommendation=sif-2018-neglect",
        data={
            **day("date", "2019-03-01"),
            "evidence": "Neglect strategy in place",
            "decided_by": "PIIB",
            **SOURCE,
        },
    )
    assert closed.headers["Location"] == "/authorities/lancashire/recommendations/sif-2018-neglect"
    page = text_of(client.get(closed.headers["Location"]).get_data(as_text=True))
    assert "Recommendation sif-2018-neglect recorded as closed" in page
    assert "Neglect strategy in place (decided by PIIB)" in page
    assert status_of(sqlite_services, "sif-2018-neglect") == "closed"
    reopened = record_through(
        client,
        f"{A}/recommendation-reopened?recommendation=sif-2018-neglect",
        data={
            **day("date", "2019-06-01"),
            "reason": "Audit found gaps",
            "decided_by": "PIIB",
            **SOURCE,
        },
    )
    assert reopened.status_code == 303
    assert status_of(sqlite_services, "sif-2018-neglect") == "open"


# -- corrections ---------------------------------------------------------------------------


def test_a_correction_chooses_the_kind_then_the_record_then_what_is_wrong(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    assert "What kind of record is wrong?" in client.get(f"{A}/correction").get_data(as_text=True)
    records = client.get(f"{A}/correction?record=decision").get_data(as_text=True)
    assert 'value="ccpi-2015-12-10"' in records
    assert '<input type="hidden" name="record" value="decision">' in records
    url = f"{A}/correction?record=decision&ref=cabinet-2015-investment"
    form = client.get(url).get_data(as_text=True)
    assert 'value="5000000.00"' in form  # the current value, ready to change

    nothing = client.post(url, data={"reason": "Typo", **SOURCE}).get_data(as_text=True)
    assert summary_links(nothing) == ["#correct"]

    response = record_through(
        client,
        url,
        data={
            "expected_version": hidden(form, "expected_version"),
            "correct": ["investment", "title"],
            "new_investment": "5,000,000.00",
            "new_title": "£5 million additional investment in children's services",
            "new_summary": "This is not ticked, so it is not corrected.",
            "reason": "The press release rounds the figure",
            **SOURCE,
        },
    )
    assert response.headers["Location"] == "/authorities/lancashire/timeline?kind=correction"
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert (
        "Correction to the decision cabinet-2015-investment (£5 million additional investment "
        "in children's services) Why: The press release rounds the figure" in page
    )
    # Each field in words, with its value before and after.
    assert "Investment Was: £5,000,000.00 Now: £5,000,000.00" in page
    assert (
        "Title Was: £5m additional investment in children's services "
        "Now: £5 million additional investment in children's services" in page
    )
    assert "Corrected investment" not in page and "new_title" not in page
    entries = sqlite_services.views.timeline("lancashire", kinds=["decision"])["entries"]
    (decision,) = [e for e in entries if e["ref"] == "cabinet-2015-investment"]
    assert decision["facts"]["title"] == "£5 million additional investment in children's services"
    assert decision["facts"]["summary"].startswith("The Cabinet approved")
    assert decision["corrected"] is True


def test_a_correction_that_blanks_a_required_detail_is_refused(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = fingerprint(sqlite_services)
    html = (
        client_as("rae")
        .post(
            f"{A}/correction?record=action&ref=improvement-plan-2018",
            data={"correct": ["owner"], "new_owner": "", "reason": "Left", **SOURCE},
        )
        .get_data(as_text=True)
    )
    assert summary_links(html) == ["#new_owner"]
    assert "Enter the corrected owner" in html
    assert fingerprint(sqlite_services) == before


def test_an_inspections_grades_are_corrected_per_area(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    url = f"{A}/correction?record=inspection&ref=sif-2015"
    form = client.get(url).get_data(as_text=True)
    assert re.search(r'name="new_grade_lscb"[^>]*value="good"[^>]*checked', form)
    grades = {
        "new_grade_overall_effectiveness": "inadequate",
        "new_grade_help_and_protection": "inadequate",
        "new_grade_looked_after": "requires_improvement",
        "new_grade_adoption": "good",
        "new_grade_care_leavers": "inadequate",
        "new_grade_leadership": "inadequate",
        "new_grade_lscb": "not_graded",
    }
    response = record_through(
        client, url, data={"correct": ["grades"], **grades, "reason": "Misread the table", **SOURCE}
    )
    assert response.status_code == 303
    view = sqlite_services.views.judgements("lancashire", as_of=date(2016, 1, 1))
    assert {a["area"]: a["grade"] for a in view["areas"]}["adoption"] == "good"
    assert "lscb" not in {a["area"] for a in view["areas"]}


@pytest.mark.parametrize("kind", sorted(RECORD_CLASSES))
def test_the_correction_form_offers_every_field_the_ledger_lets_a_correction_change(
    kind: str,
) -> None:
    allowed = RECORD_CLASSES[kind].CORRECTABLE - IDENTIFYING_FIELDS
    assert set(correctable_fields(kind)) == allowed
    for name in allowed:
        assert name in FIELD_LABELS  # each offered in words


def test_a_decisions_date_is_corrected_from_the_web_and_moves_its_entry(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    url = f"{A}/correction?record=decision&ref=ccpi-2015-12-10"
    form = client.get(url).get_data(as_text=True)
    assert 'name="new_date"' in form
    response = record_through(
        client,
        url,
        data={
            "expected_version": hidden(form, "expected_version"),
            "correct": ["date"],
            **day("new_date", "2015-12-11"),
            "reason": "The decision record is dated the day after the meeting",
            **SOURCE,
        },
    )
    assert response.status_code == 303
    entries = sqlite_services.views.timeline("lancashire", kinds=["decision"])["entries"]
    (decision,) = [e for e in entries if e["ref"] == "ccpi-2015-12-10"]
    assert decision["date"] == "2015-12-11"
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Date Was: 10 December 2015 Now: 11 December 2015" in page


def test_a_recommendation_page_shows_corrections_to_it_and_its_actions_in_words(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    record(
        sqlite_services.ledger,
        {
            "type": "Corrected",
            "authority": "lancashire",
            "id": "improvement-plan-2018",
            "record": "action",
            "fields": {"owner": "Director of Children's Services"},
            "reason": "The plan names its owner",
            "source": "Cabinet report, November 2018",
        },
    )
    page = text_of(
        client_as("vic")
        .get("/authorities/lancashire/recommendations/sif-2018-neglect")
        .get_data(as_text=True)
    )
    assert "Corrections (1)" in page
    assert "Correction to the action improvement-plan-2018 (Improvement plan" in page
    assert "Why: The plan names its owner" in page
    assert (
        "Owner Was: Lancashire County Council children's services (owner not named in the "
        "source) Now: Director of Children's Services" in page
    )
