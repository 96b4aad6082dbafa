"""Account stores on real databases: SQLite in tmp_path, PostgreSQL in a new schema per test.

PostgreSQL is found at ``LEDGER_TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``), as for the ledger's tests. Its tests are
skipped only when the server is unreachable AND the ``CI`` environment variable is unset;
under CI an unreachable server fails them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from web.accounts import DatabaseAccountStore

POSTGRES_SERVER = os.environ.get(
    "LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def accounts_postgres_server() -> str:
    """The server's URL once it has answered; otherwise skip, or fail under CI."""
    try:
        with psycopg.connect(POSTGRES_SERVER, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        problem = f"PostgreSQL at {POSTGRES_SERVER} is unreachable: {error}"
        if os.environ.get("CI"):
            pytest.fail(f"{problem} (CI is set, so this fails rather than skips)")
        pytest.skip(problem)
    return POSTGRES_SERVER


@pytest.fixture
def accounts_postgres_url(accounts_postgres_server: str) -> Iterator[str]:
    """A URL naming a schema that does not exist yet (the store creates it); dropped after."""
    schema = f"web_test_{secrets.token_hex(6)}"
    separator = "&" if "?" in accounts_postgres_server else "?"
    yield f"{accounts_postgres_server}{separator}schema={schema}"
    with psycopg.connect(accounts_postgres_server, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
        )


@pytest.fixture
def accounts_sqlite_url(tmp_path: Path) -> str:
    """A URL for an SQLite file that does not exist yet, in a directory that does not."""
    return f"sqlite:///{tmp_path}/var/accounts.db"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def accounts_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("accounts_sqlite_url"))
    return str(request.getfixturevalue("accounts_postgres_url"))


@pytest.fixture
def store(accounts_url: str) -> DatabaseAccountStore:
    """A fresh, empty account store."""
    return DatabaseAccountStore(accounts_url)
