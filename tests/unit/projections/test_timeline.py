"""The timeline keeps facts and describes them when read; a correction re-describes its record."""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.application.log import PlainEvent
from projections.timeline import TIMELINE, entries, latest
from tests.unit.projections.rows_in_memory import folded

ID = "3f0c7a52-6a1e-4a8e-9f61-1c2f1d9b6e10"
GRADES = {"overall_effectiveness": "inadequate", "leadership": "inadequate"}


def _event(position: int, name: str, day: str, **data: Any) -> PlainEvent:
    meta = {
        "authority": "testshire",
        "effective_date": day,
        "source": "report",
        "recorded_by": "tester",
        "command_id": f"c{position}",
    }
    return PlainEvent(position, name, ID, f"2026-01-0{position}T09:00:00+00:00", meta, data)


def _folded(*events: PlainEvent) -> dict[str, Any]:
    assert all(TIMELINE.handles(event.name) for event in events)
    return folded(TIMELINE, *events)


INSPECTED = _event(
    1,
    "InspectionRecorded",
    "2015-11-27",
    originator_topic="ledger.domain.inspections:Inspection",
    ref="sif-2015",
    framework="sif-2013",
    kind="single_inspection",
    first_day=None,
    last_day=None,
    published="2015-11-27",
    grades=GRADES,
    report_url=None,
)
CORRECTED = _event(
    2,
    "Corrected",
    "2016-01-04",
    corrects="inspection/sif-2015",
    corrected_fields={"published": "2015-12-01", "grades": {**GRADES, "leadership": "good"}},
    reason="Misread",
)


def test_the_timeline_stores_facts_and_describes_them_when_read() -> None:
    doc = _folded(INSPECTED)
    assert "title" not in doc["entries"][0]
    assert doc["entries"][0]["facts"]["grades"] is not GRADES  # a copy, not the event's own
    (entry,) = entries(doc, date(2020, 1, 1))
    assert entry == {
        "date": "2015-11-27",
        "kind": "inspection",
        "event": "InspectionRecorded",
        "ref": "sif-2015",
        "title": "Inspection report published (sif-2013, single inspection)",
        "summary": "Overall effectiveness: Inadequate",
        "facts": {k: v for k, v in INSPECTED.data.items() if k != "originator_topic"},
        "recorded_at": "2026-01-01T09:00:00+00:00",
        "recorded_by": "tester",
        "source": "report",
    }


def test_a_correction_moves_and_re_describes_its_record_and_has_an_entry_of_its_own() -> None:
    doc = _folded(INSPECTED, CORRECTED)
    inspection, correction = entries(doc, date(2020, 1, 1))
    assert inspection["date"] == "2015-12-01"
    assert inspection["facts"]["grades"]["leadership"] == "good"
    assert inspection["corrected"] is True
    assert list(inspection)[-1] == "corrected"
    assert correction["title"] == "Correction to inspection sif-2015"
    assert correction["summary"] == "Corrected grades, published: Misread"
    assert entries(doc, date(2015, 11, 30)) == []  # the corrected date is the one that counts
    assert latest(doc, "inspection", date(2020, 1, 1)) == inspection
    # The current version of the creation entry holds the corrected facts (the one it replaced
    # stays in the rows table, in transaction time: see the read-model integration tests).
    assert doc["entries"][0]["facts"]["published"] == "2015-12-01"
    assert doc["entries"][0]["date"] == "2015-12-01"


def test_a_correction_says_what_each_field_held_before_it() -> None:
    again = _event(
        3,
        "Corrected",
        "2016-01-05",
        corrects="inspection/sif-2015",
        corrected_fields={"published": "2015-11-30"},
        reason="Misread again",
    )
    doc = _folded(INSPECTED, CORRECTED, again)
    _, first, second = entries(doc, date(2020, 1, 1))
    assert first["facts"]["previous_fields"] == {"published": "2015-11-27", "grades": GRADES}
    assert second["facts"]["previous_fields"] == {"published": "2015-12-01"}  # the first's value
    assert doc["entries"][1]["facts"]["previous_fields"] == first["facts"]["previous_fields"]


def test_a_corrected_reading_says_its_value_before() -> None:
    reading = _event(1, "IndicatorReadingRecorded", "2017-02-28", period_end="2017-02-28")
    reading.data.update({"value": "71", "note": ""})
    remembered = _event(1, "IndicatorDefined", "2017-01-01", ref="return-home")
    fixed = _event(
        2,
        "Corrected",
        "2017-03-01",
        corrects="indicator/return-home",
        corrected_fields={"reading": {"period_end": "2017-02-28", "value": "17"}},
        reason="Digits swapped",
    )
    doc = _folded(remembered, reading, fixed)
    correction = entries(doc, date(2020, 1, 1))[-1]
    assert correction["facts"]["previous_fields"] == {
        "reading": {"period_end": "2017-02-28", "value": "71"}
    }
