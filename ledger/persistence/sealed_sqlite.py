"""SQLite storage that seals each event into the hash chain in the transaction that writes it,
and refuses UPDATE and DELETE on the history with triggers."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
)

from ledger.evidence.chain import Fingerprint, Seal, StoredFields, StoredRow
from ledger.persistence.after_insert import after_insert
from ledger.persistence.seal_store import (
    BLOCKS_TABLE,
    LEGACY_SEALS_TABLE,
    SealStore,
    every_stored_row,
)

# The default page cache (2 MB) is smaller than the events' primary-key index of a long history,
# whose pages every insert and load of a record visits at random. Memory only: durability and
# locking are unchanged.
PAGE_CACHE_KIB = 64 * 1024
# SQLite copies the write-ahead log back into the database file once it passes 1,000 pages (4 MB),
# which a bulk import of a few thousand events does at nearly every commit, writing the same index
# pages again each time. A larger log is copied back less often. Commits are as durable either
# way: each still syncs the log. Every connection to the file should use the same value (the
# projection store's does), or one with the default copies the whole log back at its next commit.
WAL_AUTOCHECKPOINT_PAGES = 16_384


def _refuse(table: str, operation: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_{operation.lower()} "
        f"BEFORE {operation} ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'the ledger is append-only: {operation} on {table} is refused'); "
        "END"
    )


class SealedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite application recorder, with every insert sealed into the chain."""

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {BLOCKS_TABLE} ("
            "first_seq INTEGER PRIMARY KEY, "
            "last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq), "
            "positions BLOB NOT NULL CHECK (length(positions) = 8 * (last_seq - first_seq + 1)), "
            "event_hashes BLOB NOT NULL "
            "CHECK (length(event_hashes) = 32 * (last_seq - first_seq + 1)), "
            "chain_hash BLOB NOT NULL CHECK (length(chain_hash) = 32))"
        )
        for table in (self.events_table_name, BLOCKS_TABLE):
            statements += [_refuse(table, "UPDATE"), _refuse(table, "DELETE")]
        return statements

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's inserts, then the seal of what they inserted and whatever the caller
        writes beside them (`after_insert`: the read models' rows), in the same transaction (the
        extension point the library's own recorders use to write rows beside events)."""
        positions = super()._insert_events(c, stored_events, **kwargs)
        if positions:
            self._seal(c, positions, stored_events)
            after_insert(kwargs, c, positions, stored_events)
        return positions

    def _seal(
        self, c: SQLiteCursor, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        """Seal events just inserted, in the inserting transaction (which holds SQLite's write
        lock, so no other writer can extend the chain meanwhile)."""
        _SEALS.append(c, positions, stored_events)

    def fingerprint(self) -> Fingerprint:
        """The chain's head as stored (verification recomputes it)."""
        with self.datastore.transaction(commit=False) as c:
            return _SEALS.head(c)

    def stored_rows(self, batch_size: int = 5000) -> Iterator[StoredRow]:
        """Every stored event in the order it was recorded, including any never sealed."""
        return every_stored_row(self.rows_after, batch_size)

    def rows_after(self, position: int, limit: int) -> list[StoredFields]:
        """Up to `limit` stored events after `position`, in the order they were recorded."""
        with self.datastore.transaction(commit=False) as c:
            # A cursor of its own giving plain tuples: `StoredRow`'s fields, in order.
            cursor = c.sqlite_cursor.connection.cursor()
            cursor.row_factory = None
            try:
                cursor.execute(
                    f"SELECT rowid, originator_id, originator_version, topic, state "
                    f"FROM {self.events_table_name} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    (position, limit),
                )
                rows: list[StoredFields] = cursor.fetchall()
            finally:
                cursor.close()
            return rows

    def snapshot(self) -> AbstractContextManager[None]:
        """Reads in the block share one read transaction (see `LedgerSQLiteDatastore`)."""
        datastore = self.datastore
        assert isinstance(datastore, LedgerSQLiteDatastore)
        return datastore.snapshot()

    def seals(self) -> list[Seal]:
        """Every event's seal, in chain order."""
        with self.datastore.transaction(commit=False) as c:
            return _SEALS.seals(c)


_SEALS = SealStore(
    BLOCKS_TABLE,
    LEGACY_SEALS_TABLE,
    "?",
    ("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", LEGACY_SEALS_TABLE),
)


class LedgerSQLiteConnectionPool(SQLiteConnectionPool):
    """The library's pool, whose connections get a larger page cache and write-ahead log."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        return connection


class LedgerSQLiteDatastore(SQLiteDatastore):
    """The library's datastore with the ledger's pool, whose reads can share one snapshot."""

    def __init__(self, library: SQLiteDatastore) -> None:
        super().__init__(
            db_name=library.pool.db_name,
            lock_timeout=library.pool.lock_timeout,
            single_row_tracking=library.single_row_tracking,
            originator_id_type=library.originator_id_type,
        )
        # No connection has been opened yet: swap in the pool that opens them our way.
        self.pool.close()
        self.pool = LedgerSQLiteConnectionPool(
            db_name=library.pool.db_name, lock_timeout=library.pool.lock_timeout
        )
        self._snapshot = threading.local()

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        held: SQLiteCursor | None = getattr(self._snapshot, "cursor", None)
        if held is not None and not commit:
            yield held
            return
        with super().transaction(commit=commit) as cursor:
            yield cursor

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read on this thread in the block shares one read transaction: one consistent
        state, and one connection taken from the pool instead of one per read. Write nothing
        in the block (an in-memory database would wait for this very reader to finish)."""
        if getattr(self._snapshot, "cursor", None) is not None:
            yield
            return
        with super().transaction(commit=False) as cursor:
            self._snapshot.cursor = cursor
            try:
                yield
            finally:
                self._snapshot.cursor = None


class SealedSQLiteFactory(SQLiteFactory):
    """The library's SQLite persistence, with the sealed recorder and tuned connections."""

    application_recorder_class = SealedSQLiteRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        library_datastore = self.datastore
        self.datastore = LedgerSQLiteDatastore(library_datastore)
        library_datastore.close()
