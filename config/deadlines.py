"""Reading `deadlines.toml` into the domain's statutory deadline rules, and England's working
calendar from the `holidays` package."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import holidays

from ledger.domain.deadlines import DeadlineRule, WorkingCalendar
from ledger.domain.errors import InvalidCommand

DEADLINES_FILE = Path(__file__).with_name("deadlines.toml")


class DeadlinesFileError(ValueError):
    """The deadlines file is malformed; the message names the rule and the problem."""


def england_calendar() -> WorkingCalendar:
    """Weekdays less England's bank holidays (and the substitute days when one falls at a
    weekend), for any year asked about: the `holidays` package fills each year on first use."""
    return WorkingCalendar(holidays.country_holidays("GB", subdiv="ENG"))


def _rule(number: int, raw: dict[str, Any]) -> DeadlineRule:
    try:
        grades = raw.get("grades", {})
        if not isinstance(grades, dict):
            raise DeadlinesFileError(f"deadline {number}: grades must be a table (area = grade)")
        return DeadlineRule(
            key=str(raw["key"]),
            title=str(raw["title"]),
            trigger=str(raw["trigger"]),
            working_days=int(raw["working_days"]),
            grades=tuple(sorted((str(k), str(v)) for k, v in grades.items())),
            frameworks=tuple(str(f) for f in raw.get("frameworks", ())),
            description=str(raw.get("description", "")),
        )
    except KeyError as missing:
        raise DeadlinesFileError(f"deadline {number}: missing {missing}") from None
    except InvalidCommand as problem:
        raise DeadlinesFileError(problem.message) from None


def load_deadline_rules(path: Path = DEADLINES_FILE) -> tuple[DeadlineRule, ...]:
    """The rules in `path` (by default the project's `config/deadlines.toml`)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    rules = tuple(_rule(n, raw) for n, raw in enumerate(data.get("deadlines", []), start=1))
    keys = [r.key for r in rules]
    if len(set(keys)) != len(keys):
        raise DeadlinesFileError("two deadline rules have the same key")
    return rules
