"""User accounts: who may sign in to the web app, and with which role.

:class:`AccountStore` is what the rest of the web app depends on. :class:`DatabaseAccountStore`
is the one implementation; it keeps accounts in a table named ``accounts`` in SQLite or
PostgreSQL, chosen by the database URL, and creates the table when it is missing.
"""

from __future__ import annotations

import builtins
import hashlib
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import psycopg
import psycopg.errors
from werkzeug.security import check_password_hash, generate_password_hash

PASSWORD_HASH_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MAX_NAME_LENGTH = 254
_NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@+'-]*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class Role(StrEnum):
    """What a signed-in user may do. Each role includes everything the ones before it allow.

    * ``viewer`` reads the ledger;
    * ``recorder`` also records events in it;
    * ``admin`` also manages users.
    """

    VIEWER = "viewer"
    RECORDER = "recorder"
    ADMIN = "admin"

    @classmethod
    def parse(cls, value: str | Role) -> Role:
        """Return the role named ``value``, or raise :class:`UnknownRole`."""
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise UnknownRole(value) from None

    def allows(self, required: Role) -> bool:
        """Whether this role includes everything ``required`` may do."""
        order = list(Role)
        return order.index(self) >= order.index(required)


class AccountError(ValueError):
    """A request about accounts cannot be carried out; the message says why, in plain words."""


class UnknownRole(AccountError):
    """A role name that is not one of :class:`Role`."""

    def __init__(self, value: object) -> None:
        choices = ", ".join(role.value for role in Role)
        super().__init__(f"Unknown role {str(value)!r}: choose one of {choices}")


class InvalidAccountName(AccountError):
    """A user name that cannot be used."""


class WeakPassword(AccountError):
    """A password that does not meet the length rules."""


class AccountExists(AccountError):
    """Adding an account whose name is taken."""


class AccountNotFound(AccountError):
    """Changing or removing an account that does not exist."""


class AccountStoreUnavailable(AccountError):
    """The account database cannot be reached or refused the request."""


@dataclass(frozen=True, slots=True)
class Account:
    """A user who may sign in.

    Attributes:
        name: The user name, normalised to lower case; recorded as the actor of events.
        role: What the user may do.
        session_stamp: Changes whenever the password changes, so that sessions begun
            with an older password end. Not secret, and not the password hash.
        must_change_password: The password is a one-time one (made on first run or by an
            admin's reset): the user must choose their own before doing anything else.
        disabled: An admin turned the account off: it cannot sign in, and its sessions end.
    """

    name: str
    role: Role

    session_stamp: str = ""
    must_change_password: bool = False
    disabled: bool = False

    def can(self, required: Role) -> bool:
        """Whether this user's role allows what ``required`` allows."""
        return self.role.allows(required)


@runtime_checkable
class AccountStore(Protocol):
    """Where accounts live. Names are case-insensitive; every method normalises them.

    Methods raise :class:`AccountError` subclasses with a message fit to show a user.
    """

    def add(
        self, name: str, role: Role | str, password: str, *, temporary: bool = False
    ) -> Account:
        """Create an account, or raise :class:`AccountExists`. A ``temporary`` password
        must be changed at first sign-in."""
        ...

    def authenticate(self, name: str, password: str) -> Account | None:
        """Return the account when ``password`` is right for ``name``, else ``None``."""
        ...

    def get(self, name: str) -> Account | None:
        """Return the account called ``name``, if there is one."""
        ...

    def list(self) -> tuple[Account, ...]:
        """Return every account, ordered by name."""
        ...

    def set_role(self, name: str, role: Role | str) -> Account:
        """Change an account's role, or raise :class:`AccountNotFound`."""
        ...

    def set_password(self, name: str, password: str, *, temporary: bool = False) -> Account:
        """Change an account's password, or raise :class:`AccountNotFound`. A ``temporary``
        one (an admin's reset) must be changed at the next sign-in."""
        ...

    def set_disabled(self, name: str, disabled: bool) -> Account:
        """Turn an account off (it cannot sign in) or on again, or raise
        :class:`AccountNotFound`."""
        ...

    def remove(self, name: str) -> None:
        """Delete an account, or raise :class:`AccountNotFound`."""
        ...


