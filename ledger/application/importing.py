"""Importing JSON Lines: one command a line, all or nothing, every error named by line and field.

Whatever a file holds (bytes that are not UTF-8, JSON nested a thousand deep, numbers with a
hundred thousand digits, unpaired surrogates), reading it gives commands or line errors, never
an exception: the limits are those of `ledger.application.limits`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.application.limits import MAX_DIGITS, MAX_IMPORT_LINE, MAX_NESTING
from ledger.application.parsing import CommandParseError, command_id_of, parse_command
from ledger.application.service import JourneyLedger, PendingCommand
from ledger.domain.errors import CommandsRejected, LedgerError


@dataclass(frozen=True)
class LineError:
    """One problem in an import file."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class ImportRejected(LedgerError):
    """The file was rejected whole; nothing was written."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the file; nothing was recorded")
        self.errors = errors


class BadLine(ValueError):
    """A line that is not one JSON value the ledger can read; the message says why."""


def _whole_number(text: str) -> int | Decimal:
    # A whole number too long for an int is kept as a Decimal, for the parser to refuse by name
    # (Python refuses to turn more than 4,300 digits into an int, with a ValueError).
    return int(text) if len(text) <= MAX_DIGITS + 2 else Decimal(text)


def _depth(value: object) -> int:
    """How deeply `value` nests lists and objects (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_NESTING:
                children = item.values() if isinstance(item, dict) else item
                stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_json_line(text: str | bytes) -> Any:
    """A JSON value with every number read exactly (as Decimal or int, never float).

    Raises `BadLine` (saying why in words) for anything that is not one readable JSON value
    within the limits.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadLine(f"not UTF-8 text (byte {error.start + 1} cannot be read)") from None
    if len(text) > MAX_IMPORT_LINE:
        raise BadLine(f"longer than {MAX_IMPORT_LINE:,} characters")
    try:
        value = json.loads(text, parse_float=Decimal, parse_int=_whole_number)
    except json.JSONDecodeError as error:
        raise BadLine(f"not valid JSON ({error.msg}, column {error.colno})") from None
    except RecursionError:
        raise BadLine(f"lists or objects nested more than {MAX_NESTING} deep") from None
    except ValueError as error:  # e.g. a number the decoder cannot convert
        raise BadLine(f"not valid JSON ({str(error)[:80]})") from None
    if _depth(value) > MAX_NESTING:
        raise BadLine(f"lists or objects nested more than {MAX_NESTING} deep")
    return value


def _blank(text: str | bytes) -> bool:
    return not text.strip()


def read_commands(
    lines: Iterable[str | bytes], today: date | None = None
) -> tuple[list[tuple[int, PendingCommand]], list[LineError]]:
    """Every non-blank line as a command, and the problems of the lines that are not one."""
    commands: list[tuple[int, PendingCommand]] = []
    errors: list[LineError] = []
    for number, text in enumerate(lines, start=1):
        if _blank(text):
            continue
        try:
            raw = parse_json_line(text)
        except BadLine as error:
            errors.append(LineError(number, None, str(error)))
            continue
        try:
            command = parse_command(raw, today)
        except CommandParseError as error:
            errors.extend(LineError(number, e.field, e.message) for e in error.errors)
            continue
        assert isinstance(raw, dict)
        commands.append((number, PendingCommand(command, command_id_of(raw))))
    return commands, errors


@dataclass(frozen=True)
class ImportResult:
    commands: int
    new_events: int


def import_commands(
    ledger: JourneyLedger, lines: Iterable[str | bytes], actor: str
) -> ImportResult:
    """Record every command in `lines` in one transaction, or none of them.

    When some lines are not commands at all, the others are still checked against the ledger
    (and nothing is saved), so one attempt reports every problem in the file.
    """
    numbered, errors = read_commands(lines, ledger.today())
    try:
        new_events = ledger.execute(
            [pending for _, pending in numbered], actor, dry_run=bool(errors)
        )
    except CommandsRejected as rejected:
        errors += [LineError(numbered[e.index][0], e.field, e.message) for e in rejected.errors]
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    return ImportResult(len(numbered), new_events)
