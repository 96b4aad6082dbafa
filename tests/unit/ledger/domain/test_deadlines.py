"""Working days and statutory deadlines, against England's bank holidays from the `holidays`
package (as the composition root loads them): each date below was counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from config.deadlines import england_calendar, load_deadline_rules
from ledger.domain.deadlines import DeadlineRule, WorkingCalendar
from ledger.domain.errors import InvalidCommand

CALENDAR = england_calendar()


def test_twenty_working_days_across_christmas_and_new_year() -> None:
    # From Monday 2 December 2024: 3-6, 9-13, 16-20 Dec (14), 23, 24 (16); Christmas Day and
    # Boxing Day are bank holidays; 27 (17), 30, 31 (19); 1 January is one too; 2 January (20).
    assert CALENDAR.add_working_days(date(2024, 12, 2), 20) == date(2025, 1, 2)
    assert WorkingCalendar().add_working_days(date(2024, 12, 2), 20) == date(2024, 12, 30)


def test_a_bank_holiday_monday_is_not_a_working_day() -> None:
    # Friday 2 May 2025, then the early May bank holiday on Monday 5 May.
    assert CALENDAR.add_working_days(date(2025, 5, 2), 1) == date(2025, 5, 6)


def test_substitute_days_when_christmas_falls_at_a_weekend() -> None:
    # Christmas 2021 was a Saturday: Monday 27 and Tuesday 28 December were the bank holidays.
    assert CALENDAR.add_working_days(date(2021, 12, 24), 1) == date(2021, 12, 29)


def test_seventy_working_days_from_an_inadequate_report() -> None:
    # Lancashire's report was published on Friday 27 November 2015: Christmas, Boxing Day (a
    # Saturday, so Monday 28 December), New Year's Day; 9 March 2016 is the 70th working day.
    assert CALENDAR.add_working_days(date(2015, 11, 27), 70) == date(2016, 3, 9)


def test_working_days_between_counts_both_ways() -> None:
    assert CALENDAR.working_days_between(date(2024, 12, 20), date(2024, 12, 27)) == 3
    assert CALENDAR.working_days_between(date(2024, 12, 27), date(2024, 12, 20)) == -3


def test_the_rules_file_holds_the_written_statement_and_the_priority_action_clocks() -> None:
    rules = {r.key: r for r in load_deadline_rules()}
    wsoa = rules["written-statement-of-action"]
    assert (wsoa.working_days, wsoa.trigger) == (70, "inspection")
    assert wsoa.applies_to_inspection("sif-2013", {"overall_effectiveness": "inadequate"})
    assert not wsoa.applies_to_inspection("sif-2013", {"overall_effectiveness": "good"})
    assert not wsoa.applies_to_inspection("ilacs-2026", {"leaders": "inadequate"})
    assert rules["written-statement-of-action-2026"].applies_to_inspection(
        "ilacs-2026", {"leaders": "good", "in_care": "inadequate"}
    )
    assert rules["priority-action-plan-draft"].working_days == 20


def test_a_rule_with_an_unknown_trigger_is_refused() -> None:
    with pytest.raises(InvalidCommand, match="trigger must be one of"):
        DeadlineRule("x", "X", "decision", 10)
