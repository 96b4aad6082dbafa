"""Statutory clocks: deadlines that follow from a recorded event by a framework's rule, counted in
working days (weekdays that are not bank holidays in England).

The rules live in `config/deadlines.toml`; the bank holidays come from the `holidays` package,
given to `WorkingCalendar` by the composition root, so this module stays pure.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, timedelta

from ledger.domain.errors import InvalidCommand

#: What a rule's clock can start from.
TRIGGERS = ("inspection", "visit_with_recommendations")


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekdays less the bank holidays in `holidays` (anything that answers `day in holidays`)."""

    holidays: Container[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The day `days` working days after `start` (the day itself does not count: the first
        working day after it is day 1)."""
        if days < 1:
            raise ValueError("count at least one working day")
        current, counted = start, 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is
        earlier: how many working days it is past)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )


@dataclass(frozen=True)
class DeadlineRule:
    """One statutory clock: after `trigger` (an inspection whose grades match `grades`, or a
    visit letter from which recommendations were issued: areas for priority action), the
    deliverable `title` is due within `working_days` working days of the record's date."""

    key: str
    title: str
    trigger: str
    working_days: int
    #: For an inspection: area -> grade; the rule applies when any of them holds (an empty
    #: mapping: every inspection). `any_area` stands for every graded area.
    grades: tuple[tuple[str, str], ...] = ()
    #: Frameworks the rule applies under (empty: all).
    frameworks: tuple[str, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        if self.trigger not in TRIGGERS:
            raise InvalidCommand(
                f"deadline {self.key}: trigger must be one of {', '.join(TRIGGERS)}", "trigger"
            )
        if self.working_days < 1:
            raise InvalidCommand(f"deadline {self.key}: working_days must be at least 1")

    def applies_to_inspection(self, framework: str, grades: dict[str, str]) -> bool:
        if self.trigger != "inspection":
            return False
        if self.frameworks and framework not in self.frameworks:
            return False
        if not self.grades:
            return True
        for area, grade in self.grades:
            if area == "any_area" and grade in grades.values():
                return True
            if grades.get(area) == grade:
                return True
        return False


@dataclass(frozen=True)
class Deadline:
    """A deadline a rule set from a record: when its clock started and when it falls."""

    rule: str
    title: str
    record: str
    record_kind: str
    started: date
    due: date
    working_days: int
    description: str = ""

    def status(self, calendar: WorkingCalendar, today: date) -> tuple[str, int]:
        """(`upcoming` | `due_today` | `passed`, working days left, negative once passed)."""
        left = calendar.working_days_between(today, self.due)
        if today == self.due:
            return "due_today", 0
        return ("upcoming" if today < self.due else "passed"), left
