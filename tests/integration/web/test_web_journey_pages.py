"""The journey's pages on the demo journey: dashboard, timeline, recommendations, actions and
indicators, each as the ledger stands now."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from entrypoints.bootstrap import Services
from tests.factories import record

ClientAs = Callable[[str], FlaskClient]

A = "lancashire"


def line(event: str, **fields: Any) -> dict[str, Any]:
    return {"type": event, "authority": A, "source": "test paper", **fields}


def text_of(html: str) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_dashboard_shows_judgements_as_tags_with_words_and_the_direction_of_travel(
    client_as: ClientAs,
) -> None:
    html = client_as("vic").get("/dashboard").get_data(as_text=True)
    page = text_of(html)
    assert '<h1 class="govuk-heading-l">Lancashire County Council</h1>' in html
    assert re.search(
        r'<strong class="govuk-tag govuk-tag--yellow">\s*Requires improvement to be good\s*</strong>',
        html,
    )
    assert re.search(r'<strong class="govuk-tag govuk-tag--turquoise">\s*Good\s*</strong>', html)
    assert "Overall effectiveness Requires improvement to be good Improved from Inadequate" in page
    assert "Adoption performance Graded within Children looked after" in page
    assert "Improved from Requires improvement to be good" in page
    assert "re-inspection report under the Single inspection framework (SIF)" in page


def test_dashboard_lists_open_recommendations_overdue_actions_and_the_latest_visit_and_decision(
    client_as: ClientAs,
) -> None:
    page = text_of(client_as("vic").get("/authorities/lancashire").get_data(as_text=True))
    assert "Open recommendations (4)" in page
    assert "sif-2018-early-help" in page
    assert "Actions rated red or overdue (1)" in page
    assert "Overdue by 2,915 days" in page  # due 30 November 2018; today is 23 November 2026
    assert "Monitoring visit 6" in page
    assert "1 strength, 2 improvements, 2 concerns, 1 decline" in page
    assert "Cabinet Committee on Performance Improvement" in page


def test_a_red_action_shows_on_the_dashboard_with_its_rating_in_words(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    record(
        sqlite_services.ledger,
        line(
            "ActionProgressUpdated",
            id="improvement-plan-2018",
            date="2018-10-01",
            rag="red",
            narrative="Cabinet date slipped.",
        ),
    )
    html = client_as("vic").get("/dashboard").get_data(as_text=True)
    assert re.search(r'<strong class="govuk-tag govuk-tag--red">\s*Red\s*</strong>', html)


def test_an_ilacs_2026_inspection_shows_no_overall_grade(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    grades = dict.fromkeys(["leaders", "help_and_protection", "in_care", "care_leavers"], "good")
    record(
        sqlite_services.ledger,
        line(
            "InspectionRecorded",
            id="ilacs-2026",
            framework="ilacs-2026",
            kind="standard",
            published="2026-06-01",
            grades=grades,
        ),
    )
    page = text_of(client_as("vic").get("/dashboard").get_data(as_text=True))
    assert "There is no overall grade under this framework" in page
    assert "Overall effectiveness" not in page
    assert "The experiences and progress of children in care Good" in page


def test_several_authorities_are_listed_to_choose_from(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    record(
        sqlite_services.ledger,
        {
            "type": "AuthorityRegistered",
            "id": "testshire",
            "name": "Testshire Council",
            "source": "test",
        },
    )
    html = client_as("vic").get("/dashboard").get_data(as_text=True)
    assert "Choose an authority" in html
    assert 'href="/authorities/testshire"' in html
    assert 'href="/authorities/lancashire"' in html


def test_no_authority_yet_says_so(make_ledger_app: Any, services: Services) -> None:
    client = make_ledger_app(services).test_client()
    client.post("/sign-in", data={"name": "vic", "password": "correct horse battery staple"})
    assert "The ledger holds no authority yet" in client.get("/dashboard").get_data(as_text=True)


def test_an_unknown_authority_or_recommendation_is_not_found(client_as: ClientAs) -> None:
    client = client_as("vic")
    assert client.get("/authorities/nowhere").status_code == 404
    assert client.get("/authorities/nowhere/timeline").status_code == 404
    assert client.get("/authorities/lancashire/recommendations/no-such").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(ledger_app: Flask) -> None:
    response = ledger_app.test_client().get("/authorities/lancashire/indicators")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_timeline_lists_the_journey_newest_first_with_source_and_recorder(
    client_as: ClientAs,
) -> None:
    page = text_of(client_as("vic").get("/timeline").get_data(as_text=True))
    assert "Showing 1 to 17 of 17 entries" in page
    assert page.index("17 August 2018") < page.index("27 November 2015")
    assert "Source: 004_fe15f71d82a0a1cc.txt. Recorded by demo-loader" in page


def test_timeline_filters_by_kind_and_by_dates(client_as: ClientAs) -> None:
    client = client_as("vic")
    visits = text_of(client.get("/timeline?kind=monitoring_visit").get_data(as_text=True))
    assert "Showing 1 to 1 of 1 entry" in visits
    assert "Monitoring visit 6: letter published" in visits
    in_2015 = client.get(
        "/authorities/lancashire/timeline?from=1&from=11&from=2015&to=31&to=12&to=2015"
        "&kind=decision&kind=intervention"
    )
    page = text_of(in_2015.get_data(as_text=True))
    assert "of 3 entries" in page
    assert "Improvement board established" in page
    assert "Inspection report published" not in page


def test_timeline_filter_with_a_bad_date_shows_the_error_summary(client_as: ClientAs) -> None:
    html = client_as("vic").get("/timeline?from=31&from=2&from=2016").get_data(as_text=True)
    assert "<title>Error: Timeline" in html
    assert 'href="#from-day"' in html
    assert "The start date must be a real date" in html
    assert 'value="31"' in html  # what was typed stays


def test_timeline_is_paged_and_links_keep_the_filters(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    readings = [
        line(
            "IndicatorReadingRecorded",
            id="children-looked-after",
            period_end=f"2019-{month:02d}-01",
            value=str(1800 + month),
        )
        for month in range(1, 13)
    ] + [
        line(
            "IndicatorReadingRecorded",
            id="care-leavers-in-touch",
            period_end=f"20{year}-{month:02d}-01",
            value="90",
        )
        for year in (20, 21, 22)
        for month in range(1, 13)
    ]
    record(sqlite_services.ledger, *readings)
    client = client_as("vic")
    first = text_of(client.get("/timeline?kind=indicator").get_data(as_text=True))
    assert "Showing 1 to 50 of 54 entries" in first
    second = client.get("/timeline?kind=indicator&page=2").get_data(as_text=True)
    assert "Showing 51 to 54 of 54 entries" in text_of(second)
    assert 'href="/authorities/lancashire/timeline?kind=indicator&amp;page=1"' in second


def test_recommendation_page_shows_each_action_with_its_full_history(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    record(
        sqlite_services.ledger,
        line(
            "ActionProgressUpdated",
            id="improvement-plan-2018",
            date="2018-10-01",
            rag="amber",
            narrative="Draft plan with the board.",
            evidence=["PIIB paper 1 October 2018"],
        ),
        line(
            "ActionDueDateRevised",
            id="improvement-plan-2018",
            date="2018-10-15",
            new_due_date="2019-01-31",
            reason="Cabinet meeting moved",
            approver="PIIB",
        ),
        actor="rae",
    )
    html = (
        client_as("vic")
        .get("/authorities/lancashire/recommendations/sif-2018-neglect")
        .get_data(as_text=True)
    )
    page = text_of(html)
    assert 'id="action-improvement-plan-2018"' in html
    assert re.search(r'<strong class="govuk-tag govuk-tag--orange">\s*Amber\s*</strong>', html)
    assert "Draft plan with the board. Evidence: PIIB paper 1 October 2018" in page
    assert "From 30 November 2018 to 31 January 2019 Cabinet meeting moved PIIB rae" in page
    assert "Original due date 30 November 2018 (revised since)" in page
    assert "The experiences and progress of children who need help and protection" not in page
    assert "Children who need help and protection" in page  # the SIF's own wording


def test_recommendations_list_filters_by_status(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    record(
        sqlite_services.ledger,
        line(
            "RecommendationClosed",
            id="sif-2018-neglect",
            date="2019-03-01",
            evidence="Neglect strategy in place",
            decided_by="PIIB",
        ),
    )
    client = client_as("vic")
    closed = text_of(
        client.get("/authorities/lancashire/recommendations?status=closed").get_data(as_text=True)
    )
    assert "Closed recommendations on 23 November 2026 (1)" in closed
    assert "sif-2018-neglect" in closed
    opened = text_of(client.get("/authorities/lancashire/recommendations").get_data(as_text=True))
    assert "Open recommendations on 23 November 2026 (3)" in opened


def test_action_tracker_lists_every_action(client_as: ClientAs) -> None:
    page = text_of(client_as("vic").get("/authorities/lancashire/actions").get_data(as_text=True))
    assert "1 action, 0 rated red, 1 overdue" in page
    assert "Improvement plan addressing the 11 recommendations" in page
    assert "Not rated yet" in page


def test_indicators_page_draws_an_accessible_chart_and_the_same_data_as_a_table(
    client_as: ClientAs,
) -> None:
    html = client_as("vic").get("/authorities/lancashire/indicators").get_data(as_text=True)
    charts = re.findall(r'<svg class="app-chart" role="img" aria-labelledby="([^"]+)"', html)
    assert len(charts) == 4
    for labelled_by in charts:
        title_id, desc_id = labelled_by.split()
        assert f'<title id="{title_id}">' in html
        assert f'<desc id="{desc_id}">' in html
    page = text_of(html)
    assert (
        "2 readings from 12 October 2016 to 28 February 2017: from 32% to 71%; lowest 32%, "
        "highest 71%. Higher is better." in page
    )
    assert "12 October 2016 32% Offered an interview" in page  # the table holds the same data
    assert "Better than the previous reading" in page


def test_viewers_see_no_recording_links(client_as: ClientAs) -> None:
    viewer = client_as("vic").get("/authorities/lancashire/recommendations/sif-2018-neglect")
    assert "Record progress" not in viewer.get_data(as_text=True)
    recorder = client_as("rae").get("/authorities/lancashire/recommendations/sif-2018-neglect")
    assert "Record progress" in recorder.get_data(as_text=True)


def test_home_goes_to_the_dashboard_and_the_menu_links_the_ledger_pages(
    client_as: ClientAs,
) -> None:
    client = client_as("vic")
    assert client.get("/").headers["Location"].endswith("/dashboard")
    html = client.get("/dashboard").get_data(as_text=True)
    for href in ('href="/dashboard"', 'href="/timeline"', 'href="/audit"'):
        assert href in html
    assert 'href="/record"' not in html  # viewers do not record
    assert 'href="/record"' in client_as("rae").get("/dashboard").get_data(as_text=True)
