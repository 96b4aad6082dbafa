"""Inspection frameworks and their judgement areas, as values the domain validates against.

The catalogue is built from `config/frameworks.toml` by an entry point and passed in; the
domain never reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ledger.domain.errors import InvalidCommand, UnknownFramework, UnknownJudgementArea
from ledger.domain.grades import Grade


@dataclass(frozen=True)
class JudgementArea:
    """One graded area of a framework, e.g. `help_and_protection`."""

    key: str
    label: str
    required: bool = True
    parent: str | None = None
    compares_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    """An Ofsted inspection framework: its judgement areas, and whether it has an overall grade."""

    key: str
    name: str
    in_use_from: date
    has_overall_grade: bool
    kinds: tuple[str, ...]
    areas: tuple[JudgementArea, ...]

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

    def area_label(self, key: str) -> str:
        """The label of an area key in whichever framework defines it (newest first)."""
        for framework in sorted(
            self.frameworks.values(), key=lambda f: f.in_use_from, reverse=True
        ):
            for area in framework.areas:
                if area.key == key:
                    return area.label
        return key.replace("_", " ").capitalize()
