"""What a database's schema looks like now, to show that opening a ledger changed none of it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg


def postgres_connection(url: str) -> psycopg.Connection[Any]:
    """A plain autocommit connection to the database of a ledger URL."""
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password or "",
        dbname=parts.path.lstrip("/"),
        autocommit=True,
    )


def schema_of(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("schema", ["public"])[0]


def catalogue(url: str) -> Any:
    """Something that changes whenever DDL runs on the ledger's tables.

    SQLite counts every schema change in `schema_version`. In PostgreSQL a CREATE OR REPLACE of
    a function, trigger or type rewrites its catalogue row, so the rows' transaction ids (xmin)
    change even when nothing about them does.
    """
    if url.startswith("sqlite"):
        path = urlsplit(url).path[1:]
        with closing(sqlite3.connect(path)) as conn:
            version = conn.execute("PRAGMA schema_version").fetchone()[0]
            names = sorted(conn.execute("SELECT type, name FROM sqlite_master").fetchall())
        return version, names
    schema = schema_of(url)
    with postgres_connection(url) as conn:
        return sorted(
            conn.execute(
                "SELECT 'class', c.relname::text, c.xmin::text FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(s)s "
                "UNION ALL SELECT 'trigger', t.tgname::text, t.xmin::text FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(s)s "
                "UNION ALL SELECT 'function', p.proname::text, p.xmin::text FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s "
                "UNION ALL SELECT 'type', t.typname::text, t.xmin::text FROM pg_type t "
                "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = %(s)s",
                {"s": schema},
            ).fetchall()
        )
