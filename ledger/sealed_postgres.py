"""PostgreSQL storage that seals each event into the hash chain in the transaction that writes it,
and refuses UPDATE, DELETE and TRUNCATE on the history with triggers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory

from ledger.chain import EMPTY, Fingerprint, Seal, StoredFields, StoredRow, seal_rows

SEALS_TABLE = "event_seals"
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
    def _seals(self) -> str:
        return f"{self._schema}.{quote_identifier(SEALS_TABLE)}"

    @property
    def _events(self) -> str:
        return f"{self._schema}.{quote_identifier(self.events_table_name)}"

    def _create_table(self, curs: Any) -> None:
        super()._create_table(curs)
        refuse = f"{self._schema}.ledger_refuse_change"
        for statement in (
            f"CREATE TABLE IF NOT EXISTS {self._seals} ("
            "seq bigint PRIMARY KEY, position bigint NOT NULL UNIQUE, "
            "event_hash bytea NOT NULL, chain_hash bytea NOT NULL)",
            f"CREATE OR REPLACE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the ledger is append-only: % on % is refused', "
            "TG_OP, TG_TABLE_NAME; END $$",
        ):
            curs.execute(statement)
        for table, name in ((self._events, self.events_table_name), (self._seals, SEALS_TABLE)):
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
        """Seal events just inserted, in the inserting transaction (which holds the lock)."""
        curs.execute(f"SELECT seq, chain_hash FROM {self._seals} ORDER BY seq DESC LIMIT 1")
        head = curs.fetchone()
        previous = EMPTY if head is None else Fingerprint(head["seq"], bytes(head["chain_hash"]))
        rows = (
            (p, s.originator_id, s.originator_version, s.topic, s.state)
            for p, s in zip(positions, stored_events, strict=True)
        )
        curs.executemany(
            f"INSERT INTO {self._seals} (seq, position, event_hash, chain_hash) "
            "VALUES (%s, %s, %s, %s)",
            seal_rows(previous, rows),
        )

    def fingerprint(self) -> Fingerprint:
        """The chain's head as stored (verification recomputes it)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT seq, chain_hash FROM {self._seals} ORDER BY seq DESC LIMIT 1")
            row = curs.fetchone()
        return EMPTY if row is None else Fingerprint(row["seq"], bytes(row["chain_hash"]))

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
        """Every seal, in chain order."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                f"SELECT seq, position, event_hash, chain_hash FROM {self._seals} ORDER BY seq"
            )
            return [
                Seal(r["seq"], r["position"], bytes(r["event_hash"]), bytes(r["chain_hash"]))
                for r in curs.fetchall()
            ]


class SealedPostgresFactory(PostgresFactory):
    """The library's PostgreSQL persistence, with the sealed recorder."""

    application_recorder_class = SealedPostgresRecorder
