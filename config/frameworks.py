"""Reading `frameworks.toml` into the domain's framework catalogue."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from ledger.domain.frameworks import Framework, FrameworkCatalogue, JudgementArea

FRAMEWORKS_FILE = Path(__file__).with_name("frameworks.toml")


class FrameworksFileError(ValueError):
    """The frameworks file is malformed; the message names the framework and the problem."""


def _area(framework: str, raw: dict[str, Any]) -> JudgementArea:
    try:
        return JudgementArea(
            key=raw["key"],
            label=raw["label"],
            required=bool(raw.get("required", True)),
            parent=raw.get("parent"),
            compares_with=tuple(raw.get("compares_with", ())),
            short_label=str(raw.get("short_label", "")),
        )
    except KeyError as missing:
        raise FrameworksFileError(f"framework {framework}: an area has no {missing}") from None


def load_frameworks(path: Path = FRAMEWORKS_FILE) -> FrameworkCatalogue:
    """The catalogue of frameworks in `path` (by default the project's `config/frameworks.toml`)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    frameworks = []
    for key, raw in data.get("frameworks", {}).items():
        try:
            areas = tuple(_area(key, a) for a in raw["areas"])
            framework = Framework(
                key=key,
                name=raw["name"],
                in_use_from=raw["in_use_from"],
                has_overall_grade=bool(raw["has_overall_grade"]),
                kinds=tuple(raw["kinds"]),
                areas=areas,
                in_use_until=raw.get("in_use_until"),
            )
        except KeyError as missing:
            raise FrameworksFileError(f"framework {key}: missing {missing}") from None
        for name in ("in_use_from", "in_use_until"):
            if name in raw and not isinstance(raw[name], date):
                raise FrameworksFileError(f"framework {key}: {name} must be a date (YYYY-MM-DD)")
        if framework.in_use_until is not None and framework.in_use_until < framework.in_use_from:
            raise FrameworksFileError(f"framework {key}: in_use_until is before in_use_from")
        keys = [a.key for a in areas]
        if len(set(keys)) != len(keys):
            raise FrameworksFileError(f"framework {key}: an area key appears twice")
        if framework.has_overall_grade != ("overall_effectiveness" in keys):
            raise FrameworksFileError(
                f"framework {key}: has_overall_grade must match an overall_effectiveness area"
            )
        for area in areas:
            if area.parent and area.parent not in keys:
                raise FrameworksFileError(f"framework {key}: {area.key}'s parent is not an area")
        frameworks.append(framework)
    return FrameworkCatalogue.of(frameworks)
