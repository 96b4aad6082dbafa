"""Who is signed in: the session cookie's contents and the per-request user in ``g``.

Later blueprints use :func:`current_user` / :func:`current_user_name` to learn who is acting
(for example to record an event's actor). Both only work inside a request to a page that
requires sign-in, which is every page not marked public.
"""

from __future__ import annotations

from flask import g, session

from web.accounts import Account, AccountStore

_USER_KEY = "user"
_STAMP_KEY = "stamp"


class NotSignedIn(RuntimeError):
    """Asked for the signed-in user where nobody is signed in (a programming error)."""


def start_session(account: Account) -> None:
    """Sign ``account`` in: a fresh session (and CSRF token) holding only who they are."""
    session.clear()
    session[_USER_KEY] = account.name
    session[_STAMP_KEY] = account.session_stamp
    g.user = account


def end_session() -> None:
    """Sign whoever is signed in out."""
    session.clear()
    g.user = None


def load_user(accounts: AccountStore) -> Account | None:
    """Return the account named in the session, if it still exists, is not disabled and its
    password has not changed since sign-in; otherwise clear the session and return ``None``."""
    name = session.get(_USER_KEY)
    if not isinstance(name, str):
        return None
    account = accounts.get(name)
    if account is None or account.disabled or account.session_stamp != session.get(_STAMP_KEY):
        session.clear()
        return None
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
