"""Digest periods: runs of whole days in the council's time zone, such as an ISO week.

Periods are whole days that are over: a digest never covers today, so nothing recorded later today
can fall between two digests. Consecutive digests on a channel cover consecutive periods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.domain.errors import LedgerError

DEFAULT_DAYS = 7
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class BadPeriod(LedgerError):
    """A period that cannot be read, or that is not over yet."""


@dataclass(frozen=True, order=True)
class DigestPeriod:
    """The days from `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BadPeriod(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @classmethod
    def iso_week(cls, year: int, week: int) -> DigestPeriod:
        """Monday to Sunday of ISO week `week` of `year`."""
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise BadPeriod(f"{year} has no ISO week {week}") from None
        return cls(monday, monday + timedelta(days=6))

    @classmethod
    def days_before(cls, day: date, days: int = DEFAULT_DAYS) -> DigestPeriod:
        """The `days` whole days just before `day` (by default the last seven)."""
        return cls(day - timedelta(days=days), day - timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def week_label(self) -> str | None:
        """`2018-W33` when the period is exactly one ISO week, else None."""
        year, week, weekday = self.start.isocalendar()
        if weekday == 1 and self.days == 7:
            return f"{year}-W{week:02d}"
        return None

    @property
    def key(self) -> str:
        """A compact, sortable name: `2018-08-13..2018-08-19`."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def label(self) -> str:
        """For people: `13 to 19 August 2018`, `28 July to 3 August 2018`, `1 March 2018`."""
        if self.start == self.end:
            return long_date(self.start)
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start.day} to {long_date(self.end)}"
        if self.start.year == self.end.year:
            return f"{self.start.day} {self.start:%B} to {long_date(self.end)}"
        return f"{long_date(self.start)} to {long_date(self.end)}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def following(self, until: date) -> DigestPeriod | None:
        """The period after this one, ending on `until`; None if no whole day is left."""
        start = self.end + timedelta(days=1)
        return DigestPeriod(start, until) if until >= start else None


def long_date(day: date) -> str:
    """`17 August 2018` (no leading zero)."""
    return f"{day.day} {day:%B %Y}"


def parse_period(text: str) -> DigestPeriod:
    """An ISO week (`2018-W33`), a range of days (`2018-08-13..2018-08-19`) or one day."""
    value = text.strip()
    week = _ISO_WEEK.match(value)
    if week:
        return DigestPeriod.iso_week(int(week.group(1)), int(week.group(2)))
    try:
        days = _RANGE.match(value)
        if days:
            first, last = (date.fromisoformat(days.group(i)) for i in (1, 2))
            return DigestPeriod(first, last)
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or len(value) != 10:
        raise BadPeriod(
            f"{text!r} is not a period: use an ISO week (2018-W33), a range of days "
            "(2018-08-13..2018-08-19) or one day (2018-08-17)"
        )
    return DigestPeriod(day, day)


def check_over(period: DigestPeriod, today: date) -> None:
    """Raise unless every day of the period is over (a digest sent today never covers today)."""
    if period.end >= today:
        raise BadPeriod(
            f"the period {period.key} is not over yet (today is {today.isoformat()}); "
            "a digest is sent only for days that are over"
        )


def next_period(last_sent: DigestPeriod | None, until: date) -> DigestPeriod | None:
    """The period due after `last_sent` and up to `until`; the `DEFAULT_DAYS` before it when
    nothing was sent yet; None when nothing is due."""
    if last_sent is None:
        return DigestPeriod.days_before(until + timedelta(days=1))
    return last_sent.following(until)
