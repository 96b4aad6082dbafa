"""The exceptions the ledger raises. Adapters (CLI, web) turn them into messages for people."""

from __future__ import annotations

from dataclasses import dataclass


class LedgerError(Exception):
    """Base class of every error the ledger reports to a user."""


class InvalidCommand(LedgerError):
    """A command's values are wrong; `field` names the offending field where there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class UnknownFramework(InvalidCommand):
    """The inspection framework is not in the frameworks file."""


class OutsideFrameworkPeriod(InvalidCommand):
    """An inspection's dates fall outside the period its framework was in use."""


class UnknownJudgementArea(InvalidCommand):
    """A judgement area is not part of the inspection's framework."""


class UnknownRecord(InvalidCommand):
    """A command refers to a record (authority, inspection, action...) that was never recorded."""


class RecordAlreadyExists(InvalidCommand):
    """A record with this id already exists with different details."""


class ActionAlreadyClosed(InvalidCommand):
    """The action was completed or cancelled; it takes no more updates."""


class RecommendationStateError(InvalidCommand):
    """Closing a closed recommendation, or reopening an open one."""


@dataclass(frozen=True)
class CommandError:
    """One problem with one command in a batch: `index` counts from 0 in the batch."""

    index: int
    field: str | None
    message: str


class CommandsRejected(LedgerError):
    """A batch of commands was rejected whole; nothing was written."""

    def __init__(self, errors: list[CommandError]) -> None:
        super().__init__(f"{len(errors)} problem(s); nothing was recorded")
        self.errors = errors


class ConcurrentUpdateConflict(LedgerError):
    """Someone else changed the same record at the same time; this change was not saved."""


class LedgerIntegrityError(LedgerError):
    """The stored history cannot be read as it was written (a wrong key, or tampering)."""
