"""The bitemporal rows every read model is kept in.

A row is one version of one record of a read model: an inspection, a recommendation and each of
its status changes, an action and each update, due-date revision and closing, an indicator and
each reading, a timeline entry. Each row carries

- its **valid time**: `valid_from`, the day the fact it holds was true from (a report's
  publication, an update's date, a reading's period end);
- its **transaction time**: `recorded_from`, when the event that wrote it was recorded, and (once
  a later event replaced it) `recorded_to`, when that was.

As in SQL:2011's system-versioned tables, current rows live in one table and replaced rows in a
history table: a correction moves the row it replaces into the history, its transaction time
closed, and puts the new version in its place, so nothing is overwritten and "as known at T" is
every current row recorded by T and every history row with `recorded_from <= T < recorded_to`.
Everything else only appends, so the history stays small and the current table needs one key.

Instants are whole microseconds since the epoch (UTC), so they compare as numbers. Rows are
written in the transaction that records their event (see `projections.read_model`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

import orjson

ROWS_TABLE = "read_model_rows"
HISTORY_TABLE = "read_model_history"
STATE_TABLE = "read_model_state"
# Raised whenever what a row holds changes: stored rows of another format are rebuilt.
ROWS_FORMAT = 2

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_COLUMNS = "authority, projection, kind, record, parent, valid_from, tag, position, created"


def _dumps(body: dict[str, Any]) -> str:
    # orjson writes (and reads) a row's JSON about ten times faster than the json module, and
    # that is most of what rebuilding the read models and answering a query cost.
    return orjson.dumps(body).decode()


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


class RowWrite(NamedTuple):
    """A row an event writes: a new record, or a new version of the record's current row.

    `record` identifies the record within its authority, projection and kind; `parent` is the
    record a sub-record belongs to (an action's update belongs to the action). Writing a record
    that has a current row moves that row to the history and puts this one in its place.
    `replaces` is False where the record cannot have a row yet (a creation, an update of its
    own), so no current row is looked for.
    """

    authority: str
    projection: str
    kind: str
    record: str
    valid_from: str | None
    tag: str | None
    body: dict[str, Any]
    replaces: bool = False
    parent: str | None = None


class Cursor(Protocol):
    """What the row store needs of a DB-API cursor (the recorder's, inside its transaction).
    Rows it fetches can be read by column name."""

    def execute(self, query: Any, params: Any = ...) -> Any: ...

    def executemany(self, query: Any, params_seq: Any) -> Any: ...

    def fetchall(self) -> Any: ...

    def fetchone(self) -> Any: ...


@dataclass(frozen=True)
class Dialect:
    """How one database spells the row store's SQL."""

    name: str
    rows: str
    history: str
    state: str
    marker: str
    create: tuple[str, ...]
    upsert: str
    #: Counts how many of the three tables exist (a read of the catalogue, no DDL).
    tables_found: str
    #: Taken before creating the tables, in the same transaction (PostgreSQL: an advisory
    #: lock, so processes starting together create them one after another); None on SQLite,
    #: whose write lock the transaction already holds.
    creation_lock: str | None

    def sql(self, text: str) -> str:
        """`text` with `{rows}`, `{history}`, `{state}` and `?` spelled for this database."""
        return text.format(rows=self.rows, history=self.history, state=self.state).replace(
            "?", self.marker
        )


def _tables(rows: str, history: str, state: str, text: str, big: str) -> tuple[str, ...]:
    columns = (
        f"authority {text} NOT NULL, projection {text} NOT NULL, kind {text} NOT NULL, "
        f"record {text} NOT NULL, parent {text}, valid_from {text}, tag {text}, "
        f"position {big} NOT NULL, created {big} NOT NULL, recorded_from {big} NOT NULL"
    )
    return (
        f"CREATE TABLE IF NOT EXISTS {rows} ({columns}, body {text} NOT NULL, "
        "PRIMARY KEY (authority, projection, kind, record))",
        f"CREATE TABLE IF NOT EXISTS {history} ({columns}, recorded_to {big} NOT NULL, "
        f"body {text} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {state} (name {text} PRIMARY KEY, position {big} NOT NULL, "
        "format integer NOT NULL, live integer NOT NULL)",
    )


def sqlite_dialect() -> Dialect:
    rows, history, state = ROWS_TABLE, HISTORY_TABLE, STATE_TABLE
    current, *others = _tables(rows, history, state, "TEXT", "INTEGER")
    return Dialect(
        "sqlite",
        rows,
        history,
        state,
        "?",
        (
            # The current rows clustered by their key: one B-tree to insert into, and a
            # query of one authority reads neighbouring pages.
            current + " WITHOUT ROWID",
            *others,
            f"CREATE INDEX IF NOT EXISTS {history}_by_record ON {history} "
            "(authority, projection, recorded_from)",
        ),
        "INSERT OR REPLACE INTO {rows}",
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
        f"('{ROWS_TABLE}', '{HISTORY_TABLE}', '{STATE_TABLE}')",
        None,
    )


def _literal(text: str) -> str:
    """An SQL string literal (names here come from settings, never from users)."""
    return "'" + text.replace("'", "''") + "'"


def postgres_dialect(schema: str) -> Dialect:
    quoted = '"' + schema.replace('"', '""') + '"'
    rows, history = f"{quoted}.{ROWS_TABLE}", f"{quoted}.{HISTORY_TABLE}"
    state = f"{quoted}.{STATE_TABLE}"
    return Dialect(
        "postgresql",
        rows,
        history,
        state,
        "%s",
        (
            *_tables(rows, history, state, "text", "bigint"),
            f"CREATE INDEX IF NOT EXISTS {HISTORY_TABLE}_by_record ON {history} "
            "(authority, projection, recorded_from)",
        ),
        "INSERT INTO {rows}",
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
        f"{_literal(schema)} AND table_name IN "
        f"('{ROWS_TABLE}', '{HISTORY_TABLE}', '{STATE_TABLE}')",
        f"SELECT pg_advisory_xact_lock(hashtext({_literal(schema + '.read_models')}))",
    )


Key = tuple[str, str, str, str]
Current = tuple[dict[str, Any], int, tuple[Any, ...]]  # body, created, the row as stored


class RowWriter:
    """Writes the rows of events, on a cursor of the caller's transaction.

    Keeps the current body of every record it wrote or looked up in its lifetime, so a batch
    that touches a record many times (an import, a rebuild) reads it from the table once. A new
    version keeps the position its record was created at (`created`), so read models list
    records in the order they were first recorded, corrected or not.
    """

    def __init__(
        self,
        dialect: Dialect,
        cursor: Cursor,
        remembered: dict[Key, Current | None] | None = None,
    ) -> None:
        self.dialect = dialect
        self.cursor = cursor
        # What this writer knows of current rows: a batch's own, or (for a rebuild, whose
        # batches hold the write lock in turn) a cache kept across its batches.
        self._current: dict[Key, Current | None] = {} if remembered is None else remembered
        sql = dialect.sql
        self._insert = sql(
            f"INSERT INTO {{rows}} ({_COLUMNS}, recorded_from, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        replace = sql(
            dialect.upsert + f" ({_COLUMNS}, recorded_from, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        if dialect.name != "sqlite":
            replace += (
                " ON CONFLICT (authority, projection, kind, record) DO UPDATE SET "
                "parent = EXCLUDED.parent, valid_from = EXCLUDED.valid_from, tag = EXCLUDED.tag, "
                "position = EXCLUDED.position, created = EXCLUDED.created, "
                "recorded_from = EXCLUDED.recorded_from, body = EXCLUDED.body"
            )
        self._replace = replace
        self._historic = sql(
            f"INSERT INTO {{history}} ({_COLUMNS}, recorded_from, recorded_to, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        self._select = sql(
            f"SELECT {_COLUMNS}, recorded_from, body FROM {{rows}} "
            "WHERE authority = ? AND projection = ? AND kind = ? AND record = ?"
        )
        self._new: dict[Key, tuple[Any, ...]] = {}
        self._replaced: dict[Key, tuple[Any, ...]] = {}
        self._history: list[tuple[Any, ...]] = []

    def current(
        self, authority: str, projection: str, kind: str, record: str
    ) -> dict[str, Any] | None:
        """The body of a record's current row (as this transaction sees it), or None."""
        found = self._current_row((authority, projection, kind, record))
        return None if found is None else found[0]

    def _current_row(self, key: Key) -> Current | None:
        if key in self._current:
            return self._current[key]
        self.cursor.execute(self._select, key)
        found = self.cursor.fetchone()
        current: Current | None = None
        if found is not None:
            stored = tuple(found[name] for name in _STORED)
            current = (orjson.loads(found["body"]), int(found["created"]), stored)
        self._current[key] = current
        return current

    def write(self, writes: Iterable[RowWrite], position: int, recorded_at: int) -> None:
        """Queue the rows one event writes (written by `flush`)."""
        for w in writes:
            key = (w.authority, w.projection, w.kind, w.record)
            created = position
            replaced = self._current_row(key) if w.replaces else None
            if replaced is not None:
                created = replaced[1]
                # The replaced version goes to the history, its transaction time closed now.
                self._history.append((*replaced[2][:-1], recorded_at, replaced[2][-1]))
            stored = (
                *key,
                w.parent,
                w.valid_from,
                w.tag,
                position,
                created,
                recorded_at,
                _dumps(w.body),
            )
            if key in self._new:
                self._new[key] = stored  # replaced before it was written: write the newest
            elif replaced is not None:
                self._replaced[key] = stored
            else:
                self._new[key] = stored
            self._current[key] = (w.body, created, stored)
        if len(self._new) >= 5_000:
            self.flush()

    def flush(self) -> None:
        """Write what is queued."""
        if self._history:
            self.cursor.executemany(self._historic, self._history)
            self._history = []
        if self._new:
            self.cursor.executemany(self._insert, list(self._new.values()))
            self._new = {}
        if self._replaced:
            self.cursor.executemany(self._replace, list(self._replaced.values()))
            self._replaced = {}

    def forget(self) -> None:
        """Write what is queued, then drop what this writer remembers of current rows."""
        self.flush()
        self._current.clear()


# The columns of a stored row, in the order `write` keeps them (body last).
_STORED = (
    "authority",
    "projection",
    "kind",
    "record",
    "parent",
    "valid_from",
    "tag",
    "position",
    "created",
    "recorded_from",
    "body",
)


class RowReader(Protocol):
    """Runs one read-only query and returns its rows as tuples."""

    def __call__(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]: ...


@dataclass(frozen=True)
class RowFilter:
    """Which rows a query reads: of one authority (or all), of some read models, as known at an
    instant (None: now), of some tags, valid from a day or before, of some kinds."""

    authority: str | None
    projections: Sequence[str]
    known_at: int | None
    tags: Sequence[str] = ()
    valid_until: str | None = None
    kinds: Sequence[str] = ()

    def where(self, table: str) -> tuple[str, list[Any]]:
        where = ["projection IN (" + ", ".join("?" * len(self.projections)) + ")"]
        params: list[Any] = list(self.projections)
        if self.authority is not None:
            where.insert(0, "authority = ?")
            params.insert(0, self.authority)
        if self.known_at is not None:
            where.append("recorded_from <= ?")
            params.append(self.known_at)
            if table == "history":
                where.append("recorded_to > ?")
                params.append(self.known_at)
        if self.tags:
            where.append("tag IN (" + ", ".join("?" * len(self.tags)) + ")")
            params += list(self.tags)
        if self.kinds:
            where.append("kind IN (" + ", ".join("?" * len(self.kinds)) + ")")
            params += list(self.kinds)
        if self.valid_until is not None:
            where.append("(valid_from IS NULL OR valid_from <= ?)")
            params.append(self.valid_until)
        return " AND ".join(where), params


_SELECTED = "authority, projection, kind, record, valid_from, tag, position, created, body"


def _source(chosen: RowFilter) -> tuple[str, list[Any]]:
    """The rows a filter chooses, as a subquery: current rows, and (as known at an instant)
    the history rows that were current then."""
    where, params = chosen.where("rows")
    query = f"SELECT {_SELECTED}, parent FROM {{rows}} WHERE {where}"
    if chosen.known_at is not None:
        history_where, history_params = chosen.where("history")
        query += f" UNION ALL SELECT {_SELECTED}, parent FROM {{history}} WHERE {history_where}"
        params += history_params
    return query, params


def select_rows(dialect: Dialect, read: RowReader, chosen: RowFilter) -> Iterator[Row]:
    """The rows `chosen`, in the order their records were created, then written."""
    source, params = _source(chosen)
    query = dialect.sql(f"SELECT {_SELECTED} FROM ({source}) AS chosen ORDER BY created, position")
    yield from _rows(read(query, params))


def select_latest(
    dialect: Dialect, read: RowReader, chosen: RowFilter, others: RowFilter
) -> Iterator[Row]:
    """The rows `others` chooses, and of those `chosen` chooses only the newest by valid time
    (then by position) of each parent record: e.g. every action's plan, revisions and closing
    with its latest update only."""
    source, params = _source(chosen)
    latest = (
        f"SELECT {_SELECTED} FROM (SELECT {_SELECTED}, ROW_NUMBER() OVER (PARTITION BY parent "
        f"ORDER BY valid_from DESC, position DESC) AS newest FROM ({source}) AS chosen) "
        "AS ranked WHERE newest = 1"
    )
    rest, rest_params = _source(others)
    query = dialect.sql(
        f"SELECT {_SELECTED} FROM ({latest} UNION ALL SELECT {_SELECTED} FROM ({rest}) AS rest) "
        "AS chosen ORDER BY created, position"
    )
    yield from _rows(read(query, params + rest_params))


def _rows(found: Iterable[tuple[Any, ...]]) -> Iterator[Row]:
    loads = orjson.loads
    for authority, projection, kind, record, valid_from, tag, position, _, body in found:
        yield Row(authority, projection, kind, record, valid_from, tag, position, loads(body))
