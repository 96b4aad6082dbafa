"""PostgreSQL storage that seals each event into the hash chain in the transaction that writes it,
and refuses UPDATE, DELETE and TRUNCATE on the history with triggers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory

from ledger.chain import (
    EMPTY,
    Fingerprint,
    Seal,
    SealBlock,
    StoredFields,
    StoredRow,
    seal_block,
    stored_seals,
)

# One row per transaction that appended events: the seals of all its events (`SealBlock`).
BLOCKS_TABLE = "seal_blocks"
# One row per event, as versions before seal blocks stored them: read, never written.
LEGACY_SEALS_TABLE = "event_seals"
# Positions are 64-bit; reading starts below the lowest, so no forged row can hide under it.
LOWEST_POSITION = -(2**63) + 1


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

    @property
    def _legacy_seals(self) -> str:
        return f"{self._schema}.{quote_identifier(LEGACY_SEALS_TABLE)}"

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
        return positions

    def _seal(
        self, curs: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        """Seal events just inserted, in the inserting transaction (which holds the lock): one
        block row for all."""
        rows = (
            (p, s.originator_id, s.originator_version, s.topic, s.state)
            for p, s in zip(positions, stored_events, strict=True)
        )
        block = seal_block(self._head(curs), rows)
        if block is not None:
            curs.execute(
                f"INSERT INTO {self._blocks} "
                "(first_seq, last_seq, positions, event_hashes, chain_hash) "
                "VALUES (%s, %s, %s, %s, %s)",
                (
                    block.first_seq,
                    block.last_seq,
                    block.positions,
                    block.event_hashes,
                    block.chain_hash,
                ),
            )

    def _head(self, curs: Any) -> Fingerprint:
        curs.execute(
            f"SELECT last_seq, chain_hash FROM {self._blocks} ORDER BY first_seq DESC LIMIT 1"
        )
        row = curs.fetchone()
        if row is not None:
            return Fingerprint(row["last_seq"], bytes(row["chain_hash"]))
        if not self._has_legacy_seals(curs):
            return EMPTY
        curs.execute(f"SELECT seq, chain_hash FROM {self._legacy_seals} ORDER BY seq DESC LIMIT 1")
        row = curs.fetchone()
        return EMPTY if row is None else Fingerprint(row["seq"], bytes(row["chain_hash"]))

    def _has_legacy_seals(self, curs: Any) -> bool:
        curs.execute("SELECT to_regclass(%s) AS found", (self._legacy_seals,))
        row = curs.fetchone()
        return row is not None and row["found"] is not None

    def fingerprint(self) -> Fingerprint:
        """The chain's head as stored (verification recomputes it)."""
        with self.datastore.transaction(commit=False) as curs:
            return self._head(curs)

    def stored_rows(self, batch_size: int = 5000) -> Iterator[StoredRow]:
        """Every stored event in the order it was recorded, including any never sealed.

        Starts below any position a row could have, so a forged row at 0 or below is seen too.
        """
        last = LOWEST_POSITION - 1
        while rows := self.rows_after(last, batch_size):
            for fields in rows:
                yield StoredRow(*fields)
            last = rows[-1][0]

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
            legacy = []
            if self._has_legacy_seals(curs):
                curs.execute(
                    "SELECT seq, position, event_hash, chain_hash "
                    f"FROM {self._legacy_seals} ORDER BY seq"
                )
                legacy = [
                    Seal(r["seq"], r["position"], bytes(r["event_hash"]), bytes(r["chain_hash"]))
                    for r in curs.fetchall()
                ]
            curs.execute(
                "SELECT first_seq, last_seq, positions, event_hashes, chain_hash "
                f"FROM {self._blocks} ORDER BY first_seq"
            )
            blocks = [
                SealBlock(
                    r["first_seq"],
                    r["last_seq"],
                    bytes(r["positions"]),
                    bytes(r["event_hashes"]),
                    bytes(r["chain_hash"]),
                )
                for r in curs.fetchall()
            ]
        return stored_seals(legacy, blocks)


class SealedPostgresFactory(PostgresFactory):
    """The library's PostgreSQL persistence, with the sealed recorder."""

    application_recorder_class = SealedPostgresRecorder
