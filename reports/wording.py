"""How the ledger's values read in a report: dates in words, instants in the council's time,
grades and ratings by their labels."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "complete": "Complete"}
DIRECTION_LABELS = {"improved": "Improved", "declined": "Declined", "unchanged": "Unchanged"}


def long_date(value: str | date | None) -> str:
    """``2018-11-08`` as ``8 November 2018``."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(value[:10])
    return f"{day.day} {day:%B %Y}"


def local_instant(value: datetime, zone: ZoneInfo) -> str:
    """An instant as ``8 November 2018 at 11:59:59pm (Europe/London)``."""
    local = value.astimezone(zone)
    hour = local.hour % 12 or 12
    clock = f"{hour}:{local.minute:02d}:{local.second:02d}{'am' if local.hour < 12 else 'pm'}"
    return f"{long_date(local.date())} at {clock} ({zone.key})"


def number(value: str | None, unit: str | None = None) -> str:
    """A reading as written, with ``%`` or `` days`` for its unit."""
    if value is None:
        return ""
    try:
        text = f"{Decimal(value):,}"
    except InvalidOperation:
        text = str(value)
    return f"{text}%" if unit == "percent" else f"{text} days" if unit == "days" else text
