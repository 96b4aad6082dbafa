"""The bitemporal rows every read model is kept in.

A row is one version of one record of a read model: an inspection, a recommendation, an action,
one progress update, one due-date revision, one reading, one timeline entry. Each row carries

- its **valid time**: `valid_from`, the day the fact it holds was true from (a report's
  publication, an update's date, a reading's period end);
- its **transaction time**: `recorded_from`, when the event that wrote it was recorded, and
  `recorded_to`, when a later event replaced it (NULL while it is current). A correction closes
  the transaction-time interval of the row it replaces and opens a new row (SQL:2011 system
  versioning): nothing is overwritten, so "as known at T" is every row with
  `recorded_from <= T < recorded_to`.

Instants are whole microseconds since the epoch (UTC), so they compare as numbers. Rows are
written in the transaction that records their event (see `projections.read_model`), so they
are never behind the log; the tracked position says which events they cover.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

#: The current state of every read model, per authority; see `ReadModelTables`.
ROWS_TABLE = "read_model_rows"
STATE_TABLE = "read_model_state"
# Raised whenever what a row holds changes: stored rows of another format are rebuilt.
ROWS_FORMAT = 1

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def instant_us(moment: datetime) -> int:
    """An aware instant as whole microseconds since the epoch."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def recorded_us(recorded_at: str) -> int:
    """An event's recorded-at timestamp (ISO 8601, as stored) as microseconds since the epoch."""
    return instant_us(datetime.fromisoformat(recorded_at))


@dataclass(frozen=True, slots=True)
class Row:
    """One row, as a query returns it."""

    authority: str
    projection: str
    kind: str
    record: str
    valid_from: str | None
    tag: str | None
    position: int
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RowWrite:
    """A row an event writes: a new record, or a new version of the record's current row.

    `record` identifies the record within its authority, projection and kind; writing a record
    that has a current row closes that row's transaction time and opens this one. `replaces` is
    False where the record cannot have a row yet (a creation, an update of its own), so no
    current row is looked for.
    """

    authority: str
    projection: str
    kind: str
    record: str
    valid_from: str | None
    tag: str | None
    body: dict[str, Any]
    replaces: bool = False


class Cursor(Protocol):
    """What the row store needs of a DB-API cursor (the recorder's, inside its transaction)."""

    def execute(self, query: Any, params: Any = ...) -> Any: ...

    def executemany(self, query: Any, params_seq: Any) -> Any: ...

    def fetchall(self) -> Any: ...

    def fetchone(self) -> Any: ...


@dataclass(frozen=True)
class Dialect:
    """How one database spells the row store's SQL."""

    name: str
    rows: str
    state: str
    marker: str
    create: tuple[str, ...]

    def sql(self, text: str) -> str:
        """`text` with `{rows}`, `{state}` and `?` markers spelled for this database."""
        return text.format(rows=self.rows, state=self.state).replace("?", self.marker)


def sqlite_dialect() -> Dialect:
    rows, state = ROWS_TABLE, STATE_TABLE
    return Dialect(
        "sqlite",
        rows,
        state,
        "?",
        (
            f"CREATE TABLE IF NOT EXISTS {rows} ("
            "row_id INTEGER PRIMARY KEY, authority TEXT NOT NULL, projection TEXT NOT NULL, "
            "kind TEXT NOT NULL, record TEXT NOT NULL, valid_from TEXT, tag TEXT, "
            "position INTEGER NOT NULL, created INTEGER NOT NULL, "
            "recorded_from INTEGER NOT NULL, recorded_to INTEGER, "
            "body TEXT NOT NULL)",
            f"CREATE UNIQUE INDEX IF NOT EXISTS {rows}_current ON {rows} "
            "(authority, projection, kind, record) WHERE recorded_to IS NULL",
            f"CREATE INDEX IF NOT EXISTS {rows}_by_authority ON {rows} "
            "(authority, projection, valid_from)",
            f"CREATE TABLE IF NOT EXISTS {state} ("
            "name TEXT PRIMARY KEY, position INTEGER NOT NULL, format INTEGER NOT NULL, "
            "live INTEGER NOT NULL)",
        ),
    )


def postgres_dialect(schema: str) -> Dialect:
    quoted = '"' + schema.replace('"', '""') + '"'
    rows, state = f"{quoted}.{ROWS_TABLE}", f"{quoted}.{STATE_TABLE}"
    return Dialect(
        "postgresql",
        rows,
        state,
        "%s",
        (
            f"CREATE TABLE IF NOT EXISTS {rows} ("
            "row_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, authority text NOT NULL, "
            "projection text NOT NULL, kind text NOT NULL, record text NOT NULL, "
            "valid_from text, tag text, position bigint NOT NULL, created bigint NOT NULL, "
            "recorded_from bigint NOT NULL, recorded_to bigint, body text NOT NULL)",
            f"CREATE UNIQUE INDEX IF NOT EXISTS {ROWS_TABLE}_current ON {rows} "
            "(authority, projection, kind, record) WHERE recorded_to IS NULL",
            f"CREATE INDEX IF NOT EXISTS {ROWS_TABLE}_by_authority ON {rows} "
            "(authority, projection, valid_from)",
            f"CREATE TABLE IF NOT EXISTS {state} ("
            "name text PRIMARY KEY, position bigint NOT NULL, format integer NOT NULL, "
            "live integer NOT NULL)",
        ),
    )


