"""Inspection frameworks and their judgement areas, as values the domain validates against.

The catalogue is built from `config/frameworks.toml` by an entry point and passed in; the
domain never reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from ledger.domain.errors import (
    InvalidCommand,
    OutsideFrameworkPeriod,
    UnknownFramework,
    UnknownJudgementArea,
)
from ledger.domain.grades import Grade

# Reports come out weeks after the inspection (SIF reports took up to about eight weeks, ILACS
# ones three or four); where only the publication date is known, a report published this long
# after a framework's last inspection day may still be one of its inspections.
PUBLICATION_LAG = timedelta(days=183)


@dataclass(frozen=True)
class JudgementArea:
    """One graded area of a framework, e.g. `help_and_protection`."""

    key: str
    label: str
    required: bool = True
    parent: str | None = None
    compares_with: tuple[str, ...] = ()
    #: A few words for a table's column heading ("In care"); the label where none is given.
    short_label: str = ""

    @property
    def heading(self) -> str:
        return self.short_label or self.label


@dataclass(frozen=True)
class Framework:
    """An Ofsted inspection framework: its judgement areas, whether it has an overall grade, and
    the period its inspections ran in (`in_use_until` is the last day one could start; None while
    the framework is in use)."""

    key: str
    name: str
    in_use_from: date
    has_overall_grade: bool
    kinds: tuple[str, ...]
    areas: tuple[JudgementArea, ...]
    in_use_until: date | None = None

    def period_text(self) -> str:
        start = self.in_use_from.isoformat()
        return f"from {start}" + (
            f" to {self.in_use_until.isoformat()}" if self.in_use_until else ""
        )

    def covers(self, day: date) -> bool:
        """Whether an inspection starting on `day` can be one of this framework's."""
        return self.in_use_from <= day and (self.in_use_until is None or day <= self.in_use_until)

    def could_have_published(self, day: date) -> bool:
        """Whether a report of this framework could be published on `day`."""
        return self.in_use_from <= day and (
            self.in_use_until is None or day <= self.in_use_until + PUBLICATION_LAG
        )

    def check_period(self, first_day: date | None, published: date) -> None:
        """Raise unless an inspection on these dates falls within this framework's period: the
        first day on site where it is known, else the publication date (allowing for the weeks
        a report takes)."""
        if first_day is not None:
            if not self.covers(first_day):
                raise OutsideFrameworkPeriod(
                    f"an inspection starting on {first_day.isoformat()} cannot be under "
                    f"{self.key} ({self.name}), in use {self.period_text()}",
                    field="first_day",
                )
            return
        if not self.could_have_published(published):
            raise OutsideFrameworkPeriod(
                f"a report published on {published.isoformat()} cannot be of an inspection under "
                f"{self.key} ({self.name}), in use {self.period_text()}",
                field="published",
            )

    def area(self, key: str) -> JudgementArea:
        for area in self.areas:
            if area.key == key:
                return area
        raise UnknownJudgementArea(
            f"{key!r} is not a judgement area of {self.key} "
            f"({', '.join(a.key for a in self.areas)})",
            field=key,
        )

    def validate_grades(self, grades: Mapping[str, Grade]) -> None:
        """Raise unless `grades` grades every required area of this framework and nothing else."""
        for key in grades:
            self.area(key)
        missing = [a.key for a in self.areas if a.required and a.key not in grades]
        if missing:
            raise InvalidCommand(
                f"an inspection under {self.key} grades every area; missing: {', '.join(missing)}",
                field="grades",
            )

    def validate_kind(self, kind: str) -> None:
        if kind not in self.kinds:
            raise InvalidCommand(
                f"{kind!r} is not a kind of inspection under {self.key} ({', '.join(self.kinds)})",
                field="kind",
            )


@dataclass(frozen=True)
class FrameworkCatalogue:
    """Every framework the ledger knows, by key."""

    frameworks: Mapping[str, Framework] = field(default_factory=dict)

    @classmethod
    def of(cls, frameworks: Iterable[Framework]) -> FrameworkCatalogue:
        return cls({f.key: f for f in frameworks})

    def get(self, key: str) -> Framework:
        try:
            return self.frameworks[key]
        except KeyError:
            raise UnknownFramework(
                f"{key!r} is not a known framework ({', '.join(sorted(self.frameworks))})",
                field="framework",
            ) from None

    def in_use_on(self, day: date) -> list[Framework]:
        """The frameworks an inspection starting on `day` could be under, newest first."""
        return sorted(
            (f for f in self.frameworks.values() if f.covers(day)),
            key=lambda f: f.in_use_from,
            reverse=True,
        )

    def published_under(self, day: date) -> list[Framework]:
        """The frameworks a report published on `day` could be of, newest first."""
        return sorted(
            (f for f in self.frameworks.values() if f.could_have_published(day)),
            key=lambda f: f.in_use_from,
            reverse=True,
        )

    def area_label(self, key: str) -> str:
        """The label of an area key in whichever framework defines it (newest first)."""
        for framework in sorted(
            self.frameworks.values(), key=lambda f: f.in_use_from, reverse=True
        ):
            for area in framework.areas:
                if area.key == key:
                    return area.label
        return key.replace("_", " ").capitalize()
