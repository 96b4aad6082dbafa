"""An attacker with the database owner's rights: drops the guard triggers, then edits history."""

from __future__ import annotations

import dataclasses
import sqlite3
import struct
from contextlib import closing
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg

from entrypoints.bootstrap import Services
from ledger.evidence.chain import Seal, SealBlock


class Attacker:
    """Runs raw SQL against the ledger's own tables, bypassing the application."""

    def __init__(self, services: Services) -> None:
        self.storage = services.storage
        self.ledger = services.ledger
        recorder = services.ledger.recorder
        self.events: str = getattr(recorder, "events_table_name")  # noqa: B009
        names = getattr(recorder, "seal_table_names")  # noqa: B009
        #: This events table's seal tables.
        self.blocks: str = names.blocks
        self.legacy_seals: str = names.legacy_seals

    def _pg(self) -> tuple[psycopg.Connection[Any], str]:
        parts = urlsplit(self.storage.url)
        schema = parse_qs(parts.query)["schema"][0]
        conn = psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            dbname=parts.path.lstrip("/"),
            autocommit=True,
        )
        conn.execute(f'SET search_path TO "{schema}"')
        return conn, schema

    @property
    def position_column(self) -> str:
        return "rowid" if self.storage.kind == "sqlite" else "notification_id"

    def run(self, *statements: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run statements (the last one with `params`), returning the last one's rows."""
        rows: list[tuple[Any, ...]] = []
        if self.storage.kind == "sqlite":
            with closing(sqlite3.connect(str(self.storage.sqlite_path))) as conn:
                for i, statement in enumerate(statements):
                    cursor = conn.execute(statement, params if i == len(statements) - 1 else ())
                    rows = cursor.fetchall()
                conn.commit()
            return rows
        conn, _ = self._pg()
        with conn:
            for i, statement in enumerate(statements):
                cursor = conn.execute(
                    statement.replace("?", "%s"), params if i == len(statements) - 1 else ()
                )
                rows = cursor.fetchall() if cursor.description else []
        return rows

    def drop_guards(self) -> None:
        if self.storage.kind == "sqlite":
            names = [r[0] for r in self.run("SELECT name FROM sqlite_master WHERE type='trigger'")]
            self.run(*[f"DROP TRIGGER {name}" for name in names])
        else:
            self.run(
                f"DROP TRIGGER {self.events}_append_only ON {self.events}",
                f"DROP TRIGGER {self.blocks}_append_only ON {self.blocks}",
            )

    def positions(self) -> list[int]:
        return [
            r[0] for r in self.run(f"SELECT {self.position_column} FROM {self.events} ORDER BY 1")
        ]

    def state_at(self, position: int) -> bytes:
        rows = self.run(
            f"SELECT state FROM {self.events} WHERE {self.position_column} = ?", params=(position,)
        )
        return bytes(rows[0][0])

    def set_state(self, position: int, state: bytes) -> None:
        self.run(
            f"UPDATE {self.events} SET state = ? WHERE {self.position_column} = ?",
            params=(state, position),
        )

    def delete_event(self, position: int) -> None:
        self.run(f"DELETE FROM {self.events} WHERE {self.position_column} = ?", params=(position,))

    def delete_from(self, position: int) -> None:
        """Cut the history short: the events from `position` on, and their seals."""
        kept = [seal for seal in self.ledger.seals() if seal.position < position]
        self.run(f"DELETE FROM {self.events} WHERE {self.position_column} >= ?", params=(position,))
        self.replace_seals(kept)

    def replace_seals(self, seals: list[Seal]) -> None:
        """Put these seals in place of every stored one, as one block."""
        self.run(f"DELETE FROM {self.blocks}")
        if seals:
            self.insert_block(
                SealBlock(
                    seals[0].seq,
                    seals[-1].seq,
                    struct.pack(f">{len(seals)}q", *(s.position for s in seals)),
                    b"".join(s.event_hash for s in seals),
                    seals[-1].chain_hash,
                )
            )

    def insert_block(self, block: SealBlock) -> None:
        self.run(
            f"INSERT INTO {self.blocks} (first_seq, last_seq, positions, event_hashes, chain_hash) "
            "VALUES (?, ?, ?, ?, ?)",
            params=dataclasses.astuple(block),
        )

    def insert_copy(self, of_position: int, at_position: int, new_version: int) -> None:
        """Insert a forged event (a copy with another version) at a chosen position."""
        column = self.position_column
        self.run(
            f"INSERT INTO {self.events} (originator_id, originator_version, topic, state, {column}) "
            f"SELECT originator_id, ?, topic, state, ? FROM {self.events} WHERE {column} = ?",
            params=(new_version, at_position, of_position),
        )
