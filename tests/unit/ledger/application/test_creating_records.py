"""Every kind of record is created with exactly what its command says, once: the same command
again changes nothing, another command with the same id is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ledger.domain.errors import RecordAlreadyExists
from tests.factories import AUTHORITY, action, authority, recommendation, sif_inspection
from tests.unit.ledger.application.journey_in_memory import InMemoryJourney
from tests.unit.ledger.application.test_visit_decision_intervention_indicator_rules import (
    decision,
    indicator,
    intervention,
    visit,
)

# Each creating line, its record's kind, a field to change for "another command", and what the
# created record must hold.
CASES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    (
        "inspection",
        sif_inspection(
            "insp-1",
            "2018-08-17",
            first_day="2018-06-11",
            last_day="2018-06-22",
            report_url="https://reports.example/1",
        ),
        "kind",
        {
            "framework": "sif-2013",
            "kind": "single_inspection",
            "first_day": date(2018, 6, 11),
            "last_day": date(2018, 6, 22),
            "published": date(2018, 8, 17),
            "report_url": "https://reports.example/1",
        },
    ),
    (
        "monitoring_visit",
        visit(areas_covered=["front door"], inspectors=["An Inspector"]),
        "progress_statement",
        {
            "number": 6,
            "first_day": date(2017, 4, 12),
            "last_day": date(2017, 4, 13),
            "letter_date": date(2017, 6, 13),
            "areas_covered": ["front door"],
            "inspectors": ["An Inspector"],
            "progress_statement": "uneven progress",
        },
    ),
    (
        "decision",
        decision(summary="Approved", resolutions=["Fund the plan"]),
        "title",
        {
            "body": "Cabinet",
            "date": date(2015, 12, 10),
            "title": "Additional investment",
            "summary": "Approved",
            "resolutions": ["Fund the plan"],
            "investment": Decimal("5000000.00"),
        },
    ),
    (
        "intervention",
        intervention("notice", detail="Issued by the minister"),
        "title",
        {
            "kind": "improvement_notice",
            "date": date(2016, 3, 1),
            "title": "Improvement notice",
            "by": "DfE",
            "detail": "Issued by the minister",
            "lifts": None,
        },
    ),
    (
        "indicator",
        {**indicator(), "target": "1500"},
        "name",
        {
            "name": "Children looked after",
            "unit": "count",
            "higher_is_better": False,
            "target": Decimal("1500"),
        },
    ),
]


@pytest.fixture
def registered(journey: InMemoryJourney) -> InMemoryJourney:
    journey.run(authority())
    return journey


@pytest.mark.parametrize(("kind", "line", "_", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_record_holds_what_its_command_said(
    registered: InMemoryJourney, kind: str, line: dict[str, Any], _: str, expected: dict[str, Any]
) -> None:
    assert registered.run(line) == 1
    created = registered.get(kind, line["id"])
    assert {name: getattr(created, name) for name in expected} == expected
    assert created.ref == line["id"]
    assert registered.events[-1].meta.source == line["source"]


@pytest.mark.parametrize(("kind", "line", "changed", "_"), CASES, ids=[c[0] for c in CASES])
def test_a_record_is_created_once(
    registered: InMemoryJourney, kind: str, line: dict[str, Any], changed: str, _: dict[str, Any]
) -> None:
    registered.run(line)
    assert registered.run(line) == 0
    other = {**line, changed: "standard" if changed == "kind" else "Something else"}
    with pytest.raises(RecordAlreadyExists, match=f"{line['id']!r} is already recorded") as e:
        registered.run(other)
    assert e.value.field == "id"


def test_the_same_id_may_name_records_of_other_authorities(journey: InMemoryJourney) -> None:
    journey.run(authority(), authority("otherford"))
    journey.run(sif_inspection("insp-1", "2018-08-17"))
    journey.run({**sif_inspection("insp-1", "2019-01-10"), "authority": "otherford"})
    assert str(journey.get("inspection", "insp-1", authority="otherford").published) == "2019-01-10"
    assert str(journey.get("inspection", "insp-1").published) == "2018-08-17"


def test_a_recommendation_from_a_monitoring_visit_is_issued_with_its_letter(
    registered: InMemoryJourney,
) -> None:
    registered.run(visit())
    registered.run(recommendation("rec-v", "mv-1", text="Reduce caseloads."))
    rec = registered.get("recommendation", "rec-v")
    assert (rec.origin_kind, str(rec.issued), rec.text) == (
        "monitoring_visit",
        "2017-06-13",
        "Reduce caseloads.",
    )
    assert rec.area is None
    assert registered.run(recommendation("rec-v", "mv-1", text="Reduce caseloads.")) == 0


def test_an_action_holds_its_plan(registered: InMemoryJourney) -> None:
    registered.run(sif_inspection("insp-1", "2018-08-17"), recommendation("rec-1", "insp-1"))
    registered.run(action("act-1", ["rec-1"], due="2018-12-31"))
    assert registered.run(action("act-1", ["rec-1"], due="2018-12-31")) == 0


def test_a_corrected_visit_s_findings_are_stored_as_plain_findings(
    registered: InMemoryJourney,
) -> None:
    registered.run(visit())
    registered.run(
        {
            "type": "Corrected",
            "authority": AUTHORITY,
            "id": "mv-1",
            "record": "monitoring_visit",
            "fields": {"findings": [{"kind": "strength", "text": "Leaders know their services."}]},
            "reason": "The letter lists a strength",
            "source": "letter",
        }
    )
    expected = [{"kind": "strength", "text": "Leaders know their services."}]
    assert registered.get("monitoring_visit", "mv-1").findings == expected
    assert registered.events[-1].corrected_fields["findings"] == expected
