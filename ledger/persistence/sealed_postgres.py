"""PostgreSQL storage that seals each event into the hash chain in the transaction that writes it,
and refuses UPDATE, DELETE and TRUNCATE on the history with triggers."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory

from ledger.evidence.chain import Fingerprint, Seal, StoredFields, StoredRow
from ledger.persistence.after_insert import after_insert
from ledger.persistence.seal_store import (
    BLOCKS_TABLE,
    LEGACY_SEALS_TABLE,
    SealStore,
    every_stored_row,
)


def quote_identifier(name: str) -> str:
    """An SQL identifier in double quotes (names here come from settings, never from users)."""
    return '"' + name.replace('"', '""') + '"'


class SealedPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL application recorder, with every insert sealed into the chain.

    The library takes an EXCLUSIVE lock on the events table for each insert, so transactions
    extend the chain one at a time, in the order of their notification ids.
    """

    @property
    def _schema(self) -> str:
        return quote_identifier(self.datastore.schema)

    @property
    def _blocks(self) -> str:
        return f"{self._schema}.{quote_identifier(BLOCKS_TABLE)}"

    @functools.cached_property
    def _seal_store(self) -> SealStore:
        legacy = f"{self._schema}.{quote_identifier(LEGACY_SEALS_TABLE)}"
        return SealStore(
            self._blocks, legacy, "%s", ("SELECT 1 WHERE to_regclass(%s) IS NOT NULL", legacy)
        )

    @property
    def _events(self) -> str:
        return f"{self._schema}.{quote_identifier(self.events_table_name)}"

    def _create_table(self, curs: Any) -> None:
        super()._create_table(curs)
        refuse = f"{self._schema}.ledger_refuse_change"
        for statement in (
            f"CREATE TABLE IF NOT EXISTS {self._blocks} ("
            "first_seq bigint PRIMARY KEY, "
            "last_seq bigint NOT NULL CHECK (last_seq >= first_seq), "
            "positions bytea NOT NULL "
            "CHECK (octet_length(positions) = 8 * (last_seq - first_seq + 1)), "
            "event_hashes bytea NOT NULL "
            "CHECK (octet_length(event_hashes) = 32 * (last_seq - first_seq + 1)), "
            "chain_hash bytea NOT NULL CHECK (octet_length(chain_hash) = 32))",
            f"CREATE OR REPLACE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the ledger is append-only: % on % is refused', "
            "TG_OP, TG_TABLE_NAME; END $$",
        ):
            curs.execute(statement)
        for table, name in ((self._events, self.events_table_name), (self._blocks, BLOCKS_TABLE)):
            curs.execute(
                f"CREATE OR REPLACE TRIGGER {quote_identifier(name + '_append_only')} "
                f"BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {refuse}()"
            )
            curs.execute(
                f"CREATE OR REPLACE TRIGGER {quote_identifier(name + '_no_truncate')} "
                f"BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {refuse}()"
            )

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
    """The library's PostgreSQL persistence, with the sealed recorder."""

    application_recorder_class = SealedPostgresRecorder
