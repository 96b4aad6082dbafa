"""Failed sign-ins counted in the database, per account and per account and address, so every web
worker counts the same guesses and one person's mistakes never lock out a whole office that
shares an address.

- Too many failures for one account from one address (``5 per minute`` by default) lock that
  account from that address until the oldest of them is out of the window; signing in
  successfully there starts the count again.
- Too many failures for one account from anywhere (``20 per hour``) lock the account from every
  address until the window passes or an administrator lifts the lock.

A locked attempt is refused before the password is looked at, so guessing gets nowhere.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from limits import parse as parse_rate_limit

from web.auth.database import WebTables

FAILED = "failed"
SUCCEEDED = "succeeded"
LIFTED = "lifted"


@dataclass(frozen=True)
class Attempt:
    name: str
    address: str
    at: datetime
    outcome: str


@dataclass(frozen=True)
class Limit:
    """At most ``count`` failures in ``window``."""

    count: int
    window: timedelta

    @classmethod
    def parse(cls, text: str) -> Limit:
        """From Flask-Limiter's notation, such as ``"5 per minute"``."""
        item = parse_rate_limit(text)
        return cls(item.amount, timedelta(seconds=item.get_expiry()))


@dataclass(frozen=True)
class Lock:
    """A sign-in lock: on ``name`` from ``address`` (or from everywhere), until ``until``."""

    name: str
    address: str | None
    until: datetime


class AttemptStore(Protocol):
    """Where sign-in attempts are kept."""

    def record(self, attempt: Attempt) -> None: ...

    def since(self, name: str, when: datetime) -> list[Attempt]:
        """One account's attempts (and lifted locks) from ``when`` on, oldest first."""
        ...

    def names_since(self, when: datetime) -> list[str]:
        """Every account name with a failed attempt from ``when`` on."""
        ...


class SignInAttempts:
    """The sign-in locks: what counts, and who is locked."""

    def __init__(self, store: AttemptStore, per_address: Limit, per_account: Limit) -> None:
        self._store = store
        self.per_address = per_address
        self.per_account = per_account

    def record(self, name: str, address: str, succeeded: bool, now: datetime) -> None:
        self._store.record(Attempt(name, address, now, SUCCEEDED if succeeded else FAILED))

    def lift(self, name: str, now: datetime) -> None:
        """An administrator lifts every lock on ``name`` (its earlier failures no longer count)."""
        self._store.record(Attempt(name, "", now, LIFTED))

    def lock(self, name: str, address: str, now: datetime) -> Lock | None:
        """The lock that refuses ``name`` from ``address`` now, if any (the longer one)."""
        earliest = now - max(self.per_address.window, self.per_account.window)
        attempts = self._store.since(name, earliest)
        lifted = max((a.at for a in attempts if a.outcome == LIFTED), default=None)
        counted = [a for a in attempts if lifted is None or a.at > lifted]
        from_here = _after_last_success([a for a in counted if a.address == address])
        locks = [
            _lock(name, address, from_here, self.per_address, now),
            _lock(name, None, [a for a in counted if a.outcome == FAILED], self.per_account, now),
        ]
        found = [lock for lock in locks if lock is not None]
        return max(found, key=lambda lock: lock.until) if found else None

    def locks(self, now: datetime) -> list[Lock]:
        """Every account locked from everywhere now (what an administrator can lift)."""
        found = []
        for name in self._store.names_since(now - self.per_account.window):
            lock = self.lock(name, "", now)
            if lock is not None and lock.address is None:
                found.append(lock)
        return sorted(found, key=lambda lock: lock.name)


def _after_last_success(attempts: list[Attempt]) -> list[Attempt]:
    last = max((a.at for a in attempts if a.outcome == SUCCEEDED), default=None)
    return [a for a in attempts if a.outcome == FAILED and (last is None or a.at > last)]


def _lock(
    name: str, address: str | None, failures: Iterable[Attempt], limit: Limit, now: datetime
) -> Lock | None:
    recent = sorted((a.at for a in failures if a.at > now - limit.window), reverse=True)
    if len(recent) < limit.count:
        return None
    return Lock(name, address, recent[limit.count - 1] + limit.window)


class MemoryAttemptStore:
    """Attempts in this process only (a single-process app, or tests)."""

    def __init__(self) -> None:
        self._attempts: list[Attempt] = []
        self._lock = threading.Lock()

    def record(self, attempt: Attempt) -> None:
        with self._lock:
            self._attempts.append(attempt)

    def since(self, name: str, when: datetime) -> list[Attempt]:
        return [a for a in self._attempts if a.name == name and a.at >= when]

    def names_since(self, when: datetime) -> list[str]:
        return sorted({a.name for a in self._attempts if a.at >= when and a.outcome == FAILED})


def _when(moment: datetime) -> str:
    """An instant as stored: ISO 8601 to the microsecond, so stored ones sort as text."""
    return moment.isoformat(timespec="microseconds")


_CREATE = [
    "CREATE TABLE IF NOT EXISTS {sign_in_attempts} ("
    " name TEXT NOT NULL, address TEXT NOT NULL, at TEXT NOT NULL, outcome TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sign_in_attempts_by_name ON {sign_in_attempts} (name, at)",
]


class DatabaseAttemptStore:
    """Attempts in the ledger's database, shared by every web worker."""

    def __init__(self, database_url: str) -> None:
        self._tables = WebTables(database_url, _CREATE)

    def create_schema(self) -> None:
        self._tables.create_schema()

    def record(self, attempt: Attempt) -> None:
        self._tables.execute(
            "INSERT INTO {sign_in_attempts} (name, address, at, outcome) VALUES (?, ?, ?, ?)",
            (
                attempt.name,
                attempt.address,
                _when(attempt.at),
                attempt.outcome,
            ),
        )

    def since(self, name: str, when: datetime) -> list[Attempt]:
        rows = self._tables.rows(
            "SELECT name, address, at, outcome FROM {sign_in_attempts}"
            " WHERE name = ? AND at >= ? ORDER BY at",
            (name, _when(when)),
        )
        return [Attempt(r[0], r[1], datetime.fromisoformat(r[2]), r[3]) for r in rows]

    def names_since(self, when: datetime) -> list[str]:
        rows = self._tables.rows(
            "SELECT DISTINCT name FROM {sign_in_attempts} WHERE at >= ? AND outcome = ?"
            " ORDER BY name",
            (_when(when), FAILED),
        )
        return [r[0] for r in rows]
