"""Where read models live: one JSON document per projection and authority (with the entries a
projection appends kept as rows beside it), and each projection's tracked position in the event
log, written together in one transaction so a projection resumes exactly where it stopped.

The entries one commit appends to one document make one row (a JSON array): a rebuild writes a
row per document, folding one event appends a row of one entry, and the document itself is never
rewritten to append.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from ledger.persistence.sealed_sqlite import WAL_AUTOCHECKPOINT_PAGES
from projections.projection import Document

DocumentKey = tuple[str, str]  # (projection, authority)
NO_APPENDED: Mapping[str, str] = {}
NO_FORMATS: Mapping[str, int] = {}


class PositionsMoved(Exception):
    """Another process advanced the projections first; the caller folds again from there."""


class DocumentStore(Protocol):
    """Read-model documents, tracked positions, and the format each projection was stored in.

    `appended` maps a projection's name to the key of the list its folds only append to
    (`Projection.appends_to`): that list is stored as rows.
    """

    def positions(self) -> dict[str, int]: ...

    def formats(self) -> dict[str, int]: ...

    def load(
        self, keys: Iterable[DocumentKey], appended: Mapping[str, str] = NO_APPENDED
    ) -> dict[DocumentKey, Document]:
        """The stored documents of `keys`, from one snapshot. Only projections named in
        `appended` get their appended list back (in order); others come without it."""
        ...

    def authorities(self) -> list[str]: ...

    def commit(
        self,
        docs: Mapping[DocumentKey, Document],
        positions: Mapping[str, int],
        expected: Mapping[str, int],
        replace: Iterable[str] = (),
        appended: Mapping[str, str] = NO_APPENDED,
        formats: Mapping[str, int] = NO_FORMATS,
    ) -> None:
        """Write `docs` and `positions` (and `formats`) if the positions are still `expected`,
        else raise `PositionsMoved`. Projections in `replace` lose their stored documents first.
        For projections in `appended`, the document's list is appended after the rows stored."""
        ...


