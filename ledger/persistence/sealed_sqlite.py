"""SQLite storage that seals each event into the hash chain in the transaction that writes it,
and refuses UPDATE and DELETE on the history with triggers."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    OperationalError,
    StoredEvent,
)
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
from ledger.persistence.library_settings import UnsafeLibrarySetting, refuse_bypasses
from ledger.persistence.seal_store import SealStore, every_stored_row
from ledger.persistence.table_names import (
    SHARED_BLOCKS_TABLE,
    SHARED_LEGACY_SEALS_TABLE,
    SealTableNames,
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


def _refuse(table: str, operation: str, trigger: str) -> str:
    message = f"the ledger is append-only: {operation} on {table} is refused".replace("'", "''")
    return (
        f"CREATE TRIGGER IF NOT EXISTS {_quote(trigger)} "
        f"BEFORE {operation} ON {_quote(table)} BEGIN "
        f"SELECT RAISE(ABORT, '{message}'); "
        "END"
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return cursor.fetchone() is not None


class SealedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite application recorder, with every insert sealed into the chain.

    Its tables are created by `create_table`, once, under SQLite's write lock; opening a store
    runs no DDL.
    """

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        names = self.seal_table_names
        self._seal_store = SealStore(
            names.blocks,
            names.legacy_seals,
            SHARED_BLOCKS_TABLE,
            SHARED_LEGACY_SEALS_TABLE,
            quote=_quote,
            marker="?",
            exists=_table_exists,
        )

    @property
    def seal_table_names(self) -> SealTableNames:
        """The names of this events table's seal tables and triggers."""
        return SealTableNames(self.events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        names = self.seal_table_names
        statements = super().construct_create_table_statements()
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {_quote(names.blocks)} ("
            "first_seq INTEGER PRIMARY KEY, "
            "last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq), "
            "positions BLOB NOT NULL CHECK (length(positions) = 8 * (last_seq - first_seq + 1)), "
            "event_hashes BLOB NOT NULL "
            "CHECK (length(event_hashes) = 32 * (last_seq - first_seq + 1)), "
            "chain_hash BLOB NOT NULL CHECK (length(chain_hash) = 32))"
        )
        for table, trigger, operation in self._triggers():
            statements.append(_refuse(table, operation, trigger))
        return statements

    def _triggers(self) -> list[tuple[str, str, str]]:
        """Each append-only trigger as (table, trigger name, operation it refuses)."""
        names = self.seal_table_names
        return [
            (table, names.trigger(table, f"refuse_{operation.lower()}"), operation)
            for table in (self.events_table_name, names.blocks)
            for operation in ("UPDATE", "DELETE")
        ]

    def schema_exists(self) -> bool:
        """Whether there is a ledger here at all, of this version or an earlier one."""
        with self.datastore.transaction(commit=False) as c:
            return _table_exists(c, self.events_table_name)

    def schema_ready(self) -> bool:
        """Whether the tables and triggers `create_table` makes are all there (read only)."""
        names = self.seal_table_names
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            present = {(row[0], row[1]) for row in c.fetchall()}
        wanted = {("table", self.events_table_name), ("table", names.blocks)}
        wanted |= {("trigger", trigger) for _, trigger, _ in self._triggers()}
        return wanted <= present

    def create_table(self) -> None:
        """Create (or upgrade) the tables, triggers and seal tables, once: under SQLite's write
        lock, taken before looking, so processes starting together do it one after another, and
        a store already complete is left untouched (no DDL at all)."""
        if self.schema_ready():
            return
        with self._write_lock() as c:
            existed = _table_exists(c, self.events_table_name)
            if existed:
                self._adopt_shared_seal_tables(c)
            for statement in self.create_table_statements:
                c.execute(statement)

    def _adopt_shared_seal_tables(self, c: Any) -> None:
        """A store made before seal tables were per events table: its shared ones become this
        events table's (a new events table never adopts them: they belong to the old one)."""
        names = self.seal_table_names
        for shared, own in (
            (SHARED_BLOCKS_TABLE, names.blocks),
            (SHARED_LEGACY_SEALS_TABLE, names.legacy_seals),
        ):
            if _table_exists(c, shared) and not _table_exists(c, own):
                for operation in ("update", "delete"):
                    c.execute(f"DROP TRIGGER IF EXISTS {_quote(f'{shared}_refuse_{operation}')}")
                c.execute(f"ALTER TABLE {_quote(shared)} RENAME TO {_quote(own)}")

    @contextmanager
    def _write_lock(self) -> Iterator[Any]:
        """A transaction that holds SQLite's write lock from its first statement."""
        with self.datastore.get_connection(commit=True) as connection:
            cursor = connection.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    yield cursor
                except BaseException:
                    connection.rollback()
                    raise
                connection.commit()
            except sqlite3.Error as error:
                raise OperationalError(error) from error

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
        self._seal_store.append(c, positions, stored_events)

    def fingerprint(self) -> Fingerprint:
        """The chain's head as stored (verification recomputes it)."""
        with self.datastore.transaction(commit=False) as c:
            return self._seal_store.head(c)

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
            return self._seal_store.seals(c)


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
    """The library's SQLite persistence, with the sealed recorder and tuned connections.

    Refuses every library setting that would store events outside the chain (see
    `ledger.persistence.library_settings`), whoever builds an application on it.
    """

    application_recorder_class = SealedSQLiteRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        try:
            refuse_bypasses(self.env)
        except UnsafeLibrarySetting:
            self.datastore.close()
            raise
        library_datastore = self.datastore
        self.datastore = LedgerSQLiteDatastore(library_datastore)
        library_datastore.close()

    #: The setting naming the events table (the library's SQLite recorders all use
    #: `stored_events`; a second sealed application in the same file needs its own).
    EVENTS_TABLE = "SEALED_EVENTS_TABLE"

    def application_recorder(self) -> ApplicationRecorder:
        """The sealed recorder, on the events table the settings name (`stored_events` by
        default, as the library's own)."""
        recorder = type(self).application_recorder_class(
            self.datastore, events_table_name=self.env.get(self.EVENTS_TABLE) or "stored_events"
        )
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        """Refused: an aggregate recorder (the library's snapshots) stores rows no seal covers."""
        raise UnsafeLibrarySetting(
            f"the sealed SQLite persistence makes no unsealed {purpose} tables"
        )
