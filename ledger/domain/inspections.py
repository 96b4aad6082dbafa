"""Graded inspections: a grade per judgement area of the inspection's framework."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from eventsourcing.domain import event

from ledger.domain.errors import InvalidCommand
from ledger.domain.frameworks import Framework
from ledger.domain.grades import Grade
from ledger.domain.meta import EventMeta
from ledger.domain.records import LedgerAggregate


def check_inspection_dates(first_day: date | None, last_day: date | None, published: date) -> None:
    """Raise unless the days on site come in order and before publication."""
    if first_day and last_day and last_day < first_day:
        raise InvalidCommand("the last day on site is before the first", field="last_day")
    if last_day and published < last_day:
        raise InvalidCommand("the report is published before the last day on site", "published")


class Inspection(LedgerAggregate):
    """An Ofsted inspection report; its judgements are in force from its publication date."""

    KIND = "inspection"
    CORRECTABLE = frozenset({"kind", "first_day", "last_day", "published", "grades", "report_url"})

    @event("InspectionRecorded")
    def __init__(
        self,
        ref: str,
        framework: str,
        kind: str,
        first_day: date | None,
        last_day: date | None,
        published: date,
        grades: dict[str, Grade],
        report_url: str | None,
        meta: EventMeta,
    ):
        self.ref = ref
        self.framework = framework
        self.kind = kind
        self.first_day = first_day
        self.last_day = last_day
        self.published = published
        self.grades = grades
        self.report_url = report_url

    @staticmethod
    def check(
        framework: Framework,
        kind: str,
        first_day: date | None,
        last_day: date | None,
        published: date,
        grades: Mapping[str, Grade],
    ) -> None:
        """Raise unless the details fit the framework and each other."""
        framework.validate_kind(kind)
        framework.validate_grades(grades)
        check_inspection_dates(first_day, last_day, published)
        framework.check_period(first_day, published)

    def check_correction_against(self, framework: Framework, fields: Mapping[str, Any]) -> None:
        """Raise unless the inspection, corrected, would still be valid."""
        self.check_correction(fields)
        merged = {
            name: fields.get(name, getattr(self, name))
            for name in ("kind", "first_day", "last_day", "published", "grades")
        }
        self.check(framework, **merged)
