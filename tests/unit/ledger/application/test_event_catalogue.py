"""The events each command records, field by field: what the history will hold for ever.

One journey touches every event of the domain page once; each event's data is compared whole,
so a handler that drops or swaps a field, or an event method that records the wrong value, is
caught here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.factories import AUTHORITY, action, authority, progress, recommendation, sif_inspection
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney
from tests.unit.ledger.application.test_action_rules import close, revise
from tests.unit.ledger.application.test_correction_rules import correct
from tests.unit.ledger.application.test_inspection_and_recommendation_rules import decide
from tests.unit.ledger.application.test_visit_decision_intervention_indicator_rules import (
    decision,
    indicator,
    intervention,
    reading,
    visit,
)

ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "meta"}


def data(event: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(event).items() if k not in ENVELOPE}


def test_every_command_records_exactly_its_event(journey: InMemoryJourney) -> None:
    lines = [
        {**authority(), "code": "E10000017", "region": "North West"},
        sif_inspection("insp-1", "2018-08-17", report_url="https://reports.example/1"),
        visit(),
        {**recommendation("rec-1", "insp-1"), "area": "leadership"},
        decide("RecommendationClosed", "rec-1", "2018-12-01"),
        decide("RecommendationReopened", "rec-1", "2019-01-01"),
        decision(summary="Approved", resolutions=["Fund the plan"]),
        intervention("notice", detail="From the minister"),
        action("act-1", ["rec-1"], due="2018-12-31"),
        progress("act-1", "2018-10-01", "amber", evidence=["audit 3"]),
        revise("act-1", "2018-10-02", "2019-03-31"),
        close("ActionCompleted", "act-1", "2019-03-01"),
        action("act-2", ["rec-1"], due="2018-12-31"),
        close("ActionCancelled", "act-2", "2018-11-01"),
        {**indicator(), "target": "1500"},
        {**reading("2017-02-28", "1853"), "note": "At the visit"},
        correct("decision", "d-1", {"title": "Investment of £5m"}, date="2016-01-05"),
    ]
    for line in lines:
        journey.run(line)
    recorded = [(type(e).__name__, data(e)) for e in journey.events]
    assert recorded == [
        (
            "AuthorityRegistered",
            {
                "slug": AUTHORITY,
                "name": "Testshire Council",
                "code": "E10000017",
                "region": "North West",
            },
        ),
        (
            "InspectionRecorded",
            {
                "ref": "insp-1",
                "framework": "sif-2013",
                "kind": "single_inspection",
                "first_day": None,
                "last_day": None,
                "published": date(2018, 8, 17),
                "grades": sif_inspection("x", "2018-01-01")["grades"],
                "report_url": "https://reports.example/1",
            },
        ),
        (
            "MonitoringVisitRecorded",
            {
                "ref": "mv-1",
                "number": 6,
                "first_day": date(2017, 4, 12),
                "last_day": date(2017, 4, 13),
                "letter_date": date(2017, 6, 13),
                "areas_covered": [],
                "inspectors": [],
                "progress_statement": "uneven progress",
                "findings": [{"kind": "concern", "text": "Caseloads are high."}],
            },
        ),
        (
            "RecommendationIssued",
            {
                "ref": "rec-1",
                "origin": "insp-1",
                "origin_kind": "inspection",
                "text": "Improve things.",
                "area": "leadership",
            },
        ),
        (
            "RecommendationClosed",
            {"evidence": "Audit shows it is done", "decided_by": "Improvement board"},
        ),
        (
            "RecommendationReopened",
            {"reason": "The audit was wrong", "decided_by": "Improvement board"},
        ),
        (
            "DecisionRecorded",
            {
                "ref": "d-1",
                "body": "Cabinet",
                "date": date(2015, 12, 10),
                "title": "Additional investment",
                "summary": "Approved",
                "resolutions": ["Fund the plan"],
                "investment": Decimal("5000000.00"),
            },
        ),
        (
            "InterventionRecorded",
            {
                "ref": "notice",
                "kind": "improvement_notice",
                "date": date(2016, 3, 1),
                "title": "Improvement notice",
                "by": "DfE",
                "detail": "From the minister",
                "lifts": None,
            },
        ),
        (
            "ActionPlanned",
            {
                "ref": "act-1",
                "title": "Action act-1",
                "owner": "Head of service",
                "due_date": date(2018, 12, 31),
                "answers": ["rec-1"],
            },
        ),
        (
            "ActionProgressUpdated",
            {"rag": "amber", "narrative": "Progressing.", "evidence": ["audit 3"]},
        ),
        (
            "ActionDueDateRevised",
            {
                "previous_due_date": date(2018, 12, 31),
                "new_due_date": date(2019, 3, 31),
                "reason": "Recruitment took longer",
                "approver": "Improvement board",
            },
        ),
        ("ActionCompleted", {"evidence": "Signed off by the board"}),
        (
            "ActionPlanned",
            {
                "ref": "act-2",
                "title": "Action act-2",
                "owner": "Head of service",
                "due_date": date(2018, 12, 31),
                "answers": ["rec-1"],
            },
        ),
        ("ActionCancelled", {"reason": "Signed off by the board"}),
        (
            "IndicatorDefined",
            {
                "ref": "cla",
                "name": "Children looked after",
                "unit": "count",
                "higher_is_better": False,
                "target": Decimal("1500"),
            },
        ),
        (
            "IndicatorReadingRecorded",
            {"period_end": date(2017, 2, 28), "value": Decimal("1853"), "note": "At the visit"},
        ),
        (
            "Corrected",
            {
                "corrects": "decision/d-1",
                "corrected_fields": {"title": "Investment of £5m"},
                "reason": "Typed wrongly from the report",
            },
        ),
    ]
    dated = [(e.meta.effective_date, e.meta.source) for e in journey.events]
    assert dated == [
        (journey.today, "test"),
        (date(2018, 8, 17), "test report"),
        (date(2017, 6, 13), "letter"),
        (date(2018, 8, 17), "test report"),
        (date(2018, 12, 1), "board minutes"),
        (date(2019, 1, 1), "board minutes"),
        (date(2015, 12, 10), "minutes"),
        (date(2016, 3, 1), "notice"),
        (date(2018, 9, 1), "improvement plan"),
        (date(2018, 10, 1), "highlight report"),
        (date(2018, 10, 2), "board minutes"),
        (date(2019, 3, 1), "board minutes"),
        (date(2018, 9, 1), "improvement plan"),
        (date(2018, 11, 1), "board minutes"),
        (journey.today, "performance report"),
        (date(2017, 2, 28), "performance report"),
        (date(2016, 1, 5), "the report"),
    ]
    assert {e.meta.authority for e in journey.events} == {AUTHORITY}
    assert {e.meta.recorded_by for e in journey.events} == {"tester"}


def test_a_correction_without_a_date_is_dated_the_day_it_is_recorded(
    journey: InMemoryJourney,
) -> None:
    journey.run(authority(), decision())
    journey.run(correct("decision", "d-1", {"title": "Investment"}))
    assert journey.events[-1].meta.effective_date == journey.today


def test_a_recommendation_from_a_visit_is_dated_by_its_letter(journey: InMemoryJourney) -> None:
    journey.run(authority(), visit(), recommendation("rec-v", "mv-1"))
    assert journey.events[-1].meta.effective_date == date(2017, 6, 13)
    assert data(journey.events[-1])["origin_kind"] == "monitoring_visit"
