"""Where the ledger is stored: a database URL turned into the library's persistence settings."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit
from uuid import uuid4

from ledger.domain.errors import LedgerError
from ledger.persistence.library_settings import (
    SEALED_POSTGRES_FACTORY,
    SEALED_SQLITE_FACTORY,
    THE_CIPHER,
)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class BadDatabaseUrl(LedgerError):
    """The database URL is not one the ledger can use."""


@dataclass(frozen=True)
class Storage:
    """A parsed database URL: `kind` is "sqlite" or "postgresql"."""

    url: str
    kind: str
    env: dict[str, str]
    sqlite_path: Path | None = None
    schema: str = "public"

    def conninfo(self) -> dict[str, Any]:
        """Connection parameters of a PostgreSQL store (psycopg's keyword arguments)."""
        env = self.env
        return {
            "host": env["POSTGRES_HOST"],
            "port": int(env["POSTGRES_PORT"]),
            "user": env["POSTGRES_USER"],
            "password": env["POSTGRES_PASSWORD"],
            "dbname": env["POSTGRES_DBNAME"],
            "connect_timeout": int(env.get("POSTGRES_CONNECT_TIMEOUT", "5")),
        }

    @property
    def on_read_only_media(self) -> bool:
        """An SQLite file that cannot be written where it lies (a read-only mount, a backup
        disc): SQLite can then read it only as immutable."""
        path = self.sqlite_path
        if path is None:
            return False
        return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))

    def opened_read_only(self) -> Storage:
        """The same store, opened so that nothing can be written to it (SQLite: `mode=ro`, and
        `immutable` on read-only media, where SQLite could not otherwise open it)."""
        path = self.sqlite_path
        if path is None:
            return self
        uri = f"file:{quote(str(path.absolute()))}?mode=ro"
        if self.on_read_only_media:
            uri += "&immutable=1"
        return replace(self, env={**self.env, "SQLITE_DBNAME": uri})

    @property
    def display(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        parts = urlsplit(self.url)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
            return parts._replace(netloc=netloc).geturl()
        return self.url


def parse_database_url(url: str, cipher_key: str | None = None) -> Storage:
    """`sqlite:///path.db`, `sqlite:///:memory:` or `postgresql://user[:pw]@host[:port]/db[?schema=s]`."""
    parts = urlsplit(url)
    env: dict[str, str] = {}
    if cipher_key:
        env["CIPHER_TOPIC"] = THE_CIPHER
        env["CIPHER_KEY"] = cipher_key
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        if raw_path in ("", "/"):
            raise BadDatabaseUrl(f"{url!r} names no file: use sqlite:///path/to/ledger.db")
        path_text = raw_path[1:] if raw_path.startswith("/") else raw_path
        env["PERSISTENCE_MODULE"] = SEALED_SQLITE_FACTORY
        env["SQLITE_LOCK_TIMEOUT"] = "30"
        if path_text == ":memory:":
            env["SQLITE_DBNAME"] = f"file:ledger-{uuid4().hex}?mode=memory&cache=shared"
            return Storage(url, "sqlite", env)
        # sqlite:///var/x.db is relative; sqlite:////abs/x.db is absolute (SQLAlchemy's rule).
        path = Path(path_text)
        env["SQLITE_DBNAME"] = str(path)
        return Storage(url, "sqlite", env, sqlite_path=path)
    if parts.scheme in ("postgresql", "postgres"):
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            raise BadDatabaseUrl(f"{url!r} names no database: postgresql://user@host:5432/dbname")
        schema = parse_qs(parts.query).get("schema", ["public"])[0]
        if not _IDENTIFIER.match(schema):
            raise BadDatabaseUrl(f"schema {schema!r} is not a plain SQL identifier")
        env.update(
            {
                "PERSISTENCE_MODULE": SEALED_POSTGRES_FACTORY,
                "POSTGRES_DBNAME": dbname,
                "POSTGRES_HOST": parts.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(parts.port or 5432),
                "POSTGRES_USER": unquote(parts.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(parts.password or ""),
                "POSTGRES_SCHEMA": schema,
                "POSTGRES_POOL_SIZE": "4",
                "POSTGRES_MAX_OVERFLOW": "8",
                "POSTGRES_CONNECT_TIMEOUT": "5",
                "POSTGRES_LOCK_TIMEOUT": "10",
            }
        )
        return Storage(url, "postgresql", env, schema=schema)
    raise BadDatabaseUrl(
        f"{url!r} is not a database URL the ledger knows: use sqlite:///path/to/ledger.db "
        "or postgresql://user@host:5432/dbname"
    )