_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _split(
    docs: Mapping[DocumentKey, Document], appended: Mapping[str, str]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Rows of documents (without their appended lists), and a row of each appended list."""
    heads: list[tuple[str, str, str]] = []
    entries: list[tuple[str, str, str]] = []
    for (projection, authority), doc in docs.items():
        key = appended.get(projection)
        if key is None:
            heads.append((projection, authority, _dumps(doc)))
            continue
        heads.append((projection, authority, _dumps({k: v for k, v in doc.items() if k != key})))
        if doc.get(key):
            entries.append((projection, authority, _dumps(doc[key])))
    return heads, entries


class SQLiteDocumentStore:
    """Documents in the ledger's SQLite file, written with the database's write lock held.

    Read models can always be rebuilt from the events, so this store gives up some durability
    the event store keeps: each thread keeps one connection open, and commits do not wait for
    the disk (`synchronous=NORMAL`). A power cut can lose the last read-model commits, never
    half of one: documents and positions go back together, and the next catch-up folds those
    events again. The events' own connections keep SQLite's durable default.
    """

    def __init__(self, database: str) -> None:
        self._database = database
        self._uri = database.startswith("file:")
        self._local = threading.local()
        self._connection().executescript(
            "CREATE TABLE IF NOT EXISTS projection_documents ("
            " projection TEXT NOT NULL, authority TEXT NOT NULL, body TEXT NOT NULL,"
            " PRIMARY KEY (projection, authority));"
            "CREATE TABLE IF NOT EXISTS projection_entries ("
            " id INTEGER PRIMARY KEY, projection TEXT NOT NULL, authority TEXT NOT NULL,"
            " body TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS projection_entries_in_order"
            " ON projection_entries (projection, authority, id);"
            "CREATE TABLE IF NOT EXISTS projection_positions ("
            " projection TEXT PRIMARY KEY, position INTEGER NOT NULL);"
            "CREATE TABLE IF NOT EXISTS projection_formats ("
            " projection TEXT PRIMARY KEY, format INTEGER NOT NULL);"
        )

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        # A connection must not be used across fork(): a forked child opens its own.
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self._database, uri=self._uri, timeout=30, isolation_level=None)
            conn.execute("PRAGMA synchronous=NORMAL")
            # As the ledger's connections do: else a commit here would copy the ledger's whole
            # write-ahead log back into the database, in the middle of a web request.
            conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def positions(self) -> dict[str, int]:
        return dict(
            self._connection().execute("SELECT projection, position FROM projection_positions")
        )

    def formats(self) -> dict[str, int]:
        return dict(self._connection().execute("SELECT projection, format FROM projection_formats"))

    def load(
        self, keys: Iterable[DocumentKey], appended: Mapping[str, str] = NO_APPENDED
    ) -> dict[DocumentKey, Document]:
        found: dict[DocumentKey, Document] = {}
        with self._snapshot() as conn:
            for projection, authority in keys:
                row = conn.execute(
                    "SELECT body FROM projection_documents WHERE projection=? AND authority=?",
                    (projection, authority),
                ).fetchone()
                if row is None:
                    continue
                doc = json.loads(row[0])
                key = appended.get(projection)
                if key is not None:
                    doc[key] = [
                        entry
                        for (body,) in conn.execute(
                            "SELECT body FROM projection_entries "
                            "WHERE projection=? AND authority=? ORDER BY id",
                            (projection, authority),
                        )
                        for entry in json.loads(body)
                    ]
                found[(projection, authority)] = doc
        return found

    def _snapshot(self) -> _ReadTransaction:
        return _ReadTransaction(self._connection())

    def authorities(self) -> list[str]:
        rows = self._connection().execute(
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
        appended: Mapping[str, str] = NO_APPENDED,
        formats: Mapping[str, int] = NO_FORMATS,
    ) -> None:
        heads, entries = _split(docs, appended)
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = dict(conn.execute("SELECT projection, position FROM projection_positions"))
            if any(current.get(name, 0) != expected.get(name, 0) for name in positions):
                raise PositionsMoved
            for name in replace:
                conn.execute("DELETE FROM projection_documents WHERE projection=?", (name,))
                conn.execute("DELETE FROM projection_entries WHERE projection=?", (name,))
            conn.executemany("INSERT OR REPLACE INTO projection_documents VALUES (?, ?, ?)", heads)
            conn.executemany(
                "INSERT INTO projection_entries (projection, authority, body) VALUES (?, ?, ?)",
                entries,
            )
            conn.executemany(
                "INSERT OR REPLACE INTO projection_positions VALUES (?, ?)", positions.items()
            )
            conn.executemany(
                "INSERT OR REPLACE INTO projection_formats VALUES (?, ?)", formats.items()
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


class _ReadTransaction:
    """One read transaction on a connection in autocommit mode: every read sees one snapshot."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self._conn.execute("BEGIN")
        return self._conn

    def __exit__(self, *_: object) -> None:
        self._conn.execute("COMMIT")


class PostgresDocumentStore:
    """Documents in the ledger's PostgreSQL schema, using the ledger's connection pool."""

    def __init__(self, datastore: Any, schema: str) -> None:
        self._datastore = datastore
        quoted = '"' + schema.replace('"', '""') + '"'
        self._docs = f"{quoted}.projection_documents"
        self._entries = f"{quoted}.projection_entries"
        self._positions = f"{quoted}.projection_positions"
        self._formats = f"{quoted}.projection_formats"
        tables = (self._docs, self._entries, self._positions, self._formats)
        with self._datastore.transaction(commit=True) as curs:
            # Made once, under a lock, and only if missing: processes starting together would
            # otherwise race to create the same tables (a duplicate-key error in the catalogue).
            curs.execute(
                "SELECT bool_and(to_regclass(t) IS NOT NULL) AS found FROM unnest(%s::text[]) t",
                (list(tables),),
            )
            if curs.fetchone()["found"]:
                return
            curs.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self._docs,))
            curs.execute(
                f"CREATE TABLE IF NOT EXISTS {self._docs} ("
                "projection text NOT NULL, authority text NOT NULL, body text NOT NULL, "
                "PRIMARY KEY (projection, authority))"
            )
            curs.execute(
                f"CREATE TABLE IF NOT EXISTS {self._entries} ("
                "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                "projection text NOT NULL, authority text NOT NULL, body text NOT NULL)"
            )
            curs.execute(
                "CREATE INDEX IF NOT EXISTS projection_entries_in_order "
                f"ON {self._entries} (projection, authority, id)"
            )
            curs.execute(
                f"CREATE TABLE IF NOT EXISTS {self._positions} ("
                "projection text PRIMARY KEY, position bigint NOT NULL)"
            )
            curs.execute(
                f"CREATE TABLE IF NOT EXISTS {self._formats} ("
                "projection text PRIMARY KEY, format integer NOT NULL)"
            )

    def positions(self) -> dict[str, int]:
        with self._datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT projection, position FROM {self._positions}")
            return {r["projection"]: r["position"] for r in curs.fetchall()}

    def formats(self) -> dict[str, int]:
        with self._datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT projection, format FROM {self._formats}")
            return {r["projection"]: r["format"] for r in curs.fetchall()}

    def load(
        self, keys: Iterable[DocumentKey], appended: Mapping[str, str] = NO_APPENDED
    ) -> dict[DocumentKey, Document]:
        found: dict[DocumentKey, Document] = {}
        with self._datastore.transaction(commit=False) as curs:
            # One snapshot for every document read, however many statements that takes.
            curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for projection, authority in keys:
                curs.execute(
                    f"SELECT body FROM {self._docs} WHERE projection=%s AND authority=%s",
                    (projection, authority),
                )
                row = curs.fetchone()
                if row is None:
                    continue
                doc = json.loads(row["body"])
                key = appended.get(projection)
                if key is not None:
                    curs.execute(
                        f"SELECT body FROM {self._entries} "
                        "WHERE projection=%s AND authority=%s ORDER BY id",
                        (projection, authority),
                    )
                    doc[key] = [entry for r in curs.fetchall() for entry in json.loads(r["body"])]
                found[(projection, authority)] = doc
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
        appended: Mapping[str, str] = NO_APPENDED,
        formats: Mapping[str, int] = NO_FORMATS,
    ) -> None:
        heads, entries = _split(docs, appended)
        with self._datastore.transaction(commit=True) as curs:
            # Serialise writers of read models: the first to lock wins, the other folds again.
            # Entries are appended under this lock too, so their ids follow the commits' order.
            curs.execute(f"LOCK TABLE {self._positions} IN EXCLUSIVE MODE")
            curs.execute(f"SELECT projection, position FROM {self._positions}")
            current = {r["projection"]: r["position"] for r in curs.fetchall()}
            if any(current.get(name, 0) != expected.get(name, 0) for name in positions):
                raise PositionsMoved
            for name in replace:
                curs.execute(f"DELETE FROM {self._docs} WHERE projection=%s", (name,))
                curs.execute(f"DELETE FROM {self._entries} WHERE projection=%s", (name,))
            curs.executemany(
                f"INSERT INTO {self._docs} VALUES (%s, %s, %s) ON CONFLICT (projection, authority) "
                "DO UPDATE SET body = EXCLUDED.body",
                heads,
            )
            if entries:
                curs.executemany(
                    f"INSERT INTO {self._entries} (projection, authority, body) "
                    "VALUES (%s, %s, %s)",
                    entries,
                )
            curs.executemany(
                f"INSERT INTO {self._positions} VALUES (%s, %s) ON CONFLICT (projection) "
                "DO UPDATE SET position = EXCLUDED.position",
                list(positions.items()),
            )
            if formats:
                curs.executemany(
                    f"INSERT INTO {self._formats} VALUES (%s, %s) ON CONFLICT (projection) "
                    "DO UPDATE SET format = EXCLUDED.format",
                    list(formats.items()),
                )
