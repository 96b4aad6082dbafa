"""Turning untrusted input (an import line, a web form) into a command, naming every bad field.

Values are coerced by the command dataclass's type hints, so there is one description of each
command, and every problem is reported at once rather than the first only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints

from ledger.application.commands import (
    COMMAND_TYPES,
    CREATING_COMMANDS,
    AddPerson,
    Correct,
    Finding,
    UpdatePerson,
)
from ledger.application.limits import (
    MAX_DIGITS,
    MAX_REFERENCE,
    REFERENCE,
    date_problem,
    shown,
    text_problem,
    unstorable,
)
from ledger.domain.errors import InvalidCommand
from ledger.domain.grades import Grade, parse_grade
from ledger.domain.quantities import check_number

# Fields of a record that a correction may never change: they identify it. Which other fields a
# correction may change is the record's own rule (its CORRECTABLE fields), checked by the domain:
# a decision's date can be corrected, an action's planning date cannot.
IDENTIFYING_FIELDS = frozenset({"authority", "id", "source", "origin", "framework"})


@dataclasses.dataclass(frozen=True)
class FieldError:
    """A problem with one field (`None` for the command as a whole)."""

    field: str | None
    message: str


class CommandParseError(ValueError):
    """The input is not a valid command; `errors` names every bad field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field or 'command'}: {e.message}" for e in errors))
        self.errors = errors


class _Problems:
    def __init__(self, today: date | None, checked: bool) -> None:
        self.errors: list[FieldError] = []
        #: "Today" for the rule that what happened is not in the future (None: not checked).
        self.today = today
        #: Whether the input limits apply (not to history being restored: see restore_checks).
        self.checked = checked

    def add(self, path: str | None, message: str) -> None:
        self.errors.append(FieldError(path, message))


def _key_path(prefix: str, key: object) -> str:
    """The path of a key as a message names it, cut if it is long."""
    text = key if isinstance(key, str) and len(key) <= 40 else shown(key)
    return f"{prefix}{text}"


_MISSING = object()


