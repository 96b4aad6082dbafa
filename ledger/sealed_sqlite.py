"""SQLite storage that seals each event into the hash chain in the transaction that writes it,
and refuses UPDATE and DELETE on the history with triggers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteFactory

from ledger.chain import EMPTY, Fingerprint, Seal, StoredRow, seal_events

SEALS_TABLE = "event_seals"
# Positions are 64-bit; reading starts below the lowest, so no forged row can hide under it.
LOWEST_POSITION = -(2**63) + 1


def _refuse(table: str, operation: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_{operation.lower()} "
        f"BEFORE {operation} ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'the ledger is append-only: {operation} on {table} is refused'); "
        "END"
    )


class SealedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite application recorder, with every insert sealed into the chain."""

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {SEALS_TABLE} ("
            "seq INTEGER PRIMARY KEY, "
            "position INTEGER NOT NULL UNIQUE, "
            "event_hash BLOB NOT NULL, "
            "chain_hash BLOB NOT NULL)"
        )
        for table in (self.events_table_name, SEALS_TABLE):
            statements += [_refuse(table, "UPDATE"), _refuse(table, "DELETE")]
        return statements

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The inserts above took SQLite's write lock, so no other writer can extend the chain
        # between reading its head and appending to it.
        positions = super()._insert_events(c, stored_events, **kwargs)
        assert positions is not None
        rows = [
            StoredRow(p, s.originator_id, s.originator_version, s.topic, s.state)
            for p, s in zip(positions, stored_events, strict=True)
        ]
        seals = seal_events(self._head(c), rows)
        c.executemany(
            f"INSERT INTO {SEALS_TABLE} VALUES (?, ?, ?, ?)",
            [(s.seq, s.position, s.event_hash, s.chain_hash) for s in seals],
        )
        return positions

    @staticmethod
    def _head(c: SQLiteCursor) -> Fingerprint:
        c.execute(f"SELECT seq, chain_hash FROM {SEALS_TABLE} ORDER BY seq DESC LIMIT 1")
        row = c.fetchone()
        return EMPTY if row is None else Fingerprint(row["seq"], bytes(row["chain_hash"]))

    def fingerprint(self) -> Fingerprint:
        """The chain's head as stored (verification recomputes it)."""
        with self.datastore.transaction(commit=False) as c:
            return self._head(c)

    def stored_rows(self, batch_size: int = 5000) -> Iterator[StoredRow]:
        """Every stored event in the order it was recorded, including any never sealed.

        Starts below any position a row could have, so a forged row at 0 or below is seen too.
        """
        last = LOWEST_POSITION - 1
        while True:
            with self.datastore.transaction(commit=False) as c:
                c.execute(
                    f"SELECT rowid, originator_id, originator_version, topic, state "
                    f"FROM {self.events_table_name} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    (last, batch_size),
                )
                rows = c.fetchall()
            if not rows:
                return
            for r in rows:
                yield StoredRow(
                    r["rowid"], r["originator_id"], r["originator_version"], r["topic"], r["state"]
                )
            last = rows[-1]["rowid"]

    def seals(self) -> list[Seal]:
        """Every seal, in chain order."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT seq, position, event_hash, chain_hash FROM {SEALS_TABLE} ORDER BY seq"
            )
            return [
                Seal(r["seq"], r["position"], bytes(r["event_hash"]), bytes(r["chain_hash"]))
                for r in c.fetchall()
            ]


class SealedSQLiteFactory(SQLiteFactory):
    """The library's SQLite persistence, with the sealed recorder."""

    application_recorder_class = SealedSQLiteRecorder
