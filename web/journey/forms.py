"""The reading pages' forms: the timeline's and the action tracker's filters, and the audit point.
All are GET forms (they change nothing), so they are plain WTForms forms read from the query
string, with no CSRF token."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import Form, SelectField, StringField

from web.form_fields import CheckboxesField, DayField, options
from web.journey.presentation import KIND_LABELS
from web.journey.tracker import NOT_RATED, SORTS, TrackerQuery

MAX_STALE_WEEKS = 520

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


class TimelineFilterForm(Form):  # type: ignore[misc]
    """Which kinds of entry, between which days."""

    kind = CheckboxesField(
        "Kinds of entry",
        description="Select all that apply. Select none to see every kind.",
        choices=options(list(KIND_LABELS.items())),
    )
    start = DayField(
        "From", name="from", noun="the start date", description="For example, 27 11 2015"
    )
    end = DayField("To", name="to", noun="the end date", description="For example, 31 12 2018")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        if valid and self.start.data and self.end.data and self.end.data < self.start.data:
            self.end.errors.append("The end date must be the same as or after the start date")
            return False
        return valid

    def kinds(self) -> list[str]:
        return list(self.kind.data or [])


def parse_clock(text: str) -> time | None:
    """``12:00``, ``9.30``, ``5pm`` or ``5:30pm`` as a time of day; ``None`` if it is not one."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class AuditForm(Form):  # type: ignore[misc]
    """The audit point: a day the journey was in force on, and/or when the ledger recorded it."""

    in_force = DayField(
        "In force on",
        noun="the date in force",
        description="Show the journey as it stood on this day. For example, 1 7 2018",
    )
    recorded_day = DayField(
        "As the ledger recorded it by",
        noun="the date recorded by",
        description="Show only what had been recorded by then, before later corrections and "
        "late entries. For example, 1 1 2016",
    )
    recorded_time = StringField(
        "Time recorded by (optional)",
        description="London time, for example 12:00 or 5:30pm. Leave blank for the end of the day.",
        widget=GovTextInput(),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        clock = (self.recorded_time.data or "").strip()
        if clock and parse_clock(clock) is None:
            self.recorded_time.errors.append(
                "Enter the time as hours and minutes, for example 12:00 or 5:30pm"
            )
            valid = False
        elif clock and self.recorded_day.data is None and not self.recorded_day.errors:
            self.recorded_day.errors.append("Enter the date recorded by, as well as the time")
            valid = False
        if valid and self.in_force.data is None and self.recorded_day.data is None:
            self.in_force.errors.append(
                "Enter a date in force, a date recorded by, or both, to see the journey as it stood"
            )
            valid = False
        return valid

    def as_of(self) -> date | None:
        value = self.in_force.data
        return value if isinstance(value, date) else None

    def known_at_text(self, zone: ZoneInfo) -> str | None:
        """``known_at`` for the query string: a local date and time, or a bare date."""
        day = self.recorded_day.data
        if not isinstance(day, date):
            return None
        clock = parse_clock(self.recorded_time.data or "")
        if clock is None:
            return day.isoformat()
        return datetime.combine(day, clock, zone).strftime("%Y-%m-%dT%H:%M")

    def fill_from(self, as_of: date | None, known_at_text: str | None) -> None:
        """Show the current audit point in the form."""
        if as_of is not None:
            self.in_force.data = as_of
        if known_at_text:
            self.recorded_day.data = date.fromisoformat(known_at_text[:10])
            if len(known_at_text) > 10:
                self.recorded_time.data = known_at_text[11:16]


class TrackerFilterForm(Form):  # type: ignore[misc]
    """The action tracker's filters, search and sort order."""

    q = StringField(
        "Search recommendations and actions",
        description="Words from a title, an owner, an update or a recommendation's text",
        widget=GovTextInput(),
    )
    rag = CheckboxesField(
        "Rating",
        choices=options(
            [("red", "Red"), ("amber", "Amber"), ("green", "Green"), (NOT_RATED, "Not rated yet")]
        ),
    )
    status = CheckboxesField(
        "Status",
        choices=options([("open", "Open"), ("complete", "Complete"), ("cancelled", "Cancelled")]),
    )
    attention = CheckboxesField(
        "Timing",
        choices=options([("overdue", "Overdue"), ("due_soon", "Due within 14 days")]),
    )
    stale = StringField(
        "No update for at least (weeks)",
        description="Open actions whose latest update is this many weeks old or more",
        widget=GovTextInput(),
    )
    # An owner or order no longer offered (an old link) filters nothing rather than erring.
    owner = SelectField("Owner", widget=GovSelect(), validate_choice=False)
    sort = SelectField(
        "Sort by", choices=options(SORTS.items()), widget=GovSelect(), validate_choice=False
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        text = (self.stale.data or "").strip()
        if text and not (text.isdigit() and 1 <= int(text) <= MAX_STALE_WEEKS):
            self.stale.errors = [
                f"Enter the number of weeks as a whole number from 1 to {MAX_STALE_WEEKS}"
            ]
            valid = False
        return valid

    def query(self) -> TrackerQuery:
        """The filters as chosen (call after ``validate``: invalid ones are left out)."""
        stale = (self.stale.data or "").strip()
        attention = set(self.attention.data or [])
        return TrackerQuery(
            rags=frozenset(self.rag.data or []),
            owner=self.owner.data or "",
            statuses=frozenset(self.status.data or []),
            overdue="overdue" in attention,
            due_soon="due_soon" in attention,
            stale_weeks=int(stale) if stale.isdigit() and not self.stale.errors else None,
            text=(self.q.data or "").strip(),
            sort=self.sort.data if self.sort.data in SORTS else "due",
        )