def command_id_of(raw: Mapping[str, Any]) -> str:
    """A stable id for an input, so recording the same input twice changes nothing."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_command(raw: Any, today: date | None = None, *, checked: bool = True) -> Any:
    """The command `raw` describes; raises `CommandParseError` naming every bad field.

    Every value is held to the limits of `ledger.application.limits`; with `today`, a date
    saying when something happened must not be after it (so a form shows that problem with the
    others, in one round). `checked=False` (a restore) holds values to their types, the
    numbers' ranges and the characters a store can hold, not to the limits on length, wording
    and references, which apply to what is recorded now.
    """
    problems = _Problems(today, checked)
    if not isinstance(raw, Mapping):
        raise CommandParseError([FieldError(None, "each line must be a JSON object")])
    type_name = raw.get("type")
    if not isinstance(type_name, str) or type_name not in COMMAND_TYPES:
        raise CommandParseError(
            [
                FieldError(
                    "type", f"must be one of {', '.join(COMMAND_TYPES)} (got {shown(type_name)})"
                )
            ]
        )
    cls = COMMAND_TYPES[type_name]
    values = _parse_fields(cls, raw, problems, ignore={"type"})
    if cls is Correct and "fields" in values and "record" in values:
        values["fields"] = _parse_correction_fields(values["record"], values["fields"], problems)
    if cls is UpdatePerson and "changes" in values:
        values["changes"] = _parse_person_changes(values["changes"], problems)
    if problems.errors:
        raise CommandParseError(problems.errors)
    return cls(**values)


# A command class's field types and fields, worked out once per class: resolving type hints costs
# several times what parsing a line does.
_HINTS: dict[type[Any], dict[str, Any]] = {}
_FIELDS: dict[type[Any], dict[str, dataclasses.Field[Any]]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = get_type_hints(cls)
    return found


def _fields(cls: type[Any]) -> dict[str, dataclasses.Field[Any]]:
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = {f.name: f for f in dataclasses.fields(cls)}
    return found


def _parse_fields(
    cls: type[Any], raw: Mapping[str, Any], problems: _Problems, ignore: set[str], prefix: str = ""
) -> dict[str, Any]:
    hints = _hints(cls)
    fields = _fields(cls)
    for key in raw:
        if key not in fields and key not in ignore:
            problems.add(_key_path(prefix, key), "is not a field of this record")
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        value = raw.get(name, _MISSING)
        has_default = (
            spec.default is not dataclasses.MISSING
            or spec.default_factory is not dataclasses.MISSING
        )
        if value is _MISSING or value is None:
            if not has_default and not _is_optional(hints[name]):
                problems.add(f"{prefix}{name}", "is required")
            elif value is None and _is_optional(hints[name]):
                values[name] = None
            continue
        coerced = _coerce(value, hints[name], f"{prefix}{name}", problems)
        if coerced is not _MISSING:
            values[name] = coerced
    return values


def _parse_correction_fields(record: str, raw: Any, problems: _Problems) -> dict[str, Any]:
    creating = CREATING_COMMANDS.get(record)
    if creating is None:
        problems.add("record", f"must be one of {', '.join(CREATING_COMMANDS)}")
        return {}
    if not isinstance(raw, Mapping) or not raw:
        problems.add("fields", "must be an object naming at least one field to correct")
        return {}
    hints = _hints(creating)
    parsed: dict[str, Any] = {}
    for name, value in raw.items():
        path = _key_path("fields.", name)
        if record == "indicator" and name == "reading":
            parsed[name] = _parse_reading(value, path, problems)
        elif name in IDENTIFYING_FIELDS or name not in hints:
            problems.add(path, f"cannot be corrected on a {record.replace('_', ' ')}")
        elif value is None and not _is_optional(hints[name]):
            problems.add(path, "is required")
        else:
            coerced = None if value is None else _coerce(value, hints[name], path, problems)
            if coerced is not _MISSING:
                parsed[name] = coerced
    return parsed


# What an update may change of a person: everything they were added with but their id.
PERSON_FIELDS = ("name", "email", "title", "manager", "roles", "account", "digest")


def _parse_person_changes(raw: Any, problems: _Problems) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or not raw:
        problems.add("changes", "must be an object naming at least one field to change")
        return {}
    hints = get_type_hints(AddPerson)
    parsed: dict[str, Any] = {}
    for name, value in raw.items():
        path = f"changes.{name}"
        if name not in PERSON_FIELDS:
            problems.add(path, f"is not a detail of a person ({', '.join(PERSON_FIELDS)})")
        elif value is None and not _is_optional(hints[name]):
            problems.add(path, "is required")
        else:
            coerced = None if value is None else _coerce(value, hints[name], path, problems)
            if coerced is not _MISSING:
                parsed[name] = coerced
    return parsed


def _parse_reading(value: Any, path: str, problems: _Problems) -> dict[str, Any]:
    if not isinstance(value, Mapping) or set(value) != {"period_end", "value"}:
        problems.add(path, "must be an object with period_end and value")
        return {}
    period_end = _coerce(value["period_end"], date, f"{path}.period_end", problems)
    number = _coerce(value["value"], Decimal, f"{path}.value", problems)
    return {"period_end": period_end, "value": number}


def _is_optional(hint: Any) -> bool:
    return _origin(hint) is Union and type(None) in get_args(hint)


def _origin(hint: Any) -> Any:
    origin = get_origin(hint)
    return Union if origin is types.UnionType else origin


def _coerce(value: Any, hint: Any, path: str, problems: _Problems) -> Any:
    origin = _origin(hint)
    if origin is Union:
        inner = [arg for arg in get_args(hint) if arg is not type(None)]
        return _coerce(value, inner[0], path, problems)
    if origin is list:
        if not isinstance(value, list):
            problems.add(path, "must be a list")
            return _MISSING
        (item_hint,) = get_args(hint)
        items = [_coerce(item, item_hint, f"{path}[{i}]", problems) for i, item in enumerate(value)]
        return [item for item in items if item is not _MISSING]
    if origin is dict:
        if not isinstance(value, Mapping):
            problems.add(path, "must be an object")
            return _MISSING
        _, value_hint = get_args(hint)
        for key in value:
            if not isinstance(key, str) or (
                problems.checked and (len(key) > MAX_REFERENCE or not REFERENCE.fullmatch(key))
            ):
                problems.add(_key_path(f"{path}.", key), f"{shown(key)} is not a name it takes")
                return _MISSING
        if value_hint is Any:
            return dict(value)
        return {
            str(key): _coerce(item, value_hint, f"{path}.{key}", problems)
            for key, item in value.items()
        }
    if hint is str:
        if not isinstance(value, str):
            problems.add(path, "must be text")
            return _MISSING
        text = value.strip()
        if not text:
            problems.add(path, "must not be empty")
            return _MISSING
        problem = text_problem(path, text) if problems.checked else unstorable(text)
        if problem is not None:
            problems.add(path, problem)
            return _MISSING
        return text
    if hint is bool:
        if not isinstance(value, bool):
            problems.add(path, "must be true or false")
            return _MISSING
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            problems.add(path, "must be a whole number")
            return _MISSING
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value():
            problems.add(path, "must be a whole number")
            return _MISSING
        if number.adjusted() >= MAX_DIGITS:
            problems.add(path, f"must be a whole number of at most {MAX_DIGITS} digits")
            return _MISSING
        whole = int(number)
        if path == "expected_version" and whole < 0:
            problems.add(path, "must be a version the record had (not negative)")
            return _MISSING
        return whole
    if hint is date:
        return _coerce_date(value, path, problems)
    if hint is Decimal:
        return _coerce_decimal(value, path, problems)
    if hint is Grade:
        try:
            if isinstance(value, str):
                return parse_grade(value)
        except ValueError:
            pass
        problems.add(path, f"{shown(value)} is not a grade ({', '.join(g.value for g in Grade)})")
        return _MISSING
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError:
            choices = ", ".join(str(member.value) for member in hint)
            problems.add(path, f"{shown(value)} is not one of {choices}")
            return _MISSING
    if hint is Finding:
        if not isinstance(value, Mapping):
            problems.add(path, "must be an object with kind and text")
            return _MISSING
        values = _parse_fields(Finding, value, problems, ignore=set(), prefix=f"{path}.")
        return Finding(**values) if len(values) == 2 else _MISSING
    raise TypeError(f"no coercion for {hint!r}")  # a programming error, not bad input


def _coerce_date(value: Any, path: str, problems: _Problems) -> Any:
    day: date | None = value if type(value) is date else None
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        problems.add(path, f"{shown(value)} is not a date (YYYY-MM-DD)")
        return _MISSING
    problem = date_problem(path, day, problems.today) if problems.checked else None
    if problem is not None:
        problems.add(path, problem)
        return _MISSING
    return day


def _coerce_decimal(value: Any, path: str, problems: _Problems) -> Any:
    if isinstance(value, bool | float):
        # A binary float cannot hold most decimal amounts exactly.
        problems.add(path, 'must be an exact number (give it as text, e.g. "5000000.00")')
        return _MISSING
    if isinstance(value, int | Decimal | str):
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if number.is_finite():
            try:
                check_number(number, path, "the number")
            except InvalidCommand as error:
                problems.add(path, error.message)
                return _MISSING
            return number
    problems.add(path, f"{shown(value)} is not a number")
    return _MISSING
