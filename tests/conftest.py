"""Shared fixtures: a ledger on SQLite and on a real PostgreSQL (a fresh schema per test).

PostgreSQL tests skip only where no server is reachable and CI is not set; in CI they must run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from config.frameworks import load_frameworks
from entrypoints.bootstrap import Services, build_services
from ledger.domain.frameworks import FrameworkCatalogue

POSTGRES_URL = os.environ.get(
    "LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgres_reachable() -> str | None:
    parts = urlsplit(POSTGRES_URL)
    try:
        with psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password or "",
            dbname=parts.path.lstrip("/"),
            connect_timeout=3,
        ):
            return None
    except psycopg.OperationalError as error:
        return str(error)


def require_postgres() -> None:
    problem = _postgres_reachable()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} and CI is set: {problem}")
    pytest.skip(f"no PostgreSQL at {POSTGRES_URL} (set CI to make this a failure)")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose schema is new, and dropped afterwards."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(POSTGRES_URL)
    conninfo = {
        "host": parts.hostname,
        "port": parts.port or 5432,
        "user": parts.username,
        "password": parts.password or "",
        "dbname": parts.path.lstrip("/"),
    }
    with psycopg.connect(**conninfo, autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{POSTGRES_URL}?schema={schema}"
    with psycopg.connect(**conninfo, autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Each test using this runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/ledger.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def frameworks() -> FrameworkCatalogue:
    return load_frameworks()


class Clock:
    """'Today' for the ledger's rules, set by the test (recorded-at times stay the system's)."""

    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2026, 11, 23))


@pytest.fixture
def make_services(
    database_url: str, frameworks: FrameworkCatalogue, clock: Clock
) -> Iterator[Callable[..., Services]]:
    """Build the composition root on the test's database; each call is another 'process'."""
    built: list[Services] = []

    def make(cipher_key: str | None = None, url: str | None = None) -> Services:
        services = build_services(
            url or database_url, frameworks, cipher_key=cipher_key, today=clock
        )
        built.append(services)
        return services

    yield make
    for services in built:
        services.close()


@pytest.fixture
def services(make_services: Callable[..., Services]) -> Services:
    return make_services()


@pytest.fixture(scope="session")
def edition_2024() -> Path:
    """Ofsted's outcomes spreadsheet as at 31 March 2024, read where it lies (shared/data/)."""
    from tests.ofsted_editions import find_edition_2024

    found = find_edition_2024()
    if found is None or not found.exists():
        if os.environ.get("CI"):
            pytest.fail("the 2024 Ofsted edition is not beside the checkout (shared/data/)")
        pytest.skip("the 2024 Ofsted edition is not beside the checkout (shared/data/)")
    return found
