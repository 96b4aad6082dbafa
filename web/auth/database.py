"""The web app's own tables (sessions, sign-in attempts) in the ledger's database: SQLite or
PostgreSQL, chosen by the database URL, each call on a connection of its own."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import psycopg

from web.accounts import AccountStoreUnavailable

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class WebTables:
    """Tables named in ``{table}`` placeholders of the SQL given, ``?`` marking parameters.

    ``create`` statements run once, on first use, each ``IF NOT EXISTS``.
    """

    def __init__(self, database_url: str, create: Sequence[str]) -> None:
        parts = urlsplit(database_url)
        self._schema: str | None = None
        if parts.scheme.lower() == "sqlite":
            path = unquote(parts.path)
            path = path[1:] if path.startswith("/") else path
            if not path or path == ":memory:":
                raise ValueError("The web tables need an SQLite file, like sqlite:///var/ledger.db")
            self._sqlite_path: Path | None = Path(path)
            self._url = database_url
        else:
            self._sqlite_path = None
            query = parse_qsl(parts.query, keep_blank_values=True)
            schemas = [value for key, value in query if key == "schema"]
            if schemas:
                if not _IDENTIFIER.fullmatch(schemas[-1]):
                    raise ValueError(f"Schema {schemas[-1]!r} is not a plain SQL identifier")
                self._schema = schemas[-1]
            rest = urlencode([(key, value) for key, value in query if key != "schema"])
            self._url = urlunsplit(parts._replace(query=rest))
        self._create = list(create)
        self._ready = False
        self._lock = threading.Lock()

    @property
    def postgres(self) -> bool:
        return self._sqlite_path is None

    def table(self, name: str) -> str:
        return f'"{self._schema}".{name}' if self._schema else name

    def create_schema(self) -> None:
        """Create the tables if they are missing."""
        with self._lock:
            if self._ready:
                return
            with self._cursor() as cursor:
                if self.postgres:
                    # Workers starting together would otherwise race to create the same tables.
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('ledger web tables'))")
                if self._schema is not None:
                    cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"')
                for statement in self._create:
                    cursor.execute(self._sql(statement))
            self._ready = True

    def _sql(self, query: str) -> str:
        names = {name: self.table(name) for name in re.findall(r"\{(\w+)\}", query)}
        query = query.format(**names)
        return query.replace("?", "%s") if self.postgres else query

    def execute(self, query: str, params: tuple[Any, ...] = ()) -> int:
        """Run one statement; returns how many rows it changed."""
        self.create_schema()
        with self._cursor() as cursor:
            cursor.execute(self._sql(query), params)
            return int(cursor.rowcount)

    def rows(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """The rows a query gives."""
        self.create_schema()
        with self._cursor() as cursor:
            cursor.execute(self._sql(query), params)
            return [tuple(row) for row in cursor.fetchall()]

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        try:
            if self._sqlite_path is not None:
                with (
                    closing(sqlite3.connect(self._sqlite_path, timeout=10)) as connection,
                    connection,
                ):
                    yield connection.cursor()
            else:
                with (
                    psycopg.connect(self._url, connect_timeout=5) as pg_connection,
                    pg_connection.cursor() as cursor,
                ):
                    yield cursor
        except (sqlite3.Error, psycopg.Error) as error:
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise AccountStoreUnavailable(
                f"The sign-in database is unavailable ({detail})"
            ) from error
