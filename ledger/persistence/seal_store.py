"""The seal tables' reads and writes, shared by the SQLite and PostgreSQL recorders.

Each transaction that appends events writes one row of the events table's seal blocks table (a
`SealBlock`). Stores written before seal blocks hold one legacy seal row per event: read, never
written; the blocks after them extend their chain. Stores made before seal tables were per events
table keep theirs under the shared names until `ledger init` (or any command that records)
renames them; until then they are read there.
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

# Positions are 64-bit; reading starts below the lowest, so no forged row can hide under it.
LOWEST_POSITION = -(2**63) + 1
_BLOCK_COLUMNS = "first_seq, last_seq, positions, event_hashes, chain_hash"

#: Given a cursor and a table's name, whether that table exists.
TableExists = Callable[[Any, str], bool]


class SealStore:
    """The seal tables of one events table.

    `blocks` and `legacy` are the names of its own tables, `shared_blocks` and `shared_legacy`
    those of a store not yet migrated, `quote` makes a name into SQL, `marker` is the driver's
    parameter marker. Every method takes the cursor of the caller's transaction; rows come back
    as mappings.
    """

    def __init__(
        self,
        blocks: str,
        legacy: str,
        shared_blocks: str,
        shared_legacy: str,
        *,
        quote: Callable[[str], str],
        marker: str,
        exists: TableExists,
    ) -> None:
        self._blocks = blocks
        self._legacy = legacy
        self._shared = (shared_blocks, shared_legacy)
        self._quote = quote
        self._exists = exists
        self._insert = (
            f"INSERT INTO {quote(blocks)} ({_BLOCK_COLUMNS}) VALUES ({', '.join([marker] * 5)})"
        )
        self._migrated = False

    def append(
        self, cursor: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]
    ) -> None:
        """Seal events just inserted, in the inserting transaction, which must hold the lock
        that keeps other writers from extending the chain meanwhile: one block row for all.

        Always into this events table's own blocks table (writers run only on migrated stores).
        """
        rows = (
            (p, s.originator_id, s.originator_version, s.topic, s.state)
            for p, s in zip(positions, stored_events, strict=True)
        )
        block = seal_block(self._head(cursor, self._blocks, self._legacy, known=True), rows)
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
        return self._head(cursor, *self._tables(cursor))

    def _head(self, cursor: Any, blocks: str, legacy: str, known: bool = False) -> Fingerprint:
        """The head from `blocks`, else from `legacy`; `known` when `blocks` surely exists."""
        if known or self._exists(cursor, blocks):
            cursor.execute(
                f"SELECT last_seq, chain_hash FROM {self._quote(blocks)} "
                "ORDER BY first_seq DESC LIMIT 1"
            )
            row = cursor.fetchone()
            if row is not None:
                return Fingerprint(row["last_seq"], bytes(row["chain_hash"]))
        if not self._exists(cursor, legacy):
            return EMPTY
        cursor.execute(
            f"SELECT seq, chain_hash FROM {self._quote(legacy)} ORDER BY seq DESC LIMIT 1"
        )
        row = cursor.fetchone()
        return EMPTY if row is None else Fingerprint(row["seq"], bytes(row["chain_hash"]))

    def seals(self, cursor: Any) -> list[Seal]:
        """Every event's seal, in chain order."""
        blocks_table, legacy_table = self._tables(cursor)
        legacy = []
        if self._exists(cursor, legacy_table):
            cursor.execute(
                "SELECT seq, position, event_hash, chain_hash "
                f"FROM {self._quote(legacy_table)} ORDER BY seq"
            )
            legacy = [
                Seal(r["seq"], r["position"], bytes(r["event_hash"]), bytes(r["chain_hash"]))
                for r in cursor.fetchall()
            ]
        blocks = []
        if self._exists(cursor, blocks_table):
            cursor.execute(
                f"SELECT {_BLOCK_COLUMNS} FROM {self._quote(blocks_table)} ORDER BY first_seq"
            )
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

    def _tables(self, cursor: Any) -> tuple[str, str]:
        """This events table's own seal tables, or the shared ones of a store not migrated."""
        if self._migrated:
            return self._blocks, self._legacy
        if self._exists(cursor, self._blocks) or not self._exists(cursor, self._shared[0]):
            self._migrated = self._exists(cursor, self._blocks)
            return self._blocks, self._legacy
        return self._shared


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
