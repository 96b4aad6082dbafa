"""How the journey's values read on a page: dates in words, instants in London time, money, and
GOV.UK tags that always carry their meaning in text (colour only repeats it)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

GRADE_TAG_CLASSES = {
    "outstanding": "govuk-tag--green",
    "good": "govuk-tag--turquoise",
    "requires_improvement": "govuk-tag--yellow",
    "inadequate": "govuk-tag--red",
}
GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}
RAG_TAGS = {
    "red": ("Red", "govuk-tag--red"),
    "amber": ("Amber", "govuk-tag--orange"),
    "green": ("Green", "govuk-tag--green"),
    "complete": ("Complete", "govuk-tag--blue"),
}
ACTION_STATUS_TAGS = {
    "open": ("Open", "govuk-tag--light-blue"),
    "complete": ("Complete", "govuk-tag--blue"),
    "cancelled": ("Cancelled", "govuk-tag--grey"),
}
RECOMMENDATION_STATUS_TAGS = {
    "open": ("Open", "govuk-tag--light-blue"),
    "closed": ("Closed", "govuk-tag--grey"),
}
DIRECTION_TEXT = {
    "improved": "Improved",
    "declined": "Declined",
    "unchanged": "Unchanged",
}
KIND_LABELS = {
    "inspection": "Inspection",
    "monitoring_visit": "Monitoring visit",
    "decision": "Decision",
    "intervention": "Intervention",
    "recommendation": "Recommendation",
    "action": "Action",
    "indicator": "Indicator reading",
    "correction": "Correction",
}
FINDING_LABELS = {
    "strength": "Strength",
    "improvement": "Improvement",
    "concern": "Concern",
    "decline": "Decline",
}
INSPECTION_KIND_LABELS = {
    "single_inspection": "Single inspection",
    "re_inspection": "Re-inspection",
    "standard": "Standard inspection",
    "short": "Short inspection",
}
UNIT_LABELS = {"count": "Count", "percent": "Percentage", "days": "Days"}
MOVEMENT_TEXT = {
    "better": "Better than the previous reading",
    "worse": "Worse than the previous reading",
    "unchanged": "The same as the previous reading",
    "changed": "Changed since the previous reading",
}


def _day(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def long_date(value: str | date | None) -> str:
    """``2015-11-27`` as ``27 November 2015`` (GOV.UK style); blank if there is none."""
    day = _day(value)
    return f"{day.day} {day:%B %Y}" if day else ""


def short_date(value: str | date | None) -> str:
    """``2015-11-27`` as ``27 Nov 2015``, for charts and tight table cells."""
    day = _day(value)
    return f"{day.day} {day:%b %Y}" if day else ""


def clock_time(instant: datetime) -> str:
    """``14:05`` as ``2:05pm``; noon and midnight in words, as GOV.UK writes them."""
    if instant.hour == 12 and instant.minute == 0:
        return "midday"
    if instant.hour == 0 and instant.minute == 0:
        return "midnight"
    hour = instant.hour % 12 or 12
    return f"{hour}:{instant.minute:02d}{'am' if instant.hour < 12 else 'pm'}"


def local_instant(value: str | datetime | None, zone: ZoneInfo) -> str:
    """An ISO instant as ``23 November 2026 at 8:47am`` in the council's time zone."""
    if value is None or value == "":
        return ""
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    local = instant.astimezone(zone)
    return f"{long_date(local.date())} at {clock_time(local)}"


def money(amount: str | None) -> str:
    """An exact amount as ``£5,000,000.00``."""
    if amount is None or amount == "":
        return ""
    try:
        return f"£{Decimal(amount):,.2f}"
    except InvalidOperation:
        return str(amount)


def number(value: str | None, unit: str | None = None) -> str:
    """A reading as written, with ``%`` or `` days`` for its unit."""
    if value is None:
        return ""
    try:
        text = f"{Decimal(value):,}"
    except InvalidOperation:
        text = str(value)
    if unit == "percent":
        return f"{text}%"
    if unit == "days":
        return f"{text} days"
    return text


def tag(text: str, classes: str = "govuk-tag--grey") -> dict[str, Any]:
    """Parameters for ``govukTag``."""
    return {"text": text, "classes": classes}


def tag_html(params: dict[str, Any]) -> Markup:
    """A GOV.UK tag, as ``govukTag`` draws it; cheaper to call in long tables."""
    return Markup('<strong class="govuk-tag {}">{}</strong>').format(
        params.get("classes", ""), escape(params["text"])
    )


def grade_tag(grade: str | None) -> dict[str, Any]:
    """A judgement as a tag: the grade's words, coloured by grade."""
    if grade is None:
        return tag("Not graded")
    return tag(GRADE_LABELS.get(grade, grade), GRADE_TAG_CLASSES.get(grade, "govuk-tag--grey"))


def rag_tag(rag: str | None) -> dict[str, Any]:
    """A red/amber/green rating as a tag whose text names the rating."""
    if rag is None:
        return tag("Not rated yet")
    text, classes = RAG_TAGS.get(rag, (rag.capitalize(), "govuk-tag--grey"))
    return tag(text, classes)


def action_status_tag(status: str) -> dict[str, Any]:
    text, classes = ACTION_STATUS_TAGS.get(status, (status.capitalize(), "govuk-tag--grey"))
    return tag(text, classes)


def recommendation_status_tag(status: str) -> dict[str, Any]:
    text, classes = RECOMMENDATION_STATUS_TAGS.get(status, (status.capitalize(), "govuk-tag--grey"))
    return tag(text, classes)


def direction(area: dict[str, Any]) -> str:
    """The direction of travel in words, naming the grade it moved from."""
    moved = area.get("direction")
    if moved is None:
        return "No earlier judgement"
    previous = area.get("previous_grade_label") or ""
    if moved == "unchanged":
        return f"Unchanged ({previous})" if previous else "Unchanged"
    return f"{DIRECTION_TEXT.get(moved, moved)} from {previous}"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def template_helpers(zone: ZoneInfo) -> dict[str, Any]:
    """The helpers every journey template can call."""
    return {
        "long_date": long_date,
        "short_date": short_date,
        "local_instant": lambda value: local_instant(value, zone),
        "money": money,
        "number": number,
        "tag_html": tag_html,
        "grade_tag": grade_tag,
        "rag_tag": rag_tag,
        "action_status_tag": action_status_tag,
        "recommendation_status_tag": recommendation_status_tag,
        "direction": direction,
        "kind_label": kind_label,
        "inspection_kind": lambda kind: INSPECTION_KIND_LABELS.get(kind, kind.replace("_", " ")),
        "finding_label": lambda kind: FINDING_LABELS.get(kind, kind),
        "unit_label": lambda unit: UNIT_LABELS.get(unit, unit),
        "movement_text": lambda movement: MOVEMENT_TEXT.get(movement, "") if movement else "",
    }
