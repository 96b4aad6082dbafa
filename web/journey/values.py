"""How a record's recorded details read to a person: each field's name in words and its value
as text (dates in words, grades and kinds by their labels, money in pounds), for the check
before recording, the correction form and corrections shown on the timeline and record pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ledger.domain.frameworks import Framework, FrameworkCatalogue
from web.journey.presentation import (
    FINDING_LABELS,
    GRADE_LABELS,
    INSPECTION_KIND_LABELS,
    UNIT_LABELS,
    long_date,
    money,
    number,
)

#: Each correctable field in words, in the order the record's own form asks for them.
FIELD_LABELS = {
    "name": "Name",
    "code": "ONS or local authority code",
    "region": "Region",
    "kind": "Kind of inspection",
    "first_day": "First day on site",
    "last_day": "Last day on site",
    "published": "Publication date",
    "grades": "Grades",
    "report_url": "Link to the report",
    "text": "Text",
    "area": "Judgement area",
    "number": "Visit number",
    "letter_date": "Date of the letter",
    "areas_covered": "Areas covered",
    "inspectors": "Inspectors",
    "progress_statement": "Overall progress statement",
    "findings": "Findings",
    "body": "Decision-making body",
    "date": "Date",
    "title": "Title",
    "summary": "Summary",
    "resolutions": "Resolutions",
    "investment": "Investment",
    "by": "By",
    "detail": "Detail",
    "owner": "Owner",
    "answers": "Recommendations it answers",
    "unit": "Unit",
    "higher_is_better": "Which way is better",
    "target": "Target",
    "reading": "A reading",
    "email": "Email address",
}
DATE_FIELDS = frozenset({"first_day", "last_day", "published", "letter_date", "date"})
NONE = "None"
DIRECTIONS = {
    True: "Higher is better",
    False: "Lower is better",
    None: "Neither: tracked, not judged",
}


def field_label(name: str) -> str:
    """A field's name in words (``letter_date``: "Date of the letter")."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def value_lines(
    name: str,
    value: Any,
    frameworks: FrameworkCatalogue,
    framework: Framework | None = None,
    unit: str | None = None,
) -> list[str]:
    """A recorded value as lines of text ("None" for nothing). ``framework`` words an
    inspection's grades by its own area labels; ``unit`` an indicator's readings."""
    if name == "higher_is_better":
        return [DIRECTIONS.get(value, str(value))]
    if value is None or value == "" or value == [] or value == {}:
        return [NONE]
    if name in DATE_FIELDS:
        return [long_date(_day(value))]
    if name == "grades" and isinstance(value, Mapping):
        return [
            f"{_area_label(area, frameworks, framework)}: {GRADE_LABELS.get(str(g), str(g))}"
            for area, g in value.items()
        ]
    if name == "findings" and isinstance(value, list):
        return [_finding(item) for item in value]
    if name == "reading" and isinstance(value, Mapping):
        shown = number(str(value.get("value")), unit) if value.get("value") is not None else NONE
        return [f"Period ending {long_date(_day(value['period_end']))}: {shown}"]
    if isinstance(value, list):
        return [str(item) for item in value]
    if name == "investment":
        return [money(str(value))]
    if name == "target":
        return [number(str(value), unit)]
    if name == "unit":
        return [UNIT_LABELS.get(str(value), str(value))]
    if name == "kind":
        return [INSPECTION_KIND_LABELS.get(str(value), str(value).replace("_", " ").capitalize())]
    if name == "area":
        return [_area_label(str(value), frameworks, framework)]
    return [str(value)]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _area_label(key: str, frameworks: FrameworkCatalogue, framework: Framework | None) -> str:
    if framework is not None:
        for area in framework.areas:
            if area.key == key:
                return area.label
    return frameworks.area_label(key)


def _finding(item: Any) -> str:
    if isinstance(item, Mapping):
        kind = FINDING_LABELS.get(str(item.get("kind")), str(item.get("kind", "")))
        return f"{kind}: {item.get('text', '')}"
    return str(item)
