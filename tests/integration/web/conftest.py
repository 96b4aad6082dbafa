"""Account stores on real databases: SQLite in tmp_path, PostgreSQL in a new schema per test;
and the ledger's pages, forms and API on a real ledger (the demo journey on SQLite, or on both
databases through the shared ``services`` fixture).

PostgreSQL is found at ``LEDGER_TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``), as for the ledger's tests. Its tests are
skipped only when the server is unreachable AND the ``CI`` environment variable is unset;
under CI an unreachable server fails them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from psycopg import sql

from entrypoints.bootstrap import LEDGER_BLUEPRINTS, Services, build_services
from ledger.domain.frameworks import FrameworkCatalogue
from tests.factories import load_demo
from web.accounts import Account, DatabaseAccountStore, Role
from web.app import create_app
from web.config import WebConfig

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


# -- the ledger's pages, forms and API, on a real ledger ---------------------------------

PASSWORD = "correct horse battery staple"
SIGNED_IN_USERS = {"ada": Role.ADMIN, "rae": Role.RECORDER, "vic": Role.VIEWER}


class SeededAccounts:
    """ada (admin), rae (recorder) and vic (viewer), all with :data:`PASSWORD`; no hashing,
    so signing in costs nothing (the real stores are tested in test_web_account_store.py)."""

    def __init__(self) -> None:
        self._accounts = {
            name: Account(name, role, f"stamp-{name}") for name, role in SIGNED_IN_USERS.items()
        }

    def authenticate(self, name: str, password: str) -> Account | None:
        account = self._accounts.get(name.strip().lower())
        return account if account is not None and password == PASSWORD else None

    def get(self, name: str) -> Account | None:
        return self._accounts.get(name.strip().lower())

    def list(self) -> tuple[Account, ...]:
        return tuple(self._accounts[name] for name in sorted(self._accounts))

    def add(self, name: str, role: Role | str, password: str) -> Account:
        raise NotImplementedError

    def set_role(self, name: str, role: Role | str) -> Account:
        raise NotImplementedError

    def set_password(self, name: str, password: str) -> Account:
        raise NotImplementedError

    def remove(self, name: str) -> None:
        raise NotImplementedError


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates shared by the many apps these tests build."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session")
def compiled_templates() -> SharedBytecodeCache:
    return SharedBytecodeCache()


@pytest.fixture
def sqlite_services(
    tmp_path: Path, frameworks: FrameworkCatalogue, clock: Callable[[], date]
) -> Iterator[Services]:
    """A ledger on SQLite holding the demo journey, 'today' being the test clock's day."""
    services = build_services(f"sqlite:///{tmp_path}/ledger.db", frameworks, today=clock)
    load_demo(services.ledger)
    services.read_model.catch_up()
    yield services
    services.close()


MakeLedgerApp = Callable[[Services], Flask]


@pytest.fixture
def make_ledger_app(compiled_templates: SharedBytecodeCache) -> MakeLedgerApp:
    """The app as entrypoints.wsgi wires it (the ledger's pages, forms and API) on ``services``."""

    def build(services: Services) -> Flask:
        config = WebConfig(
            secret_key="ledger-pages-secret-key-long-enough",
            session_cookie_secure=False,
            csrf_enabled=False,
            testing=True,
        )
        blueprints = [factory(services.journey) for factory in LEDGER_BLUEPRINTS]
        app = create_app(config, accounts=SeededAccounts(), blueprints=blueprints)
        app.jinja_env.bytecode_cache = compiled_templates
        return app

    return build


@pytest.fixture
def ledger_app(make_ledger_app: MakeLedgerApp, sqlite_services: Services) -> Flask:
    return make_ledger_app(sqlite_services)


ClientAs = Callable[[str], FlaskClient]


@pytest.fixture
def client_as(ledger_app: Flask) -> ClientAs:
    """A test client signed in (through the sign-in form) as ada, rae or vic."""

    def signed_in(name: str) -> FlaskClient:
        client = ledger_app.test_client()
        response = client.post("/sign-in", data={"name": name, "password": PASSWORD})
        assert response.status_code == 303
        return client

    return signed_in
