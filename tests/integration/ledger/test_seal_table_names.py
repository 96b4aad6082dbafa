"""Each sealed events table has its own seal tables and triggers, whatever its (valid) name: two
sealed tables in one database keep two chains, and PostgreSQL's 63-byte names never collide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from eventsourcing.persistence import PersistenceError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import Environment

from ledger.evidence.chain import verify_history
from ledger.persistence.sealed_postgres import SealedPostgresRecorder
from ledger.persistence.sealed_sqlite import SealedSQLiteFactory, SealedSQLiteRecorder
from ledger.persistence.table_names import POSTGRES_IDENTIFIER_BYTES, derived_name
from tests.integration.ledger.schema_catalogue import postgres_connection, schema_of

# The longest name PostgreSQL keeps whole; one with a quote, spaces and letters outside ASCII.
LONGEST = "e" * 40 + "_very_long_events_table_x"[: POSTGRES_IDENTIFIER_BYTES - 40]
ODD = 'journée "spéciale" des évènements'
TABLE_NAMES = [LONGEST, LONGEST[:-1] + "y", ODD, "ledger_events"]


def test_derived_names_fit_and_differ() -> None:
    names = {
        derived_name(table, purpose, POSTGRES_IDENTIFIER_BYTES)
        for table in TABLE_NAMES
        for purpose in ("append_only", "no_truncate", "seal_blocks", "event_seals")
    }
    assert len(names) == len(TABLE_NAMES) * 4
    assert all(len(name.encode()) <= POSTGRES_IDENTIFIER_BYTES for name in names)
    # Short names keep the form stores were made with.
    assert derived_name("ledger_events", "append_only", 63) == "ledger_events_append_only"


def _events(count: int) -> list[StoredEvent]:
    originator = uuid4()
    return [StoredEvent(originator, version, "topic", b"state") for version in range(1, count + 1)]


@pytest.fixture
def postgres_recorders(postgres_url: str) -> Iterator[dict[str, SealedPostgresRecorder]]:
    parts = urlsplit(postgres_url)
    datastore = PostgresDatastore(
        dbname=parts.path.lstrip("/"),
        host=parts.hostname or "127.0.0.1",
        port=str(parts.port or 5432),
        user=parts.username or "postgres",
        password=parts.password or "",
        schema=schema_of(postgres_url),
    )
    recorders = {
        name: SealedPostgresRecorder(datastore, events_table_name=name) for name in TABLE_NAMES
    }
    for recorder in recorders.values():
        recorder.create_table()
    yield recorders
    datastore.close()


@pytest.mark.postgres
def test_every_sealed_table_of_a_schema_keeps_its_own_chain_and_triggers(
    postgres_url: str, postgres_recorders: dict[str, SealedPostgresRecorder]
) -> None:
    for count, recorder in enumerate(postgres_recorders.values(), start=1):
        recorder.insert_events(_events(count))
    for count, recorder in enumerate(postgres_recorders.values(), start=1):
        assert recorder.fingerprint().count == count
        assert verify_history(recorder.stored_rows(), recorder.seals()).intact

    with postgres_connection(postgres_url) as conn:
        triggers = conn.execute(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND NOT t.tgisinternal",
            (schema_of(postgres_url),),
        ).fetchall()
    # Four tables, each with its seal table: two triggers on each of the eight, all distinct.
    assert len(triggers) == len({name for name, _ in triggers}) == 16


STATEMENTS = {
    "update": "UPDATE {table} SET {column} = {column}",
    "delete": "DELETE FROM {table}",
    "truncate": "TRUNCATE {table}",
}


@pytest.mark.postgres
@pytest.mark.parametrize("operation", sorted(STATEMENTS))
@pytest.mark.parametrize("which", ["events", "seal blocks"])
def test_long_and_odd_names_still_refuse_changes_to_the_history(
    postgres_url: str,
    postgres_recorders: dict[str, SealedPostgresRecorder],
    operation: str,
    which: str,
) -> None:
    schema = schema_of(postgres_url)
    for name, recorder in postgres_recorders.items():
        recorder.insert_events(_events(2))
        target = name if which == "events" else recorder.seal_table_names.blocks
        table = f'"{schema}"."' + target.replace('"', '""') + '"'
        column = "topic" if which == "events" else "chain_hash"
        sql = STATEMENTS[operation].format(table=table, column=column)
        with (
            postgres_connection(postgres_url) as conn,
            pytest.raises(Exception, match="append-only"),
        ):
            conn.execute(sql)
        assert recorder.fingerprint().count == 2
        assert verify_history(recorder.stored_rows(), recorder.seals()).intact


def test_two_sealed_tables_in_one_sqlite_file_keep_two_chains(tmp_path: Path) -> None:
    """(The library's SQLite recorders write table names unquoted: plain names only there.)"""
    factory = SealedSQLiteFactory(
        Environment("names", {"SQLITE_DBNAME": str(tmp_path / "two.db"), "CREATE_TABLE": "n"})
    )
    recorders: dict[str, Any] = {
        name: SealedSQLiteRecorder(factory.datastore, events_table_name=name)
        for name in ("stored_events", "accounts_events")
    }
    for recorder in recorders.values():
        recorder.create_table()
    recorders["stored_events"].insert_events(_events(3))
    recorders["accounts_events"].insert_events(_events(1))
    recorders["stored_events"].insert_events(_events(2))
    assert [r.fingerprint().count for r in recorders.values()] == [5, 1]
    for recorder in recorders.values():
        assert verify_history(recorder.stored_rows(), recorder.seals()).intact
        with (
            pytest.raises(PersistenceError, match="append-only"),
            factory.datastore.transaction(commit=True) as c,
        ):
            c.execute(f"DELETE FROM {recorder.events_table_name}")
    factory.close()
