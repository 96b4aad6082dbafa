"""Current judgements per area: the newest published inspection's grades, each with the grade it
replaced and the direction of travel.

The newest inspection published on or before the "as of" day supersedes the earlier report as a
whole: an area it does not grade (e.g. the LSCB review, abolished in 2017) is no longer current.
Under a framework with no overall grade (ilacs-2026) there is no overall judgement to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ledger.application.log import PlainEvent
from ledger.domain.frameworks import Framework, FrameworkCatalogue
from ledger.domain.grades import Grade
from projections.jsonable import copied, corrected_kind, recorded
from projections.rows import Row, RowWrite
from projections.writes import Current, Document, Projection, row

NAME = "judgements"


def _recorded(event: PlainEvent, _: Current) -> list[RowWrite]:
    d = event.data
    body = {
        "ref": d["ref"],
        "framework": d["framework"],
        "kind": d["kind"],
        "first_day": d["first_day"],
        "last_day": d["last_day"],
        "published": d["published"],
        "grades": copied(d["grades"]),
        "report_url": d["report_url"],
        **recorded(event),
    }
    return [_inspection_row(event, body)]


def _inspection_row(event: PlainEvent, body: dict[str, Any], *, replaces: bool = False) -> RowWrite:
    # An inspection's judgements are in force from its publication: its valid time.
    return row(
        NAME,
        event,
        "inspection",
        event.originator_id,
        body,
        valid_from=body["published"],
        replaces=replaces,
    )


def _corrected(event: PlainEvent, current: Current) -> list[RowWrite]:
    kind, _ = corrected_kind(event)
    if kind != "inspection":
        return []
    found = current(NAME, "inspection", event.originator_id)
    if found is None:
        return []
    body = {**found, **copied(event.data["corrected_fields"])}
    return [_inspection_row(event, body, replaces=True)]


def _assemble(rows: Sequence[Row]) -> Document:
    return {"inspections": {r.body["ref"]: r.body for r in rows}}


JUDGEMENTS = Projection(NAME, {"InspectionRecorded": _recorded, "Corrected": _corrected}, _assemble)


def _direction(grade: str, previous: str | None) -> str | None:
    if previous is None:
        return None
    now, before = Grade(grade).rank, Grade(previous).rank
    return "improved" if now > before else "declined" if now < before else "unchanged"


def _previous(
    earlier: list[dict[str, Any]], keys: tuple[str, ...]
) -> tuple[str | None, dict[str, Any] | None]:
    for inspection in reversed(earlier):
        for key in keys:
            if key in inspection["grades"]:
                return inspection["grades"][key], inspection
    return None, None


def _area_view(
    framework: Framework, key: str, latest: dict[str, Any], earlier: list[dict[str, Any]]
) -> dict[str, Any]:
    area = framework.area(key)
    grade = latest["grades"][key]
    previous, previous_inspection = _previous(earlier, (key, *area.compares_with))
    return {
        "area": key,
        "label": area.label,
        "parent": area.parent,
        "grade": grade,
        "grade_label": Grade(grade).label,
        "since": latest["published"],
        "inspection": latest["ref"],
        "previous_grade": previous,
        "previous_grade_label": Grade(previous).label if previous else None,
        "previous_since": previous_inspection["published"] if previous_inspection else None,
        "direction": _direction(grade, previous),
    }


def current_judgements(
    doc: Document, frameworks: FrameworkCatalogue, as_of: date
) -> dict[str, Any]:
    """The judgements in force on `as_of` (valid time), with the previous grade of each area."""
    published = sorted(
        (i for i in doc["inspections"].values() if i["published"] <= as_of.isoformat()),
        key=lambda i: (i["published"], i["ref"]),
    )
    if not published:
        return {
            "as_of": as_of.isoformat(),
            "inspection": None,
            "has_overall_grade": None,
            "overall": None,
            "areas": [],
        }
    latest, earlier = published[-1], published[:-1]
    framework = frameworks.get(latest["framework"])
    areas = [
        _area_view(framework, area.key, latest, earlier)
        for area in framework.areas
        if area.key in latest["grades"]
    ]
    overall = next((a for a in areas if a["area"] == "overall_effectiveness"), None)
    return {
        "as_of": as_of.isoformat(),
        "inspection": {
            "ref": latest["ref"],
            "framework": latest["framework"],
            "framework_name": framework.name,
            "kind": latest["kind"],
            "first_day": latest["first_day"],
            "last_day": latest["last_day"],
            "published": latest["published"],
            "report_url": latest["report_url"],
            "source": latest["source"],
        },
        "has_overall_grade": framework.has_overall_grade,
        "overall": overall if framework.has_overall_grade else None,
        "areas": [a for a in areas if a["area"] != "overall_effectiveness"],
    }


def inspections(doc: Document, as_of: date) -> list[dict[str, Any]]:
    """Every inspection published on or before `as_of`, oldest first."""
    return sorted(
        (i for i in doc["inspections"].values() if i["published"] <= as_of.isoformat()),
        key=lambda i: (i["published"], i["ref"]),
    )