class RowWriter:
    """Writes the rows of events into the rows table, on a cursor of the caller's transaction.

    Keeps the current body of every record it wrote or read in this writer's lifetime, so a
    batch that touches a record many times (an import, a rebuild) reads it from the table once.
    A new version keeps the position its record was created at (`created`), so read models
    list records in the order they were first recorded, corrected or not.
    """

    def __init__(
        self,
        dialect: Dialect,
        cursor: Cursor,
        remembered: dict[tuple[str, str, str, str], tuple[dict[str, Any], int] | None]
        | None = None,
    ) -> None:
        self.dialect = dialect
        self.cursor = cursor
        # What this writer knows of current rows: a batch's own, or (for a rebuild, whose
        # batches hold the write lock in turn) a cache kept across its batches.
        self._current = {} if remembered is None else remembered
        self._close = dialect.sql(
            "UPDATE {rows} SET recorded_to = ? WHERE authority = ? AND projection = ? "
            "AND kind = ? AND record = ? AND recorded_to IS NULL"
        )
        self._insert = dialect.sql(
            "INSERT INTO {rows} (authority, projection, kind, record, valid_from, tag, "
            "position, created, recorded_from, recorded_to, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        self._select = dialect.sql(
            "SELECT body, created FROM {rows} WHERE authority = ? AND projection = ? "
            "AND kind = ? AND record = ? AND recorded_to IS NULL"
        )
        self._closing: list[tuple[Any, ...]] = []
        self._inserting: list[list[Any]] = []
        # Where each record's newest queued row is in `_inserting`, until it is flushed.
        self._queued: dict[tuple[str, str, str, str], int] = {}

    def current(
        self, authority: str, projection: str, kind: str, record: str
    ) -> dict[str, Any] | None:
        """The body of a record's current row (as this transaction sees it), or None."""
        found = self._current_row((authority, projection, kind, record))
        return None if found is None else found[0]

    def _current_row(self, key: tuple[str, str, str, str]) -> tuple[dict[str, Any], int] | None:
        if key in self._current:
            return self._current[key]
        self.flush()
        self.cursor.execute(self._select, key)
        found = self.cursor.fetchone()
        current = None if found is None else (json.loads(found["body"]), int(found["created"]))
        self._current[key] = current
        return current

    def write(self, writes: Iterable[RowWrite], position: int, recorded_at: int) -> None:
        """Queue the rows one event writes (flushed before the next read, or by `flush`)."""
        for w in writes:
            key = (w.authority, w.projection, w.kind, w.record)
            replaced = self._current_row(key) if w.replaces else None
            created = position
            if replaced is not None:
                created = replaced[1]
                queued = self._queued.get(key)
                if queued is not None:
                    self._inserting[queued][9] = recorded_at  # replaced before it was written
                else:
                    self._closing.append((recorded_at, *key))
            self._queued[key] = len(self._inserting)
            self._inserting.append(
                [*key, w.valid_from, w.tag, position, created, recorded_at, None, _dumps(w.body)]
            )
            self._current[key] = (w.body, created)
            if len(self._inserting) >= 5_000:
                self.flush()

    def flush(self) -> None:
        """Write what is queued, closing replaced rows before their successors are inserted."""
        if self._closing:
            self.cursor.executemany(self._close, self._closing)
            self._closing = []
        if self._inserting:
            self.cursor.executemany(self._insert, self._inserting)
            self._inserting = []
            self._queued.clear()

    def forget(self) -> None:
        """Drop what this writer remembers of current rows (after a batch is written)."""
        self.flush()
        self._current.clear()


class RowReader(Protocol):
    """Runs one read-only query and returns its rows as tuples."""

    def __call__(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]: ...


def select_rows(
    dialect: Dialect,
    read: RowReader,
    authority: str | None,
    projections: Sequence[str],
    known_at: int | None,
    *,
    tags: Sequence[str] = (),
    valid_until: str | None = None,
) -> Iterator[Row]:
    """The rows of `projections` (of one authority, or of all) as known at `known_at`
    (None: now), oldest event first; only `tags` if given, only valid from `valid_until` or
    before if given."""
    where = ["projection IN (" + ", ".join("?" * len(projections)) + ")"]
    params: list[Any] = list(projections)
    if authority is not None:
        where.insert(0, "authority = ?")
        params.insert(0, authority)
    if known_at is None:
        where.append("recorded_to IS NULL")
    else:
        where.append("recorded_from <= ? AND (recorded_to IS NULL OR recorded_to > ?)")
        params += [known_at, known_at]
    if tags:
        where.append("tag IN (" + ", ".join("?" * len(tags)) + ")")
        params += list(tags)
    if valid_until is not None:
        where.append("(valid_from IS NULL OR valid_from <= ?)")
        params.append(valid_until)
    query = dialect.sql(
        "SELECT authority, projection, kind, record, valid_from, tag, position, body "
        "FROM {rows} WHERE " + " AND ".join(where) + " ORDER BY created, position"
    )
    loads = json.loads
    for authority_, projection, kind, record, valid_from, tag, position, body in read(
        query, params
    ):
        yield Row(authority_, projection, kind, record, valid_from, tag, position, loads(body))


def group_by_projection(rows: Iterable[Row]) -> Mapping[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.projection, []).append(row)
    return grouped
