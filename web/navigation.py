"""The service navigation's links, built per request from what is registered and allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, request, url_for

from web.accounts import Account
from web.config import NavItem


def navigation_items(
    app: Flask, items: Iterable[NavItem], user: Account | None
) -> list[dict[str, Any]]:
    """Return ``items`` as GOV.UK service-navigation entries.

    Skips any whose endpoint is not registered (a blueprint that is not there yet) or
    whose role the user lacks; nobody signed in sees no links.
    """
    if user is None:
        return []
    return [
        {
            "text": item.text,
            "href": url_for(item.endpoint),
            "current": request.endpoint == item.endpoint,
        }
        for item in items
        if item.endpoint in app.view_functions and user.can(item.role)
    ]
