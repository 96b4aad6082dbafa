"""The ledger application: the one door to the write model.

Commands are recorded as chained events, all of a batch or none; the log is read back in order;
the records behind a form (their version, their current details) and the digest deliveries are
read here too. Nothing outside this package calls the repository, `save` or the recorder.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    MapperDeserialisationError,
    Recording,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import get_topic

from ledger.application.digest_deliveries import DigestDeliveries
from ledger.application.garbage_collection import cyclic_gc_paused
from ledger.application.handlers import HANDLERS, Batch, Context, CountingBatch
from ledger.application.log import PlainDecoder, PlainEvent, unreadable_message
from ledger.application.reminder_deliveries import ReminderDeliveries
from ledger.application.sealed_application import SealedApplication
from ledger.domain.errors import (
    CommandError,
    CommandsRejected,
    ConcurrentUpdateConflict,
    InvalidCommand,
    LedgerIntegrityError,
)
from ledger.domain.frameworks import FrameworkCatalogue
from ledger.domain.kinds import RECORD_CLASSES
from ledger.domain.records import LedgerAggregate, record_id
from ledger.evidence.chain import (
    EMPTY,
    Fingerprint,
    StoredFields,
    Verification,
    verify_history,
)
from ledger.persistence.after_insert import AFTER_INSERT, AfterInsert
from ledger.persistence.topics import RECORD_MODULES_BEFORE, LedgerMapper, register_legacy_topics
from ledger.persistence.transcodings import LedgerTranscoder

if TYPE_CHECKING:
    from pathlib import Path

    from ledger.application.importing import ImportResult


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


@dataclass(frozen=True)
class RecordDetails:
    """A record as it stands: its kind, ref, version, and a copy of its attributes."""

    kind: str
    ref: str
    version: int
    fields: Mapping[str, Any]


class JourneyLedger(SealedApplication):
    """Records the improvement journey, and reads its log back in order."""

    name = "ledger"

    def __init__(
        self,
        env: Mapping[str, str],
        frameworks: FrameworkCatalogue,
        today: Callable[[], date],
    ) -> None:
        self.frameworks = frameworks
        self.today = today
        register_legacy_topics()
        self._beside_events: list[AfterInsert] = []
        super().__init__(env=dict(env))
        #: Digest deliveries: claims and outcomes, so a period goes out once per channel.
        self.digests = DigestDeliveries(self)
        #: Reminders and escalations: one message a day per person, claimed then recorded.
        self.reminders = ReminderDeliveries(self)

    def construct_transcoder(self) -> Transcoder:
        return LedgerTranscoder()

    def write_beside_events(self, writer: AfterInsert) -> None:
        """Have `writer` write beside every batch of events in the transaction that inserts
        them (the read models' rows): it commits with them or not at all."""
        self._beside_events.append(writer)

    def _after_insert(
        self, cursor: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        for writer in self._beside_events:
            writer(cursor, positions, stored_events)

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """The library's `_record`, asking the recorder to call the writers beside the events
        (the extension point its searchable-timestamps example uses to index events)."""
        if self._beside_events:
            processing_event.saved_kwargs[AFTER_INSERT] = self._after_insert
        return super()._record(processing_event)

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper reading only the ledger's own event topics (see
        `ledger.persistence.topics.LedgerMapper`)."""
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=LedgerMapper
        )

    # -- commands ---------------------------------------------------------------------------

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

    def preview(self, commands: Sequence[PendingCommand], actor: str) -> list[int]:
        """How many new events each command would record, in a dry run of the whole batch (a
        command already recorded would add none). Raises as `execute` does; saves nothing."""
        counts: list[int] = []
        with cyclic_gc_paused():
            self._execute(commands, actor, True, counts)
        return counts

    def _execute(
        self,
        commands: Sequence[PendingCommand],
        actor: str,
        dry_run: bool,
        counts: list[int] | None = None,
    ) -> int:
        batch = Batch(self._load) if counts is None else CountingBatch(self._load)
        errors: list[CommandError] = []
        today = self.today()
        # The whole batch is checked against one state of the records it reads.
        with self.snapshot():
            for index, pending in enumerate(commands):
                ctx = Context(self.frameworks, actor, pending.command_id, today)
                try:
                    HANDLERS[type(pending.command)](batch, pending.command, ctx)
                except InvalidCommand as error:
                    errors.append(CommandError(index, error.field, error.message))
                if isinstance(batch, CountingBatch) and counts is not None:
                    counts.append(batch.new_events())
        if errors:
            raise CommandsRejected(errors)
        changed = batch.changed()
        count = sum(len(record.pending_events) for record in changed)
        if dry_run or not changed:
            return count
        self.save_records(changed)
        return count

    def save_records(self, records: Sequence[LedgerAggregate]) -> None:
        """Save changed records in one transaction; a clash with another writer is a conflict."""
        try:
            self.save(*records)
        except IntegrityError:
            raise ConcurrentUpdateConflict(
                "someone else recorded a change to the same record at the same time; "
                "nothing of yours was saved: reload and try again"
            ) from None

    def import_lines(self, lines: Iterable[str | bytes], actor: str) -> ImportResult:
        """Import JSON Lines of commands, all or nothing (see `ledger.application.importing`)."""
        from ledger.application.importing import import_commands

        return import_commands(self, lines, actor)

    def restore(self, lines: Iterable[str | bytes]) -> int:
        """Append the events of an export (its lines, header first) to this store, all checked
        first (see `ledger.application.exports`)."""
        from ledger.application.exports import restore

        return restore(self, lines)

    def append_stored(self, stored_events: Sequence[StoredEvent]) -> None:
        """Append already-encoded events (a restore from an export), sealed as usual."""
        try:
            kwargs = {AFTER_INSERT: self._after_insert} if self._beside_events else {}
            self.recorder.insert_events(list(stored_events), **kwargs)
        except IntegrityError:
            raise ConcurrentUpdateConflict(
                "the store changed while restoring; nothing was restored"
            ) from None

    # -- records ----------------------------------------------------------------------------

    def _load(self, aggregate_id: UUID) -> LedgerAggregate | None:
        try:
            return self.repository.get(aggregate_id, projector_func=replay_events)
        except AggregateNotFoundError:
            return None
        except MapperDeserialisationError as error:
            raise LedgerIntegrityError(unreadable_message(error)) from None

    def load(self, aggregate_id: UUID) -> LedgerAggregate | None:
        """A record by its id, or None (for this package's own services)."""
        return self._load(aggregate_id)

    def record_details(self, kind: str, authority: str, ref: str) -> RecordDetails | None:
        """The record `ref` of `kind` as it stands now, or None if there is none.

        The attributes are a copy: changing them changes nothing recorded.
        """
        cls = RECORD_CLASSES.get(kind)
        if cls is None:
            return None
        found = self._load(record_id(kind, authority, ref))
        if found is None or not isinstance(found, cls):
            return None
        fields = {
            name: copy.deepcopy(value)
            for name, value in vars(found).items()
            if not name.startswith("_") and name not in ("applied_commands", "pending_events")
        }
        return RecordDetails(kind, ref, found.version, fields)

    def records(self, kind: str) -> list[tuple[str, RecordDetails]]:
        """Every record of `kind`, as it stands now, with the authority it belongs to.

        One query reads the events that created records of that kind (not the whole log);
        then each record is loaded, corrections and all.
        """
        from ledger.application.commands import COMMAND_NAMES, CREATING_COMMANDS

        cls = RECORD_CLASSES[kind]
        created = getattr(cls, COMMAND_NAMES[CREATING_COMMANDS[kind]])
        topics = [get_topic(created)]
        if kind in RECORD_MODULES_BEFORE:
            topics.append(f"{RECORD_MODULES_BEFORE[kind]}:{created.__qualname__}")
        found = []
        for event in self.stored_events_of_topics(topics):
            ref = getattr(event, "ref", None) or event.slug  # an authority's ref is its slug
            details = self.record_details(kind, event.meta.authority, ref)
            if details is not None:
                found.append((event.meta.authority, details))
        return found

    # -- the log ----------------------------------------------------------------------------

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
        rows_after = self.sealed_recorder.rows_after
        while rows := rows_after(after, batch_size):
            yield from rows
            after = rows[-1][0]

    def plain_decoder(self) -> PlainDecoder:
        """A decoder of stored events into plain JSON values, for read models."""
        return PlainDecoder(self.mapper, self.decode)

    def plain_events(self, after: int = 0) -> Iterator[PlainEvent]:
        """Every event after position `after` as plain JSON values, for read models."""
        decoder = self.plain_decoder()
        for row in self.read_stored(after):
            yield decoder.decode(row)

    def stored_events_of_topics(self, topics: Sequence[str], page: int = 1000) -> Iterator[Any]:
        """Every event of the given topics, decoded, in the order recorded (one query a page)."""
        start = 0
        while True:
            found = self.recorder.select_notifications(
                start=start, limit=page, topics=topics, inclusive_of_start=False
            )
            for notification in found:
                yield self.decode(notification)
            if len(found) < page:
                return
            start = found[-1].id

    def decode(self, stored: StoredEvent) -> Any:
        try:
            return self.mapper.to_domain_event(stored)
        except MapperDeserialisationError as error:
            raise LedgerIntegrityError(unreadable_message(error)) from None

    def last_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    # -- tamper evidence --------------------------------------------------------------------

    def fingerprint_at(self, instant: datetime) -> Fingerprint:
        """The fingerprint `ledger fingerprint` printed at `instant`: the chain's head after the
        events recorded at or before it (the longest such run from the first event)."""
        count = 0
        for event in self.plain_events():
            if datetime.fromisoformat(event.recorded_at) > instant:
                break
            count += 1
        if count == 0:
            return EMPTY
        seal = self.seals()[count - 1]
        return Fingerprint(seal.seq, seal.chain_hash)

    def verify(self, expected: Fingerprint | None = None) -> Verification:
        """Walk the whole history against its seals (and a fingerprint the caller kept)."""
        return verify_history(self.stored_rows(), self.seals(), expected)

    def export(self, out: IO[str]) -> Fingerprint:
        """Write every sealed event, with its metadata and seal, as JSON Lines."""
        from ledger.application.exports import write_export

        return write_export(self, out)

    def export_bundle(self, path: Path) -> Fingerprint:
        """Write a verifiable bundle (zip) of the history."""
        from ledger.application.exports import write_bundle

        return write_bundle(self, path)

    def snapshot(self) -> AbstractContextManager[None]:
        """Reads in the block share one snapshot where the recorder can do that."""
        return self.sealed_recorder.snapshot()


def replay_events(
    aggregate: LedgerAggregate | None, events: Iterable[Any]
) -> LedgerAggregate | None:
    """The library's `project_aggregate`, passed to `repository.get` as its documented
    `projector_func`, without its `assert isinstance(event, <Protocol>)`: on Python 3.11 that
    check costs several times what decoding the event does (`benchmarks/library_paths.py`).
    `tests/unit/ledger/test_library_copies.py` fails if the library's function changes."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate
