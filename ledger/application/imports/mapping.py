"""A mapping file: how to read a tracker whose layout the usual headings do not cover.

```toml
sheets = ["Plan 2018-19"]          # only these sheets (default: every sheet with a plan)
header_row = 3                     # the (last) heading row, 1-based (default: found)

[columns]                          # a heading in the file = what it holds
"Lead officer (named)" = "owner"
"Q3 commentary" = "update"

[recommendations]                  # what the recommendation column says = the ledger's id
"1" = "sif-2018-early-help"
"Rec 2" = "sif-2018-smart-plans"

[defaults]                         # for cells the file leaves blank
approver = "Improvement board"     # who approved a revised due date
update_date = 2018-10-31           # the tracker's "as at" day, for updates given no date
planned = 2018-09-01               # when actions were agreed, if the file does not say
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.application.imports.headings import Field, words
from ledger.domain.errors import LedgerError


class BadMapping(LedgerError):
    """The mapping file cannot be used; the message names the key."""


@dataclass(frozen=True)
class PlanMapping:
    """How to read a tracker: extra headings, recommendation references, defaults."""

    sheets: tuple[str, ...] = ()
    header_row: int | None = None
    columns: Mapping[str, Field] = field(default_factory=dict)  # by the heading's words
    recommendations: Mapping[str, str] = field(default_factory=dict)  # by the cell's words
    approver: str | None = None
    update_date: date | None = None
    planned: date | None = None


NO_MAPPING = PlanMapping()
_TOP = {"sheets", "header_row", "columns", "recommendations", "defaults"}
_DEFAULTS = {"approver", "update_date", "planned"}


def parse_mapping(text: str, name: str = "mapping file") -> PlanMapping:
    """The mapping a TOML text describes; raises `BadMapping` naming what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadMapping(f"{name} is not valid TOML: {error}") from None
    unknown = sorted(set(raw) - _TOP)
    if unknown:
        raise BadMapping(
            f"{name}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_TOP))})"
        )
    sheets = raw.get("sheets", [])
    if not isinstance(sheets, list) or not all(isinstance(s, str) for s in sheets):
        raise BadMapping(f"{name}: sheets must be a list of sheet names")
    header_row = raw.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise BadMapping(f"{name}: header_row must be a row number (1 or more)")
    columns = {}
    for heading, value in _table(raw, "columns", name).items():
        try:
            columns[words(heading)] = Field(value)
        except ValueError:
            choices = ", ".join(f.value for f in Field)
            raise BadMapping(
                f"{name}: columns.{heading!r} must be one of {choices} (got {value!r})"
            ) from None
    recommendations = {}
    for cell, ref in _table(raw, "recommendations", name).items():
        if not isinstance(ref, str) or not ref.strip():
            raise BadMapping(f"{name}: recommendations.{cell!r} must be a recommendation's id")
        recommendations[words(cell)] = ref.strip()
    defaults = _table(raw, "defaults", name)
    unknown = sorted(set(defaults) - _DEFAULTS)
    if unknown:
        raise BadMapping(f"{name}: unknown default(s) {', '.join(unknown)}")
    approver = defaults.get("approver")
    if approver is not None and (not isinstance(approver, str) or not approver.strip()):
        raise BadMapping(f"{name}: defaults.approver must be text")
    return PlanMapping(
        sheets=tuple(sheets),
        header_row=header_row,
        columns=columns,
        recommendations=recommendations,
        approver=approver.strip() if approver else None,
        update_date=_day(defaults, "update_date", name),
        planned=_day(defaults, "planned", name),
    )


def _table(raw: Mapping[str, Any], key: str, name: str) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise BadMapping(f"{name}: [{key}] must be a table")
    return value


def _day(defaults: Mapping[str, Any], key: str, name: str) -> date | None:
    value = defaults.get(key)
    if value is None:
        return None
    if type(value) is date:
        return value
    raise BadMapping(f"{name}: defaults.{key} must be a date (e.g. 2018-10-31, unquoted)")
