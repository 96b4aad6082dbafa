"""Per-authority access: the signed-in user's grants, loaded once a request, and the checks
pages and the API make with them (see :mod:`web.grants`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, g

from web.auth.session import signed_in_user
from web.grants import EVERYTHING, Access, GrantStore

NOTHING = Access(everything=False)


def install_access(app: Flask, grants: GrantStore) -> None:
    """Load the signed-in user's access into ``g.access`` on every request (after the sign-in
    guard has loaded the user)."""

    @app.before_request
    def load_access() -> None:
        user = signed_in_user()
        g.access = Access.of(user, grants.grants_of(user.name)) if user is not None else NOTHING


def current_access() -> Access:
    """This request's access; everything in an app built without grants."""
    access = g.get("access")
    return access if isinstance(access, Access) else EVERYTHING


def visible(authorities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The authorities this request's user may see."""
    access = current_access()
    return [a for a in authorities if access.covers_authority(a)]
