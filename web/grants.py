"""Which authorities a user's role applies to: grants per account, kept beside the accounts.

A grant names one authority (its slug), one region (Ofsted's region, by its slug such as
``north-west``) or every authority. A viewer reads, and a recorder records for, exactly the
authorities their grants cover; an admin's role applies everywhere, granted or not. An account
with no grant sees no authority.

:class:`DatabaseGrantStore` keeps grants in a table ``account_grants`` in the accounts'
database (SQLite or PostgreSQL, chosen by the URL as for the accounts). When it creates that
table it grants every authority to each account that already exists, so upgrading keeps what
everyone could see before roles were per authority.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import psycopg

from ledger.domain.authority_names import region_slug
from web.accounts import Account, AccountStoreUnavailable, DatabaseAccountStore, Role

EVERY_AUTHORITY = "*"


class Scope(StrEnum):
    """What a grant covers."""

    ALL = "all"
    AUTHORITY = "authority"
    REGION = "region"


@dataclass(frozen=True, order=True)
class Grant:
    """One authority (slug), one region (slug) or every authority (``*``)."""

    scope: Scope
    value: str

    @classmethod
    def everything(cls) -> Grant:
        return cls(Scope.ALL, EVERY_AUTHORITY)

    @classmethod
    def authority(cls, slug: str) -> Grant:
        return cls(Scope.AUTHORITY, slug.strip().lower())

    @classmethod
    def region(cls, name: str) -> Grant:
        return cls(Scope.REGION, region_slug(name))

    def __str__(self) -> str:
        if self.scope is Scope.ALL:
            return "every authority"
        return f"{self.scope.value} {self.value}"


@dataclass(frozen=True)
class Access:
    """The authorities a signed-in user's role applies to."""

    everything: bool
    authorities: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()

    @classmethod
    def of(cls, account: Account, grants: Iterable[Grant]) -> Access:
        """An admin's access is everything; anyone else's is what their grants cover."""
        held = list(grants)
        if account.role is Role.ADMIN or any(g.scope is Scope.ALL for g in held):
            return cls(everything=True)
        return cls(
            everything=False,
            authorities=frozenset(g.value for g in held if g.scope is Scope.AUTHORITY),
            regions=frozenset(g.value for g in held if g.scope is Scope.REGION),
        )

    def covers(self, slug: str, region: str | None) -> bool:
        """Whether the authority `slug` (in `region`) is one this user's role applies to."""
        if self.everything or slug in self.authorities:
            return True
        return region is not None and region_slug(region) in self.regions

    def covers_authority(self, authority: dict[str, Any]) -> bool:
        return self.covers(str(authority["slug"]), authority.get("region"))


EVERYTHING = Access(everything=True)


class GrantStore(Protocol):
    """Where grants live; names are account names (lower case)."""

    def grants_of(self, name: str) -> tuple[Grant, ...]: ...

    def grant(self, name: str, grant: Grant) -> None: ...

    def revoke(self, name: str, grant: Grant) -> bool: ...

    def revoke_all(self, name: str) -> None: ...


class AllAuthorities:
    """A grant store granting everyone every authority: for apps built without grants (every
    role applied everywhere before roles were per authority)."""

    def grants_of(self, name: str) -> tuple[Grant, ...]:  # noqa: ARG002 - the same for all
        return (Grant.everything(),)

    def grant(self, name: str, grant: Grant) -> None:
        raise NotImplementedError("this app was built without a grant store")

    def revoke(self, name: str, grant: Grant) -> bool:
        raise NotImplementedError("this app was built without a grant store")

    def revoke_all(self, name: str) -> None:  # noqa: ARG002 - nothing is kept
        return None


_CREATE = """
CREATE TABLE {table} (
    account TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('all', 'authority', 'region')),
    value TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (account, scope, value)
)
"""