def normalise_name(name: str) -> str:
    """Return ``name`` trimmed and lower-cased, or raise :class:`InvalidAccountName`."""
    cleaned = name.strip().lower()
    if not cleaned:
        raise InvalidAccountName("Enter a user name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidAccountName(f"User name must be {MAX_NAME_LENGTH} characters or fewer")
    if not _NAME_PATTERN.fullmatch(cleaned):
        raise InvalidAccountName(
            "User name must start with a letter or number and contain only letters, "
            "numbers and the characters . _ @ + ' -"
        )
    return cleaned


def check_password_rules(password: str) -> None:
    """Raise :class:`WeakPassword` unless ``password`` is an acceptable length."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Password must be {MIN_PASSWORD_LENGTH} characters or more")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer")


def _stamp(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS {table} (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'recorder', 'admin')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0
)
"""
# Columns added since the table was first made, added to older tables when the store opens.
_ADDED_COLUMNS = {
    "must_change_password": "INTEGER NOT NULL DEFAULT 0",
    "disabled": "INTEGER NOT NULL DEFAULT 0",
}
_SELECT = "SELECT name, role, password_hash, must_change_password, disabled FROM {table}"


def _account_of(row: tuple[Any, ...]) -> Account:
    return Account(row[0], Role(row[1]), _stamp(row[2]), bool(row[3]), bool(row[4]))


class DatabaseAccountStore:
    """An :class:`AccountStore` in SQLite or PostgreSQL, using ``sqlite3`` or ``psycopg``.

    ``database_url`` is ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or a
    libpq URL such as ``postgresql://user@host:5432/dbname`` (``postgres://`` also works),
    optionally with ``?schema=name`` as the ledger's URLs allow; the table then lives in that
    schema, which is created if needed. Each call opens and closes its own connection, so
    one store may be shared by threads. The ``accounts`` table is created on first use.
    """

    def __init__(self, database_url: str) -> None:
        parts = urlsplit(database_url)
        scheme = parts.scheme.lower()
        self._schema: str | None = None
        if scheme == "sqlite":
            path = unquote(parts.path)
            path = path[1:] if path.startswith("/") else path
            if not path or path == ":memory:":
                raise ValueError(
                    "An SQLite account database needs a file path, like sqlite:///var/accounts.db"
                )
            self._sqlite_path: Path | None = Path(path)
            self._url = database_url
        elif scheme in {"postgresql", "postgres"}:
            self._sqlite_path = None
            query = parse_qsl(parts.query, keep_blank_values=True)
            schemas = [value for key, value in query if key == "schema"]
            if schemas:
                if not _IDENTIFIER.fullmatch(schemas[-1]):
                    raise ValueError(f"Schema {schemas[-1]!r} is not a plain SQL identifier")
                self._schema = schemas[-1]
            rest = urlencode([(key, value) for key, value in query if key != "schema"])
            self._url = urlunsplit(parts._replace(query=rest))
        else:
            raise ValueError("The account database URL must start with sqlite:/// or postgresql://")
        self._table = f'"{self._schema}".accounts' if self._schema else "accounts"
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self._dummy_hash: str | None = None

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return "sqlite" if self._sqlite_path is not None else "postgresql"

    def __repr__(self) -> str:
        return f"<DatabaseAccountStore {self.dialect}>"

    # -- the AccountStore protocol -------------------------------------------------------

    def add(
        self, name: str, role: Role | str, password: str, *, temporary: bool = False
    ) -> Account:
        """Create an account, or raise :class:`AccountExists`. A ``temporary`` password
        must be changed at first sign-in."""
        name = normalise_name(name)
        parsed_role = Role.parse(role)
        check_password_rules(password)
        password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        now = _now()
        try:
            self._execute(
                "INSERT INTO {table} (name, role, password_hash, created_at, updated_at,"
                " must_change_password) VALUES (?, ?, ?, ?, ?, ?)",
                (name, parsed_role.value, password_hash, now, now, int(temporary)),
            )
        except AccountExists:
            raise AccountExists(f"There is already a user called {name!r}") from None
        return Account(name, parsed_role, _stamp(password_hash), temporary)

    def authenticate(self, name: str, password: str) -> Account | None:
        """Return the account when ``password`` is right for ``name``, else ``None``.

        Takes about as long for an unknown name as for a wrong password; a disabled
        account never signs in.
        """
        try:
            name = normalise_name(name)
        except InvalidAccountName:
            name = ""
        row = self._fetch_one(_SELECT + " WHERE name = ?", (name,))
        if row is None:
            check_password_hash(self._timing_hash(), password)
            return None
        if not check_password_hash(row[2], password):
            return None
        account = _account_of(row)
        return None if account.disabled else account

    def get(self, name: str) -> Account | None:
        """Return the account called ``name``, if there is one."""
        try:
            name = normalise_name(name)
        except InvalidAccountName:
            return None
        row = self._fetch_one(_SELECT + " WHERE name = ?", (name,))
        return None if row is None else _account_of(row)

    def list(self) -> tuple[Account, ...]:
        """Return every account, ordered by name."""
        rows = self._fetch_all(_SELECT + " ORDER BY name")
        return tuple(_account_of(row) for row in rows)

    def set_role(self, name: str, role: Role | str) -> Account:
        """Change an account's role, or raise :class:`AccountNotFound`."""
        name = normalise_name(name)
        parsed_role = Role.parse(role)
        changed = self._execute(
            "UPDATE {table} SET role = ?, updated_at = ? WHERE name = ?",
            (parsed_role.value, _now(), name),
        )
        if not changed:
            raise AccountNotFound(f"There is no user called {name!r}")
        account = self.get(name)
        if account is None:
            raise AccountNotFound(f"There is no user called {name!r}")
        return account

    def set_password(self, name: str, password: str, *, temporary: bool = False) -> Account:
        """Change an account's password, or raise :class:`AccountNotFound`. A ``temporary``
        one (an admin's reset) must be changed at the next sign-in."""
        name = normalise_name(name)
        check_password_rules(password)
        password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        changed = self._execute(
            "UPDATE {table} SET password_hash = ?, must_change_password = ?, updated_at = ?"
            " WHERE name = ?",
            (password_hash, int(temporary), _now(), name),
        )
        account = self.get(name) if changed else None
        if account is None:
            raise AccountNotFound(f"There is no user called {name!r}")
        return account

    def set_disabled(self, name: str, disabled: bool) -> Account:
        """Turn an account off (it cannot sign in) or on again, or raise
        :class:`AccountNotFound`."""
        name = normalise_name(name)
        changed = self._execute(
            "UPDATE {table} SET disabled = ?, updated_at = ? WHERE name = ?",
            (int(disabled), _now(), name),
        )
        account = self.get(name) if changed else None
        if account is None:
            raise AccountNotFound(f"There is no user called {name!r}")
        return account

    def remove(self, name: str) -> None:
        """Delete an account, or raise :class:`AccountNotFound`."""
        name = normalise_name(name)
        if not self._execute("DELETE FROM {table} WHERE name = ?", (name,)):
            raise AccountNotFound(f"There is no user called {name!r}")

    # -- plumbing ------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Create the ``accounts`` table if it does not exist yet."""
        with self._schema_lock:
            if self._schema_ready:
                return
            if self._sqlite_path is not None:
                self._sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with self._cursor() as cursor:
                    if self._schema is not None:
                        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"')
                    cursor.execute(_CREATE_TABLE.format(table=self._table))
                    cursor.execute(f"SELECT * FROM {self._table} WHERE 1 = 0")
                    present = {column[0] for column in cursor.description}
                    # PostgreSQL can say "if not exists" (another process may be adding it).
                    guard = "IF NOT EXISTS " if self._sqlite_path is None else ""
                    for column, definition in _ADDED_COLUMNS.items():
                        if column not in present:
                            cursor.execute(
                                f"ALTER TABLE {self._table} ADD COLUMN {guard}{column} {definition}"
                            )
            except AccountExists:
                # Another process created the table between our check and our CREATE.
                pass
            self._schema_ready = True

    def _timing_hash(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = generate_password_hash(
                "not-a-real-password", method=PASSWORD_HASH_METHOD
            )
        return self._dummy_hash

    def _sql(self, query: str) -> str:
        query = query.format(table=self._table)
        return query if self._sqlite_path is not None else query.replace("?", "%s")

    def _execute(self, query: str, params: tuple[Any, ...]) -> int:
        self.create_schema()
        with self._cursor() as cursor:
            cursor.execute(self._sql(query), params)
            return int(cursor.rowcount)

    def _fetch_one(self, query: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        self.create_schema()
        with self._cursor() as cursor:
            cursor.execute(self._sql(query), params)
            row = cursor.fetchone()
        return None if row is None else tuple(row)

    def _fetch_all(self, query: str) -> builtins.list[tuple[Any, ...]]:
        self.create_schema()
        with self._cursor() as cursor:
            cursor.execute(self._sql(query))
            return [tuple(row) for row in cursor.fetchall()]

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """Yield a cursor inside a transaction; translate driver errors to AccountErrors."""
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
        except (sqlite3.IntegrityError, psycopg.errors.UniqueViolation) as error:
            raise AccountExists(str(error).splitlines()[0]) from error
        except (sqlite3.Error, psycopg.Error) as error:
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise AccountStoreUnavailable(
                f"The account database is unavailable ({detail})"
            ) from error
