"""Where read models live: one JSON document per projection and authority, and each projection's
tracked position in the event log, written together in one transaction so a projection resumes
exactly where it stopped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

from projections.projection import Document

DocumentKey = tuple[str, str]  # (projection, authority)


class PositionsMoved(Exception):
    """Another process advanced the projections first; the caller folds again from there."""


class DocumentStore(Protocol):
    """Read-model documents and tracked positions."""

    def positions(self) -> dict[str, int]: ...

    def load(self, keys: Iterable[DocumentKey]) -> dict[DocumentKey, Document]: ...

    def authorities(self) -> list[str]: ...

    def commit(
        self,
        docs: Mapping[DocumentKey, Document],
        positions: Mapping[str, int],
        expected: Mapping[str, int],
        replace: Iterable[str] = (),
    ) -> None: ...


def _dumps(doc: Document) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


class SQLiteDocumentStore:
    """Documents in the ledger's SQLite file, written with the database's write lock held."""

    def __init__(self, database: str) -> None:
        self._database = database
        self._uri = database.startswith("file:")
        with self._connection() as conn:
            conn.executescript(
                "CREATE TABLE IF NOT EXISTS projection_documents ("
                " projection TEXT NOT NULL, authority TEXT NOT NULL, body TEXT NOT NULL,"
                " PRIMARY KEY (projection, authority));"
                "CREATE TABLE IF NOT EXISTS projection_positions ("
                " projection TEXT PRIMARY KEY, position INTEGER NOT NULL);"
            )

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self._database, uri=self._uri, timeout=30, isolation_level=None)
        try:
            yield conn
        finally:
            conn.close()

    def positions(self) -> dict[str, int]:
        with self._connection() as conn:
            return dict(conn.execute("SELECT projection, position FROM projection_positions"))

    def load(self, keys: Iterable[DocumentKey]) -> dict[DocumentKey, Document]:
        wanted = list(keys)
        found: dict[DocumentKey, Document] = {}
        with self._connection() as conn:
            for projection, authority in wanted:
                row = conn.execute(
                    "SELECT body FROM projection_documents WHERE projection=? AND authority=?",
                    (projection, authority),
                ).fetchone()
                if row is not None:
                    found[(projection, authority)] = json.loads(row[0])
        return found

    def authorities(self) -> list[str]:
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT authority FROM projection_documents WHERE projection='authorities' "
                "ORDER BY authority"
            )
            return [r[0] for r in rows]

    def commit(
        self,
        docs: Mapping[DocumentKey, Document],
        positions: Mapping[str, int],
        expected: Mapping[str, int],
        replace: Iterable[str] = (),
    ) -> None:
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                current = dict(
                    conn.execute("SELECT projection, position FROM projection_positions")
                )
                if any(current.get(name, 0) != expected.get(name, 0) for name in positions):
                    raise PositionsMoved
                for name in replace:
                    conn.execute("DELETE FROM projection_documents WHERE projection=?", (name,))
                conn.executemany(
                    "INSERT OR REPLACE INTO projection_documents VALUES (?, ?, ?)",
                    [(p, a, _dumps(doc)) for (p, a), doc in docs.items()],
                )
                conn.executemany(
                    "INSERT OR REPLACE INTO projection_positions VALUES (?, ?)", positions.items()
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


class PostgresDocumentStore:
    """Documents in the ledger's PostgreSQL schema, using the ledger's connection pool."""

    def __init__(self, datastore: Any, schema: str) -> None:
        self._datastore = datastore
        quoted = '"' + schema.replace('"', '""') + '"'
        self._docs = f"{quoted}.projection_documents"
        self._positions = f"{quoted}.projection_positions"
        with self._datastore.transaction(commit=True) as curs:
            curs.execute(
                f"CREATE TABLE IF NOT EXISTS {self._docs} ("
                "projection text NOT NULL, authority text NOT NULL, body text NOT NULL, "
                "PRIMARY KEY (projection, authority))"
            )
            curs.execute(
                f"CREATE TABLE IF NOT EXISTS {self._positions} ("
                "projection text PRIMARY KEY, position bigint NOT NULL)"
            )

    def positions(self) -> dict[str, int]:
        with self._datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT projection, position FROM {self._positions}")
            return {r["projection"]: r["position"] for r in curs.fetchall()}

    def load(self, keys: Iterable[DocumentKey]) -> dict[DocumentKey, Document]:
        found: dict[DocumentKey, Document] = {}
        with self._datastore.transaction(commit=False) as curs:
            for projection, authority in keys:
                curs.execute(
                    f"SELECT body FROM {self._docs} WHERE projection=%s AND authority=%s",
                    (projection, authority),
                )
                row = curs.fetchone()
                if row is not None:
                    found[(projection, authority)] = json.loads(row["body"])
        return found

    def authorities(self) -> list[str]:
        with self._datastore.transaction(commit=False) as curs:
            curs.execute(
                f"SELECT authority FROM {self._docs} WHERE projection='authorities' "
                "ORDER BY authority"
            )
            return [r["authority"] for r in curs.fetchall()]

    def commit(
        self,
        docs: Mapping[DocumentKey, Document],
        positions: Mapping[str, int],
        expected: Mapping[str, int],
        replace: Iterable[str] = (),
    ) -> None:
        with self._datastore.transaction(commit=True) as curs:
            # Serialise writers of read models: the first to lock wins, the other folds again.
            curs.execute(f"LOCK TABLE {self._positions} IN EXCLUSIVE MODE")
            curs.execute(f"SELECT projection, position FROM {self._positions}")
            current = {r["projection"]: r["position"] for r in curs.fetchall()}
            if any(current.get(name, 0) != expected.get(name, 0) for name in positions):
                raise PositionsMoved
            for name in replace:
                curs.execute(f"DELETE FROM {self._docs} WHERE projection=%s", (name,))
            curs.executemany(
                f"INSERT INTO {self._docs} VALUES (%s, %s, %s) ON CONFLICT (projection, authority) "
                "DO UPDATE SET body = EXCLUDED.body",
                [(p, a, _dumps(doc)) for (p, a), doc in docs.items()],
            )
            curs.executemany(
                f"INSERT INTO {self._positions} VALUES (%s, %s) ON CONFLICT (projection) "
                "DO UPDATE SET position = EXCLUDED.position",
                list(positions.items()),
            )
