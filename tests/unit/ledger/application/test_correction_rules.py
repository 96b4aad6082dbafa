"""Corrections: they change at least one correctable field, keep the corrected record valid, and
the mistake and the correction both stay in the history."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.errors import ConcurrentUpdateConflict, InvalidCommand, UnknownRecord
from tests.factories import AUTHORITY, authority, sif_inspection
from tests.factories import journey as a_journey
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney
from tests.unit.ledger.application.test_visit_decision_intervention_indicator_rules import (
    decision,
    indicator,
    reading,
    visit,
)


def correct(record: str, ref: str, fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "Corrected",
        "authority": AUTHORITY,
        "id": ref,
        "record": record,
        "fields": fields,
        "reason": "Typed wrongly from the report",
        "source": "the report",
        **extra,
    }


@pytest.fixture
def recorded(journey: InMemoryJourney) -> InMemoryJourney:
    journey.run(*a_journey(), visit(), decision(), indicator(), reading("2017-02-28", "1853"))
    return journey


def test_a_correction_changes_the_record_and_both_stay_in_the_history(
    recorded: InMemoryJourney,
) -> None:
    recorded.run(correct("action", "act-1", {"title": "Audit every case"}))
    assert recorded.get("action", "act-1").title == "Audit every case"
    planned, corrected = (
        e
        for e in recorded.events
        if "act-1" in str(getattr(e, "corrects", "act-1"))
        and type(e).__name__ in ("ActionPlanned", "Corrected")
    )
    assert planned.title == "Action act-1"
    assert corrected.corrects == "action/act-1"
    assert corrected.corrected_fields == {"title": "Audit every case"}
    assert corrected.reason == "Typed wrongly from the report"


def test_only_correctable_fields_can_be_corrected(recorded: InMemoryJourney) -> None:
    with pytest.raises(InvalidCommand, match="cannot correct due_date of an action") as e:
        recorded.run(correct("action", "act-1", {"due_date": "2019-01-31"}))
    assert e.value.field == "fields"
    assert "correctable: answers, owner, title" in str(e.value)
    with pytest.raises(InvalidCommand, match="cannot correct date of an action"):
        recorded.run(correct("action", "act-1", {"date": "2018-09-02"}))


def test_a_correction_must_change_something(recorded: InMemoryJourney) -> None:
    record = recorded.get("action", "act-1")
    with pytest.raises(InvalidCommand, match="at least one field"):
        record.check_correction({})


def test_a_corrected_inspection_must_still_fit_its_framework_and_dates(
    recorded: InMemoryJourney,
) -> None:
    with pytest.raises(InvalidCommand, match="missing"):
        recorded.run(correct("inspection", "insp-1", {"grades": {"overall_effectiveness": "good"}}))
    with pytest.raises(InvalidCommand, match="not a kind of inspection"):
        recorded.run(correct("inspection", "insp-1", {"kind": "short"}))
    with pytest.raises(InvalidCommand, match="published before the last day"):
        recorded.run(correct("inspection", "insp-1", {"last_day": "2018-08-18"}))
    recorded.run(correct("inspection", "insp-1", {"last_day": "2018-06-22"}))
    assert str(recorded.get("inspection", "insp-1").last_day) == "2018-06-22"


def test_corrected_values_keep_the_rules_of_their_record(recorded: InMemoryJourney) -> None:
    with pytest.raises(InvalidCommand, match="whole pence"):
        recorded.run(correct("decision", "d-1", {"investment": "1.005"}))
    with pytest.raises(UnknownRecord, match="no recommendation 'rec-9'"):
        recorded.run(correct("action", "act-1", {"answers": ["rec-9"]}))
    with pytest.raises(InvalidCommand, match="answers at least one"):
        recorded.run(correct("action", "act-1", {"answers": []}))
    with pytest.raises(InvalidCommand, match="letter is dated before"):
        recorded.run(correct("monitoring_visit", "mv-1", {"letter_date": "2017-04-01"}))
    with pytest.raises(InvalidCommand, match="last day on site is before the first"):
        recorded.run(correct("monitoring_visit", "mv-1", {"first_day": "2017-04-20"}))
    with pytest.raises(InvalidCommand, match="is not a judgement area"):
        recorded.run(correct("recommendation", "rec-1", {"area": "in_care"}))
    recorded.run(correct("recommendation", "rec-1", {"area": "care_leavers"}))
    recorded.run(correct("decision", "d-1", {"date": "2015-12-11"}))
    assert str(recorded.get("decision", "d-1").date) == "2015-12-11"


def test_a_reading_is_corrected_only_for_a_period_it_has(recorded: InMemoryJourney) -> None:
    fix = {"reading": {"period_end": "2017-03-31", "value": "1900"}}
    with pytest.raises(InvalidCommand, match="no reading for 2017-03-31"):
        recorded.run(correct("indicator", "cla", fix))
    recorded.run(
        correct("indicator", "cla", {"reading": {"period_end": "2017-02-28", "value": "1850"}})
    )
    (value,) = recorded.get("indicator", "cla").readings.values()
    assert str(value) == "1850"


def test_a_correction_needs_the_record_and_its_current_version(
    recorded: InMemoryJourney,
) -> None:
    with pytest.raises(UnknownRecord, match="no action 'act-9'"):
        recorded.run(correct("action", "act-9", {"title": "x"}))
    with pytest.raises(ConcurrentUpdateConflict):
        recorded.run(correct("action", "act-1", {"title": "x"}, expected_version=9))


def test_an_authority_is_corrected_as_other_records_are(journey: InMemoryJourney) -> None:
    journey.run(authority(), sif_inspection("insp-1", "2018-08-17"))
    journey.run(correct("authority", AUTHORITY, {"region": "North West"}))
    assert journey.get("authority", AUTHORITY).region == "North West"
