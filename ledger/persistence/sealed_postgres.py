"""PostgreSQL storage that seals each event into the hash chain in the transaction that writes it,
and refuses UPDATE, DELETE and TRUNCATE on the history with triggers."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from eventsourcing.persistence import (
    AggregateRecorder,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.utils import retry

from ledger.evidence.chain import Fingerprint, Seal, StoredFields, StoredRow
from ledger.persistence.after_insert import after_insert
from ledger.persistence.library_settings import UnsafeLibrarySetting, refuse_bypasses
from ledger.persistence.seal_store import SealStore, every_stored_row
from ledger.persistence.table_names import (
    POSTGRES_IDENTIFIER_BYTES,
    SHARED_BLOCKS_TABLE,
    SHARED_LEGACY_SEALS_TABLE,
    SealTableNames,
)

# The trigger function every sealed table's append-only triggers call.
REFUSE_FUNCTION = "ledger_refuse_change"
# The advisory lock that makes creating a schema's sealed tables one process at a time.
_LOCK_NAMESPACE = 0x1ED6E5


def quote_identifier(name: str) -> str:
    """An SQL identifier in double quotes (names here come from settings, never from users)."""
    return '"' + name.replace('"', '""') + '"'


def _regclass_exists(cursor: Any, qualified: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL AS found", (qualified,))
    row = cursor.fetchone()
    return bool(row["found"])


class SealedPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL application recorder, with every insert sealed into the chain.

    The library takes an EXCLUSIVE lock on the events table for each insert, so transactions
    extend the chain one at a time, in the order of their notification ids. Its tables are
    created by `create_table`, once, under an advisory lock; opening a store runs no DDL.
    """

    @property
    def _schema(self) -> str:
        return quote_identifier(self.datastore.schema)

    def _qualified(self, name: str) -> str:
        return f"{self._schema}.{quote_identifier(name)}"

    @functools.cached_property
    def seal_table_names(self) -> SealTableNames:
        """The names of this events table's seal tables and triggers."""
        return SealTableNames(self.events_table_name, POSTGRES_IDENTIFIER_BYTES)

    @functools.cached_property
    def _seal_store(self) -> SealStore:
        names = self.seal_table_names
        return SealStore(
            names.blocks,
            names.legacy_seals,
            SHARED_BLOCKS_TABLE,
            SHARED_LEGACY_SEALS_TABLE,
            quote=self._qualified,
            marker="%s",
            exists=lambda cursor, name: _regclass_exists(cursor, self._qualified(name)),
        )

    @property
    def _events(self) -> str:
        return self._qualified(self.events_table_name)

    # -- the schema ---------------------------------------------------------------------------

    def _triggers(self) -> list[tuple[str, str, str]]:
        """Each append-only trigger as (table, trigger name, the SQL of what it fires on)."""
        names = self.seal_table_names
        return [
            (table, names.trigger(table, purpose), fires)
            for table in (self.events_table_name, names.blocks)
            for purpose, fires in (
                ("append_only", "BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW"),
                ("no_truncate", "BEFORE TRUNCATE ON {table} FOR EACH STATEMENT"),
            )
        ]

    def schema_exists(self) -> bool:
        """Whether there is a ledger here at all, of this version or an earlier one."""
        with self.datastore.transaction(commit=False) as curs:
            return _regclass_exists(curs, self._events)

    def schema_ready(self) -> bool:
        """Whether the tables, type and triggers `create_table` makes are all there (read only)."""
        with self.datastore.transaction(commit=False) as curs:
            return self._schema_ready(curs)

    def _schema_ready(self, curs: Any) -> bool:
        names = self.seal_table_names
        for table in (self.events_table_name, names.blocks):
            if not _regclass_exists(curs, self._qualified(table)):
                return False
        curs.execute(
            "SELECT to_regtype(%s) IS NOT NULL AS found",
            (self._qualified(self.stored_event_type_name),),
        )
        if not curs.fetchone()["found"]:
            return False
        curs.execute(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = ANY(%s) AND NOT t.tgisinternal",
            (self.datastore.schema, [self.events_table_name, names.blocks]),
        )
        present = {row["tgname"] for row in curs.fetchall()}
        return {trigger for _, trigger, _ in self._triggers()} <= present

    def create_table(self) -> None:
        """Create (or upgrade) the tables, type, triggers and seal tables, once.

        Under a transaction-scoped advisory lock, taken before looking: processes starting
        together do it one after another, and a store already complete gets no DDL at all (so
        nothing is replaced under a running writer, and no two processes replace the same
        trigger or function at once, which is how PostgreSQL deadlocked them).
        """
        if self.schema_ready():
            return
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                (_LOCK_NAMESPACE, f"{self.datastore.schema}.{self.events_table_name}"),
            )
            if self._schema_ready(curs):
                return
            self._create(curs)
        self.datastore.register_type_adapters()

    def _create(self, curs: Any) -> None:
        existed = _regclass_exists(curs, self._events)
        curs.execute(
            "SELECT to_regtype(%s) IS NOT NULL AS found",
            (self._qualified(self.stored_event_type_name),),
        )
        has_type = curs.fetchone()["found"]
        for index, statement in enumerate(self.sql_create_statements):
            text = statement.as_string(curs)
            if index == self.create_insert_function_statement_index:
                continue  # inserts that bypass sealing are refused: no function for them
            if "CREATE TYPE" in text and has_type:
                continue
            curs.execute(statement, prepare=False)
        if existed:
            self._adopt_shared_seal_tables(curs)
        names = self.seal_table_names
        refuse = self._qualified(REFUSE_FUNCTION)
        curs.execute(
            f"CREATE TABLE IF NOT EXISTS {self._qualified(names.blocks)} ("
            "first_seq bigint PRIMARY KEY, "
            "last_seq bigint NOT NULL CHECK (last_seq >= first_seq), "
            "positions bytea NOT NULL "
            "CHECK (octet_length(positions) = 8 * (last_seq - first_seq + 1)), "
            "event_hashes bytea NOT NULL "
            "CHECK (octet_length(event_hashes) = 32 * (last_seq - first_seq + 1)), "
            "chain_hash bytea NOT NULL CHECK (octet_length(chain_hash) = 32))"
        )
        curs.execute(
            f"CREATE OR REPLACE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the ledger is append-only: % on % is refused', "
            "TG_OP, TG_TABLE_NAME; END $$"
        )
        for table, trigger, fires in self._triggers():
            on = fires.format(table=self._qualified(table))
            curs.execute(
                f"CREATE OR REPLACE TRIGGER {quote_identifier(trigger)} {on} "
                f"EXECUTE FUNCTION {refuse}()"
            )

    def _adopt_shared_seal_tables(self, curs: Any) -> None:
        """A store made before seal tables were per events table: its shared ones become this
        events table's (a new events table never adopts them: they belong to the old one)."""
        names = self.seal_table_names
        for shared, own in (
            (SHARED_BLOCKS_TABLE, names.blocks),
            (SHARED_LEGACY_SEALS_TABLE, names.legacy_seals),
        ):
            if _regclass_exists(curs, self._qualified(shared)) and not _regclass_exists(
                curs, self._qualified(own)
            ):
                for purpose in ("append_only", "no_truncate"):
                    curs.execute(
                        f"DROP TRIGGER IF EXISTS {quote_identifier(f'{shared}_{purpose}')} "
                        f"ON {self._qualified(shared)}"
                    )
                curs.execute(
                    f"ALTER TABLE {self._qualified(shared)} RENAME TO {quote_identifier(own)}"
                )

    # -- writing ------------------------------------------------------------------------------

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert without database functions, as in its own `insert_events`, but
        for one thing: an exception while sealing rolls the whole transaction back. (The
        library's catches an exception raised after its insert, commits, and then re-raises it:
        the events would be stored and never sealed.) `tests/unit/ledger/test_library_copies.py`
        fails if the library's method changes."""
        if self.datastore.enable_db_functions:
            raise UnsafeLibrarySetting(
                "the sealed PostgreSQL recorder never inserts through database functions"
            )
        notification_ids: Sequence[int] | None = None
        with (
            self.datastore.get_connection() as conn,
            conn.pipeline() as pipeline,
            conn.transaction(),
        ):
            with conn.cursor() as curs:
                self._insert_events(curs, stored_events, **kwargs)
            if len(stored_events) > 0:
                with conn.cursor() as curs:
                    self._insert_stored_events(curs, stored_events, **kwargs)
                    # Sync now, so a uniqueness violation raises an IntegrityError here.
                    pipeline.sync()
                    notification_ids = self._fetch_ids_after_insert_events(
                        curs, stored_events, **kwargs
                    )
        return notification_ids

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        assert positions is not None
        self._seal(curs, positions, stored_events)
        after_insert(kwargs, curs, positions, stored_events)
        return positions

    def _seal(
        self, curs: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        """Seal events just inserted, in the inserting transaction (which holds the lock)."""
        self._seal_store.append(curs, positions, stored_events)

    # -- reading ------------------------------------------------------------------------------

    def fingerprint(self) -> Fingerprint:
        """The chain's head as stored (verification recomputes it)."""
        with self.datastore.transaction(commit=False) as curs:
            return self._seal_store.head(curs)

    def stored_rows(self, batch_size: int = 5000) -> Iterator[StoredRow]:
        """Every stored event in the order it was recorded, including any never sealed."""
        return every_stored_row(self.rows_after, batch_size)

    def rows_after(self, position: int, limit: int) -> list[StoredFields]:
        """Up to `limit` stored events after `position`, in the order they were recorded."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                "SELECT notification_id, originator_id, originator_version, topic, state "
                f"FROM {self._events} WHERE notification_id > %s "
                "ORDER BY notification_id LIMIT %s",
                (position, limit),
            )
            return [
                (
                    r["notification_id"],
                    r["originator_id"],
                    r["originator_version"],
                    r["topic"],
                    bytes(r["state"]),
                )
                for r in curs.fetchall()
            ]

    def snapshot(self) -> AbstractContextManager[None]:
        """Reads in the block as they are anyway: each its own transaction from the pool."""
        return nullcontext()

    def seals(self) -> list[Seal]:
        """Every event's seal, in chain order."""
        with self.datastore.transaction(commit=False) as curs:
            return self._seal_store.seals(curs)


class SealedPostgresFactory(PostgresFactory):
    """The library's PostgreSQL persistence, with the sealed recorder.

    Refuses every library setting that would store events outside the chain (see
    `ledger.persistence.library_settings`), whoever builds an application on it.
    """

    application_recorder_class = SealedPostgresRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        try:
            refuse_bypasses(self.env)
        except UnsafeLibrarySetting:
            self.datastore.close()
            raise

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        """Refused: an aggregate recorder (the library's snapshots) stores rows no seal covers."""
        raise UnsafeLibrarySetting(
            f"the sealed PostgreSQL persistence makes no unsealed {purpose} tables"
        )
