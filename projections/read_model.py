"""Keeping the read models: rows written in the transaction that records their events, a tracked
position saying which events they cover, and catch-up and rebuild for when they do not.

Recording an event writes its rows on the recorder's cursor, inside the transaction that stores
and seals the event (`project`, called by the recorder after sealing): the read models commit
with the events or not at all, each event is projected once, by the process that records it,
and no other process folds it again.

Transactions project only while the rows are *live*: built up to the end of the log. A store
written by an older version, rows of another format, or a rebuild under way are not live: then
transactions leave their events to `catch_up`, which projects whatever follows the tracked
position and, once it finds nothing more while holding the write lock (SQLite) or the state
row (PostgreSQL), makes the rows live again, so the two never project the same event and
nothing falls between them. (Positions can have gaps, e.g. after a refused PostgreSQL insert, so
the position alone cannot say whether the rows are complete.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent

from ledger.application.garbage_collection import cyclic_gc_paused
from ledger.application.log import PlainEvent
from ledger.application.service import JourneyLedger
from projections.database import ReadDatabase
from projections.rows import (
    ROWS_FORMAT,
    Dialect,
    Row,
    RowFilter,
    RowWriter,
    recorded_us,
    select_latest,
    select_rows,
)
from projections.writes import Document, Projection

Progress = Callable[[int], None]
TABLES = ("rows", "history", "state")
STATE = "rows"
BATCH = 10_000
# How many current rows a rebuild remembers between its batches before it starts afresh.
REMEMBERED_ROWS = 200_000


class ReadModel:
    """The read models of one ledger, as rows."""

    def __init__(
        self, ledger: JourneyLedger, database: ReadDatabase, projections: Sequence[Projection]
    ) -> None:
        self.ledger = ledger
        self.database = database
        self.dialect: Dialect = database.dialect
        self.projections = {p.name: p for p in projections}
        self._by_event: dict[str, list[Projection]] = {}
        self._decoder = ledger.plain_decoder()
        sql = self.dialect.sql
        self._state = sql("SELECT position, format, live FROM {state} WHERE name = ?")
        self._lock_state = self._state + (" FOR UPDATE" if self.dialect.name != "sqlite" else "")
        self._set_state = sql(
            "UPDATE {state} SET position = ?, format = ?, live = ? WHERE name = ?"
        )
        self._add_state = sql(
            "INSERT INTO {state} (name, position, format, live) VALUES (?, ?, ?, ?)"
        )

    # -- schema -------------------------------------------------------------------------------

    def tables_ready(self) -> bool:
        """Whether the rows' tables are there (a read of the catalogue)."""
        found = self.database.read(self.dialect.tables_found, ())
        return int(found[0][0]) == len(TABLES)

    def create_tables(self) -> None:
        """Create the rows' tables if they are missing (DDL: at `ledger init`, or by a command
        that records, never by opening a ledger to read or by a web worker). Processes
        starting together create them one after another, and a store that has them gets no
        DDL at all. The rows are then built by `catch_up`."""
        if self.tables_ready():
            return
        with self.database.writing() as cursor:
            if self.dialect.creation_lock is not None:
                cursor.execute(self.dialect.creation_lock)
            for statement in self.dialect.create:
                cursor.execute(statement)
            cursor.execute(self._state, (STATE,))
            if cursor.fetchone() is None:
                cursor.execute(self._add_state, (STATE, 0, ROWS_FORMAT, 0))

    # -- in the recording transaction ---------------------------------------------------------

    def project(
        self, cursor: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        """Write the rows of events just inserted, on the inserting transaction's cursor."""
        if not positions:
            return
        cursor.execute(self._lock_state, (STATE,))
        found = cursor.fetchone()
        if found is None or found["format"] != ROWS_FORMAT or not found["live"]:
            return  # the rows are behind, of another format or being rebuilt: see catch_up
        events = [
            self._decoder.decode((p, s.originator_id, s.originator_version, s.topic, s.state))
            for p, s in zip(positions, stored_events, strict=True)
        ]
        writer = RowWriter(self.dialect, cursor)
        self._write(writer, events)
        writer.flush()
        cursor.execute(self._set_state, (positions[-1], ROWS_FORMAT, 1, STATE))

    def _write(
        self,
        writer: RowWriter,
        events: Iterable[PlainEvent],
        only: dict[str, Projection] | None = None,
    ) -> int:
        last = 0
        for event in events:
            last = event.position
            interested: list[Projection]
            if only is not None:
                interested = [p for p in only.values() if p.handles(event.name)]
            else:
                cached = self._by_event.get(event.name)
                if cached is None:
                    cached = self._by_event[event.name] = [
                        p for p in self.projections.values() if p.handles(event.name)
                    ]
                interested = cached
            if not interested:
                continue
            authority = event.authority

            def current(projection: str, kind: str, record: str) -> dict[str, Any] | None:
                return writer.current(authority, projection, kind, record)  # noqa: B023

            at = recorded_us(event.recorded_at)
            for projection in interested:
                writer.write(projection.rows(event, current), event.position, at)
        return last

    # -- catching up and rebuilding -----------------------------------------------------------

    def position(self) -> int:
        """The last event the rows cover (0 if none, or if they are of another format)."""
        found = self.database.read(self._state, (STATE,))
        if not found:
            return 0
        position, stored_format, _ = found[0]
        return int(position) if stored_format == ROWS_FORMAT else 0

    def live(self) -> bool:
        """Whether the rows cover the log and each recording projects its own events."""
        found = self.database.read(self._state, (STATE,))
        return bool(found) and found[0][1] == ROWS_FORMAT and bool(found[0][2])

    def lag(self) -> int:
        """How many events the rows are behind the log (0 when live)."""
        if self.live():
            return 0
        return max(self.ledger.last_position() - self.position(), 1)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Project every event the rows do not cover yet and make them live; returns how many
        events were read."""
        if self.live():
            return 0
        return self._project_log(rebuild=False, progress=progress)

    def rebuild(self, names: Iterable[str] = (), progress: Progress | None = None) -> int:
        """Drop the rows of the named read models (all if none) and project the whole log
        again; returns how many events were read.

        A whole rebuild goes in batches, each its own transaction (recording goes on between
        them and is caught up at the end); one read model alone is rebuilt in one transaction,
        since the others stay current meanwhile.
        """
        chosen = set(names) or set(self.projections)
        unknown = chosen - set(self.projections)
        if unknown:
            raise ValueError(f"no such read model: {', '.join(sorted(unknown))}")
        if chosen == set(self.projections):
            return self._project_log(rebuild=True, progress=progress)
        return self._rebuild_some([self.projections[name] for name in sorted(chosen)], progress)

    def _rebuild_some(self, chosen: Sequence[Projection], progress: Progress | None) -> int:
        total = 0
        with cyclic_gc_paused(), self.database.writing() as cursor:
            cursor.execute(self._lock_state, (STATE,))
            found = cursor.fetchone()
            if found is None or found["format"] != ROWS_FORMAT or not found["live"]:
                raise ValueError("the read models are not built yet: rebuild all of them")
            last = int(found["position"])
            names = [p.name for p in chosen]
            marks = ", ".join("?" * len(names))
            cursor.execute(
                self.dialect.sql(f"DELETE FROM {{rows}} WHERE projection IN ({marks})"), names
            )
            writer = RowWriter(self.dialect, cursor, {})
            only = {p.name: p for p in chosen}
            for count, row in enumerate(self.ledger.read_stored(0, batch_size=BATCH), start=1):
                if row[0] > last:
                    break
                self._write(writer, [self._decoder.decode(row)], only)
                if count % BATCH == 0:
                    writer.forget()
                    if progress is not None:
                        progress(BATCH)
                total = count
            writer.flush()
        if progress is not None:
            progress(total % BATCH)
        return total

    def _project_log(self, *, rebuild: bool, progress: Progress | None) -> int:
        total = 0
        start_over = rebuild
        # The current rows a rebuild has read or written, kept across its batches (each holds
        # the write lock while it runs, and events recorded meanwhile wait for the rebuild).
        remembered: dict[Any, Any] = {}
        while True:
            with cyclic_gc_paused(), self.database.writing() as cursor:
                cursor.execute(self._lock_state, (STATE,))
                found = cursor.fetchone()
                after = 0 if found is None else int(found["position"])
                if start_over or found is None or found["format"] != ROWS_FORMAT:
                    cursor.execute(self.dialect.sql("DELETE FROM {rows}"))
                    cursor.execute(self.dialect.sql("DELETE FROM {history}"))
                    after, start_over = 0, False
                    remembered.clear()
                    if found is None:
                        cursor.execute(self._add_state, (STATE, 0, ROWS_FORMAT, 0))
                if len(remembered) > REMEMBERED_ROWS:
                    remembered.clear()
                writer = RowWriter(self.dialect, cursor, remembered)
                events = list(self._events_after(after, BATCH))
                if not events:
                    # Nothing more, and no one can record until this commits: live again.
                    cursor.execute(self._set_state, (after, ROWS_FORMAT, 1, STATE))
                    return total
                last = self._write(writer, events)
                writer.flush()
                cursor.execute(self._set_state, (last, ROWS_FORMAT, 0, STATE))
            total += len(events)
            if progress is not None:
                progress(len(events))

    def _events_after(self, after: int, limit: int) -> Iterable[PlainEvent]:
        for count, row in enumerate(self.ledger.read_stored(after, batch_size=limit)):
            if count >= limit:
                return
            yield self._decoder.decode(row)

    # -- reading ------------------------------------------------------------------------------

    def rows(self, chosen: RowFilter) -> list[Row]:
        """The rows a filter chooses (see `RowFilter`)."""
        return list(select_rows(self.dialect, self.database.read, chosen))

    def rows_with_latest(self, latest: RowFilter, others: RowFilter) -> list[Row]:
        """The rows `others` chooses, and the newest by valid time of each parent's rows
        `latest` chooses (see `projections.rows.select_latest`)."""
        return list(select_latest(self.dialect, self.database.read, latest, others))

    def documents(
        self, authority: str, names: Sequence[str], known_at: int | None
    ) -> dict[str, Document]:
        """The documents the named read models' rows make, for one authority."""
        grouped: dict[str, list[Row]] = {name: [] for name in names}
        for row in self.rows(RowFilter(authority, names, known_at)):
            grouped[row.projection].append(row)
        return {name: self.projections[name].assemble(grouped[name]) for name in names}
