"""The ledger application: records commands as chained events, and reads the log back in order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    IntegrityError,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)

from ledger.chain import (
    Fingerprint,
    Seal,
    StoredFields,
    StoredRow,
    Verification,
    verify_history,
)
from ledger.errors import (
    CommandError,
    CommandsRejected,
    ConcurrentUpdateConflict,
    InvalidCommand,
    LedgerIntegrityError,
)
from ledger.frameworks import FrameworkCatalogue
from ledger.garbage_collection import cyclic_gc_paused
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
        with cyclic_gc_paused():
            return self._execute(commands, actor, dry_run)

    def _execute(self, commands: Sequence[PendingCommand], actor: str, dry_run: bool) -> int:
        batch = Batch(self._load)
        errors: list[CommandError] = []
        today = self.today()
        # The whole batch is checked against one state of the records it reads.
        with self._snapshot():
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
            return self._save_records(changed)
        except IntegrityError:
            raise ConcurrentUpdateConflict(
                "someone else recorded a change to the same record at the same time; "
                "nothing of yours was saved: reload and try again"
            ) from None

    def _save_records(self, records: Sequence[LedgerAggregate]) -> int:
        """`Application.save` step by step, for objects known to be aggregates; returns how many
        events were recorded.

        The library's `save` asks two runtime-checkable Protocols of every object whether it is
        an event or an aggregate; on Python 3.11 each such check costs more than encoding an event.
        And it builds a `Recording` of every event for `_notify`, which does nothing unless a
        subclass says otherwise.
        """
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for record in records:
            processing.events.extend(record.collect_events())
            processing.aggregates[record.id] = record
        if type(self)._notify is not Application._notify:
            recordings = self._record(processing)
            self._take_snapshots(processing)
            self._notify(recordings)
        else:
            # `Application._record` without the recordings.
            self.recorder.insert_events(
                [self.mapper.to_stored_event(event) for event in processing.events],
                tracking=processing.tracking,
                **processing.saved_kwargs,
            )
            if self.repository.cache and not self.repository.fastforward:
                for aggregate_id, aggregate in processing.aggregates.items():
                    self.repository.cache.put(aggregate_id, aggregate)
            self._take_snapshots(processing)
        self.notify(processing.events)
        return len(processing.events)

    def _load(self, aggregate_id: UUID) -> LedgerAggregate | None:
        try:
            return self.repository.get(aggregate_id, projector_func=_replay_events)
        except AggregateNotFoundError:
            return None
        except MapperDeserialisationError as error:
            raise LedgerIntegrityError(unreadable_message(error)) from None

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

    def read_stored(self, after: int = 0, batch_size: int = 2000) -> Iterator[StoredFields]:
        """Every event after position `after` as stored (encoded), in the order recorded, as
        (position, originator_id, originator_version, topic, state)."""
        rows_after = getattr(self.recorder, "rows_after", self._notifications_after)
        while rows := rows_after(after, batch_size):
            yield from rows
            after = rows[-1][0]

    def _notifications_after(self, position: int, limit: int) -> list[StoredFields]:
        """`rows_after` on a recorder without it (the library's own), from its notifications."""
        return [
            (n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in self.recorder.select_notifications(
                start=position, limit=limit, inclusive_of_start=False
            )
        ]

    def _snapshot(self) -> AbstractContextManager[None]:
        """Reads in the block share one snapshot where the recorder can do that."""
        snapshot: Callable[[], AbstractContextManager[None]] | None = getattr(
            self.recorder, "snapshot", None
        )
        return snapshot() if snapshot is not None else nullcontext()

    def decode(self, stored: StoredEvent) -> Any:
        try:
            return self.mapper.to_domain_event(stored)
        except MapperDeserialisationError as error:
            raise LedgerIntegrityError(unreadable_message(error)) from None

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


def _replay_events(
    aggregate: LedgerAggregate | None, events: Iterable[Any]
) -> LedgerAggregate | None:
    """The library's `project_aggregate` without its `assert isinstance(event, <Protocol>)`: on
    Python 3.11 that check costs several times what decoding the event does."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def unreadable_message(error: Exception) -> str:
    """What to tell a user when stored events cannot be decoded (wrong key, or altered data)."""
    return (
        "cannot read the ledger's events: the encryption key (LEDGER_CIPHER_KEY) is wrong or "
        f"missing, or the stored data was altered ({type(error.__cause__ or error).__name__})"
    )
