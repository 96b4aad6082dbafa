"""Who is signed in: the session cookie's token, the session the server keeps for it, and the
per-request user in ``g``.

The app keeps its :class:`~web.auth.server_sessions.SessionStore` and :class:`SessionRules`
(set by :func:`install_sessions`); the cookie holds only the token of a session kept there.
Later blueprints use :func:`current_user` / :func:`current_user_name` to learn who is acting
(for example to record an event's actor). Both only work inside a request to a page that
requires sign-in, which is every page not marked public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, g, session

from web.accounts import Account, AccountStore
from web.auth.server_sessions import TOUCH_EVERY, SessionStore

_TOKEN_KEY = "session_token"
_EXTENSION = "ledger_server_sessions"


class NotSignedIn(RuntimeError):
    """Asked for the signed-in user where nobody is signed in (a programming error)."""


@dataclass(frozen=True)
class SessionRules:
    """How long a session lasts: ``idle`` without a request, ``lifetime`` however active."""

    idle: timedelta
    lifetime: timedelta


def install_sessions(app: Flask, store: SessionStore, rules: SessionRules) -> None:
    """Keep the app's sessions in ``store``, lasting as ``rules`` say."""
    app.extensions[_EXTENSION] = (store, rules)


def _sessions() -> tuple[SessionStore, SessionRules]:
    found: tuple[SessionStore, SessionRules] = current_app.extensions[_EXTENSION]
    return found


def _now() -> datetime:
    return datetime.now(UTC)


def start_session(account: Account) -> None:
    """Sign ``account`` in: a fresh session (and CSRF token) holding only its server token."""
    store, _ = _sessions()
    session.clear()
    session[_TOKEN_KEY] = store.start(
        account.name, account.role.value, account.session_stamp, _now()
    )
    g.user = account


def end_session() -> None:
    """Sign whoever is signed in out, on the server too: the cookie is then worth nothing."""
    store, _ = _sessions()
    token = session.get(_TOKEN_KEY)
    if isinstance(token, str):
        store.end(token, _now())
    session.clear()
    g.user = None


def load_user(accounts: AccountStore) -> Account | None:
    """Return the account whose session the cookie names, if that session is still open: not
    signed out, not idle too long, not too old, and its account still there, not disabled,
    with the role and password it had at sign-in. Otherwise end it, clear the cookie and
    return ``None``."""
    token = session.get(_TOKEN_KEY)
    if not isinstance(token, str):
        return None
    store, rules = _sessions()
    now = _now()
    kept = store.find(token)
    account = accounts.get(kept.name) if kept is not None else None
    if (
        kept is None
        or kept.ended is not None
        or now - kept.last_used > rules.idle
        or now - kept.started > rules.lifetime
        or account is None
        or account.disabled
        or account.session_stamp != kept.stamp
        or account.role.value != kept.role
    ):
        if kept is not None and kept.ended is None:
            store.end(token, now)
        session.clear()
        return None
    if now - kept.last_used >= TOUCH_EVERY:
        store.touch(token, now)
    return account


def signed_in_user() -> Account | None:
    """The signed-in account for this request, or ``None`` (safe on public pages)."""
    user = g.get("user")
    return user if isinstance(user, Account) else None


def current_user() -> Account:
    """The signed-in account for this request; raises :class:`NotSignedIn` if there is none."""
    user = signed_in_user()
    if user is None:
        raise NotSignedIn("No user is signed in for this request")
    return user


def current_user_name() -> str:
    """The signed-in user's name: use it as the actor of anything they record."""
    return current_user().name
