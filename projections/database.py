"""The read model's own connections to the ledger's database, for queries, catch-up and rebuild.

Rows an event writes are written on the recorder's cursor, in the transaction that records the
event; these connections read them, and write only when the read model is rebuilt or catches up
(a store written by an older version, a gap). Each reading statement sees one committed state.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import psycopg
from psycopg_pool import ConnectionPool

from projections.rows import Cursor, Dialect, postgres_dialect, sqlite_dialect

# As the ledger's own connections use: a commit here must not copy the ledger's whole
# write-ahead log back into the database in the middle of a request.
WAL_AUTOCHECKPOINT_PAGES = 16_384


class ReadDatabase(Protocol):
    """Where the read model's rows live."""

    dialect: Dialect

    def read(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Run one reading statement; its rows as tuples."""
        ...

    def writing(self) -> Any:
        """A context manager giving a cursor in a transaction that holds the database's write
        lock (SQLite) or the read model's state row (PostgreSQL) until it commits."""
        ...

    def close(self) -> None: ...


class SQLiteReadDatabase:
    """The ledger's SQLite file, one connection per thread (and per process after a fork)."""

    def __init__(self, database: str) -> None:
        self.dialect = sqlite_dialect()
        self._database = database
        self._uri = database.startswith("file:")
        self._local = threading.local()
        # A database in memory lasts as long as a connection to it: this one, until closed.
        self._keeper = (
            sqlite3.connect(database, uri=True, check_same_thread=False)
            if self._uri and "mode=memory" in database
            else None
        )

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self._database, uri=self._uri, timeout=30, isolation_level=None)
            conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def read(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self._connection().execute(query, params).fetchall()

    @contextmanager
    def writing(self) -> Iterator[Cursor]:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        cursor = conn.cursor()
        cursor.row_factory = sqlite3.Row
        try:
            yield cursor
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None


class PostgresReadDatabase:
    """The ledger's PostgreSQL schema, through a small pool of the read model's own."""

    def __init__(self, conninfo: dict[str, Any], schema: str, max_size: int = 4) -> None:
        self.dialect = postgres_dialect(schema)
        self._pool = ConnectionPool(
            kwargs={**conninfo, "autocommit": True},
            min_size=1,
            max_size=max_size,
            open=True,
        )

    def read(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._pool.connection() as conn:
            return conn.execute(query, params).fetchall()

    @contextmanager
    def writing(self) -> Iterator[Cursor]:
        with (
            self._pool.connection() as conn,
            conn.transaction(),
            conn.cursor(row_factory=psycopg.rows.dict_row) as cursor,
        ):
            yield cursor

    def close(self) -> None:
        self._pool.close()
