"""Ofsted monitoring visits: a letter with findings and no grade."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from ledger.domain.errors import InvalidCommand
from ledger.domain.meta import EventMeta
from ledger.domain.quantities import check_visit_number
from ledger.domain.records import LedgerAggregate


def check_visit(number: int | None, first_day: date, last_day: date, letter_date: date) -> None:
    """Raise unless the visit's number and dates are plausible."""
    check_visit_number(number)
    check_visit_dates(first_day, last_day, letter_date)


def check_visit_dates(first_day: date, last_day: date, letter_date: date) -> None:
    """Raise unless the days on site come in order and before the letter."""
    if last_day < first_day:
        raise InvalidCommand("the last day on site is before the first", field="last_day")
    if letter_date < last_day:
        raise InvalidCommand("the letter is dated before the last day on site", "letter_date")


class MonitoringVisit(LedgerAggregate):
    """A monitoring visit to an 'inadequate' council, with its letter's findings."""

    KIND = "monitoring_visit"
    CORRECTABLE = frozenset(
        {
            "number",
            "first_day",
            "last_day",
            "letter_date",
            "areas_covered",
            "inspectors",
            "progress_statement",
            "findings",
        }
    )

    @event("MonitoringVisitRecorded")
    def __init__(
        self,
        ref: str,
        number: int | None,
        first_day: date,
        last_day: date,
        letter_date: date,
        areas_covered: list[str],
        inspectors: list[str],
        progress_statement: str,
        findings: list[dict[str, Any]],
        meta: EventMeta,
    ):
        self.ref = ref
        self.number = number
        self.first_day = first_day
        self.last_day = last_day
        self.letter_date = letter_date
        self.areas_covered = areas_covered
        self.inspectors = inspectors
        self.progress_statement = progress_statement
        self.findings = findings
