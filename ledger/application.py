"""The ledger application: records commands as chained events, and reads the log back in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)

from ledger.chain import Fingerprint, Seal, StoredRow, Verification, verify_history
from ledger.errors import (
    CommandError,
    CommandsRejected,
    ConcurrentUpdateConflict,
    InvalidCommand,
    LedgerIntegrityError,
)
from ledger.frameworks import FrameworkCatalogue
from ledger.handlers import HANDLERS, Batch, Context
from ledger.records import LedgerAggregate
from ledger.sealed_postgres import SealedPostgresRecorder
from ledger.sealed_sqlite import SealedSQLiteRecorder
from ledger.transcodings import LedgerTranscoder

SealedRecorder = SealedSQLiteRecorder | SealedPostgresRecorder


@dataclass(frozen=True)
class PendingCommand:
    """A parsed command and its idempotency key."""

    command: Any
    command_id: str


@dataclass(frozen=True)
class LoggedEvent:
    """An event read back from the log, with its position in recording order."""

    position: int
    event: Any


class JourneyLedger(Application[UUID]):
    """Records the improvement journey. One method per command, and the log read back in order."""

    name = "ledger"

    def __init__(
        self,
        env: Mapping[str, str],
        frameworks: FrameworkCatalogue,
        today: Callable[[], date],
    ) -> None:
        self.frameworks = frameworks
        self.today = today
        super().__init__(env=dict(env))

    def construct_transcoder(self) -> Transcoder:
        return LedgerTranscoder()

    @property
    def sealed_recorder(self) -> SealedRecorder:
        return cast(SealedRecorder, self.recorder)

    def execute(
        self, commands: Sequence[PendingCommand], actor: str, *, dry_run: bool = False
    ) -> int:
        """Record every command or none; returns how many new events were (or would be) recorded.

        Raises `CommandsRejected` naming each bad command, or `ConcurrentUpdateConflict` when
        another writer changed a record first. Re-running commands already recorded changes
        nothing. A dry run checks everything and saves nothing.
        """
        batch = Batch(self._load)
        errors: list[CommandError] = []
        today = self.today()
        for index, pending in enumerate(commands):
            ctx = Context(self.frameworks, actor, pending.command_id, today)
            try:
                HANDLERS[type(pending.command)](batch, pending.command, ctx)
            except InvalidCommand as error:
                errors.append(CommandError(index, error.field, error.message))
        if errors:
            raise CommandsRejected(errors)
        changed = batch.changed()
        if dry_run or not changed:
            return sum(len(record.pending_events) for record in changed)
        try:
            recordings = self.save(*changed)
        except IntegrityError:
            raise ConcurrentUpdateConflict(
                "someone else recorded a change to the same record at the same time; "
                "nothing of yours was saved: reload and try again"
            ) from None
        return len(recordings)

    def _load(self, aggregate_id: UUID) -> LedgerAggregate | None:
        try:
            return cast(LedgerAggregate, self.repository.get(aggregate_id))
        except AggregateNotFoundError:
            return None
        except MapperDeserialisationError as error:
            raise LedgerIntegrityError(_unreadable(error)) from None

    def read_log(self, after: int = 0, batch_size: int = 2000) -> Iterator[LoggedEvent]:
        """Every event after position `after`, decoded, in the order recorded."""
        start = after
        while True:
            notifications = self.recorder.select_notifications(
                start=start, limit=batch_size, inclusive_of_start=False
            )
            if not notifications:
                return
            for notification in notifications:
                yield LoggedEvent(notification.id, self.decode(notification))
            start = notifications[-1].id

    def decode(self, stored: StoredEvent) -> Any:
        try:
            return self.mapper.to_domain_event(stored)
        except MapperDeserialisationError as error:
            raise LedgerIntegrityError(_unreadable(error)) from None

    def last_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def fingerprint(self) -> Fingerprint:
        return self.sealed_recorder.fingerprint()

    def stored_rows(self) -> Iterator[StoredRow]:
        return self.sealed_recorder.stored_rows()

    def seals(self) -> list[Seal]:
        return self.sealed_recorder.seals()

    def verify(self, expected: Fingerprint | None = None) -> Verification:
        """Walk the whole history against its seals (and a fingerprint the caller kept)."""
        return verify_history(self.stored_rows(), self.seals(), expected)

    def append_stored(self, stored_events: Sequence[StoredEvent]) -> None:
        """Append already-encoded events (a restore from an export), sealed as usual."""
        try:
            self.recorder.insert_events(list(stored_events))
        except IntegrityError:
            raise ConcurrentUpdateConflict(
                "the store changed while restoring; nothing was restored"
            ) from None


def _unreadable(error: Exception) -> str:
    return (
        "cannot read the ledger's events: the encryption key (LEDGER_CIPHER_KEY) is wrong or "
        f"missing, or the stored data was altered ({type(error.__cause__ or error).__name__})"
    )