class DatabaseGrantStore:
    """Grants in the accounts' database: ``sqlite:///path.db`` or ``postgresql://...``
    (``?schema=name`` as for the accounts). Each call opens its own connection."""

    def __init__(self, database_url: str) -> None:
        self._database_url = database_url
        parts = urlsplit(database_url)
        self._schema: str | None = None
        self._sqlite_path: Path | None = None
        if parts.scheme.lower() == "sqlite":
            path = unquote(parts.path)
            self._sqlite_path = Path(path[1:] if path.startswith("/") else path)
            self._url = database_url
        else:
            query = parse_qsl(parts.query, keep_blank_values=True)
            schemas = [value for key, value in query if key == "schema"]
            self._schema = schemas[-1] if schemas else None
            rest = urlencode([(key, value) for key, value in query if key != "schema"])
            self._url = urlunsplit(parts._replace(query=rest))
        prefix = f'"{self._schema}".' if self._schema else ""
        self._table = f"{prefix}account_grants"
        self._accounts = f"{prefix}accounts"
        self._ready = False
        self._lock = threading.Lock()

    def grants_of(self, name: str) -> tuple[Grant, ...]:
        """The grants of the account `name` as it is now: a grant older than the account
        belonged to an account of that name since removed, and no longer counts."""
        rows = self._run(
            "SELECT g.scope, g.value FROM {table} g JOIN "
            + self._accounts
            + " a ON a.name = g.account WHERE g.account = ? AND g.granted_at >= a.created_at"
            " ORDER BY g.scope, g.value",
            (name.strip().lower(),),
            fetch=True,
        )
        return tuple(Grant(Scope(scope), value) for scope, value in rows)

    def grant(self, name: str, grant: Grant) -> None:
        """Add `grant` to the account `name` (granting it twice changes nothing)."""
        if grant in self.grants_of(name):
            return
        # A grant left from a removed account of the same name is renewed, not duplicated.
        self._run(
            "INSERT INTO {table} (account, scope, value, granted_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (account, scope, value) DO UPDATE SET granted_at = excluded.granted_at",
            (name.strip().lower(), grant.scope.value, grant.value, _now()),
        )

    def revoke(self, name: str, grant: Grant) -> bool:
        """Take `grant` away from `name`; False if they did not hold it."""
        return bool(
            self._run(
                "DELETE FROM {table} WHERE account = ? AND scope = ? AND value = ?",
                (name.strip().lower(), grant.scope.value, grant.value),
            )
        )

    def revoke_all(self, name: str) -> None:
        """Take every grant away from `name` (when the account is removed)."""
        self._run("DELETE FROM {table} WHERE account = ?", (name.strip().lower(),))

    # -- plumbing ------------------------------------------------------------------------

    def _run(self, query: str, params: tuple[Any, ...], fetch: bool = False) -> Any:
        self.ensure_table()
        sql = query.format(table=self._table)
        if self._sqlite_path is None:
            sql = sql.replace("?", "%s")
        with self._cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(r) for r in cursor.fetchall()] if fetch else cursor.rowcount

    def ensure_table(self) -> None:
        """Create the grants table if it is missing, granting every authority to the accounts
        that exist already. Create it before any account is added (the composition root
        does), or new accounts would be taken for old ones."""
        with self._lock:
            if self._ready:
                return
            with self._cursor() as cursor:
                if self._sqlite_path is not None:
                    self._sqlite_path.parent.mkdir(parents=True, exist_ok=True)
                    cursor.execute("BEGIN IMMEDIATE")
                    exists = cursor.execute(
                        "SELECT 1 FROM sqlite_master WHERE name = 'account_grants'"
                    ).fetchone()
                    accounts = cursor.execute(
                        "SELECT 1 FROM sqlite_master WHERE name = 'accounts'"
                    ).fetchone()
                else:
                    if self._schema is not None:
                        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"')
                    cursor.execute("SELECT pg_advisory_xact_lock(4242013)")
                    cursor.execute(
                        "SELECT to_regclass(%s), to_regclass(%s)", (self._table, self._accounts)
                    )
                    found = cursor.fetchone()
                    exists, accounts = found[0], found[1]
                if not exists:
                    cursor.execute(_CREATE.format(table=self._table))
                    if accounts:
                        # Before grants, every role applied to every authority: keep that.
                        cursor.execute(
                            f"INSERT INTO {self._table} (account, scope, value, granted_at) "
                            f"SELECT name, 'all', '*', created_at FROM {self._accounts}"
                        )
            # Grants are read with their accounts: the accounts' table must be there too.
            DatabaseAccountStore(self._database_url).create_schema()
            self._ready = True

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        try:
            if self._sqlite_path is not None:
                with closing(
                    sqlite3.connect(self._sqlite_path, timeout=10, isolation_level=None)
                ) as connection:
                    cursor = connection.cursor()
                    yield cursor
                    if connection.in_transaction:
                        connection.commit()
            else:
                with (
                    psycopg.connect(self._url, connect_timeout=5) as pg_connection,
                    pg_connection.cursor() as pg_cursor,
                ):
                    yield pg_cursor
        except (sqlite3.Error, psycopg.Error) as error:
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise AccountStoreUnavailable(f"The grants table is unavailable ({detail})") from error


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
