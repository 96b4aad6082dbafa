"""DatabaseAccountStore on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from werkzeug.security import generate_password_hash

from web.accounts import (
    AccountExists,
    AccountNotFound,
    AccountStore,
    AccountStoreUnavailable,
    DatabaseAccountStore,
    InvalidAccountName,
    Role,
    UnknownRole,
    WeakPassword,
)

PASSWORD = "correct horse battery staple"


def test_is_an_account_store(store: DatabaseAccountStore) -> None:
    assert isinstance(store, AccountStore)


def test_add_then_get_list_and_authenticate(store: DatabaseAccountStore) -> None:
    added = store.add("  Ada@Council.GOV.uk ", "admin", PASSWORD)
    assert added.name == "ada@council.gov.uk"
    assert added.role is Role.ADMIN
    store.add("bob", Role.VIEWER, PASSWORD)

    assert store.get("ADA@council.gov.uk") == added
    assert [account.name for account in store.list()] == ["ada@council.gov.uk", "bob"]
    assert store.authenticate("ada@council.gov.uk", PASSWORD) == added
    assert store.authenticate("ada@council.gov.uk", PASSWORD.upper()) is None
    assert store.authenticate("nobody", PASSWORD) is None
    assert store.authenticate("", PASSWORD) is None


def test_passwords_are_stored_as_scrypt_hashes(accounts_sqlite_url: str) -> None:
    DatabaseAccountStore(accounts_sqlite_url).add("ada", "admin", PASSWORD)
    path = accounts_sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        (stored,) = connection.execute("SELECT password_hash FROM accounts").fetchone()
    assert stored.startswith("scrypt:")
    assert PASSWORD not in stored


def test_duplicate_names_are_refused_case_insensitively(store: DatabaseAccountStore) -> None:
    store.add("ada", "admin", PASSWORD)
    with pytest.raises(AccountExists, match="already a user called 'ada'"):
        store.add("ADA", "viewer", PASSWORD)


@pytest.mark.parametrize(
    ("name", "role", "password", "error"),
    [
        ("ada", "superuser", PASSWORD, UnknownRole),
        ("", "viewer", PASSWORD, InvalidAccountName),
        ("has space", "viewer", PASSWORD, InvalidAccountName),
        ("x" * 255, "viewer", PASSWORD, InvalidAccountName),
        ("ada", "viewer", "too short", WeakPassword),
    ],
)
def test_bad_input_is_a_clear_error(
    store: DatabaseAccountStore, name: str, role: str, password: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        store.add(name, role, password)
    assert store.list() == ()


def test_set_role(store: DatabaseAccountStore) -> None:
    store.add("ada", "viewer", PASSWORD)
    assert store.set_role("ada", "RECORDER").role is Role.RECORDER
    account = store.get("ada")
    assert account is not None
    assert account.role is Role.RECORDER
    with pytest.raises(UnknownRole):
        store.set_role("ada", "owner")
    with pytest.raises(AccountNotFound):
        store.set_role("ghost", "admin")


def test_set_password_changes_the_session_stamp(store: DatabaseAccountStore) -> None:
    before = store.add("ada", "viewer", PASSWORD)
    after = store.set_password("ada", "a new long passphrase")
    assert after.session_stamp != before.session_stamp
    assert store.authenticate("ada", PASSWORD) is None
    assert store.authenticate("ada", "a new long passphrase") == after
    with pytest.raises(AccountNotFound):
        store.set_password("ghost", "a new long passphrase")


def test_remove(store: DatabaseAccountStore) -> None:
    store.add("ada", "viewer", PASSWORD)
    store.remove("ADA")
    assert store.get("ada") is None
    with pytest.raises(AccountNotFound):
        store.remove("ada")


def test_a_second_store_on_the_same_database_sees_the_accounts(accounts_url: str) -> None:
    DatabaseAccountStore(accounts_url).add("ada", "admin", PASSWORD)
    other = DatabaseAccountStore(accounts_url)
    other.create_schema()  # idempotent when the table exists
    account = other.get("ada")
    assert account is not None
    assert account.role is Role.ADMIN


@pytest.mark.parametrize(
    "url",
    [
        "mysql://localhost/db",
        "sqlite://",
        "sqlite:///:memory:",
        "accounts.db",
        "postgresql://localhost/db?schema=bad;drop",
    ],
)
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite|postgresql|identifier"):
        DatabaseAccountStore(url)


@pytest.mark.postgres
def test_postgres_table_lives_in_the_urls_schema(accounts_postgres_url: str) -> None:
    DatabaseAccountStore(accounts_postgres_url).add("ada", "admin", PASSWORD)
    schema = accounts_postgres_url.rsplit("schema=", 1)[1]
    server = accounts_postgres_url.split("?", 1)[0]
    with psycopg.connect(server) as connection:
        row = connection.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema = %s AND table_name = 'accounts'",
            (schema,),
        ).fetchone()
    assert row == (1,)


def test_relative_sqlite_path_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    DatabaseAccountStore("sqlite:///var/accounts.db").add("ada", "admin", PASSWORD)
    assert (tmp_path / "var" / "accounts.db").is_file()


def test_unreachable_postgres_is_account_store_unavailable() -> None:
    store = DatabaseAccountStore("postgresql://postgres@127.0.0.1:1/test?connect_timeout=2")
    with pytest.raises(AccountStoreUnavailable, match="account database is unavailable"):
        store.get("ada")


def test_unwritable_sqlite_is_account_store_unavailable(tmp_path: Path) -> None:
    directory = tmp_path / "db-is-a-directory.db"
    directory.mkdir()
    with pytest.raises(AccountStoreUnavailable):
        DatabaseAccountStore(f"sqlite:///{directory}").list()


def test_a_one_time_password_is_kept_until_the_user_sets_their_own(
    store: DatabaseAccountStore,
) -> None:
    added = store.add("nell", "admin", PASSWORD, temporary=True)
    assert added.must_change_password
    signed = store.authenticate("nell", PASSWORD)
    assert signed is not None and signed.must_change_password
    own = store.set_password("nell", "a passphrase of my own")
    assert not own.must_change_password
    reset = store.set_password("nell", "an admin's reset value", temporary=True)
    assert reset.must_change_password
    assert [a.must_change_password for a in store.list()] == [True]


def test_a_disabled_account_cannot_sign_in_until_enabled(store: DatabaseAccountStore) -> None:
    store.add("rae", "recorder", PASSWORD)
    disabled = store.set_disabled("rae", True)
    assert disabled.disabled
    assert store.authenticate("rae", PASSWORD) is None
    found = store.get("rae")
    assert found is not None and found.disabled  # still listed, still recorded as an actor
    store.set_disabled("rae", False)
    assert store.authenticate("rae", PASSWORD) is not None
    with pytest.raises(AccountNotFound):
        store.set_disabled("ghost", True)


def test_a_table_made_before_these_columns_gets_them_and_keeps_its_accounts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, "
            "password_hash TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
        )
    old = DatabaseAccountStore(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO accounts VALUES ('ada', 'admin', ?, 'then', 'then')",
            (generate_password_hash(PASSWORD, method="scrypt"),),
        )
    account = old.authenticate("ada", PASSWORD)
    assert account is not None
    assert (account.must_change_password, account.disabled) == (False, False)
    DatabaseAccountStore(f"sqlite:///{path}").list()  # a second opening adds nothing twice


@pytest.mark.postgres
def test_a_postgres_table_made_before_these_columns_gets_them(accounts_postgres_url: str) -> None:
    schema = accounts_postgres_url.rsplit("schema=", 1)[1]
    server = accounts_postgres_url.split("?", 1)[0]
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
        connection.execute(
            f'CREATE TABLE "{schema}".accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, '
            "password_hash TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
        )
    store = DatabaseAccountStore(accounts_postgres_url)
    store.add("ada", "admin", PASSWORD)
    store.set_disabled("ada", True)
    found = store.get("ada")
    assert found is not None and found.disabled
