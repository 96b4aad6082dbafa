"""Inspections fit their framework and their own dates; recommendations come from a recorded
inspection or visit, close once, reopen once, and never close before they were issued."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.errors import (
    InvalidCommand,
    RecommendationStateError,
    UnknownFramework,
    UnknownJudgementArea,
    UnknownRecord,
)
from tests.factories import AUTHORITY, authority, recommendation, sif_inspection
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney


def decide(kind: str, ref: str, day: str, **extra: Any) -> dict[str, Any]:
    note = (
        {"evidence": "Audit shows it is done"}
        if kind == "RecommendationClosed"
        else {"reason": "The audit was wrong"}
    )
    return {
        "type": kind,
        "authority": AUTHORITY,
        "id": ref,
        "date": day,
        "decided_by": "Improvement board",
        "source": "board minutes",
        **note,
        **extra,
    }


@pytest.fixture
def inspected(journey: InMemoryJourney) -> InMemoryJourney:
    journey.run(
        authority(),
        sif_inspection("insp-1", "2018-08-17", first_day="2018-06-11", last_day="2018-06-22"),
    )
    return journey


def test_the_days_on_site_come_in_order_and_before_publication(journey: InMemoryJourney) -> None:
    journey.run(authority())
    with pytest.raises(InvalidCommand, match="last day on site is before the first") as order:
        journey.run(
            sif_inspection("i", "2018-08-17", first_day="2018-06-22", last_day="2018-06-11")
        )
    assert order.value.field == "last_day"
    with pytest.raises(InvalidCommand, match="published before the last day") as early:
        journey.run(
            sif_inspection("i", "2018-06-21", first_day="2018-06-11", last_day="2018-06-22")
        )
    assert early.value.field == "published"
    # On the last day itself, and with one day only, are fine.
    journey.run(sif_inspection("a", "2018-06-22", first_day="2018-06-11", last_day="2018-06-22"))
    journey.run(sif_inspection("b", "2018-06-22", last_day="2018-06-22"))
    journey.run(sif_inspection("c", "2018-06-22", first_day="2018-06-22", last_day="2018-06-22"))


def test_an_inspection_fits_its_framework(journey: InMemoryJourney) -> None:
    journey.run(authority())
    with pytest.raises(UnknownFramework):
        journey.run(sif_inspection("i", "2018-08-17", framework="sif-2009"))
    with pytest.raises(InvalidCommand, match="'standard' is not a kind of inspection") as kind:
        journey.run(sif_inspection("i", "2018-08-17", kind="standard"))
    assert kind.value.field == "kind"
    grades = dict(sif_inspection("i", "2018-08-17")["grades"], leaders="good")
    with pytest.raises(UnknownJudgementArea, match="'leaders' is not a judgement area"):
        journey.run(sif_inspection("i", "2018-08-17", grades=grades))
    partial = {"overall_effectiveness": "good"}
    with pytest.raises(InvalidCommand, match="missing: help_and_protection"):
        journey.run(sif_inspection("i", "2018-08-17", grades=partial))
    # The LSCB review is graded in SIF reports but not required.
    standard = sif_inspection("i", "2018-08-17")["grades"]
    journey.run(sif_inspection("i", "2018-08-17", grades={**standard, "lscb": "good"}))
    assert journey.get("inspection", "i").grades["lscb"] == "good"


def test_a_recommendation_comes_from_a_recorded_inspection_or_visit(
    inspected: InMemoryJourney,
) -> None:
    with pytest.raises(UnknownRecord, match="no inspection or monitoring visit 'insp-9'") as e:
        inspected.run(recommendation("rec-1", "insp-9"))
    assert e.value.field == "origin"
    inspected.run(recommendation("rec-1", "insp-1"))
    rec = inspected.get("recommendation", "rec-1")
    assert (rec.origin, rec.origin_kind, str(rec.issued)) == ("insp-1", "inspection", "2018-08-17")
    assert rec.is_open


def test_a_recommendation_s_area_belongs_to_its_inspection_s_framework(
    inspected: InMemoryJourney,
) -> None:
    with pytest.raises(UnknownJudgementArea):
        inspected.run({**recommendation("rec-1", "insp-1"), "area": "in_care"})
    inspected.run({**recommendation("rec-1", "insp-1"), "area": "care_leavers"})
    assert inspected.get("recommendation", "rec-1").area == "care_leavers"


def test_a_recommendation_closes_once_not_before_it_was_issued_and_reopens_once(
    inspected: InMemoryJourney,
) -> None:
    inspected.run(recommendation("rec-1", "insp-1"))
    with pytest.raises(RecommendationStateError, match="open already"):
        inspected.run(decide("RecommendationReopened", "rec-1", "2018-09-01"))
    with pytest.raises(InvalidCommand, match="cannot close before it was issued") as early:
        inspected.run(decide("RecommendationClosed", "rec-1", "2018-08-16"))
    assert early.value.field == "date"
    inspected.run(decide("RecommendationClosed", "rec-1", "2018-08-17"))
    assert not inspected.get("recommendation", "rec-1").is_open
    with pytest.raises(RecommendationStateError, match="already closed"):
        inspected.run(decide("RecommendationClosed", "rec-1", "2018-09-01", source="again"))
    inspected.run(decide("RecommendationReopened", "rec-1", "2018-09-02"))
    assert inspected.get("recommendation", "rec-1").is_open
