"""The seal tables' reads and writes, shared by the SQLite and PostgreSQL recorders.

Each transaction that appends events writes one row of `seal_blocks` (a `SealBlock`). Stores
written before seal blocks hold one `event_seals` row per event: read, never written; the blocks
after them extend their chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent

from ledger.evidence.chain import (
    EMPTY,
    Fingerprint,
    Seal,
    SealBlock,
    StoredFields,
    StoredRow,
    seal_block,
    stored_seals,
)

BLOCKS_TABLE = "seal_blocks"
LEGACY_SEALS_TABLE = "event_seals"
# Positions are 64-bit; reading starts below the lowest, so no forged row can hide under it.
LOWEST_POSITION = -(2**63) + 1
_BLOCK_COLUMNS = "first_seq, last_seq, positions, event_hashes, chain_hash"


class SealStore:
    """The seal tables of one database, given their names as its SQL writes them, its parameter
    marker, and a query (with one parameter) giving a row when the legacy table exists.

    Every method takes the cursor of the caller's transaction: rows come back as mappings.
    """

    def __init__(
        self, blocks: str, legacy: str, marker: str, legacy_exists: tuple[str, str]
    ) -> None:
        self._blocks = blocks
        self._legacy = legacy
        self._insert = f"INSERT INTO {blocks} ({_BLOCK_COLUMNS}) VALUES ({', '.join([marker] * 5)})"
        self._legacy_exists = legacy_exists

    def append(
        self, cursor: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        """Seal events just inserted, in the inserting transaction, which must hold the lock
        that keeps other writers from extending the chain meanwhile: one block row for all."""
        rows = (
            (p, s.originator_id, s.originator_version, s.topic, s.state)
            for p, s in zip(positions, stored_events, strict=True)
        )
        block = seal_block(self.head(cursor), rows)
        if block is not None:
            cursor.execute(
                self._insert,
                (
                    block.first_seq,
                    block.last_seq,
                    block.positions,
                    block.event_hashes,
                    block.chain_hash,
                ),
            )

    def head(self, cursor: Any) -> Fingerprint:
        """The chain's head as stored (verification recomputes it)."""
        cursor.execute(
            f"SELECT last_seq, chain_hash FROM {self._blocks} ORDER BY first_seq DESC LIMIT 1"
        )
        row = cursor.fetchone()
        if row is not None:
            return Fingerprint(row["last_seq"], bytes(row["chain_hash"]))
        if not self._has_legacy(cursor):
            return EMPTY
        cursor.execute(f"SELECT seq, chain_hash FROM {self._legacy} ORDER BY seq DESC LIMIT 1")
        row = cursor.fetchone()
        return EMPTY if row is None else Fingerprint(row["seq"], bytes(row["chain_hash"]))

    def seals(self, cursor: Any) -> list[Seal]:
        """Every event's seal, in chain order."""
        legacy = []
        if self._has_legacy(cursor):
            cursor.execute(
                f"SELECT seq, position, event_hash, chain_hash FROM {self._legacy} ORDER BY seq"
            )
            legacy = [
                Seal(r["seq"], r["position"], bytes(r["event_hash"]), bytes(r["chain_hash"]))
                for r in cursor.fetchall()
            ]
        cursor.execute(f"SELECT {_BLOCK_COLUMNS} FROM {self._blocks} ORDER BY first_seq")
        blocks = [
            SealBlock(
                r["first_seq"],
                r["last_seq"],
                bytes(r["positions"]),
                bytes(r["event_hashes"]),
                bytes(r["chain_hash"]),
            )
            for r in cursor.fetchall()
        ]
        return stored_seals(legacy, blocks)

    def _has_legacy(self, cursor: Any) -> bool:
        query, table = self._legacy_exists
        cursor.execute(query, (table,))
        return cursor.fetchone() is not None


def every_stored_row(
    rows_after: Callable[[int, int], list[StoredFields]], batch_size: int
) -> Iterator[StoredRow]:
    """Every stored event in the order it was recorded, including any never sealed, read in
    batches from `rows_after(position, limit)`.

    Starts below any position a row could have, so a forged row at 0 or below is seen too.
    """
    last = LOWEST_POSITION - 1
    while rows := rows_after(last, batch_size):
        for fields in rows:
            yield StoredRow(*fields)
        last = rows[-1][0]
