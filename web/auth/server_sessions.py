"""Sessions kept on the server, so signing out ends one for good and an idle one expires.

The browser's (signed) session cookie holds only a random token; the server keeps a digest of
it with the account, the role and password stamp it was started with, when it started and when
it was last used. A session ends when its user signs out, when it has been idle longer than the
idle timeout, when it is older than its lifetime, and when its account's password or role
changed or the account was removed (the stamp or role no longer match): a copied cookie is then
worth nothing.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from web.auth.database import WebTables

# Writing "last used" at most this often: a session's idle time is exact to within this.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class ServerSession:
    """One sign-in's session as the server keeps it."""

    name: str
    role: str
    stamp: str
    started: datetime
    last_used: datetime
    ended: datetime | None = None


class SessionStore(Protocol):
    """Where sessions are kept. Tokens are what the cookie holds; the store keeps a digest."""

    def start(self, name: str, role: str, stamp: str, now: datetime) -> str:
        """A new session's token."""
        ...

    def find(self, token: str) -> ServerSession | None:
        """The session a token belongs to (ended or not), or None."""
        ...

    def touch(self, token: str, now: datetime) -> None:
        """Note that the session was used now."""
        ...

    def end(self, token: str, now: datetime) -> None:
        """End one session (sign-out, expiry)."""
        ...

    def end_all(self, name: str, now: datetime) -> int:
        """End every session of an account; returns how many were open."""
        ...


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class MemorySessionStore:
    """Sessions in this process only (a single-process app, or tests)."""

    def __init__(self) -> None:
        self._sessions: dict[str, ServerSession] = {}
        self._lock = threading.Lock()

    def start(self, name: str, role: str, stamp: str, now: datetime) -> str:
        token = new_token()
        with self._lock:
            self._sessions[_digest(token)] = ServerSession(name, role, stamp, now, now)
        return token

    def find(self, token: str) -> ServerSession | None:
        return self._sessions.get(_digest(token))

    def touch(self, token: str, now: datetime) -> None:
        with self._lock:
            found = self._sessions.get(_digest(token))
            if found is not None and found.ended is None:
                self._sessions[_digest(token)] = replace(found, last_used=now)

    def end(self, token: str, now: datetime) -> None:
        with self._lock:
            found = self._sessions.get(_digest(token))
            if found is not None and found.ended is None:
                self._sessions[_digest(token)] = replace(found, ended=now)

    def end_all(self, name: str, now: datetime) -> int:
        with self._lock:
            open_ones = [k for k, s in self._sessions.items() if s.name == name and not s.ended]
            for key in open_ones:
                self._sessions[key] = replace(self._sessions[key], ended=now)
        return len(open_ones)


def _when(moment: datetime) -> str:
    """An instant as stored: ISO 8601 to the microsecond, so stored ones sort as text."""
    return moment.isoformat(timespec="microseconds")


_CREATE = [
    "CREATE TABLE IF NOT EXISTS {web_sessions} ("
    " token_digest TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,"
    " stamp TEXT NOT NULL, started TEXT NOT NULL, last_used TEXT NOT NULL, ended TEXT)",
    "CREATE INDEX IF NOT EXISTS web_sessions_by_name ON {web_sessions} (name)",
]


class DatabaseSessionStore:
    """Sessions in the ledger's database, shared by every web worker."""

    def __init__(self, database_url: str) -> None:
        self._tables = WebTables(database_url, _CREATE)

    def create_schema(self) -> None:
        self._tables.create_schema()

    def start(self, name: str, role: str, stamp: str, now: datetime) -> str:
        token = new_token()
        self._tables.execute(
            "INSERT INTO {web_sessions} (token_digest, name, role, stamp, started, last_used)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                _digest(token),
                name,
                role,
                stamp,
                _when(now),
                _when(now),
            ),
        )
        return token

    def find(self, token: str) -> ServerSession | None:
        rows = self._tables.rows(
            "SELECT name, role, stamp, started, last_used, ended FROM {web_sessions}"
            " WHERE token_digest = ?",
            (_digest(token),),
        )
        if not rows:
            return None
        name, role, stamp, started, last_used, ended = rows[0]
        return ServerSession(
            name,
            role,
            stamp,
            datetime.fromisoformat(started),
            datetime.fromisoformat(last_used),
            datetime.fromisoformat(ended) if ended else None,
        )

    def touch(self, token: str, now: datetime) -> None:
        self._tables.execute(
            "UPDATE {web_sessions} SET last_used = ? WHERE token_digest = ? AND ended IS NULL",
            (_when(now), _digest(token)),
        )

    def end(self, token: str, now: datetime) -> None:
        self._tables.execute(
            "UPDATE {web_sessions} SET ended = ? WHERE token_digest = ? AND ended IS NULL",
            (_when(now), _digest(token)),
        )

    def end_all(self, name: str, now: datetime) -> int:
        return self._tables.execute(
            "UPDATE {web_sessions} SET ended = ? WHERE name = ? AND ended IS NULL",
            (_when(now), name),
        )
