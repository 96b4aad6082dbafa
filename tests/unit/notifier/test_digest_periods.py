"""Digest periods: ISO weeks, ranges, what is due next, and local days across clock changes."""

from __future__ import annotations

from datetime import date

import pytest

from notifier.periods import BadPeriod, DigestPeriod, check_over, next_period, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2018-W33", date(2018, 8, 13), date(2018, 8, 19)),
        ("2018w33", date(2018, 8, 13), date(2018, 8, 19)),
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
        ("2018-08-01..2018-08-09", date(2018, 8, 1), date(2018, 8, 9)),
        ("2018-08-17", date(2018, 8, 17), date(2018, 8, 17)),
    ],
)
def test_periods_are_read_from_weeks_ranges_and_days(text: str, start: date, end: date) -> None:
    assert parse_period(text) == DigestPeriod(start, end)


@pytest.mark.parametrize(
    "text", ["2018-W99", "2019-W53", "last week", "2018-08-09..2018-08-01", ""]
)
def test_bad_periods_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(BadPeriod):
        parse_period(text)


def test_labels_name_the_days_for_people() -> None:
    assert parse_period("2018-W33").label() == "13 to 19 August 2018"
    assert parse_period("2018-W31").label() == "30 July to 5 August 2018"
    assert parse_period("2020-W53").label() == "28 December 2020 to 3 January 2021"
    assert parse_period("2018-08-17").label() == "17 August 2018"
    assert parse_period("2018-W33").week_label == "2018-W33"
    assert parse_period("2018-08-13..2018-08-20").week_label is None


def test_the_next_period_follows_the_last_one_sent() -> None:
    last = parse_period("2018-W33")
    assert next_period(last, date(2018, 8, 26)) == parse_period("2018-W34")
    # Two weeks missed: one digest covers both, nothing is skipped.
    assert next_period(last, date(2018, 9, 2)) == DigestPeriod(date(2018, 8, 20), date(2018, 9, 2))
    # Already covered up to that day: nothing is due.
    assert next_period(last, date(2018, 8, 19)) is None
    # Nothing sent yet: the seven days up to the day given.
    assert next_period(None, date(2018, 8, 19)) == parse_period("2018-W33")


def test_a_period_must_be_over_before_it_is_sent() -> None:
    week = parse_period("2018-W33")
    check_over(week, date(2018, 8, 20))
    with pytest.raises(BadPeriod, match="not over yet"):
        check_over(week, date(2018, 8, 19))
