"""The sign-in guard: every page needs a signed-in user unless it is marked public."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from web.accounts import AccountStore
from web.auth.audited_accounts import acting
from web.auth.session import load_user

F = TypeVar("F", bound=Callable[..., object])

_PUBLIC_ATTRIBUTE = "public_page"

#: Endpoints anyone may use without signing in, besides views marked with :func:`public`.
PUBLIC_ENDPOINTS: frozenset[str] = frozenset(
    {
        "static",
        "healthz",
        "auth.sign_in",
        "pages.accessibility",
        "pages.cookies",
        "pages.privacy",
    }
)


def public(view: F) -> F:
    """Mark a view as usable without signing in."""
    setattr(view, _PUBLIC_ATTRIBUTE, True)
    return view


def is_public(app: Flask, endpoint: str | None) -> bool:
    """Whether ``endpoint`` may be used without signing in."""
    if endpoint is None:
        return False
    if endpoint in PUBLIC_ENDPOINTS or endpoint.endswith(".static"):
        return True
    return bool(getattr(app.view_functions.get(endpoint), _PUBLIC_ATTRIBUTE, False))


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site (never another host), else ``None``."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(character) < 32 for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def install_sign_in_guard(app: Flask, accounts: AccountStore) -> None:
    """Load the signed-in user into ``g.user`` (from the session the server keeps for the
    cookie) and turn away anyone not signed in.

    A ``GET`` or ``HEAD`` for a protected page redirects to the sign-in page (coming back
    afterwards); any other method gets 401.
    """

    @app.teardown_request
    def forget_who_acted(_error: BaseException | None) -> None:
        token = g.pop("acting_token", None)
        if token is not None:
            acting.reset(token)

    @app.before_request
    def require_sign_in() -> ResponseReturnValue | None:
        g.user = None
        endpoint = request.endpoint
        if endpoint == "static" or endpoint == "healthz":
            return None
        g.user = load_user(accounts)
        # Whoever changes an account in this request is recorded as doing so.
        g.acting_token = acting.set(g.user.name if g.user is not None else "unknown")
        if g.user is not None or is_public(app, endpoint):
            return None
        if request.method not in {"GET", "HEAD"}:
            abort(401)
        target = request.full_path.rstrip("?")
        next_url = safe_next_url(target) if request.path != "/" else None
        return redirect(url_for("auth.sign_in", next=next_url))
