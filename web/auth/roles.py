"""Role checks for views: ``@require_role("recorder")``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort

from web.accounts import Role
from web.auth.session import signed_in_user

P = ParamSpec("P")
R = TypeVar("R")


def require_role(role: Role | str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let only users holding ``role`` (or a role above it) use the decorated view.

    Nobody signed in gets 401 (the sign-in guard normally redirects them first); a user
    whose role is too low gets the 403 page. A misspelt role fails when the module loads.

    Example::

        @bp.post("/record")
        @require_role("recorder")
        def record() -> ResponseReturnValue:
            actor = current_user_name()
    """
    required = Role.parse(role)

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            user = signed_in_user()
            if user is None:
                abort(401)
            if not user.can(required):
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorate
