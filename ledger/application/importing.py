"""Importing JSON Lines: one command a line, all or nothing, every error named by line and field."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

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


def parse_json_line(text: str) -> object:
    """A JSON value with every number read exactly (as Decimal or int, never float)."""
    return json.loads(text, parse_float=Decimal)


def read_commands(
    lines: Iterable[str],
) -> tuple[list[tuple[int, PendingCommand]], list[LineError]]:
    """Every non-blank line as a command, and the problems of the lines that are not one."""
    commands: list[tuple[int, PendingCommand]] = []
    errors: list[LineError] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            raw = parse_json_line(text)
        except json.JSONDecodeError as error:
            errors.append(
                LineError(number, None, f"not valid JSON ({error.msg}, column {error.colno})")
            )
            continue
        try:
            command = parse_command(raw)
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


def import_commands(ledger: JourneyLedger, lines: Iterable[str], actor: str) -> ImportResult:
    """Record every command in `lines` in one transaction, or none of them.

    When some lines are not commands at all, the others are still checked against the ledger
    (and nothing is saved), so one attempt reports every problem in the file.
    """
    numbered, errors = read_commands(lines)
    try:
        new_events = ledger.execute(
            [pending for _, pending in numbered], actor, dry_run=bool(errors)
        )
    except CommandsRejected as rejected:
        errors += [LineError(numbered[e.index][0], e.field, e.message) for e in rejected.errors]
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    return ImportResult(len(numbered), new_events)
